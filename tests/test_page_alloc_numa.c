// SPDX-License-Identifier: MIT
/*
 * Host tests of the page allocator's NUMA nodes (core/mm/numa.c and the
 * node parts of core/mm/page_alloc.c), booted by mm_fixture on simulated
 * RAM split into nodes: zonelists ordered by distance, fallback to the
 * nearest node when one is exhausted, a hart's plain allocations from
 * its own node, remote frees going home, layouts refused, and the slab
 * allocator's per-node slabs.
 *
 * Layout "three": 64 MiB per node from 0x80000000, the first 2 MiB
 * reserved; node 0 is 30 from node 1 and 20 from node 2, nodes 1 and 2
 * are 20 apart. So node 0 falls back to 2 then 1, node 1 to 2 then 0,
 * node 2 to 0 then 1 (a tie, broken by node id).
 */
#include <rvmem/gfp.h>
#include <rvmem/ktest.h>
#include <rvmem/list.h>
#include <rvmem/internal/numa.h>
#include <rvmem/slab.h>

#include "../core/mm/internal.h"
#include "mm_fixture.h"

#define NOWARN		__GFP_NOWARN
#define NODE_SIZE	MiB(64)

static unsigned long boot_three(void)
{
	static const struct boot_range ram[] = {
		{ .base = MM_VIRT_BASE, .size = NODE_SIZE, .nid = 0 },
		{ .base = MM_VIRT_BASE + NODE_SIZE, .size = NODE_SIZE,
		  .nid = 1 },
		{ .base = MM_VIRT_BASE + 2 * NODE_SIZE, .size = NODE_SIZE,
		  .nid = 2 },
	};
	static const struct boot_range resv = {
		.base = MM_VIRT_BASE, .size = MiB(2),
	};
	unsigned long released = mm_fixture_boot(ram, ARRAY_SIZE(ram),
						 &resv, 1);

	numa_set_distance(0, 1, 30);
	numa_set_distance(1, 0, 30);
	numa_set_distance(0, 2, 20);
	numa_set_distance(2, 0, 20);
	numa_set_distance(1, 2, 20);
	numa_set_distance(2, 1, 20);
	setup_per_zone_wmarks();	/* zonelists again, by these distances */
	return released;
}

/* The node whose 64 MiB of the "three" layout hold @page. */
static int layout_node(const struct page *page)
{
	return (page_to_phys(page) - MM_VIRT_BASE) / NODE_SIZE;
}

/* The nodes of @nid's zonelist @list, in order, as digits ("021"). */
static void zonelist_nodes(int nid, int list, char *out)
{
	struct zone **z = NODE_DATA(nid)->node_zonelists[list];

	for (; *z; z++)
		*out++ = '0' + zone_to_nid(*z);
	*out = '\0';
}

/*
 * Expect three online nodes, each node's zones spanning its 64 MiB,
 * every zonelist nearest node first (only the node itself without
 * fallback), and struct pages naming their nodes.
 */
static void numa_zonelists_by_distance(struct ktest *t)
{
	static const char *const want[] = { "021", "120", "201" };
	char got[NR_ZONEIDS + 1];
	int nid;

	KTEST_ASSERT_TRUE(t, boot_three() > 0);
	KTEST_EXPECT_EQ(t, node_online_map, 7);
	for (nid = 0; nid < 3; nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);

		KTEST_EXPECT_EQ(t, pgdat->node_start_pfn,
				(MM_VIRT_BASE + nid * NODE_SIZE) >> PAGE_SHIFT);
		KTEST_EXPECT_EQ(t, pgdat->node_spanned_pages,
				NODE_SIZE >> PAGE_SHIFT);
		zonelist_nodes(nid, ZONELIST_FALLBACK, got);
		KTEST_EXPECT_STREQ(t, got, want[nid]);
		zonelist_nodes(nid, ZONELIST_FALLBACK_DMA32, got);
		KTEST_EXPECT_STREQ(t, got, want[nid]);
		zonelist_nodes(nid, ZONELIST_NOFALLBACK, got);
		KTEST_EXPECT_EQ(t, got[0], '0' + nid);
		KTEST_EXPECT_EQ(t, got[1], '\0');
		KTEST_EXPECT_EQ(t, page_to_nid(pfn_to_page(
				pgdat->node_start_pfn +
				pgdat->node_spanned_pages - 1)), nid);
	}
}

/*
 * alloc_pages_node(0): from node 0 while it has pages; once
 * __GFP_THISNODE has emptied it, expect __GFP_THISNODE to fail and a
 * plain request to come from node 2, the nearest; with node 2 emptied
 * too, from node 1. Expect every page back in the buddy lists after.
 */
static void numa_fallback_when_node_exhausted(struct ktest *t)
{
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	struct list_head held = LIST_HEAD_INIT(held);
	struct page *page;

	KTEST_ASSERT_TRUE(t, boot_three() > 0);
	buddyinfo_snapshot(before);
	page = alloc_pages_node(0, GFP_KERNEL, 3);
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_EQ(t, layout_node(page), 0);
	__free_pages(page, 3);

	KTEST_EXPECT_TRUE(t, take_node_pages(0, &held) >
			  (NODE_SIZE - MiB(4)) >> PAGE_SHIFT);
	KTEST_EXPECT_TRUE(t, !alloc_pages_node(0, GFP_KERNEL |
					       __GFP_THISNODE | NOWARN, 0));
	page = alloc_pages_node(0, GFP_KERNEL | NOWARN, 0);
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_EQ(t, layout_node(page), 2);
	KTEST_EXPECT_EQ(t, page_to_nid(page), 2);
	__free_pages(page, 0);

	take_node_pages(2, &held);
	page = alloc_pages_node(0, GFP_KERNEL | NOWARN, 4);
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_EQ(t, layout_node(page), 1);
	__free_pages(page, 4);
	free_page_list(&held);
	KTEST_EXPECT_TRUE(t, mm_recovered(before));
}

/*
 * A hart on node 1 allocating with no node named: expect node 1's pages,
 * from its per-hart list and from the buddy. Back on node 0, free them:
 * expect them on this hart's list of node 1's zone, and in node 1's
 * buddy lists once drained.
 */
static void numa_plain_alloc_follows_hart_node(struct ktest *t)
{
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	struct zone *node1 = &NODE_DATA(1)->node_zones[ZONE_DMA32];
	struct page *small, *big;

	KTEST_ASSERT_TRUE(t, boot_three() > 0);
	buddyinfo_snapshot(before);
	set_cpu_numa_node(0, 1);
	KTEST_EXPECT_EQ(t, numa_node_id(), 1);
	small = alloc_pages(GFP_KERNEL, 0);
	big = alloc_pages(GFP_KERNEL, 6);
	set_cpu_numa_node(0, 0);
	KTEST_ASSERT_TRUE(t, small && big);
	KTEST_EXPECT_EQ(t, layout_node(small), 1);
	KTEST_EXPECT_EQ(t, layout_node(big), 1);
	drain_local_pages(NULL);
	__free_pages(small, 0);
	KTEST_EXPECT_EQ(t, pcp_count(node1, 0, 0), 1);
	__free_pages(big, 6);
	small = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_TRUE(t, small != NULL);
	KTEST_EXPECT_EQ(t, layout_node(small), 0);
	__free_pages(small, 0);
	KTEST_EXPECT_TRUE(t, mm_recovered(before));
}

/*
 * Expect free_area_init() to refuse a node whose RAM holds another
 * node's, and a node starting off a 4 MiB boundary (the fixture's boot
 * then fails), and a boot without nids to be one node.
 */
static void numa_layout_rejected(struct ktest *t)
{
	static const struct boot_range interleaved[] = {
		{ .base = MM_VIRT_BASE, .size = MiB(32), .nid = 0 },
		{ .base = MM_VIRT_BASE + MiB(32), .size = MiB(32), .nid = 1 },
		{ .base = MM_VIRT_BASE + MiB(64), .size = MiB(32), .nid = 0 },
	};
	static const struct boot_range misaligned[] = {
		{ .base = MM_VIRT_BASE, .size = MiB(34), .nid = 0 },
		{ .base = MM_VIRT_BASE + MiB(34), .size = MiB(30), .nid = 1 },
	};
	static const struct boot_range resv = {
		.base = MM_VIRT_BASE, .size = MiB(2),
	};

	KTEST_EXPECT_EQ(t, mm_fixture_boot(interleaved,
					   ARRAY_SIZE(interleaved), &resv, 1),
			0);
	KTEST_EXPECT_EQ(t, mm_fixture_boot(misaligned,
					   ARRAY_SIZE(misaligned), &resv, 1),
			0);
	KTEST_ASSERT_TRUE(t, mm_fixture_boot_small(MiB(32)) > 0);
	KTEST_EXPECT_EQ(t, node_online_map, 1);
	KTEST_EXPECT_EQ(t, num_online_nodes(), 1);
}

/* The node whose 64 MiB of the "three" layout hold @x. */
static int object_node(const void *x)
{
	return (__pa(x) - MM_VIRT_BASE) / NODE_SIZE;
}

/*
 * Slab on three nodes: a hart on node 1 gets node-1 kmalloc objects;
 * kmalloc_node() (small and large) and kmem_cache_alloc_node() land on
 * the node named, each on its node's slab lists. An object of node 2
 * freed by a hart on node 0 goes home when the cache shrinks: expect
 * every slab gone after. With node 1 emptied by __GFP_THISNODE, expect
 * kmalloc_node(1, __GFP_THISNODE) to fail and plain kmalloc_node(1) to
 * come from node 2, the nearest; and every page back at the end.
 */
static void numa_slab_per_node(struct ktest *t)
{
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	struct list_head held = LIST_HEAD_INIT(held);
	struct list_head *pos;
	struct kmem_cache *s;
	struct slabinfo info;
	void *local, *small, *large, *obj, *far;

	KTEST_ASSERT_TRUE(t, boot_three() > 0);
	buddyinfo_snapshot(before);
	kmem_cache_init();
	s = kmem_cache_create("numa", 96, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	set_cpu_numa_node(0, 1);
	local = kmem_cache_alloc(s, GFP_KERNEL);
	set_cpu_numa_node(0, 0);
	small = kmalloc_node(64, GFP_KERNEL, 2);
	large = kmalloc_node(MiB(1), GFP_KERNEL, 1);
	obj = kmem_cache_alloc_node(s, GFP_KERNEL, 2);
	KTEST_ASSERT_TRUE(t, local && small && large && obj);
	KTEST_EXPECT_EQ(t, object_node(local), 1);
	KTEST_EXPECT_EQ(t, object_node(small), 2);
	KTEST_EXPECT_EQ(t, object_node(large), 1);
	KTEST_EXPECT_EQ(t, object_node(obj), 2);
	KTEST_EXPECT_EQ(t, get_node(s, 2)->nr_partial, 1);
	KTEST_EXPECT_EQ(t, get_node(s, 0)->nr_partial, 0);
	kmem_cache_free(s, obj);	/* node 2's, onto node 0's hart */
	kmem_cache_free(s, local);
	kfree(small);
	kfree(large);
	kmem_cache_shrink(s);
	get_slabinfo(s, &info);
	KTEST_EXPECT_EQ(t, info.num_slabs, 0);

	take_node_pages(1, &held);
	KTEST_EXPECT_TRUE(t, !kmem_cache_alloc_node(s, GFP_KERNEL |
						    __GFP_THISNODE | NOWARN,
						    1));
	far = kmem_cache_alloc_node(s, GFP_KERNEL | NOWARN, 1);
	KTEST_ASSERT_TRUE(t, far != NULL);
	KTEST_EXPECT_EQ(t, object_node(far), 2);
	kmem_cache_free(s, far);
	free_page_list(&held);
	kmem_cache_destroy(s);
	slab_drain_cpu(0);	/* nothing of this arena left to later boots */
	list_for_each(pos, &slab_caches)
		kmem_cache_shrink(list_entry(pos, struct kmem_cache, list));
	KTEST_EXPECT_EQ(t, slab_nr_pages(), 0);
	KTEST_EXPECT_TRUE(t, mm_recovered(before));
}

static const struct ktest_case page_alloc_numa_cases[] = {
	KTEST_CASE(numa_zonelists_by_distance),
	KTEST_CASE(numa_fallback_when_node_exhausted),
	KTEST_CASE(numa_plain_alloc_follows_hart_node),
	KTEST_CASE(numa_layout_rejected),
	KTEST_CASE(numa_slab_per_node),
	{}
};

KTEST_SUITE(page_alloc_numa_suite) = {
	.name = "page_alloc_numa",
	.cases = page_alloc_numa_cases,
};
