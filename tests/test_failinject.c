// SPDX-License-Identifier: MIT
/*
 * Host tests of fault injection: struct fault_attr and should_fail() as
 * Linux's fields define them, and every allocation-failure path of the
 * page allocator (fast path, per-hart list refill), slab growth,
 * kmem_cache_create() and page-table growth walked with
 * fault_inject_walk(): run n fails the nth allocation, for every n up to
 * the last one the operation makes. Each run must fail cleanly (NULL or
 * -ENOMEM), give back every page (after shrinking the slab caches), and
 * a run that succeeds must find its data intact.
 *
 * Each case boots 64 MiB below 4 GiB (the first 2 MiB reserved).
 */
#include <errno.h>
#include <string.h>
#include <rvmem/fault-inject.h>
#include <rvmem/gfp.h>
#include <rvmem/ktest.h>
#include <rvmem/internal/pgtable.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>

#include "../core/mm/internal.h"
#include "mm_fixture.h"

#define WALK_MAX	4096

struct walk {
	struct ktest *t;
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	unsigned long free0;
	struct kmem_cache *cache;
	struct pgtable pt;
	void *objs[256];
	unsigned int nr;
};

static bool walk_boot(struct walk *w, struct ktest *t, bool slab)
{
	memset(w, 0, sizeof(*w));
	w->t = t;
	if (!mm_fixture_boot_small(MiB(64)))
		return false;
	buddyinfo_snapshot(w->before);
	if (slab)
		kmem_cache_init();
	return true;
}

/* Shrink every cache, then count the pages the allocator has free. */
static unsigned long free_after_shrink(void)
{
	struct list_head *pos;

	slab_drain_cpu(0);
	list_for_each(pos, &slab_caches)
		kmem_cache_shrink(list_entry(pos, struct kmem_cache, list));
	drain_local_pages(NULL);
	return mm_free_total();
}

/*
 * Expect success without an injected failure, and with one either
 * -ENOMEM or success (a fallback absorbed it: a slab served without a
 * per-hart sheaf).
 */
static bool clean_result(struct walk *w, int err, bool injected)
{
	bool ok = !err || (injected && err == -ENOMEM);

	KTEST_EXPECT_TRUE(w->t, ok);
	return ok;
}

static void report_points(const char *what, long points)
{
	printk("    # %s: %ld injected failure points\n", what, points);
}

/*
 * Expect Linux's fields: interval N fails every Nth call, times limits
 * the failures (-1: none), space lets that many bytes through, 0%
 * disarms, and a bad string changes nothing.
 */
static void fault_attr_fields(struct ktest *t)
{
	static const char *const bad[] = {
		"", "1,100,0", "1,101,0,1", "x,100,0,1", "1,100,0,-2",
		"1,100,0,1,1",
	};
	DECLARE_FAULT_ATTR(attr);
	unsigned int i, fails = 0;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KTEST_EXPECT_EQ(t, setup_fault_attr(&attr, bad[i]), -EINVAL);
	KTEST_EXPECT_EQ(t, setup_fault_attr(&attr, NULL), -EINVAL);
	KTEST_EXPECT_TRUE(t, !attr.enabled);

	KTEST_ASSERT_EQ(t, setup_fault_attr(&attr, "3,100,0,2"), 0);
	for (i = 1; i <= 9; i++)
		KTEST_EXPECT_EQ(t, should_fail(&attr, 1), i == 3 || i == 6);
	KTEST_EXPECT_TRUE(t, !attr.enabled);

	KTEST_ASSERT_EQ(t, setup_fault_attr(&attr, "1,100,8192,-1"), 0);
	KTEST_EXPECT_TRUE(t, !should_fail(&attr, 4096));
	KTEST_EXPECT_TRUE(t, should_fail(&attr, 4096));
	KTEST_EXPECT_TRUE(t, should_fail(&attr, 4096));
	KTEST_EXPECT_TRUE(t, attr.enabled);

	KTEST_ASSERT_EQ(t, setup_fault_attr(&attr, "1,50,0,-1"), 0);
	for (i = 0; i < 1000; i++)
		fails += should_fail(&attr, 1);
	KTEST_EXPECT_TRUE(t, fails > 350 && fails < 650);

	KTEST_ASSERT_EQ(t, setup_fault_attr(&attr, "1,0,0,-1"), 0);
	KTEST_EXPECT_TRUE(t, !attr.enabled);
}

/*
 * Expect fail_page_alloc to fail a request the per-hart list could have
 * served, once, whatever its gfp (none included), and never a
 * __GFP_NOFAIL one.
 */
static void page_alloc_fast_path_fails(struct ktest *t)
{
	struct walk w;
	struct page *page;

	KTEST_ASSERT_TRUE(t, walk_boot(&w, t, false));
	__free_page(alloc_page(GFP_KERNEL));	/* the list holds pages */
	fault_attr_set(&fail_page_alloc, 1, 100, 0, 1);
	KTEST_EXPECT_TRUE(t, !alloc_page(GFP_KERNEL | __GFP_NOWARN));
	KTEST_EXPECT_EQ(t, fail_page_alloc.failed, 1);
	page = alloc_page(GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, page != NULL);
	__free_page(page);
	/* whatever the gfp: no flag at all, or DMA32 alone */
	fault_attr_set(&fail_page_alloc, 1, 100, 0, 2);
	KTEST_EXPECT_TRUE(t, !alloc_page(0));
	KTEST_EXPECT_TRUE(t, !alloc_page(__GFP_DMA32));
	KTEST_EXPECT_EQ(t, fail_page_alloc.failed, 2);

	fault_attr_set(&fail_page_alloc, 1, 100, 0, -1);
	page = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
	KTEST_EXPECT_TRUE(t, page != NULL);
	KTEST_EXPECT_TRUE(t, !alloc_pages(GFP_KERNEL | __GFP_NOWARN, 5));
	fault_attr_set(&fail_page_alloc, 0, 0, 0, 0);
	__free_page(page);
	KTEST_EXPECT_TRUE(t, mm_recovered(w.before));
}

/* Empty lists, then blocks of orders 0 and 2: each list refills. */
static int pcp_refill_op(void *arg)
{
	struct walk *w = arg;

	drain_local_pages(NULL);
	for (w->nr = 0; w->nr < 96; w->nr++) {
		unsigned int order = w->nr & 1 ? 2 : 0;
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN,
						order);

		if (!page)
			return -ENOMEM;
		memset(page_address(page), w->nr, PAGE_SIZE << order);
		w->objs[w->nr] = page;
	}
	return 0;
}

static bool pcp_refill_check(void *arg, int err, bool injected)
{
	struct walk *w = arg;
	unsigned int i;

	for (i = 0; i < w->nr; i++) {
		unsigned int order = i & 1 ? 2 : 0;
		unsigned char *p = page_address(w->objs[i]);

		KTEST_EXPECT_TRUE(w->t, p[0] == (unsigned char)i &&
				  p[(PAGE_SIZE << order) - 1] ==
				  (unsigned char)i);
		__free_pages(w->objs[i], order);
	}
	return clean_result(w, err, injected) & mm_recovered(w->before);
}

/* Expect each refill of an empty per-hart list to fail cleanly. */
static void pcp_refill_each_failure(struct ktest *t)
{
	struct walk w;
	long points;

	KTEST_ASSERT_TRUE(t, walk_boot(&w, t, false));
	points = fault_inject_walk(&fail_page_alloc, pcp_refill_op,
				   pcp_refill_check, &w, WALK_MAX);
	report_points("page_alloc (pcp refill)", points);
	KTEST_EXPECT_EQ(t, points, 96);
}

/* 200 objects of 512 B: several new slabs, each object filled. */
static int slab_grow_op(void *arg)
{
	struct walk *w = arg;

	for (w->nr = 0; w->nr < 200; w->nr++) {
		void *p = kmem_cache_alloc(w->cache, GFP_KERNEL | __GFP_NOWARN);

		if (!p)
			return -ENOMEM;
		memset(p, w->nr, 512);
		w->objs[w->nr] = p;
	}
	return 0;
}

static bool slab_grow_check(void *arg, int err, bool injected)
{
	struct walk *w = arg;
	unsigned int i;

	for (i = 0; i < w->nr; i++) {
		unsigned char *p = w->objs[i];

		KTEST_EXPECT_TRUE(w->t, p[0] == (unsigned char)i &&
				  p[511] == (unsigned char)i);
		kmem_cache_free(w->cache, p);
	}
	KTEST_EXPECT_EQ(w->t, free_after_shrink(), w->free0);
	return clean_result(w, err, injected) &&
	       free_after_shrink() == w->free0;
}

/*
 * Expect slab growth to fail cleanly at every page allocation and at
 * every failslab point, the objects handed out before intact.
 */
static void slab_growth_each_failure(struct ktest *t)
{
	struct fault_attr *attrs[] = { &fail_page_alloc, &failslab };
	struct walk w;
	unsigned int i;
	long points;

	KTEST_ASSERT_TRUE(t, walk_boot(&w, t, true));
	w.cache = kmem_cache_create("fi_512", 512, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, w.cache != NULL);
	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		w.free0 = free_after_shrink();
		points = fault_inject_walk(attrs[i], slab_grow_op,
					   slab_grow_check, &w, WALK_MAX);
		report_points(i ? "slab growth (failslab)" :
			      "slab growth (fail_page_alloc)", points);
		KTEST_EXPECT_TRUE(t, points >= (long)(200 * 512 / (PAGE_SIZE << 3)));
	}
	kmem_cache_destroy(w.cache);
}

static int cache_create_op(void *arg)
{
	struct walk *w = arg;

	w->cache = kmem_cache_create("fi_new", 200, 0, SLAB_HWCACHE_ALIGN,
				     NULL);
	return w->cache ? 0 : -ENOMEM;
}

static bool cache_create_check(void *arg, int err, bool injected)
{
	struct walk *w = arg;
	char *p;

	if (w->cache) {
		p = kmem_cache_alloc(w->cache, GFP_KERNEL);
		KTEST_EXPECT_TRUE(w->t, p != NULL);
		if (p) {
			memset(p, 0x5a, 200);
			kmem_cache_free(w->cache, p);
		}
		kmem_cache_destroy(w->cache);
		w->cache = NULL;
	}
	KTEST_EXPECT_EQ(w->t, free_after_shrink(), w->free0);
	return clean_result(w, err, injected) &&
	       free_after_shrink() == w->free0;
}

/* Expect kmem_cache_create() to return NULL at every failure, leak-free. */
static void kmem_cache_create_each_failure(struct ktest *t)
{
	struct fault_attr *attrs[] = { &fail_page_alloc, &failslab };
	struct walk w;
	unsigned int i;
	long points;

	KTEST_ASSERT_TRUE(t, walk_boot(&w, t, true));
	for (i = 0; i < ARRAY_SIZE(attrs); i++) {
		w.free0 = free_after_shrink();
		points = fault_inject_walk(attrs[i], cache_create_op,
					   cache_create_check, &w, WALK_MAX);
		report_points(i ? "kmem_cache_create (failslab)" :
			      "kmem_cache_create (fail_page_alloc)", points);
		KTEST_EXPECT_TRUE(t, points >= 1);
	}
}

#define PT_VA		(0x40000000UL + MiB(2) - 16 * PAGE_SIZE)
#define PT_PA		0x2000000000UL

/* 32 pages across a 2 MiB line: two last-level tables and their parents. */
static int pgtable_grow_op(void *arg)
{
	struct walk *w = arg;

	return pgtable_map(&w->pt, PT_VA, PT_PA, 32 * PAGE_SIZE, PAGE_KERNEL,
			   0);
}

static bool pgtable_grow_check(void *arg, int err, bool injected)
{
	struct walk *w = arg;
	unsigned long i;

	for (i = 0; !err && i < 32; i++) {
		phys_addr_t pa;

		KTEST_EXPECT_TRUE(w->t, pgtable_translate(&w->pt, PT_VA +
						       i * PAGE_SIZE, &pa));
		KTEST_EXPECT_EQ(w->t, pa, PT_PA + i * PAGE_SIZE);
	}
	if (!err)
		KTEST_EXPECT_EQ(w->t, pgtable_unmap(&w->pt, PT_VA,
						    32 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(w->t, mm_free_total(), w->free0);
	return clean_result(w, err, injected) && mm_free_total() == w->free0;
}

/* Expect page-table growth to fail cleanly, leaving no table behind. */
static void pgtable_growth_each_failure(struct ktest *t)
{
	unsigned int levels;
	struct walk w;
	long points;

	for (levels = 3; levels <= 4; levels++) {
		KTEST_ASSERT_TRUE(t, walk_boot(&w, t, false));
		KTEST_ASSERT_EQ(t, pgtable_init(&w.pt, levels), 0);
		drain_local_pages(NULL);
		w.free0 = mm_free_total();
		points = fault_inject_walk(&fail_page_alloc, pgtable_grow_op,
					   pgtable_grow_check, &w, WALK_MAX);
		report_points(levels == 3 ? "page tables (Sv39)" :
			      "page tables (Sv48)", points);
		KTEST_EXPECT_EQ(t, points, levels);
		pgtable_destroy(&w.pt);
		KTEST_EXPECT_TRUE(t, mm_recovered(w.before));
	}
}

static const struct ktest_case failinject_cases[] = {
	KTEST_CASE(fault_attr_fields),
	KTEST_CASE(page_alloc_fast_path_fails),
	KTEST_CASE(pcp_refill_each_failure),
	KTEST_CASE(slab_growth_each_failure),
	KTEST_CASE(kmem_cache_create_each_failure),
	KTEST_CASE(pgtable_growth_each_failure),
	{}
};

KTEST_SUITE(failinject_suite) = {
	.name = "failinject",
	.cases = failinject_cases,
};
