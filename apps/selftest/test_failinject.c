// SPDX-License-Identifier: MIT
/*
 * Every allocation-failure path of vmalloc, vmap, mmap with MAP_POPULATE,
 * a demand-zero fault and brk, on real paging: fault_inject_walk() fails
 * the nth page allocation (fail_page_alloc) or slab growth (failslab)
 * for every n up to the last the operation makes. Each run must fail
 * cleanly (NULL, MAP_FAILED, -ENOMEM), give back every page once slabs
 * are shrunk and lazy vmalloc areas purged, and a run that succeeds must
 * find its data intact. Each case prints how many points it exercised.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <rvmem/anon.h>
#include <rvmem/fault-inject.h>
#include <rvmem/ktest.h>
#include <rvmem/mm.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/vmalloc.h>

#define WALK_MAX	4096
#define OP_PAGES	24

struct walk {
	struct ktest *t;
	unsigned long free0;
	char *mem;
	struct page *pages[OP_PAGES];
	const char *what;
	bool warming;		/* the run before the walk: nothing to compare */
};

/* Give back what caches and lazy frees hold; count the free pages. */
static unsigned long settled_free_pages(void)
{
	vm_unmap_aliases();
	kmem_cache_shrink_all();
	drain_all_pages();
	return nr_free_pages();
}

/* Write then check a pattern over @pages pages of @p. */
static bool fill_verify(char *p, unsigned long pages, bool write)
{
	unsigned long i;

	for (i = 0; i < pages * PAGE_SIZE; i += 512) {
		if (write)
			p[i] = (char)(i >> 9);
		else if (p[i] != (char)(i >> 9))
			return false;
	}
	return true;
}

/*
 * After @op: the result is clean (success, or -ENOMEM only when a
 * failure was injected), the memory is gone, and a follow-up workload
 * (a vmalloc of its own) sees its data.
 */
static bool walk_settled(struct walk *w, int err, bool injected)
{
	bool ok = !err || (injected && err == -ENOMEM);
	unsigned long free = settled_free_pages();
	char *p;

	KTEST_EXPECT_TRUE(w->t, ok);
	if (w->warming)
		return ok;
	KTEST_EXPECT_EQ(w->t, free, w->free0);
	ok = ok && free == w->free0;
	p = vmalloc(4 * PAGE_SIZE);
	KTEST_EXPECT_TRUE(w->t, p && fill_verify(p, 4, true) &&
			  fill_verify(p, 4, false));
	vfree(p);
	/* the follow-up may leave a page table of its own behind */
	w->free0 = settled_free_pages();
	return ok;
}

static void walk_both(struct ktest *t, struct walk *w, int (*op)(void *),
		      bool (*check)(void *, int, bool))
{
	struct fault_attr *attrs[] = { &fail_page_alloc, &failslab };
	unsigned int i;
	long points;

	w->t = t;
	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		/* one run without failures first: pools and caches settle */
		w->warming = true;
		check(w, op(w), false);
		w->warming = false;
		w->free0 = settled_free_pages();
		points = fault_inject_walk(attrs[i], op, check, w, WALK_MAX);
		printk("    # %s (%s): %ld injected failure points\n", w->what,
		       i ? "failslab" : "fail_page_alloc", points);
		KTEST_EXPECT_TRUE(t, points >= !i);
	}
}

static int vmalloc_op(void *arg)
{
	struct walk *w = arg;

	w->mem = vmalloc(OP_PAGES * PAGE_SIZE);
	return w->mem ? 0 : -ENOMEM;
}

static bool vmalloc_check(void *arg, int err, bool injected)
{
	struct walk *w = arg;

	if (w->mem) {
		KTEST_EXPECT_TRUE(w->t, fill_verify(w->mem, OP_PAGES, true) &&
				  fill_verify(w->mem, OP_PAGES, false));
		vfree(w->mem);
		w->mem = NULL;
	}
	return walk_settled(w, err, injected);
}

/* Expect vmalloc to return NULL at every failure, leaking nothing. */
static void vmalloc_each_failure(struct ktest *t)
{
	struct walk w = { .what = "vmalloc" };

	walk_both(t, &w, vmalloc_op, vmalloc_check);
}

static int vmap_op(void *arg)
{
	struct walk *w = arg;
	unsigned int i;

	memset(w->pages, 0, sizeof(w->pages));
	for (i = 0; i < OP_PAGES; i++) {
		w->pages[i] = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		if (!w->pages[i])
			return -ENOMEM;
	}
	w->mem = vmap(w->pages, OP_PAGES, PAGE_KERNEL);
	return w->mem ? 0 : -ENOMEM;
}

static bool vmap_check(void *arg, int err, bool injected)
{
	struct walk *w = arg;
	unsigned int i;

	if (w->mem) {
		fill_verify(w->mem, OP_PAGES, true);
		KTEST_EXPECT_EQ(w->t, *(char *)page_address(w->pages[1]),
				(char)(PAGE_SIZE >> 9));
		vunmap(w->mem);
		w->mem = NULL;
	}
	for (i = 0; i < OP_PAGES && w->pages[i]; i++)
		__free_page(w->pages[i]);
	return walk_settled(w, err, injected);
}

/* Expect vmap (and the pages under it) to fail cleanly at every point. */
static void vmap_each_failure(struct ktest *t)
{
	struct walk w = { .what = "vmap" };

	walk_both(t, &w, vmap_op, vmap_check);
}

static int mmap_populate_op(void *arg)
{
	struct walk *w = arg;
	void *p = mmap(NULL, OP_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	w->mem = p == MAP_FAILED ? NULL : p;
	KTEST_EXPECT_TRUE(w->t, w->mem || errno == ENOMEM);
	return w->mem ? 0 : -ENOMEM;
}

static bool anon_check(void *arg, int err, bool injected)
{
	struct walk *w = arg;

	if (w->mem) {
		KTEST_EXPECT_TRUE(w->t, fill_verify(w->mem, OP_PAGES, true) &&
				  fill_verify(w->mem, OP_PAGES, false));
		KTEST_EXPECT_EQ(w->t, munmap(w->mem, OP_PAGES * PAGE_SIZE), 0);
		w->mem = NULL;
	}
	return walk_settled(w, err, injected);
}

/*
 * Expect mmap(MAP_POPULATE) to fail with ENOMEM when its region cannot be
 * made; a page it cannot populate leaves the mapping standing (as Linux)
 * for a later fault to fill.
 */
static void mmap_populate_each_failure(struct ktest *t)
{
	struct walk w = { .what = "mmap MAP_POPULATE" };

	walk_both(t, &w, mmap_populate_op, anon_check);
}

/* Map a region, then fault each page in by hand as the trap would. */
static int demand_zero_op(void *arg)
{
	struct walk *w = arg;
	unsigned long i;
	int err = 0;

	w->mem = mmap(NULL, OP_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w->mem == MAP_FAILED) {
		w->mem = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < OP_PAGES && !err; i++)
		err = anon_handle_fault((unsigned long)w->mem + i * PAGE_SIZE,
					FAULT_WRITE);
	return err;
}

/* Expect a demand-zero fault that finds no page to say -ENOMEM. */
static void demand_zero_each_failure(struct ktest *t)
{
	struct walk w = { .what = "demand-zero fault" };

	walk_both(t, &w, demand_zero_op, anon_check);
}

/* Grow the break and touch the new heap; shrink it back on failure. */
static int brk_op(void *arg)
{
	struct walk *w = arg;
	char *old = sbrk(0);
	unsigned long i;
	int err = 0;

	if (sbrk(OP_PAGES * PAGE_SIZE) == (void *)-1)
		return -ENOMEM;
	for (i = 0; i < OP_PAGES && !err; i++)
		err = anon_handle_fault((unsigned long)old + i * PAGE_SIZE,
					FAULT_WRITE);
	w->mem = old;
	return err;
}

static bool brk_check(void *arg, int err, bool injected)
{
	struct walk *w = arg;

	if (w->mem) {
		if (!err)
			KTEST_EXPECT_TRUE(w->t,
					  fill_verify(w->mem, OP_PAGES, true) &&
					  fill_verify(w->mem, OP_PAGES, false));
		KTEST_EXPECT_EQ(w->t, brk(w->mem), 0);
		w->mem = NULL;
	}
	return walk_settled(w, err, injected);
}

/* Expect the heap to grow or fail cleanly, and to shrink back whole. */
static void brk_each_failure(struct ktest *t)
{
	struct walk w = { .what = "brk" };

	walk_both(t, &w, brk_op, brk_check);
}

static const struct ktest_case failinject_cases[] = {
	KTEST_CASE(vmalloc_each_failure),
	KTEST_CASE(vmap_each_failure),
	KTEST_CASE(mmap_populate_each_failure),
	KTEST_CASE(demand_zero_each_failure),
	KTEST_CASE(brk_each_failure),
	{}
};

KTEST_SUITE(failinject_suite) = {
	.name = "failinject",
	.cases = failinject_cases,
};
