// SPDX-License-Identifier: MIT
/*
 * NUMA: the nodes the device tree gives (QEMU -numa, ci/qemu.py --numa),
 * where allocations land, checked by physical address against the RAM
 * ranges each node's memory nodes list, and the fallback to the nearest
 * node when one runs out. On a boot without NUMA everything is node 0
 * and the cases check that.
 */
#include <string.h>
#include <rvmem/boot.h>
#include <rvmem/gfp.h>
#include <rvmem/kfence.h>
#include <rvmem/ktest.h>
#include <rvmem/mm.h>
#include <rvmem/internal/mmzone.h>
#include <rvmem/numa.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>

#define NOWARN		__GFP_NOWARN
#define PLACE_OPS	256	/* allocations per hart and kind */

/* The node whose RAM ranges in the device tree hold @phys, or -1. */
static int phys_node(phys_addr_t phys)
{
	unsigned int i;

	for (i = 0; i < boot_info.nr_mem; i++)
		if (phys - boot_info.mem[i].base < boot_info.mem[i].size)
			return boot_info.numa ? (int)boot_info.mem[i].nid : 0;
	return -1;
}

/* The node holding all of [@addr, @addr + @size), or -1. */
static int addr_node(const void *addr, size_t size)
{
	phys_addr_t pa = __pa(addr);
	int nid = phys_node(pa);

	return phys_node(pa + size - 1) == nid ? nid : -1;
}

/*
 * Expect the nodes, each hart's node and the distances to be what the
 * tree says, every page of RAM's struct page to name its node, and each
 * node's fallback zonelist to run through the nodes nearest first.
 */
static void numa_topology_matches_tree(struct ktest *t)
{
	unsigned long want_online = 1;
	unsigned int i, cpu;
	int nid, prev;

	if (boot_info.numa)
		for (want_online = 0, i = 0; i < boot_info.nr_mem; i++)
			want_online |= 1UL << boot_info.mem[i].nid;
	KTEST_EXPECT_EQ(t, node_online_map, want_online);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (harts[cpu].online)
			KTEST_EXPECT_EQ(t, cpu_to_node(cpu),
					(int)boot_hart_node(&boot_info,
							    harts[cpu].hartid));
	KTEST_EXPECT_EQ(t, numa_node_id(), cpu_to_node(smp_processor_id()));
	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_range *r = &boot_info.mem[i];
		int want = boot_info.numa ? (int)r->nid : 0;

		KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(__va(r->base))),
				want);
		KTEST_EXPECT_EQ(t, page_to_nid(virt_to_page(
				__va(r->base + r->size - 1))), want);
	}
	for_each_online_node(nid) {
		struct zone **z = NODE_DATA(nid)->node_zonelists[ZONELIST_FALLBACK];

		KTEST_EXPECT_EQ(t, node_distance(nid, nid), LOCAL_DISTANCE);
		KTEST_ASSERT_TRUE(t, *z != NULL);
		KTEST_EXPECT_EQ(t, zone_to_nid(*z), nid);
		for (prev = nid; *z; z++) {
			KTEST_EXPECT_TRUE(t, node_distance(nid, prev) <=
					  node_distance(nid, zone_to_nid(*z)));
			prev = zone_to_nid(*z);
		}
		z = NODE_DATA(nid)->node_zonelists[ZONELIST_NOFALLBACK];
		for (; *z; z++)
			KTEST_EXPECT_EQ(t, zone_to_nid(*z), nid);
	}
}

/*
 * alloc_pages_node(), kmalloc_node() (small and large) and
 * kmem_cache_alloc_node() for every node, from this hart: expect each
 * block at a physical address in that node's RAM. A node that does not
 * exist gets NULL.
 */
static void alloc_node_places_on_node(struct ktest *t)
{
	static const unsigned int orders[] = { 0, 3, 6 };
	struct kmem_cache *cache = kmem_cache_create("numa_test", 200, 0, 0,
						     NULL);
	unsigned int i;
	int nid;

	KTEST_ASSERT_TRUE(t, cache != NULL);
	for_each_online_node(nid) {
		void *small = kmalloc_node(64, GFP_KERNEL, nid);
		void *large = kmalloc_node(64 << 10, GFP_KERNEL, nid);
		void *obj = kmem_cache_alloc_node(cache, GFP_KERNEL, nid);

		for (i = 0; i < ARRAY_SIZE(orders); i++) {
			struct page *page = alloc_pages_node(nid, GFP_KERNEL,
							     orders[i]);

			KTEST_ASSERT_TRUE(t, page != NULL);
			KTEST_EXPECT_EQ(t, addr_node(page_address(page),
						     PAGE_SIZE << orders[i]),
					nid);
			KTEST_EXPECT_EQ(t, page_to_nid(page), nid);
			__free_pages(page, orders[i]);
		}
		KTEST_ASSERT_TRUE(t, small && large && obj);
		KTEST_EXPECT_EQ(t, addr_node(small, 64), nid);
		KTEST_EXPECT_EQ(t, addr_node(large, 64 << 10), nid);
		KTEST_EXPECT_EQ(t, addr_node(obj, 200), nid);
		kfree(small);
		kfree(large);
		kmem_cache_free(cache, obj);
	}
	KTEST_EXPECT_TRUE(t, !alloc_pages_node(MAX_NUMNODES, GFP_KERNEL |
					       NOWARN, 0));
	KTEST_EXPECT_TRUE(t, !kmalloc_node(64, GFP_KERNEL | NOWARN,
					   MAX_NUMNODES));
	kmem_cache_destroy(cache);
}

/* One hart's placement: allocations and how many were on its node. */
struct placement {
	unsigned int pages, pages_local;
	unsigned int objs, objs_local;
};

static struct placement placement[NR_CPUS];
static struct kmem_cache *place_cache;

/*
 * On each hart: PLACE_OPS pages (orders 0 and 2) and objects of a fresh
 * cache, held until all are counted, then freed.
 */
static void place_on_hart(void *arg)
{
	struct placement *p = &placement[smp_processor_id()];
	struct page **pages = arg;
	int nid = numa_node_id();
	void **objs;
	unsigned int i;

	pages += smp_processor_id() * PLACE_OPS;
	objs = (void **)(pages + NR_CPUS * PLACE_OPS);
	for (i = 0; i < PLACE_OPS; i++) {
		pages[i] = alloc_pages(GFP_ATOMIC | NOWARN, i % 2 * 2);
		objs[i] = kmem_cache_alloc(place_cache, GFP_ATOMIC | NOWARN);
		p->pages += !!pages[i];
		p->objs += !!objs[i];
		p->pages_local += pages[i] &&
			addr_node(page_address(pages[i]),
				  PAGE_SIZE << (i % 2 * 2)) == nid;
		/* a sampled KFENCE object lies in its pool, on no node */
		p->objs_local += objs[i] && (is_kfence_address(objs[i]) ||
					     addr_node(objs[i], 128) == nid);
	}
	for (i = 0; i < PLACE_OPS; i++) {
		if (pages[i])
			__free_pages(pages[i], i % 2 * 2);
		kmem_cache_free(place_cache, objs[i]);
	}
}

/*
 * Every hart allocates pages and objects with no node named: expect all
 * of them on the hart's own node (each node has plenty free), and print
 * the placement table.
 */
static void plain_alloc_is_local_on_each_hart(struct ktest *t)
{
	size_t bytes = 2 * NR_CPUS * PLACE_OPS * sizeof(void *);
	void *slots = alloc_pages_exact(bytes, GFP_KERNEL);
	unsigned int cpu;

	place_cache = kmem_cache_create("numa_place", 128, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, slots && place_cache);
	memset(placement, 0, sizeof(placement));
	on_each_hart(place_on_hart, slots);
	printk("        # hart node  pages local   objects local\n");
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct placement *p = &placement[cpu];

		if (!harts[cpu].online)
			continue;
		printk("        # %4u %4d  %5u %5u   %7u %5u\n",
		       harts[cpu].hartid, cpu_to_node(cpu), p->pages,
		       p->pages_local, p->objs, p->objs_local);
		KTEST_EXPECT_EQ(t, p->pages, PLACE_OPS);
		KTEST_EXPECT_EQ(t, p->objs, PLACE_OPS);
		KTEST_EXPECT_EQ(t, p->pages_local, p->pages);
		KTEST_EXPECT_EQ(t, p->objs_local, p->objs);
	}
	kmem_cache_destroy(place_cache);
	free_pages_exact(slots, bytes);
}

/* The node nearest @nid (ties: the lowest id), or -1 with one node. */
static int nearest_node(int nid)
{
	int n, best = -1;

	for_each_online_node(n)
		if (n != nid && (best < 0 || node_distance(nid, n) <
					     node_distance(nid, best)))
			best = n;
	return best;
}

/* What a hart on the exhausted node gets when it names no node. */
static void plain_alloc_fallback(void *arg)
{
	struct page **page = arg;

	*page = alloc_pages(GFP_ATOMIC | NOWARN, 0);
}

/*
 * For each node: take all it has with __GFP_THISNODE. Expect another
 * __GFP_THISNODE request to fail, one without it to come from the
 * nearest node, and a plain allocation on a hart of that node too;
 * then everything back.
 */
static void fallback_when_node_exhausted(struct ktest *t)
{
	struct list_head held = LIST_HEAD_INIT(held);
	unsigned int cpu;
	int nid;

	if (num_online_nodes() < 2) {
		ktest_skip(t, "one NUMA node");
		return;
	}
	kmem_cache_shrink_all();
	for_each_online_node(nid) {
		unsigned long taken;
		struct page *page, *plain = NULL;
		int near = nearest_node(nid);

		drain_all_pages();
		taken = take_node_pages(nid, &held);
		printk("        # node %d: took %lu MiB; nearest node %d\n",
		       nid, taken >> (20 - PAGE_SHIFT), near);
		KTEST_EXPECT_TRUE(t, taken > 0);
		KTEST_EXPECT_TRUE(t, !alloc_pages_node(nid, GFP_KERNEL |
						       __GFP_THISNODE | NOWARN,
						       0));
		page = alloc_pages_node(nid, GFP_KERNEL | NOWARN, 0);
		KTEST_EXPECT_TRUE(t, page && page_to_nid(page) == near &&
				  addr_node(page_address(page), PAGE_SIZE) ==
				  near);
		if (page)
			__free_pages(page, 0);
		for (cpu = 0; cpu < NR_CPUS; cpu++)
			if (harts[cpu].online && cpu_to_node(cpu) == nid)
				break;
		if (cpu < NR_CPUS) {
			smp_call_on(cpu, plain_alloc_fallback, &plain);
			KTEST_EXPECT_TRUE(t, plain && page_to_nid(plain) ==
					  near);
			if (plain)
				__free_pages(plain, 0);
		}
		free_page_list(&held);
	}
	drain_all_pages();
}

static const struct ktest_case numa_cases[] = {
	KTEST_CASE(numa_topology_matches_tree),
	KTEST_CASE(alloc_node_places_on_node),
	KTEST_CASE(plain_alloc_is_local_on_each_hart),
	KTEST_CASE(fallback_when_node_exhausted),
	{}
};

/* Every struct page set up, so each names its node (the tree check). */
static int numa_suite_init(void)
{
	deferred_init_all();
	return 0;
}

KTEST_SUITE(numa_suite) = {
	.name = "numa",
	.cases = numa_cases,
	.init = numa_suite_init,
};
