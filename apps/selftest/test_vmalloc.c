// SPDX-License-Identifier: MIT
/*
 * vmalloc stress, in the manner of Linux's lib/test_vmalloc.c: fixed
 * size, random size, random alignment, a long busy list, and full fit;
 * each case runs on every hart at once through on_each_hart().
 */
#include <string.h>
#include <rvmem/ktest.h>
#include <rvmem/mm.h>
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

	for (i = 0; i < ROUNDS; i++) {
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

	for (i = 0; i < ROUNDS; i++) {
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

	for (i = 0; i < ROUNDS; i++) {
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
	for (i = 0; i < ROUNDS; i++) {
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

static void stress_all_harts(struct ktest *t,
			     void (*fn)(struct hart_result *, unsigned int))
{
	static struct stress s;
	unsigned long used = nr_vmalloc_pages;
	unsigned int cpu;

	memset(&s, 0, sizeof(s));
	s.fn = fn;
	on_each_hart(run_on_all, &s);
	for (cpu = 0; cpu < nr_cpus_online; cpu++) {
		KTEST_EXPECT_EQ(t, s.r[cpu].failures, 0);
		KTEST_EXPECT_EQ(t, s.r[cpu].done, ROUNDS);
	}
	KTEST_EXPECT_EQ(t, nr_vmalloc_pages, used);
}

static void vmalloc_stress_fix_size(struct ktest *t)
{
	stress_all_harts(t, fix_size);
}

static void vmalloc_stress_random_size(struct ktest *t)
{
	stress_all_harts(t, random_size);
}

static void vmalloc_stress_random_align(struct ktest *t)
{
	stress_all_harts(t, random_align);
}

static void vmalloc_stress_long_busy_list(struct ktest *t)
{
	stress_all_harts(t, long_busy_list);
}

/*
 * Three areas too big for a block, the middle one freed and purged:
 * expect an area of the same size to take exactly its place (the lowest
 * gap that fits), and a bigger one not.
 */
static void vmalloc_full_fit(struct ktest *t)
{
	const unsigned long size = (VMAP_MAX_PAGES + 4) * PAGE_SIZE;
	void *a, *b, *c, *d, *e;

	vm_unmap_aliases();	/* earlier cases' areas: gone, not gaps */
	a = vmalloc(size);
	b = vmalloc(size);
	c = vmalloc(size);
	KTEST_ASSERT_TRUE(t, a && b && c);
	vfree(b);
	vm_unmap_aliases();	/* the hole is reused only after the flush */
	e = vmalloc(size + PAGE_SIZE);
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

static const struct ktest_case vmalloc_cases[] = {
	KTEST_CASE(vmalloc_stress_fix_size),
	KTEST_CASE(vmalloc_stress_random_size),
	KTEST_CASE(vmalloc_stress_random_align),
	KTEST_CASE(vmalloc_stress_long_busy_list),
	KTEST_CASE(vmalloc_full_fit),
	KTEST_CASE(vmalloc_over_1gib),
	{}
};

KTEST_SUITE(vmalloc_suite) = {
	.name = "vmalloc",
	.cases = vmalloc_cases,
};
