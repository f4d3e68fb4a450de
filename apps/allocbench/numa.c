// SPDX-License-Identifier: MIT
/*
 * The NUMA mode: where allocations land. Every hart at once churns a
 * random live set of kmalloc objects (16 to 2048 bytes) and page blocks
 * (orders 0 to 3) with no node named, and counts by physical address how
 * many landed on its home node, the node the device tree puts it on.
 * Then the boot hart asks alloc_pages_node() and kmalloc_node() for
 * each node in turn and counts how many landed there.
 *
 *	allocbench --numa
 *
 * One JSON line per hart and per node, then a table. The home node is
 * the tree's, not the kernel's: booted with numa=off (one node, as rvmem
 * was before it read numa-node-id) the same run shows where a NUMA-blind
 * allocator puts a hart's memory. Exits 1 if an allocation failed.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/processor.h>
#include <rvmem/boot.h>
#include <rvmem/gfp.h>
#include <rvmem/kfence.h>
#include <rvmem/mm.h>
#include <rvmem/numa.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>
#include "bench.h"

#define LIVE		1024	/* live allocations a hart keeps */
#define CHURN_OPS	100000	/* allocations or frees per hart */
#define NODE_OPS	256	/* alloc_pages_node()/kmalloc_node() per node */

/* struct placement - one hart's allocations and how many were at home */
struct placement {
	unsigned long pages, pages_home;
	unsigned long objs, objs_home;
	int failed;
};

static struct placement placement[NR_CPUS];
static unsigned int arrived;

/* The device tree's node of physical address @pa, or -1 (not RAM). */
static int tree_node(phys_addr_t pa)
{
	unsigned int i;

	for (i = 0; i < boot_info.nr_mem; i++)
		if (pa - boot_info.mem[i].base < boot_info.mem[i].size)
			return boot_info.mem[i].nid;
	return -1;
}

static u64 next_rand(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A live slot: an object of @size bytes or a block of @order, or empty. */
struct slot {
	void *p;
	unsigned int size;	/* 0: pages of @order */
	unsigned int order;
};

static void slot_free(struct slot *s)
{
	if (s->size)
		kfree(s->p);
	else
		free_pages((unsigned long)s->p, s->order);
	s->p = NULL;
}

/* Allocate into @s, at random an object or a block; count where it is. */
static void slot_alloc(struct slot *s, u64 r, int home, struct placement *pl)
{
	if (r & 1) {
		s->size = 16U << (r >> 1) % 8;
		s->p = kmalloc(s->size, GFP_KERNEL);
		pl->objs += !!s->p;
		/* a sampled KFENCE object lies in its pool, on no node */
		pl->objs_home += s->p && (is_kfence_address(s->p) ||
					  tree_node(__pa(s->p)) == home);
	} else {
		s->size = 0;
		s->order = (r >> 1) % 4;
		s->p = (void *)__get_free_pages(GFP_KERNEL, s->order);
		pl->pages += !!s->p;
		pl->pages_home += s->p && tree_node(__pa(s->p)) == home;
	}
	pl->failed |= !s->p;
}

/* A thread: this hart's churn, started with the others. */
static void *churn(void *arg)
{
	unsigned int cpu = smp_processor_id(), i;
	int home = boot_hart_node(&boot_info, harts[cpu].hartid);
	struct placement *pl = &placement[cpu];
	struct slot *slots = calloc(LIVE, sizeof(*slots));
	u64 x = 0x9e3779b97f4a7c15ULL * (cpu + 1);

	(void)arg;
	pl->failed |= !slots;
	__atomic_add_fetch(&arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < nr_cpus_online)
		cpu_relax();
	for (i = 0; slots && i < CHURN_OPS; i++) {
		u64 r = next_rand(&x);
		struct slot *s = &slots[r % LIVE];

		if (s->p)
			slot_free(s);
		else
			slot_alloc(s, r >> 10, home, pl);
	}
	for (i = 0; slots && i < LIVE; i++)
		if (slots[i].p)
			slot_free(&slots[i]);
	free(slots);
	return NULL;
}

static void churn_everywhere(void)
{
	pthread_t threads[NR_CPUS];
	unsigned int i, n;

	for (n = 0; n < nr_cpus_online - 1; n++)
		if (pthread_create(&threads[n], NULL, churn, NULL))
			break;
	arrived += nr_cpus_online - 1 - n;	/* release those started */
	churn(NULL);
	for (i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
}

static unsigned int percent(unsigned long part, unsigned long whole)
{
	return whole ? part * 100 / whole : 0;
}

/* alloc_pages_node() and kmalloc_node() for @nid: JSON line, table row. */
static int place_on_node(int nid)
{
	struct page *pages[NODE_OPS];
	void *objs[NODE_OPS];
	unsigned int i, on_pages = 0, on_objs = 0;
	int failed = 0;

	for (i = 0; i < NODE_OPS; i++) {
		pages[i] = alloc_pages_node(nid, GFP_KERNEL, i % 4);
		objs[i] = kmalloc_node(64, GFP_KERNEL, nid);
		failed |= !pages[i] || !objs[i];
		on_pages += pages[i] && tree_node(page_to_phys(pages[i])) == nid;
		on_objs += objs[i] && tree_node(__pa(objs[i])) == nid;
	}
	for (i = 0; i < NODE_OPS; i++) {
		if (pages[i])
			__free_pages(pages[i], i % 4);
		kfree(objs[i]);
	}
	printf("{\"workload\": \"numa_alloc_node\", \"node\": %d, "
	       "\"alloc_pages_node\": %u, \"on_node\": %u, "
	       "\"kmalloc_node\": %u, \"kmalloc_on_node\": %u}\n", nid,
	       NODE_OPS, on_pages, NODE_OPS, on_objs);
	return failed;
}

int run_numa(void)
{
	unsigned int cpu;
	int nid, failed = 0;

	churn_everywhere();
	printf("numa placement: %u nodes online, %u harts; home = the "
	       "tree's node\n", num_online_nodes(), nr_cpus_online);
	for (cpu = 0; cpu < nr_cpus_online; cpu++) {
		struct placement *pl = &placement[cpu];

		printf("{\"workload\": \"numa_local\", \"hart\": %u, "
		       "\"home\": %u, \"pages\": %lu, \"pages_home\": %lu, "
		       "\"objects\": %lu, \"objects_home\": %lu}\n",
		       harts[cpu].hartid,
		       boot_hart_node(&boot_info, harts[cpu].hartid),
		       pl->pages, pl->pages_home, pl->objs, pl->objs_home);
		failed |= pl->failed;
	}
	for_each_online_node(nid)
		failed |= place_on_node(nid);
	printf("hart home  pages home%%  objects home%%\n");
	for (cpu = 0; cpu < nr_cpus_online; cpu++) {
		struct placement *pl = &placement[cpu];

		printf("%4u %4u  %5lu %4u%%  %7lu %4u%%\n", harts[cpu].hartid,
		       boot_hart_node(&boot_info, harts[cpu].hartid),
		       pl->pages, percent(pl->pages_home, pl->pages),
		       pl->objs, percent(pl->objs_home, pl->objs));
	}
	return failed;
}
