// SPDX-License-Identifier: MIT
/*
 * Host random test of vmalloc (core/mm/vmalloc.c): a seeded run of
 * vmalloc(), vzalloc(), __vmalloc_align(), vmap(), ioremap(),
 * vmalloc_stack(), their frees and purges, over four harts (a hart
 * switch before every operation, so blocks, pools and frees cross
 * harts), checked against a model of the live areas, on a
 * kernel_pgtable walked in software.
 *
 * Each live area remembers its pages (their pfns as first mapped, or the
 * caller's for vmap, or the physical range for ioremap). After each
 * operation the area it made or freed is checked: every page mapped to
 * the same frame with the right leaf bits, the content written at
 * allocation intact (zeroes for vzalloc), the guard page after it (and
 * below a stack) unmapped; a freed area's entries gone at once, an area
 * of its own gone from the busy tree, and until a purge each freed area
 * described as freed. A bitmap
 * of pfns catches a frame given to two live areas. Every CHECK_EVERY
 * operations all live areas (vmalloc_to_page() agreeing too),
 * VmallocUsed, and that no two areas share a page of address space,
 * guards included, are checked. At the end all is freed (stacks stay)
 * and purged: every page must be back but the stacks and what vmalloc
 * keeps (page tables, the block index, empty blocks kept for reuse).
 */
#include <stdlib.h>
#include <string.h>
#include <asm/tlbflush.h>
#include <rvmem/fault-inject.h>
#include <rvmem/gfp.h>
#include <rvmem/ktest.h>
#include <rvmem/memlayout.h>
#include <rvmem/internal/pgtable.h>
#include <rvmem/printk.h>
#include <rvmem/smp.h>
#include <rvmem/vmalloc.h>
#include <rvmem/vmstat.h>

#include "host.h"
#include "mm_fixture.h"

#define RANDOM_OPS	1000000
#define FAILING_OPS	200000	/* with allocations failing */
#define CHECK_EVERY	4096
#define PHASE_OPS	20000	/* fill and drain phases alternate */
#define MAX_ERRORS	10
#define MAX_LIVE	1024
#define MAX_LIVE_PAGES	6000	/* of ~15000 free pages */
#define MAX_STACKS	8	/* never freed: vmalloc_stack() is for harts */
#define NR_HARTS	4
#define IO_PHYS		0x10000000UL	/* outside RAM: a device */
/* vmalloc.c's block index: one table page per GiB that blocks use. */
#define INDEX_SPAN_SHIFT	30
#define NR_SPANS	((VMALLOC_END - VMALLOC_START) >> INDEX_SPAN_SHIFT)

/* Up to K_STACK, the pages are vmalloc's own (VmallocUsed). */
enum kind { K_VMALLOC, K_VZALLOC, K_ALIGN, K_STACK, K_VMAP, K_IOREMAP };

struct area {
	unsigned long addr;	/* what the call returned */
	unsigned long pages;
	unsigned long *pfns;	/* the frame of each page */
	unsigned long align;	/* __vmalloc_align()'s */
	phys_addr_t phys;	/* ioremap()'s first page */
	struct page **vmap_pages;
	enum kind kind;
	u8 tag;
};

struct run {
	struct area live[MAX_LIVE];
	unsigned int nr_live;
	struct area stacks[MAX_STACKS];
	unsigned int nr_stacks;
	unsigned long live_pages;	/* vmalloc'd, not vmap or ioremap */
	unsigned long *pfn_owned;
	bool span_used[NR_SPANS];
	u64 rng;
	bool failing;		/* fault injection armed: NULL may come */
	unsigned long ops, errors, allocs, frees, purges, failed;
};

/* Count an error of @r; the first MAX_ERRORS are printed. */
#define run_error(r, ...) \
	mm_run_error(&(r)->errors, MAX_ERRORS, (r)->ops, __VA_ARGS__)

/* Failures fault injection has made since its attrs were set. */
static unsigned long injected(void)
{
	return fail_page_alloc.failed + failslab.failed;
}

static u64 rnd(struct run *r, u64 n)
{
	return mm_rand(&r->rng) % n;
}

/* Claim or release @pfn; Return: it was free (claim) or held (release). */
static bool pfn_change(struct run *r, unsigned long pfn, bool claim)
{
	unsigned long i = pfn - memmap_base_pfn, bit = 1UL << (i % 64);
	bool held = r->pfn_owned[i / 64] & bit;

	r->pfn_owned[i / 64] ^= bit;
	return held != claim;
}

static u64 pattern(const struct area *a, unsigned long va)
{
	return va ^ (0x0101010101010101ULL * a->tag);
}

static pgprot_t area_prot(const struct area *a)
{
	if (a->kind == K_IOREMAP)
		return PAGE_KERNEL_IO;
	if (a->kind == K_VMAP && (a->tag & 1))
		return PAGE_KERNEL_RO;
	return PAGE_KERNEL;
}

/* The first mapped page: ioremap returns an offset into it. */
static unsigned long area_base(const struct area *a)
{
	return ALIGN_DOWN(a->addr, PAGE_SIZE);
}

/*
 * Zero: the whole first page of an area, the words patterns go to in
 * the others (a page that was not zeroed has one there, or had).
 */
static bool page_zero(const u64 *w, bool whole)
{
	unsigned int i;

	if (!whole)
		return !w[0] && !w[256] && !w[511];
	for (i = 0; i < PAGE_SIZE / sizeof(*w); i++)
		if (w[i])
			return false;
	return true;
}

/*
 * Page @i of @a is mapped to its frame, as it should be; with @deep,
 * vmalloc_to_page() says so too.
 */
static bool check_page(struct run *r, const struct area *a, unsigned long i,
		       bool deep)
{
	unsigned long va = area_base(a) + i * PAGE_SIZE;
	unsigned int level;
	pte_t pte = pgtable_walk(&kernel_pgtable, va, &level);
	u64 *w;

	if (!pte || level || pte_prot(pte) != area_prot(a) ||
	    pte_to_pa(pte) >> PAGE_SHIFT != a->pfns[i]) {
		run_error(r, "kind %d %#lx page %lu: pte %#lx level %u, want "
			  "pfn %#lx prot %#lx", a->kind, a->addr, i,
			  (unsigned long)pte, level, a->pfns[i],
			  (unsigned long)area_prot(a));
		return false;
	}
	if (a->kind == K_IOREMAP)
		return true;
	if (deep && vmalloc_to_page((void *)va) != pfn_to_page(a->pfns[i])) {
		run_error(r, "vmalloc_to_page(%#lx) wrong", va);
		return false;
	}
	w = __va(pte_to_pa(pte));
	if (w[0] != pattern(a, va) || w[511] != pattern(a, va)) {
		run_error(r, "kind %d %#lx page %lu: content lost", a->kind,
			  a->addr, i);
		return false;
	}
	return true;
}

static bool unmapped(unsigned long va)
{
	return !pgtable_walk(&kernel_pgtable, va, NULL);
}

static void check_guard(struct run *r, const struct area *a)
{
	unsigned long guard = area_base(a) + a->pages * PAGE_SIZE;

	if (!unmapped(guard))
		run_error(r, "kind %d %#lx: guard page %#lx mapped", a->kind,
			  a->addr, guard);
}

static void check_area(struct run *r, const struct area *a, bool deep)
{
	unsigned long i;

	for (i = 0; i < a->pages; i++)
		if (!check_page(r, a, i, deep))
			return;
	check_guard(r, a);
}

/* Sizes: mostly block-sized, some spanning leaf tables. */
static unsigned long random_pages(struct run *r)
{
	switch (rnd(r, 100)) {
	case 0:
		return 513 + rnd(r, 1536);
	case 1 ... 15:
		return 33 + rnd(r, 480);
	default:
		return 1 + rnd(r, VMAP_MAX_PAGES);
	}
}

/* [start, end) of @a's address space, its guard page included. */
static void area_span(const struct area *a, unsigned long span[2])
{
	span[0] = area_base(a);
	span[1] = span[0] + (a->pages + 1) * PAGE_SIZE;
	if (a->kind == K_STACK)
		span[0] -= PAGE_SIZE;	/* its guard below */
}

static int cmp_span(const void *x, const void *y)
{
	const unsigned long *a = x, *b = y;

	return a[0] < b[0] ? -1 : a[0] > b[0];
}

/*
 * No two live areas share a page of address space, guards included,
 * and all lie in the window. (Between these checks, an area placed over
 * another shows as the other's frames, content or guard changing.)
 */
static void check_disjoint(struct run *r)
{
	static unsigned long spans[MAX_LIVE + MAX_STACKS][2];
	unsigned int i, n = r->nr_live + r->nr_stacks;

	for (i = 0; i < r->nr_live; i++)
		area_span(&r->live[i], spans[i]);
	for (i = 0; i < r->nr_stacks; i++)
		area_span(&r->stacks[i], spans[r->nr_live + i]);
	qsort(spans, n, sizeof(spans[0]), cmp_span);
	for (i = 0; i < n; i++) {
		if (spans[i][0] < VMALLOC_START || spans[i][1] > VMALLOC_END)
			run_error(r, "%#lx-%#lx outside the vmalloc window",
				  spans[i][0], spans[i][1]);
		if (i && spans[i - 1][1] > spans[i][0])
			run_error(r, "%#lx-%#lx overlaps %#lx-%#lx",
				  spans[i - 1][0], spans[i - 1][1],
				  spans[i][0], spans[i][1]);
	}
}

/* The frame page @i of @a must map: a vmap's or ioremap's own. */
static unsigned long wanted_pfn(const struct area *a, unsigned long i,
				phys_addr_t pa)
{
	if (a->kind == K_VMAP)
		return page_to_pfn(a->vmap_pages[i]);
	if (a->kind == K_IOREMAP)
		return (a->phys >> PAGE_SHIFT) + i;
	return pa >> PAGE_SHIFT;
}

/* Record the frames @a maps, check them, and write its pattern. */
static bool adopt_pages(struct run *r, struct area *a)
{
	unsigned long i, va;
	phys_addr_t pa;

	for (i = 0; i < a->pages; i++) {
		va = area_base(a) + i * PAGE_SIZE;
		if (!pgtable_translate(&kernel_pgtable, va, &pa) ||
		    pa >> PAGE_SHIFT != wanted_pfn(a, i, pa)) {
			run_error(r, "kind %d %#lx page %lu not mapped as "
				  "asked", a->kind, a->addr, i);
			return false;
		}
		a->pfns[i] = pa >> PAGE_SHIFT;
		if (a->kind == K_IOREMAP)
			continue;
		if (a->kind != K_VMAP && !pfn_change(r, a->pfns[i], true))
			run_error(r, "pfn %#lx mapped twice", a->pfns[i]);
		if (a->kind == K_VZALLOC && !page_zero(__va(pa), !i))
			run_error(r, "vzalloc %#lx page %lu not zero", a->addr,
				  i);
		((u64 *)__va(pa))[0] = ((u64 *)__va(pa))[511] =
			pattern(a, va);
	}
	return true;
}

/* vmap @a->pages fresh pages the test owns. */
static void *do_vmap(struct run *r, struct area *a)
{
	unsigned long i;

	a->vmap_pages = calloc(a->pages, sizeof(*a->vmap_pages));
	if (!a->vmap_pages)
		return NULL;
	for (i = 0; i < a->pages; i++) {
		a->vmap_pages[i] = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		if (!a->vmap_pages[i])
			return NULL;
		if (!pfn_change(r, page_to_pfn(a->vmap_pages[i]), true))
			run_error(r, "vmap: page %lu is in use", i);
	}
	return vmap(a->vmap_pages, a->pages, area_prot(a));
}

static void free_vmap_pages(struct run *r, struct area *a)
{
	unsigned long i;

	for (i = 0; i < a->pages && a->vmap_pages[i]; i++) {
		pfn_change(r, page_to_pfn(a->vmap_pages[i]), false);
		__free_page(a->vmap_pages[i]);
	}
	free(a->vmap_pages);
	a->vmap_pages = NULL;
}

static void *call_alloc(struct run *r, struct area *a, unsigned long bytes)
{
	switch (a->kind) {
	case K_VMALLOC:
		return vmalloc(bytes);
	case K_VZALLOC:
		return vzalloc(bytes);
	case K_ALIGN:
		a->align = PAGE_SIZE << rnd(r, 11);	/* 4 KiB to 4 MiB */
		return __vmalloc_align(bytes, a->align, GFP_KERNEL);
	case K_VMAP:
		return do_vmap(r, a);
	default:
		a->phys = IO_PHYS + rnd(r, 1024) * PAGE_SIZE;
		return ioremap(a->phys + rnd(r, PAGE_SIZE), bytes);
	}
}

/* Is @a a piece of a block: a small vmalloc() with no alignment asked. */
static bool in_block(const struct area *a)
{
	return a->kind <= K_ALIGN && a->pages <= VMAP_MAX_PAGES &&
	       (a->kind != K_ALIGN || a->align == PAGE_SIZE);
}

/* Blocks serve small page-aligned vmalloc()s: their GiB gets an index. */
static void note_span(struct run *r, const struct area *a)
{
	if (in_block(a))
		r->span_used[(a->addr - VMALLOC_START) >>
			     INDEX_SPAN_SHIFT] = true;
}

static void run_alloc(struct run *r)
{
	static const enum kind kinds[] = {
		K_VMALLOC, K_VMALLOC, K_VMALLOC, K_VMALLOC, K_VZALLOC,
		K_VZALLOC, K_ALIGN, K_ALIGN, K_VMAP, K_IOREMAP,
	};
	struct area *a = &r->live[r->nr_live];
	unsigned long bytes, injected0;
	void *addr;

	*a = (struct area){ .kind = kinds[rnd(r, ARRAY_SIZE(kinds))],
			    .tag = 16 + rnd(r, 240), .pages = random_pages(r) };
	if (a->kind == K_VMAP || a->kind == K_IOREMAP)
		a->pages = min(a->pages, 64UL);
	bytes = a->pages * PAGE_SIZE - rnd(r, PAGE_SIZE);
	a->pfns = calloc(a->pages + 1, sizeof(*a->pfns));
	injected0 = injected();
	addr = call_alloc(r, a, bytes);
	if (!addr) {
		if (r->failing && injected() != injected0)
			r->failed++;
		else
			run_error(r, "kind %d of %lu bytes failed", a->kind,
				  bytes);
		if (a->vmap_pages)
			free_vmap_pages(r, a);
		free(a->pfns);
		return;
	}
	a->addr = (unsigned long)addr;
	if (a->kind == K_IOREMAP)
		a->pages = (PAGE_ALIGN(a->addr + bytes) - area_base(a)) >>
			   PAGE_SHIFT;
	if (a->kind == K_ALIGN && !IS_ALIGNED(a->addr, a->align))
		run_error(r, "%#lx not aligned to %lu KiB", a->addr,
			  a->align >> 10);
	if (!adopt_pages(r, a))
		return;
	check_guard(r, a);
	note_span(r, a);
	if (a->kind <= K_STACK)
		r->live_pages += a->pages;
	r->nr_live++;
	r->allocs++;
}

static void call_free(const struct area *a)
{
	if (a->kind == K_VMAP)
		vunmap((void *)a->addr);
	else if (a->kind == K_IOREMAP)
		iounmap((void *)a->addr);
	else
		vfree((void *)a->addr);
}

/*
 * A freed area of its own leaves the busy tree at once (a piece's block
 * stays); until a purge releases its range it is described as freed.
 */
static void check_freed(struct run *r, const struct area *a, bool purged)
{
	unsigned long va = area_base(a);
	char buf[200];

	if (!in_block(a) && vmalloc_area_busy(va))
		run_error(r, "kind %d %#lx busy after its free", a->kind,
			  a->addr);
	if (!purged && (!vmalloc_describe(va, buf, sizeof(buf)) ||
			!strstr(buf, "already freed")))
		run_error(r, "kind %d %#lx freed, described as \"%s\"",
			  a->kind, a->addr, buf);
}

/* Free a random live area; its entries must go at once. */
static void run_free(struct run *r)
{
	unsigned int i = rnd(r, r->nr_live);
	struct area a = r->live[i];
	unsigned long before = host_tlb_flushes.local, p;
	unsigned long purges = vm_events_sum(VMALLOC_PURGE);

	r->live[i] = r->live[--r->nr_live];
	check_area(r, &a, false);
	call_free(&a);
	check_freed(r, &a, vm_events_sum(VMALLOC_PURGE) != purges);
	if (host_tlb_flushes.local == before)
		run_error(r, "kind %d %#lx freed without a local flush",
			  a.kind, a.addr);
	for (p = 0; p < a.pages; p++) {
		if (!unmapped(area_base(&a) + p * PAGE_SIZE)) {
			run_error(r, "kind %d %#lx page %lu mapped after its "
				  "free", a.kind, a.addr, p);
			break;
		}
		if (a.kind <= K_STACK)
			pfn_change(r, a.pfns[p], false);
	}
	if (a.kind <= K_STACK)
		r->live_pages -= a.pages;
	if (a.kind == K_VMAP)
		free_vmap_pages(r, &a);
	free(a.pfns);
	r->frees++;
}

/* Refused quietly: no size, an alignment not a power of two. */
static void run_invalid(struct run *r)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;

	if (__vmalloc(0, gfp) ||
	    __vmalloc_align(PAGE_SIZE, 3 * PAGE_SIZE, gfp))
		run_error(r, "an invalid vmalloc succeeded");
	vfree(NULL);
}

static void run_describe(struct run *r)
{
	const struct area *a = &r->live[rnd(r, r->nr_live)];
	char buf[200];

	if (!vmalloc_describe(area_base(a) + a->pages * PAGE_SIZE, buf,
			      sizeof(buf)) || !strstr(buf, "guard page after"))
		run_error(r, "guard of %#lx described as \"%s\"", a->addr,
			  buf);
}

/*
 * A hart stack of 1 to 8 pages: guarded above and below, and described
 * so. Stacks are never freed; they stay to the end of the run.
 */
static void run_stack(struct run *r)
{
	struct area *a = &r->stacks[r->nr_stacks];
	unsigned long below, injected0 = injected();
	char buf[200];

	*a = (struct area){ .kind = K_STACK, .tag = 16 + rnd(r, 240),
			    .pages = 1 + rnd(r, 8) };
	a->pfns = calloc(a->pages, sizeof(*a->pfns));
	a->addr = (unsigned long)vmalloc_stack(a->pages * PAGE_SIZE,
					       smp_processor_id());
	if (!a->addr) {
		if (!r->failing || injected() == injected0)
			run_error(r, "vmalloc_stack of %lu pages failed",
				  a->pages);
		free(a->pfns);
		return;
	}
	if (!adopt_pages(r, a))
		return;
	below = a->addr - PAGE_SIZE;
	check_guard(r, a);
	if (!unmapped(below) || !vmalloc_describe(below, buf, sizeof(buf)) ||
	    !strstr(buf, "guard page below the stack"))
		run_error(r, "stack %#lx: guard below mapped or described as "
			  "\"%s\"", a->addr, buf);
	r->live_pages += a->pages;
	r->nr_stacks++;
}

static void check_all(struct run *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_live; i++)
		check_area(r, &r->live[i], true);
	for (i = 0; i < r->nr_stacks; i++)
		check_area(r, &r->stacks[i], true);
	check_disjoint(r);
	if (nr_vmalloc_pages != r->live_pages)
		run_error(r, "VmallocUsed %lu pages, model %lu",
			  nr_vmalloc_pages, r->live_pages);
}

static void run_step(struct run *r)
{
	bool fill = (r->ops / PHASE_OPS) % 2 == 0;
	unsigned int x = rnd(r, 100);

	host_hart_enter(rnd(r, NR_HARTS));
	if (x == 0) {
		vm_unmap_aliases();
		r->purges++;
	} else if (x == 1) {
		run_invalid(r);
	} else if (x == 2 && r->nr_live) {
		run_describe(r);
	} else if (x == 3 && r->nr_stacks < MAX_STACKS && !rnd(r, 100)) {
		run_stack(r);
	} else if (!r->nr_live || (r->nr_live < MAX_LIVE &&
				   r->live_pages < MAX_LIVE_PAGES &&
				   x < (fill ? 70 : 40))) {
		run_alloc(r);
	} else {
		run_free(r);
	}
	r->ops++;
}

static unsigned long spans_used(const struct run *r)
{
	unsigned long i, n = 0;

	for (i = 0; i < NR_SPANS; i++)
		n += r->span_used[i];
	return n;
}

static unsigned long stack_pages(const struct run *r)
{
	unsigned long i, n = 0;

	for (i = 0; i < r->nr_stacks; i++)
		n += r->stacks[i].pages;
	return n;
}

static void vmalloc_run(struct ktest *t, unsigned long ops, u64 fixed_seed,
			bool failing)
{
	static struct run r;
	unsigned long data0, purges0, flushes0;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_vm(MiB(64), 3));
	memset(&r, 0, sizeof(r));
	r.rng = mm_test_seed(failing ? "vmalloc, failing" : "vmalloc",
			     fixed_seed);
	r.pfn_owned = calloc(DIV_ROUND_UP(memmap_pages, 64), sizeof(long));
	KTEST_ASSERT_TRUE(t, r.pfn_owned != NULL);
	data0 = mm_data_pages();
	purges0 = vm_events_sum(VMALLOC_PURGE);
	flushes0 = host_tlb_flushes.global;
	r.failing = failing;
	if (failing) {
		fault_attr_set(&fail_page_alloc, 97, 100, 0, -1);
		fault_attr_set(&failslab, 13, 100, 0, -1);
	}
	while (r.ops < ops && r.errors <= MAX_ERRORS) {
		run_step(&r);
		if (r.ops % CHECK_EVERY == 0)
			check_all(&r);
	}
	fault_attr_set(&fail_page_alloc, 0, 0, 0, 0);
	fault_attr_set(&failslab, 0, 0, 0, 0);
	while (r.nr_live)
		run_free(&r);
	host_hart_enter(0);
	vm_unmap_aliases();
	check_all(&r);		/* the stacks, and VmallocUsed */
	printk("        # %lu ops: %lu areas made, %lu freed, %lu failed, "
	       "%u stacks, %lu purges (%lu asked for)\n", r.ops, r.allocs,
	       r.frees, r.failed, r.nr_stacks,
	       vm_events_sum(VMALLOC_PURGE) - purges0, r.purges);
	KTEST_EXPECT_EQ(t, r.errors, 0);
	KTEST_EXPECT_EQ(t, nr_vmalloc_pages, stack_pages(&r));
	/* One flush at most a purge: nothing else flushes every hart. */
	KTEST_EXPECT_TRUE(t, host_tlb_flushes.global - flushes0 <=
			  vm_events_sum(VMALLOC_PURGE) - purges0);
	KTEST_EXPECT_EQ(t, mm_data_pages(), data0 + spans_used(&r) +
			stack_pages(&r));
	while (r.nr_stacks)
		free(r.stacks[--r.nr_stacks].pfns);
	free(r.pfn_owned);
}

/*
 * RANDOM_OPS operations over NR_HARTS harts, under Sv39: vmalloc,
 * vzalloc and __vmalloc_align (4 KiB to 4 MiB) of 1 to 2048 pages at
 * odd byte sizes, vmap of pages the test owns (read-write and
 * read-only), ioremap at odd offsets, their frees, purges, invalid
 * calls and guard-page reports. Expect every area mapped, aligned,
 * guarded, apart and intact while live, gone at once when freed, and
 * every page back after the last purge but the page tables, block
 * index and kept blocks (slab) that vmalloc holds on to.
 */
static void vmalloc_random_vs_model(struct ktest *t)
{
	vmalloc_run(t, RANDOM_OPS, 0xf4a11c01, false);
}

/*
 * FAILING_OPS of the same with every 97th page allocation and every
 * 13th slab growth failing (block, area, index, page-table and backing
 * page allocations alike). Expect a failed call to return NULL only
 * when a failure was injected, and to leave nothing behind: the same
 * checks, and every page back at the end.
 */
static void vmalloc_random_failing(struct ktest *t)
{
	vmalloc_run(t, FAILING_OPS, 0xf4a11c02, true);
}

static const struct ktest_case vmalloc_random_cases[] = {
	KTEST_CASE(vmalloc_random_vs_model),
	KTEST_CASE(vmalloc_random_failing),
	{}
};

KTEST_SUITE(vmalloc_random_suite) = {
	.name = "vmalloc_random",
	.cases = vmalloc_random_cases,
};
