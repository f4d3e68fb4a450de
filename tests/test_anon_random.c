// SPDX-License-Identifier: MIT
/*
 * Host random test of the anonymous regions (core/mm/anon.c): a seeded
 * run of vm_mmap(), vm_munmap(), do_mprotect(), do_madvise(), do_brk(),
 * do_sbrk(), anon_map_stack() and touches, checked against a shadow
 * model, on a kernel_pgtable that the test walks in software.
 *
 * The model has a record per page of a window at MMAP_START and of the
 * heap: mapped or not, the first page of a region, protection, charged
 * to the commit total, a guard page (after a region rvmem placed, or
 * below a stack), touched, and the byte last written. A touch plays the MMU: it walks the page table and,
 * where the leaf refuses the access, calls anon_handle_fault() as the
 * trap would; a served fault must make the access go through. Where a
 * region lands is predicted (the hint if free, else the lowest gap that
 * holds it and its guard), not just accepted.
 *
 * After each operation the pages it covered are checked against the
 * model (mapped or not, leaf bits, content) and the TLB flush hook is
 * checked to have run exactly when mapped pages changed; every
 * CHECK_EVERY operations all pages, the commit charge, AnonPages and
 * the pages in use are. At the end all is unmapped: every page and every
 * page table but the root must be back. Two variants: with fault
 * injection failing allocations (-ENOMEM only where one was injected,
 * and then nothing changed), and under strict overcommit (every refusal
 * predicted).
 *
 *   MMAP_START                         + WIN_PAGES     HEAP_START  + brk
 *   |[region][g] [fixed][region][g]  ...|              |[heap......]|
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <asm/tlbflush.h>
#include <rvmem/anon.h>
#include <rvmem/fault-inject.h>
#include <rvmem/ktest.h>
#include <rvmem/memlayout.h>
#include <rvmem/param.h>
#include <rvmem/internal/pgtable.h>
#include <rvmem/printk.h>
#include <rvmem/vmstat.h>

#include "host.h"
#include "mm_fixture.h"

#define RANDOM_OPS	1000000
#define LEVELS_OPS	50000	/* the runs under Sv48 and Sv57 */
#define FAILING_OPS	200000	/* with allocations failing */
#define STRICT_OPS	200000	/* under vm.overcommit_memory=2 */
#define CHECK_EVERY	8192
#define MAX_ERRORS	10
#define WIN_PAGES	8192	/* the modelled part of the mmap window */
#define HEAP_PAGES	2048
#define MAX_TOUCHED	6000	/* of ~15000 free pages */
#define MAX_STACKS	16
#define NR_HARTS	4
#define PROT_ALL	(PROT_READ | PROT_WRITE | PROT_EXEC)

enum {
	P_MAPPED = 1,
	P_ACCT = 2,		/* charged to the commit total */
	P_GUARD = 4,		/* the guard after the region below it */
	P_STACKGUARD = 8,	/* a stack's lowest page: faults refused */
	P_TOUCHED = 16,		/* a page is mapped here */
	P_START = 32,		/* the first page of a region */
};

struct mpage {
	u8 flags;
	u8 prot;
	u8 content;		/* 0: reads zero; else the byte written */
};

struct stack {
	unsigned long top, size;
};

struct model {
	struct mpage win[WIN_PAGES];
	struct mpage heap[HEAP_PAGES];
	unsigned long brk;
	unsigned long touched;
	struct stack stacks[MAX_STACKS];
	unsigned int nr_stacks;
	u64 rng;
	bool failing;		/* fault injection armed: -ENOMEM may come */
	bool strict;		/* vm.overcommit_memory=2 */
	unsigned long limit;	/* CommitLimit, pages */
	unsigned long ops, errors, faults, flushes, failed;
	unsigned long data0;	/* mm_data_pages() at the start */
};

/* Count an error of @m; the first MAX_ERRORS are printed. */
#define model_error(m, ...) \
	mm_run_error(&(m)->errors, MAX_ERRORS, (m)->ops, __VA_ARGS__)

/* Failures fault injection has made since its attrs were set. */
static unsigned long injected(void)
{
	return fail_page_alloc.failed + failslab.failed;
}

/* Did an injected failure explain an -ENOMEM, @before read before it? */
static bool injected_since(struct model *m, unsigned long before, long err)
{
	if (err != -ENOMEM || !m->failing || injected() == before)
		return false;
	m->failed++;
	return true;
}

static u64 rnd(struct model *m, u64 n)
{
	return mm_rand(&m->rng) % n;
}

static unsigned long win_va(unsigned long page)
{
	return MMAP_START + page * PAGE_SIZE;
}

/* The model's record of @va, or NULL outside the window and the heap. */
static struct mpage *model_page(struct model *m, unsigned long va)
{
	if (va - MMAP_START < WIN_PAGES * PAGE_SIZE)
		return &m->win[(va - MMAP_START) >> PAGE_SHIFT];
	if (va - HEAP_START < HEAP_PAGES * PAGE_SIZE)
		return &m->heap[(va - HEAP_START) >> PAGE_SHIFT];
	return NULL;
}

/* The specification: write implies read, every mapping readable. */
static pgprot_t expected_pgprot(int prot)
{
	static const pgprot_t map[PROT_ALL + 1] = {
		[PROT_NONE] = PAGE_NONE,
		[PROT_READ] = PAGE_KERNEL_RO,
		[PROT_WRITE] = PAGE_KERNEL,
		[PROT_READ | PROT_WRITE] = PAGE_KERNEL,
		[PROT_EXEC] = PAGE_KERNEL_EXEC,
		[PROT_READ | PROT_EXEC] = PAGE_KERNEL_EXEC,
		[PROT_WRITE | PROT_EXEC] = PAGE_KERNEL_RWX,
		[PROT_ALL] = PAGE_KERNEL_RWX,
	};

	return map[prot];
}

static u64 pattern(unsigned long va, u8 content)
{
	return content ? va ^ (0x0101010101010101ULL * content) : 0;
}

/* The words a touch writes and checks: first, middle, last. */
static const unsigned int probe_words[] = { 0, 256, 511 };

static bool content_ok(const u64 *w, unsigned long va, u8 content)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(probe_words); i++)
		if (w[probe_words[i]] != pattern(va, content))
			return false;
	return true;
}

static void write_content(u64 *w, unsigned long va, u8 content)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(probe_words); i++)
		w[probe_words[i]] = pattern(va, content);
}

static bool page_zero(const u64 *w)
{
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / sizeof(*w); i++)
		if (w[i])
			return false;
	return true;
}

/* The page table agrees with the model at @va. */
static void check_page(struct model *m, unsigned long va)
{
	const struct mpage *mp = model_page(m, va);
	unsigned int level;
	pte_t pte = pgtable_walk(&kernel_pgtable, va, &level);

	if (!(mp->flags & P_TOUCHED)) {
		if (pte)
			model_error(m, "%#lx is mapped, the model has no page "
				    "there", va);
		return;
	}
	if (!pte || level) {
		model_error(m, "%#lx: page gone (pte %#lx level %u)", va,
			    (unsigned long)pte, level);
		return;
	}
	if (pte_prot(pte) != expected_pgprot(mp->prot))
		model_error(m, "%#lx: leaf bits %#lx, prot %d wants %#lx", va,
			    (unsigned long)pte_prot(pte), mp->prot,
			    (unsigned long)expected_pgprot(mp->prot));
	if (!content_ok(__va(pte_to_pa(pte)), va, mp->content))
		model_error(m, "%#lx: content lost (byte %#x)", va,
			    mp->content);
}

static void check_range(struct model *m, unsigned long va, unsigned long n)
{
	for (; n; n--, va += PAGE_SIZE)
		if (model_page(m, va))
			check_page(m, va);
}

static unsigned long model_committed(const struct model *m)
{
	unsigned long i, n = PAGE_ALIGN(m->brk - HEAP_START) >> PAGE_SHIFT;

	for (i = 0; i < WIN_PAGES; i++)
		n += !!(m->win[i].flags & P_ACCT);
	return n;
}

/* Every page, and the counters that sum them. */
static void check_all(struct model *m)
{
	unsigned long committed = model_committed(m);

	check_range(m, MMAP_START, WIN_PAGES);
	check_range(m, HEAP_START, HEAP_PAGES);
	if (vm_committed_pages != committed)
		model_error(m, "Committed_AS %lu pages, model %lu",
			    vm_committed_pages, committed);
	if (nr_anon_pages() != m->touched)
		model_error(m, "AnonPages %lu, model %lu", nr_anon_pages(),
			    m->touched);
	if (mm_data_pages() != m->data0 + m->touched)
		model_error(m, "%lu data pages in use, model %lu",
			    mm_data_pages(), m->data0 + m->touched);
}

/* Forget the page of @mp: it reads zero when next touched. */
static void model_drop(struct model *m, struct mpage *mp)
{
	if (mp->flags & P_TOUCHED)
		m->touched--;
	mp->flags &= ~P_TOUCHED;
	mp->content = 0;
}

/* A region that goes on at @page is split there. */
static void split_at(struct model *m, unsigned long page)
{
	if (page < WIN_PAGES && (m->win[page].flags & P_MAPPED))
		m->win[page].flags |= P_START;
}

/* munmap in the model; Return: pages that were touched. */
static unsigned long model_unmap(struct model *m, unsigned long page,
				 unsigned long n)
{
	unsigned long p, dropped = 0;

	for (p = page; p < page + n; p++) {
		struct mpage *mp = &m->win[p];

		if (!(mp->flags & P_MAPPED))
			continue;
		dropped += !!(mp->flags & P_TOUCHED);
		model_drop(m, mp);
		mp->flags &= P_GUARD;
		if (p + 1 < WIN_PAGES)
			m->win[p + 1].flags &= ~P_GUARD;
	}
	split_at(m, page + n);
	return dropped;
}

static void model_map(struct model *m, unsigned long page, unsigned long n,
		      int prot, bool acct)
{
	unsigned long p;

	for (p = page; p < page + n; p++) {
		m->win[p].flags = P_MAPPED | (acct ? P_ACCT : 0);
		m->win[p].prot = prot;
	}
	m->win[page].flags |= P_START;
}

/* Pages charged to the commit total in [@page, @page + @n). */
static unsigned long charged(const struct model *m, unsigned long page,
			     unsigned long n)
{
	unsigned long p, sum = 0;

	for (p = page; p < page + n; p++)
		sum += !!(m->win[p].flags & P_ACCT);
	return sum;
}

/*
 * Would strict overcommit refuse to charge @pages, @freed pages about to
 * be uncharged (a fixed mapping's predecessors)?
 */
static bool over_limit(const struct model *m, unsigned long pages,
		       unsigned long freed)
{
	return m->strict && model_committed(m) - freed + pages > m->limit;
}

static bool page_busy(const struct model *m, unsigned long p)
{
	return m->win[p].flags & (P_MAPPED | P_GUARD);
}

static bool pages_free(const struct model *m, unsigned long page,
		       unsigned long n)
{
	unsigned long p;

	if (page + n > WIN_PAGES)
		return false;
	for (p = page; p < page + n; p++)
		if (page_busy(m, p))
			return false;
	return true;
}

/*
 * Where vm_space puts @need pages: the lowest run of free pages that
 * holds them. Return: its first page, or -1 if none inside the window.
 */
static long lowest_fit(const struct model *m, unsigned long need)
{
	unsigned long p, run = 0;

	for (p = 0; p < WIN_PAGES; p++) {
		run = page_busy(m, p) ? 0 : run + 1;
		if (run == need)
			return p + 1 - need;
	}
	return -1;
}

static bool mmu_allows(pte_t pte, enum fault_access access)
{
	static const pte_t need[] = {
		[FAULT_READ] = _PAGE_READ, [FAULT_WRITE] = _PAGE_WRITE,
		[FAULT_EXEC] = _PAGE_EXEC,
	};

	return (pte & _PAGE_VALID) && (pte & need[access]);
}

static int expected_fault(const struct mpage *mp, enum fault_access access)
{
	static const int need[] = {
		[FAULT_READ] = PROT_ALL, [FAULT_WRITE] = PROT_WRITE,
		[FAULT_EXEC] = PROT_EXEC,
	};

	if (!mp || !(mp->flags & P_MAPPED) || (mp->flags & P_STACKGUARD))
		return -EFAULT;
	return mp->prot & need[access] ? 0 : -EACCES;
}

/* An access to @va as a hart makes it: the MMU, else the fault path. */
static void touch_page(struct model *m, unsigned long va,
		       enum fault_access access)
{
	struct mpage *mp = model_page(m, va);
	int want = expected_fault(mp, access), err = 0;
	pte_t pte = pgtable_walk(&kernel_pgtable, va, NULL);
	unsigned long inj = injected();
	u64 *w;

	if (!mmu_allows(pte, access)) {
		err = anon_handle_fault(va, access);
		m->faults++;
		if (injected_since(m, inj, err))
			return;	/* the page must not be there: checked */
		pte = pgtable_walk(&kernel_pgtable, va, NULL);
		if (!err && !mmu_allows(pte, access))
			model_error(m, "%#lx: fault served, access %d still "
				    "refused (pte %#lx)", va, access,
				    (unsigned long)pte);
	}
	if (err != want)
		model_error(m, "touch %#lx (access %d): %d, model %d", va,
			    access, err, want);
	if (err || !pte)
		return;
	w = __va(pte_to_pa(pte));
	if (!(mp->flags & P_TOUCHED)) {
		if (!page_zero(w))
			model_error(m, "%#lx: fresh page not zero", va);
		mp->flags |= P_TOUCHED;
		m->touched++;
	} else if (!content_ok(w, va, mp->content)) {
		model_error(m, "%#lx: content lost at touch", va);
	}
	if (access == FAULT_WRITE) {
		mp->content = 1 + rnd(m, 255);
		write_content(w, va, mp->content);
	}
}

/* A run of 1-16 pages, in the window or the heap. */
static void op_touch(struct model *m)
{
	static const enum fault_access accesses[] = {
		FAULT_WRITE, FAULT_WRITE, FAULT_WRITE, FAULT_READ, FAULT_READ,
		FAULT_EXEC,
	};
	enum fault_access access = accesses[rnd(m, ARRAY_SIZE(accesses))];
	unsigned long n = 1 + rnd(m, 16), va;

	if (rnd(m, 5))
		va = win_va(rnd(m, WIN_PAGES));
	else
		va = HEAP_START + rnd(m, HEAP_PAGES) * PAGE_SIZE;
	for (; n && model_page(m, va); n--, va += PAGE_SIZE) {
		if (m->touched >= MAX_TOUCHED &&
		    !(model_page(m, va)->flags & P_TOUCHED))
			break;
		touch_page(m, va, access);
	}
}

static unsigned long random_pages(struct model *m)
{
	switch (rnd(m, 20)) {
	case 0:
		return 257 + rnd(m, 768);
	case 1: case 2: case 3:
		return 33 + rnd(m, 224);
	default:
		return 1 + rnd(m, 32);
	}
}

/* Check the flush hook ran iff @changed, since @before. */
static void check_flush(struct model *m, unsigned long before, bool changed,
			const char *what)
{
	bool flushed = host_tlb_flushes.global != before;

	if (flushed != changed)
		model_error(m, "%s: %s", what, changed ? "mapped pages "
			    "changed without a TLB flush" :
			    "a TLB flush with nothing mapped");
	m->flushes += flushed;
}

/* Where a region of @n pages lands, or -1 to skip (the window is full). */
static long predict_place(struct model *m, unsigned long n, int flags,
			  unsigned long hint)
{
	unsigned long hp = (hint - MMAP_START) >> PAGE_SHIFT;

	if (flags & MAP_FIXED)
		return hp;
	if (hint && IS_ALIGNED(hint, PAGE_SIZE) && pages_free(m, hp, n + 1))
		return hp;
	return lowest_fit(m, n + 1);
}

/*
 * MAP_POPULATE faulted the pages in: all of them, or those before an
 * injected failure (the mapping stands regardless).
 */
static void populate(struct model *m, unsigned long page, unsigned long n,
		     int prot, unsigned long inj)
{
	unsigned long p;

	if (prot == PROT_NONE)
		return;
	for (p = page; p < page + n; p++) {
		if (!pgtable_walk(&kernel_pgtable, win_va(p), NULL) &&
		    injected_since(m, inj, -ENOMEM))
			return;
		m->win[p].flags |= P_TOUCHED;
		m->touched++;
	}
}

static void op_mmap(struct model *m)
{
	unsigned long n = random_pages(m), hint = 0, start, before, inj;
	int prot = rnd(m, 8), flags = MAP_ANONYMOUS, kind = rnd(m, 20);
	bool acct, refused;
	long page;

	flags |= rnd(m, 10) ? MAP_PRIVATE : MAP_SHARED;
	flags |= rnd(m, 5) ? 0 : MAP_NORESERVE;
	if (n <= 64 && m->touched + n <= MAX_TOUCHED && !rnd(m, 10))
		flags |= MAP_POPULATE;
	if (kind < 7) {
		flags |= MAP_FIXED;
		hint = win_va(rnd(m, WIN_PAGES - n + 1));
	} else if (kind < 10) {
		/* Inside the window with its guard: the model sees it all. */
		hint = win_va(rnd(m, WIN_PAGES - n)) + (rnd(m, 4) ? 0 : 0x123);
	}
	page = predict_place(m, n, flags, hint);
	if (page < 0)
		return;		/* the window is full */
	acct = (prot & PROT_WRITE) && (!(flags & MAP_NORESERVE) || m->strict);
	refused = acct && over_limit(m, n, flags & MAP_FIXED ?
				     charged(m, page, n) : 0);
	before = host_tlb_flushes.global;
	inj = injected();
	start = vm_mmap(hint, n * PAGE_SIZE - rnd(m, PAGE_SIZE), prot, flags,
			-1, 0);
	if (injected_since(m, inj, start))
		return;
	if (refused) {
		if (start != (unsigned long)-ENOMEM)
			model_error(m, "mmap of %lu pages over CommitLimit = "
				    "%#lx", n, start);
		return;
	}
	if (start != win_va(page)) {
		model_error(m, "mmap(%#lx, %lu pages, prot %d, flags %#x) = "
			    "%#lx, model %#lx", hint, n, prot, flags, start,
			    win_va(page));
		return;
	}
	if (flags & MAP_FIXED) {
		check_flush(m, before, model_unmap(m, page, n), "mmap fixed");
		m->win[page].flags &= ~P_GUARD;
	} else if (page + n < WIN_PAGES) {
		m->win[page + n].flags |= P_GUARD;
	}
	model_map(m, page, n, prot, acct);
	if (flags & MAP_POPULATE)
		populate(m, page, n, prot, inj);
	check_range(m, start - PAGE_SIZE, n + 2);
}

/* A random range of the window: start page, and pages (clamped). */
static unsigned long random_range(struct model *m, unsigned long *n)
{
	unsigned long page = rnd(m, WIN_PAGES), pages = random_pages(m);

	*n = min(pages, WIN_PAGES - page);
	return page;
}

static void op_munmap(struct model *m)
{
	unsigned long n, page = random_range(m, &n);
	unsigned long before = host_tlb_flushes.global, inj = injected();
	int err = vm_munmap(win_va(page), n * PAGE_SIZE);

	if (injected_since(m, inj, err))
		return;
	if (err)
		model_error(m, "munmap(%#lx, %lu pages) = %d", win_va(page),
			    n, err);
	check_flush(m, before, model_unmap(m, page, n), "munmap");
	check_range(m, win_va(page) - PAGE_SIZE, n + 2);
}

static bool covered(const struct model *m, unsigned long page,
		    unsigned long n)
{
	unsigned long p;

	for (p = page; p < page + n; p++)
		if (!(m->win[p].flags & P_MAPPED))
			return false;
	return true;
}

/*
 * mprotect in the model, region by region as anon.c walks them: split at
 * the range's edges, charge or uncharge, protect. Under strict
 * overcommit the charge of a region may be refused: the regions before
 * it stay changed. Return: the result mprotect must give.
 */
static int model_mprotect(struct model *m, unsigned long page,
			  unsigned long n, int prot)
{
	unsigned long p = page, end, q;
	bool acct = prot & PROT_WRITE;

	if (!covered(m, page, n))
		return -ENOMEM;
	split_at(m, page);
	while (p < page + n) {
		for (end = p + 1; end < WIN_PAGES &&
		     (m->win[end].flags & (P_MAPPED | P_START)) == P_MAPPED;
		     end++)
			;
		if (end > page + n) {
			split_at(m, page + n);
			end = page + n;
		}
		if (acct && !(m->win[p].flags & P_ACCT) &&
		    over_limit(m, end - p, 0))
			return -ENOMEM;
		for (q = p; q < end; q++) {
			m->win[q].prot = prot;
			m->win[q].flags &= ~P_ACCT;
			m->win[q].flags |= acct ? P_ACCT : 0;
		}
		p = end;
	}
	return 0;
}

static void op_mprotect(struct model *m)
{
	unsigned long n, page = random_range(m, &n), p, before, inj;
	int prot = rnd(m, 8), want, err;

	p = 1 + rnd(m, 64);
	n = min(n, p);
	before = host_tlb_flushes.global;
	inj = injected();
	err = do_mprotect(win_va(page), n * PAGE_SIZE, prot);
	if (injected_since(m, inj, err))
		return;
	want = model_mprotect(m, page, n, prot);
	if (err != want)
		model_error(m, "mprotect(%#lx, %lu pages, %d) = %d, model %d",
			    win_va(page), n, prot, err, want);
	/* Every region in range is flushed, mapped pages or not. */
	if (!err && host_tlb_flushes.global == before)
		model_error(m, "mprotect: no TLB flush");
	check_range(m, win_va(page) - PAGE_SIZE, n + 2);
}

static void op_madvise(struct model *m)
{
	static const int advice[] = {
		MADV_DONTNEED, MADV_DONTNEED, MADV_DONTNEED, MADV_FREE,
		MADV_NORMAL, MADV_WILLNEED, 100,
	};
	unsigned long n, page = random_range(m, &n), p, dropped = 0, before;
	int adv = advice[rnd(m, ARRAY_SIZE(advice))], want = 0, err;
	bool drops = adv == MADV_DONTNEED || adv == MADV_FREE;

	if (adv == 100)
		want = -EINVAL;
	else if (drops && !covered(m, page, n))
		want = -ENOMEM;
	before = host_tlb_flushes.global;
	err = do_madvise(win_va(page), n * PAGE_SIZE, adv);
	if (err != want)
		model_error(m, "madvise(%#lx, %lu pages, %d) = %d, model %d",
			    win_va(page), n, adv, err, want);
	if (!err && drops)
		for (p = page; p < page + n; p++) {
			dropped += !!(m->win[p].flags & P_TOUCHED);
			model_drop(m, &m->win[p]);
		}
	check_flush(m, before, dropped, "madvise");
	check_range(m, win_va(page), n);
}

/* Move the model's break; Return: pages above the new top dropped. */
static unsigned long model_brk(struct model *m, unsigned long brk)
{
	unsigned long p, dropped = 0;

	for (p = PAGE_ALIGN(brk - HEAP_START) >> PAGE_SHIFT; p < HEAP_PAGES;
	     p++) {
		dropped += !!(m->heap[p].flags & P_TOUCHED);
		model_drop(m, &m->heap[p]);
		m->heap[p].flags = 0;
	}
	for (p = 0; p < PAGE_ALIGN(brk - HEAP_START) >> PAGE_SHIFT; p++) {
		m->heap[p].flags |= P_MAPPED | P_ACCT;
		m->heap[p].prot = PROT_READ | PROT_WRITE;
	}
	m->brk = brk;
	return dropped;
}

static void op_brk(struct model *m)
{
	unsigned long brk = HEAP_START + rnd(m, HEAP_PAGES * PAGE_SIZE);
	unsigned long before = host_tlb_flushes.global, old = m->brk, got;
	long grow = (long)(PAGE_ALIGN(brk) - PAGE_ALIGN(old)) >> PAGE_SHIFT;
	bool refused = grow > 0 && over_limit(m, grow, 0);
	int err;

	switch (rnd(m, 8)) {
	case 0:		/* below the heap: refused, the break stays */
		err = do_brk(HEAP_START - PAGE_SIZE);
		if (err != -ENOMEM)
			model_error(m, "brk below the heap = %d", err);
		return;
	case 1: case 2: case 3:
		got = do_sbrk((long)(brk - old));
		if (got != (refused ? (unsigned long)-ENOMEM : old))
			model_error(m, "sbrk(%ld) = %#lx, model %#lx%s",
				    (long)(brk - old), got, old,
				    refused ? " refused" : "");
		break;
	default:
		err = do_brk(brk);
		if (err != (refused ? -ENOMEM : 0))
			model_error(m, "brk(%#lx) = %d", brk, err);
	}
	if (refused)
		return;
	check_flush(m, before, model_brk(m, brk), "brk");
	check_range(m, HEAP_START, HEAP_PAGES);
}

static void op_stack(struct model *m)
{
	unsigned long size, n, top, inj;
	long page;
	struct stack *s;

	if (m->nr_stacks && (m->nr_stacks == MAX_STACKS || rnd(m, 2))) {
		s = &m->stacks[rnd(m, m->nr_stacks)];
		n = (s->size >> PAGE_SHIFT) + 1;
		page = ((s->top - MMAP_START) >> PAGE_SHIFT) - n;
		anon_unmap_stack(s->top, s->size);
		model_unmap(m, page, n);
		check_range(m, win_va(page), n + 1);
		*s = m->stacks[--m->nr_stacks];
		return;
	}
	size = (1 + rnd(m, 16)) * PAGE_SIZE;
	n = (size >> PAGE_SHIFT) + 1;
	page = lowest_fit(m, n + 1);
	if (page < 0)
		return;
	inj = injected();
	top = anon_map_stack(size, 2 + m->nr_stacks);
	if (!top && injected_since(m, inj, -ENOMEM))
		return;
	if (over_limit(m, n, 0)) {
		if (top)
			model_error(m, "a stack over CommitLimit at %#lx", top);
		return;
	}
	if (top != win_va(page + n)) {
		model_error(m, "anon_map_stack(%lu) = %#lx, model %#lx", size,
			    top, win_va(page + n));
		return;
	}
	model_map(m, page, n, PROT_READ | PROT_WRITE, true);
	m->win[page].flags |= P_STACKGUARD;
	if (page + n < WIN_PAGES)
		m->win[page + n].flags |= P_GUARD;
	m->stacks[m->nr_stacks++] = (struct stack){ top, size };
}

/* Arguments every call must refuse, the model untouched. */
static void op_invalid(struct model *m)
{
	unsigned long va = win_va(rnd(m, WIN_PAGES));
	const int anon = MAP_PRIVATE | MAP_ANONYMOUS;
	long got, want = -EINVAL;

	switch (rnd(m, 10)) {
	case 0:
		got = vm_mmap(0, 0, PROT_READ, anon, -1, 0);
		break;
	case 1:
		got = vm_mmap(0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, -1, 0);
		want = -EBADF;
		break;
	case 2:
		got = vm_mmap(0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, 3, 0);
		want = -ENODEV;
		break;
	case 3:
		got = vm_mmap(0, PAGE_SIZE, PROT_READ, MAP_ANONYMOUS, -1, 0);
		break;
	case 4:
		got = vm_mmap(va + 8, PAGE_SIZE, PROT_READ, anon | MAP_FIXED,
			      -1, 0);
		break;
	case 5:
		got = vm_mmap(VMALLOC_START, PAGE_SIZE, PROT_READ,
			      anon | MAP_FIXED, -1, 0);
		break;
	case 6:
		got = vm_mmap(0, PAGE_SIZE, PROT_READ, anon, -1, PAGE_SIZE);
		break;
	case 7:
		got = vm_munmap(va + 8, PAGE_SIZE);
		break;
	case 8:
		got = do_mprotect(va, PAGE_SIZE, PROT_ALL + 1);
		break;
	default:
		got = do_madvise(HEAP_START, PAGE_SIZE, MADV_DONTNEED);
	}
	if (got != want)
		model_error(m, "invalid call: %ld, not %ld", got, want);
}

static void run_op(struct model *m)
{
	unsigned int x = rnd(m, 100);

	host_hart_enter(rnd(m, NR_HARTS));
	if (x < 30)
		op_touch(m);
	else if (x < 50)
		op_mmap(m);
	else if (x < 62)
		op_munmap(m);
	else if (x < 74)
		op_mprotect(m);
	else if (x < 84)
		op_madvise(m);
	else if (x < 92)
		op_brk(m);
	else if (x < 96)
		op_stack(m);
	else
		op_invalid(m);
	m->ops++;
}

/* Unmap everything; expect every page and every table but the root back. */
static void teardown(struct ktest *t, struct model *m, unsigned long tables)
{
	int err = vm_munmap(MMAP_START, WIN_PAGES * PAGE_SIZE);

	KTEST_EXPECT_EQ(t, err, 0);
	KTEST_EXPECT_EQ(t, do_brk(HEAP_START), 0);
	model_unmap(m, 0, WIN_PAGES);
	model_brk(m, HEAP_START);
	m->nr_stacks = 0;
	host_hart_enter(0);
	check_all(m);
	KTEST_EXPECT_EQ(t, m->touched, 0);
	KTEST_EXPECT_EQ(t, vm_committed_pages, 0);
	KTEST_EXPECT_EQ(t, nr_pagetable_pages, tables);
}

/* Apply kernel parameters, as on the command line. */
static void set_params(const char *line)
{
	char buf[100], *argv[4] = { "test" };

	snprintf(buf, sizeof(buf), "%s", line);
	parse_bootargs(buf, __start_kernel_params, __stop_kernel_params -
		       __start_kernel_params, argv, ARRAY_SIZE(argv));
}

static void anon_run(struct ktest *t, unsigned int levels, unsigned long ops,
		     u64 fixed_seed, bool failing, bool strict)
{
	static struct model m;
	char name[32];
	unsigned long tables, refused;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_vm(MiB(64), levels));
	memset(&m, 0, sizeof(m));
	snprintf(name, sizeof(name), "anon Sv%u%s%s", va_bits(levels),
		 failing ? ", failing" : "", strict ? ", strict" : "");
	m.rng = mm_test_seed(name, fixed_seed);
	m.brk = HEAP_START;
	m.data0 = mm_data_pages();
	tables = nr_pagetable_pages;
	m.failing = failing;
	m.strict = strict;
	if (strict)
		set_params("vm.overcommit_memory=2 vm.overcommit_ratio=20");
	m.limit = vm_commit_limit();
	refused = vm_events_sum(OVERCOMMIT_REFUSED);
	if (failing) {
		fault_attr_set(&fail_page_alloc, 53, 100, 0, -1);
		fault_attr_set(&failslab, 7, 100, 0, -1);
	}
	while (m.ops < ops && m.errors <= MAX_ERRORS) {
		run_op(&m);
		if (m.ops % CHECK_EVERY == 0)
			check_all(&m);
	}
	fault_attr_set(&fail_page_alloc, 0, 0, 0, 0);
	fault_attr_set(&failslab, 0, 0, 0, 0);
	set_params("vm.overcommit_memory=0 vm.overcommit_ratio=50");
	printk("        # %lu ops: %lu touches sent to the fault path, "
	       "%lu flushes, %lu failed, %lu refused\n", m.ops, m.faults,
	       m.flushes, m.failed, vm_events_sum(OVERCOMMIT_REFUSED) -
	       refused);
	KTEST_EXPECT_EQ(t, m.errors, 0);
	teardown(t, &m, tables);
	KTEST_EXPECT_EQ(t, m.errors, 0);
}

/*
 * RANDOM_OPS operations under Sv39, over NR_HARTS harts: mmap (fixed,
 * hinted, anywhere; populate, noreserve), munmap, mprotect, madvise,
 * brk, sbrk, stacks, touches and invalid calls, 1 to 1024 pages, with
 * random offsets. Expect every result, placement, page, leaf and count
 * as the model says, and all memory back at the end.
 */
static void anon_random_vs_model(struct ktest *t)
{
	anon_run(t, 3, RANDOM_OPS, 0xa11c0001, false, false);
}

/* The same, shorter, under Sv48 and Sv57 (deeper walks, other tables). */
static void anon_random_sv48_sv57(struct ktest *t)
{
	anon_run(t, 4, LEVELS_OPS, 0xa11c0002, false, false);
	anon_run(t, 5, LEVELS_OPS, 0xa11c0003, false, false);
}

/*
 * FAILING_OPS of the same with every 53rd page allocation and every 7th
 * slab growth failing (fault injection): a fault, a region, a split, a
 * page table. Expect -ENOMEM only when a failure was injected, the call
 * then to change nothing (a populate to stop where it failed), and the
 * same checks to hold, every page and table back at the end.
 */
static void anon_random_failing(struct ktest *t)
{
	anon_run(t, 3, FAILING_OPS, 0xa11c0004, true, false);
}

/*
 * STRICT_OPS of the same under vm.overcommit_memory=2 with CommitLimit
 * a fifth of RAM, so that mmap, mprotect, brk and stacks meet it often.
 * Expect a refusal exactly where the charge would pass the limit (a
 * fixed mapping counting what it replaces as freed, as Linux does), an
 * mprotect refused at a region to have changed the regions before it,
 * and Committed_AS to follow the model.
 */
static void anon_random_strict(struct ktest *t)
{
	anon_run(t, 3, STRICT_OPS, 0xa11c0005, false, true);
}

static const struct ktest_case anon_random_cases[] = {
	KTEST_CASE(anon_random_vs_model),
	KTEST_CASE(anon_random_sv48_sv57),
	KTEST_CASE(anon_random_failing),
	KTEST_CASE(anon_random_strict),
	{}
};

KTEST_SUITE(anon_random_suite) = {
	.name = "anon_random",
	.cases = anon_random_cases,
};
