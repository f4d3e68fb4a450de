// SPDX-License-Identifier: MIT
/*
 * vmalloc stress, in the manner of Linux's lib/test_vmalloc.c: fixed
 * size, random size, random alignment, a long busy list, and full fit;
 * each stress case runs on every hart at once through on_each_hart().
 * Then the per-hart blocks small areas come from: guard pages, scattered
 * frees and reuse, addresses reused only after a purge, a free on
 * another hart.
 */
#include <string.h>
#include <rvmem/ktest.h>
#include <rvmem/mm.h>
#include <rvmem/internal/pgtable.h>
#include <rvmem/printk.h>
#include <rvmem/smp.h>
#include <rvmem/vmalloc.h>

#define ROUNDS		200
#define BUSY_AREAS	1000
#define MAX_PAGES	32

struct hart_result {
	unsigned long failures;		/* allocation or check failures */
	unsigned long done;
};

struct stress {
	void (*fn)(struct hart_result *r, unsigned int seed);
	struct hart_result r[NR_CPUS];
};

static unsigned int rounds;	/* of the stress case running */

static unsigned int next_rand(unsigned int *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Write the first and last byte of every page, read them back. */
static bool fill_check(char *p, unsigned long pages, char tag)
{
	unsigned long i;

	for (i = 0; i < pages; i++) {
		p[i * PAGE_SIZE] = tag;
		p[(i + 1) * PAGE_SIZE - 1] = tag;
	}
	for (i = 0; i < pages; i++)
		if (p[i * PAGE_SIZE] != tag || p[(i + 1) * PAGE_SIZE - 1] != tag)
			return false;
	return true;
}

static void fix_size(struct hart_result *r, unsigned int seed)
{
	unsigned int i;

	for (i = 0; i < rounds; i++) {
		char *p = vmalloc(3 * PAGE_SIZE);

		if (!p || !fill_check(p, 3, (char)seed))
			r->failures++;
		vfree(p);
		r->done++;
	}
}

static void random_size(struct hart_result *r, unsigned int seed)
{
	unsigned int i;

	for (i = 0; i < rounds; i++) {
		unsigned long pages = next_rand(&seed) % MAX_PAGES + 1;
		char *p = vmalloc(pages * PAGE_SIZE);

		if (!p || !fill_check(p, pages, (char)i))
			r->failures++;
		vfree(p);
		r->done++;
	}
}

static void random_align(struct hart_result *r, unsigned int seed)
{
	unsigned int i;

	for (i = 0; i < rounds; i++) {
		unsigned long align = PAGE_SIZE << (next_rand(&seed) % 12);
		char *p = __vmalloc_align(PAGE_SIZE, align, GFP_KERNEL);

		if (!p || ((unsigned long)p & (align - 1)) ||
		    !fill_check(p, 1, 1))
			r->failures++;
		vfree(p);
		r->done++;
	}
}

/* Many live areas, then churn among them: the tree stays large. */
static void long_busy_list(struct hart_result *r, unsigned int seed)
{
	static void *busy[NR_CPUS][BUSY_AREAS / 4];
	void **mine = busy[smp_processor_id()];
	unsigned int i, n = BUSY_AREAS / 4;

	for (i = 0; i < n; i++)
		if (!(mine[i] = vmalloc(PAGE_SIZE)))
			r->failures++;
	for (i = 0; i < rounds; i++) {
		unsigned int k = next_rand(&seed) % n;

		vfree(mine[k]);
		mine[k] = vmalloc((next_rand(&seed) % 4 + 1) * PAGE_SIZE);
		if (!mine[k] || !fill_check(mine[k], 1, 2))
			r->failures++;
		r->done++;
	}
	for (i = 0; i < n; i++)
		vfree(mine[i]);
}

static void run_on_all(void *arg)
{
	struct stress *s = arg;
	unsigned int cpu = smp_processor_id();

	s->fn(&s->r[cpu], 0x9e3779b9u * (cpu + 1));
}

/*
 * Run @fn on every hart, ROUNDS rounds each, or fewer where the boot is
 * small: vfree()'d pages come back only at a purge, and while one hart
 * flushes the others (slow under QEMU with many harts) the rest keep
 * freeing into the lazy list. So the pages all harts churn through,
 * @pages_per_round on average, are held to half the free memory: with
 * 16 harts on 128 MiB, 200 rounds of up to 32 pages would want 200 MiB.
 */
static void stress_all_harts(struct ktest *t,
			     void (*fn)(struct hart_result *, unsigned int),
			     unsigned long pages_per_round)
{
	static struct stress s;
	unsigned long used = nr_vmalloc_pages, fit;
	unsigned int cpu;

	vm_unmap_aliases();	/* start from a settled lazy list */
	fit = nr_free_pages() / 2 / (nr_cpus_online * pages_per_round);
	rounds = min(fit, (unsigned long)ROUNDS);
	if (rounds < ROUNDS)
		printk("        # %u harts, %u rounds each (%lu free pages)\n",
		       nr_cpus_online, rounds, nr_free_pages());
	KTEST_ASSERT_TRUE(t, rounds >= 16);
	memset(&s, 0, sizeof(s));
	s.fn = fn;
	on_each_hart(run_on_all, &s);
	for (cpu = 0; cpu < nr_cpus_online; cpu++) {
		KTEST_EXPECT_EQ(t, s.r[cpu].failures, 0);
		KTEST_EXPECT_EQ(t, s.r[cpu].done, rounds);
	}
	KTEST_EXPECT_EQ(t, nr_vmalloc_pages, used);
}

static void vmalloc_stress_fix_size(struct ktest *t)
{
	stress_all_harts(t, fix_size, 3);
}

static void vmalloc_stress_random_size(struct ktest *t)
{
	stress_all_harts(t, random_size, MAX_PAGES / 2 + 1);
}

static void vmalloc_stress_random_align(struct ktest *t)
{
	stress_all_harts(t, random_align, 1);
}

static void vmalloc_stress_long_busy_list(struct ktest *t)
{
	stress_all_harts(t, long_busy_list, 3);
}

/*
 * Three areas too big for a block, the middle one 64 KiB bigger, freed
 * and purged: expect an area 64 KiB smaller to take exactly its place
 * (the lowest gap that fits), and one a page bigger than it was not.
 * Under Svnapot areas are 64 KiB-aligned, and a gap fits one only with
 * 64 KiB to spare (vm_space_alloc() asks for size + align - PAGE_SIZE);
 * sizes that with their guard page are whole 64 KiB leave no padding
 * between the areas, so the same sizes fit the same way without it.
 */
static void vmalloc_full_fit(struct ktest *t)
{
	const unsigned long size = 3 * NAPOT_SIZE - PAGE_SIZE;
	void *a, *b, *c, *d, *e;

	vm_unmap_aliases();	/* earlier cases' areas: gone, not gaps */
	a = vmalloc(size);
	b = vmalloc(size + NAPOT_SIZE);
	c = vmalloc(size);
	KTEST_ASSERT_TRUE(t, a && b && c);
	vfree(b);
	vm_unmap_aliases();	/* the hole is reused only after the flush */
	e = vmalloc(size + NAPOT_SIZE + PAGE_SIZE);
	d = vmalloc(size);
	KTEST_EXPECT_TRUE(t, d == b);
	KTEST_EXPECT_TRUE(t, e != b);
	show_vmallocinfo();
	vfree(a);
	vfree(c);
	vfree(d);
	vfree(e);
}

/* Expect an area larger than 1 GiB where RAM allows one. */
static void vmalloc_over_1gib(struct ktest *t)
{
	unsigned long size = (1UL << 30) + (4UL << 20);
	char *p;

	if (nr_free_pages() < (size >> PAGE_SHIFT) + (256UL << 8)) {
		ktest_skip(t, "needs more than 1 GiB of free RAM");
		return;
	}
	p = vmalloc(size);
	KTEST_ASSERT_TRUE(t, p != NULL);
	p[0] = 1;
	p[size / 2] = 2;
	p[size - 1] = 3;
	KTEST_EXPECT_EQ(t, p[0] + p[size / 2] + p[size - 1], 6);
	KTEST_EXPECT_TRUE(t, vmalloc_to_page(p + size - 1) != NULL);
	vfree(p);
}

/* Allocate @pages pages, chain the area on @head and widen [*lo, *hi). */
static bool alloc_chained(void **head, unsigned long pages, unsigned long *lo,
			  unsigned long *hi)
{
	void **p = __vmalloc(pages * PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN);

	if (!p)
		return false;
	*p = *head;
	*head = p;
	*lo = min(*lo, (unsigned long)p);
	*hi = max(*hi, (unsigned long)p + pages * PAGE_SIZE);
	return true;
}

/*
 * Pieces of blocks and areas of their own until vmalloc() fails, all
 * freed and purged: expect PageTables back within what doc/mm.md says
 * stays, the tables of the span used (one last-level table per 2 MiB,
 * one per GiB above it, and one per higher level).
 */
static void vmalloc_exhausted_tables(struct ktest *t)
{
	unsigned long tables, lo = ~0UL, hi = 0, kept, n = 0;
	void *head = NULL;

	vm_unmap_aliases();
	tables = nr_pagetable_pages;
	while (alloc_chained(&head, n++ % 2 ? 4 : VMAP_MAX_PAGES + 4, &lo,
			     &hi))
		;
	while (alloc_chained(&head, 1, &lo, &hi))
		n++;
	while (head) {
		void *next = *(void **)head;

		vfree(head);
		head = next;
	}
	vm_unmap_aliases();
	KTEST_ASSERT_TRUE(t, n > 2);
	kept = (hi - 1) / SZ_2M - lo / SZ_2M + 1 +
	       (hi - 1) / SZ_1G - lo / SZ_1G + 1 +
	       kernel_pgtable.levels - 3;
	printk("vmalloc: %lu areas in %lu KiB; PageTables %lu -> %lu kB, "
	       "at most %lu kept\n", n, (hi - lo) >> 10, tables << 2,
	       nr_pagetable_pages << 2, kept);
	KTEST_EXPECT_TRUE(t, nr_pagetable_pages <= tables + kept);
}

#define BLOCK_SIZE	(PTRS_PER_TABLE * PAGE_SIZE)	/* a vmap block */
#define SCATTER_AREAS	600

static bool is_mapped(const void *addr)
{
	return pgtable_walk(&kernel_pgtable, (unsigned long)addr, NULL) != 0;
}

/*
 * One live area of every size up to one page past the block limit, side
 * by side: expect each one mapped to its last byte and the page after it
 * unmapped (looked up in the page table, not touched), and
 * vmalloc_describe() to call that page the area's guard.
 */
static void vmap_block_guard_pages(struct ktest *t)
{
	static char *p[VMAP_MAX_PAGES + 2];
	unsigned long pages;
	char what[200];

	for (pages = 1; pages <= VMAP_MAX_PAGES + 1; pages++) {
		p[pages] = vmalloc(pages * PAGE_SIZE);
		KTEST_ASSERT_TRUE(t, p[pages] != NULL);
		memset(p[pages], (int)pages, pages * PAGE_SIZE);
	}
	for (pages = 1; pages <= VMAP_MAX_PAGES + 1; pages++) {
		char *end = p[pages] + pages * PAGE_SIZE;

		KTEST_EXPECT_TRUE(t, is_mapped(end - 1));
		KTEST_EXPECT_TRUE(t, !is_mapped(end));
		KTEST_EXPECT_EQ(t, end[-1], (char)pages);
		KTEST_EXPECT_TRUE(t, vmalloc_describe((unsigned long)end, what,
						      sizeof(what)));
		KTEST_EXPECT_TRUE(t, !strncmp(what, "the guard page after "
					      "vmalloc area", 32));
	}
	for (pages = 1; pages <= VMAP_MAX_PAGES + 1; pages++)
		vfree(p[pages]);
}

/* Is every page of the @pages-page area @p still filled with @tag? */
static bool still_filled(const char *p, unsigned long pages, char tag)
{
	unsigned long i;

	for (i = 0; i < pages; i++)
		if (p[i * PAGE_SIZE] != tag ||
		    p[(i + 1) * PAGE_SIZE - 1] != tag)
			return false;
	return true;
}

/*
 * Many small areas of 1 to 7 pages, half freed in a scattered order:
 * expect the others intact, new areas to fit among them, every page
 * accounted for at the end, and after a purge the same address space
 * used again.
 */
static void vmap_block_fragmentation(struct ktest *t)
{
	static char *p[SCATTER_AREAS];
	unsigned long used = nr_vmalloc_pages, lo = ~0UL, hi = 0, i, k = 0;
	bool reused = false;

	vm_unmap_aliases();
	for (i = 0; i < SCATTER_AREAS; i++) {
		p[i] = vmalloc((i % 7 + 1) * PAGE_SIZE);
		KTEST_ASSERT_TRUE(t, p[i] != NULL);
		fill_check(p[i], i % 7 + 1, (char)i);
		lo = min(lo, (unsigned long)p[i]);
		hi = max(hi, (unsigned long)p[i]);
	}
	for (i = 0; i < SCATTER_AREAS / 2; i++) {
		k = (k + 211) % SCATTER_AREAS;	/* 211 is prime to 600 */
		vfree(p[k]);
		p[k] = NULL;
	}
	for (i = 0; i < SCATTER_AREAS; i++)
		if (p[i])
			KTEST_EXPECT_TRUE(t, still_filled(p[i], i % 7 + 1,
							  (char)i));
	for (i = 0; i < SCATTER_AREAS; i++) {
		if (!p[i]) {
			p[i] = vmalloc((i % 7 + 1) * PAGE_SIZE);
			KTEST_ASSERT_TRUE(t, p[i] != NULL);
			fill_check(p[i], i % 7 + 1, (char)i);
		}
	}
	for (i = 0; i < SCATTER_AREAS; i++) {
		KTEST_EXPECT_TRUE(t, still_filled(p[i], i % 7 + 1, (char)i));
		vfree(p[i]);
	}
	vm_unmap_aliases();
	KTEST_EXPECT_EQ(t, nr_vmalloc_pages, used);
	/* Past what is left of this hart's block, into recycled ones. */
	for (i = 0; i < PTRS_PER_TABLE; i++) {
		p[i] = vmalloc(PAGE_SIZE);
		KTEST_ASSERT_TRUE(t, p[i] != NULL);
		reused |= (unsigned long)p[i] >= lo &&
			  (unsigned long)p[i] <= hi;
	}
	KTEST_EXPECT_TRUE(t, reused);
	for (i = 0; i < PTRS_PER_TABLE; i++)
		vfree(p[i]);
}

/* Is @q in @p's block, at or below @p? */
static bool at_or_below_in_block(const void *q, const void *p)
{
	unsigned long a = (unsigned long)q, b = (unsigned long)p;

	return ALIGN_DOWN(a, BLOCK_SIZE) == ALIGN_DOWN(b, BLOCK_SIZE) &&
	       a <= b;
}

/*
 * Free one page, then allocate three blocks' worth: expect its slot
 * unmapped at once and no new area at or below it in its block (a
 * block never hands a slot out twice). After the purge's flush and
 * everything freed, expect its block in use again from the start.
 */
static void vmap_block_reused_after_purge(struct ktest *t)
{
	static void *q[4 * PTRS_PER_TABLE / 2];
	const unsigned int n = 3 * PTRS_PER_TABLE / 2;
	bool reused = false;
	unsigned int i;
	void *p;

	vm_unmap_aliases();
	p = vmalloc(PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, p != NULL);
	vfree(p);
	KTEST_EXPECT_TRUE(t, !is_mapped(p));
	for (i = 0; i < n; i++) {
		q[i] = vmalloc(PAGE_SIZE);
		KTEST_ASSERT_TRUE(t, q[i] != NULL);
		KTEST_EXPECT_TRUE(t, !at_or_below_in_block(q[i], p));
	}
	for (i = 0; i < n; i++)
		vfree(q[i]);
	vm_unmap_aliases();
	for (i = 0; i < ARRAY_SIZE(q); i++) {
		q[i] = vmalloc(PAGE_SIZE);
		KTEST_ASSERT_TRUE(t, q[i] != NULL);
		reused |= at_or_below_in_block(q[i], p);
	}
	KTEST_EXPECT_TRUE(t, reused);
	for (i = 0; i < ARRAY_SIZE(q); i++)
		vfree(q[i]);
}

static void alloc_two_pages(void *arg)
{
	char **p = arg;

	*p = vmalloc(2 * PAGE_SIZE);
	if (*p)
		fill_check(*p, 2, 7);
}

/*
 * An area from hart 1's block freed on hart 0: expect the contents
 * there, the entries gone, and the pages back after a purge.
 */
static void vmap_block_free_on_other_hart(struct ktest *t)
{
	unsigned long used = nr_vmalloc_pages;
	char *p = NULL;

	if (nr_cpus_online < 2) {
		ktest_skip(t, "needs two harts");
		return;
	}
	smp_call_on(1, alloc_two_pages, &p);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_TRUE(t, still_filled(p, 2, 7));
	vfree(p);
	KTEST_EXPECT_TRUE(t, !is_mapped(p) && !is_mapped(p + PAGE_SIZE));
	vm_unmap_aliases();
	KTEST_EXPECT_EQ(t, nr_vmalloc_pages, used);
}

static const struct ktest_case vmalloc_cases[] = {
	KTEST_CASE(vmalloc_stress_fix_size),
	KTEST_CASE(vmalloc_stress_random_size),
	KTEST_CASE(vmalloc_stress_random_align),
	KTEST_CASE(vmalloc_stress_long_busy_list),
	KTEST_CASE(vmalloc_full_fit),
	KTEST_CASE(vmalloc_over_1gib),
	KTEST_CASE(vmalloc_exhausted_tables),
	KTEST_CASE(vmap_block_guard_pages),
	KTEST_CASE(vmap_block_fragmentation),
	KTEST_CASE(vmap_block_reused_after_purge),
	KTEST_CASE(vmap_block_free_on_other_hart),
	{}
};

KTEST_SUITE(vmalloc_suite) = {
	.name = "vmalloc",
	.cases = vmalloc_cases,
};
