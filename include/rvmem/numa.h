/* SPDX-License-Identifier: MIT */
/*
 * NUMA topology: which nodes exist, where their RAM lies, how far apart
 * they are and which node each hart sits on (Linux's <linux/topology.h>
 * and <linux/nodemask.h>, for rvmem's few nodes).
 *
 * A node is the RAM and harts that the device tree gives one
 * numa-node-id (QEMU's -numa node,...); a tree without any is one node,
 * 0, holding everything. A node is online when it has RAM; every hart is
 * on an online node. The page allocator gives each node its own zones
 * (include/rvmem/mmzone.h) and orders its fallbacks by node_distance().
 */
#ifndef RVMEM_NUMA_H
#define RVMEM_NUMA_H

#include <rvmem/boot.h>
#include <rvmem/smp.h>
#include <rvmem/types.h>

#define NUMA_NO_NODE	(-1)	/* "any node": the caller's, then nearest */

extern unsigned long node_online_map;	/* bit n: node n has RAM */
extern u8 cpu_to_node_map[NR_CPUS];
extern u8 numa_distance[MAX_NUMNODES][MAX_NUMNODES];

static inline bool node_online(int nid)
{
	return (unsigned int)nid < MAX_NUMNODES && (node_online_map >> nid & 1);
}

static inline unsigned int num_online_nodes(void)
{
	return __builtin_popcountl(node_online_map);
}

#define for_each_online_node(nid)					\
	for ((nid) = 0; (nid) < MAX_NUMNODES; (nid)++)			\
		if (!node_online(nid)) {} else

/** cpu_to_node() - the node hart @cpu (logical id) is on */
static inline int cpu_to_node(unsigned int cpu)
{
	return cpu_to_node_map[cpu];
}

/** numa_node_id() - the node of the calling hart */
static inline int numa_node_id(void)
{
	return cpu_to_node(smp_processor_id());
}

/**
 * node_distance() - how far node @b's memory is from node @a's harts
 *
 * Return: LOCAL_DISTANCE (10) for a == b, more for another node, as the
 * device tree's distance-map says (REMOTE_DISTANCE, 20, if it is silent).
 */
static inline int node_distance(int a, int b)
{
	return numa_distance[a][b];
}

/**
 * numa_add_memblk() - RAM [@start, @end) belongs to node @nid
 *
 * Return: 0, or -EINVAL for a node id out of range or too many ranges.
 * Context: boot, before free_area_init(); without any call everything
 * is node 0.
 */
int numa_add_memblk(int nid, u64 start, u64 end);

/** numa_set_distance() - set node_distance(@from, @to); boot only */
void numa_set_distance(int from, int to, int distance);

/**
 * set_cpu_numa_node() - hart @cpu runs on node @nid
 *
 * Also points the hart's page lists at @nid's zones, so its plain
 * allocations come from its own node. Context: boot, or while @cpu is
 * stopped.
 */
void set_cpu_numa_node(unsigned int cpu, int nid);

/**
 * numa_add_cpu() - hart @cpu, firmware id @hartid, joins the node
 * boot_info gives it (node 0 without NUMA, or with numa=off)
 *
 * Context: as set_cpu_numa_node(); boot_info filled.
 */
void numa_add_cpu(unsigned int cpu, u32 hartid);

/**
 * numa_init() - take the nodes, distances and the boot hart's node from
 * the board description
 * @bi: the board description (all node 0 unless @bi->numa)
 *
 * Context: boot hart, in mm_init(), before free_area_init().
 */
void numa_init(const struct boot_info *bi);

/** numa_reset() - forget every node: one node 0 (host tests, between boots) */
void numa_reset(void);

/**
 * numa_node_span() - the pfns node @nid spans: from its lowest RAM (the
 * first node: from @start) to the next node's lowest RAM (the last: @end)
 * @nid: an online node
 * @start: first pfn of RAM
 * @end: one past the last pfn of RAM
 * @span_start: set to the node's first pfn
 * @span_end: set to one past its last
 *
 * Node spans tile [@start, @end): holes between nodes go to the node
 * below them. Without any numa_add_memblk(), node 0 spans it all.
 */
void numa_node_span(int nid, unsigned long start, unsigned long end,
		    unsigned long *span_start, unsigned long *span_end);

/**
 * numa_check_layout() - can the page allocator take these nodes?
 *
 * Each node's RAM must lie in one span that holds no other node's RAM,
 * starting on a MAX_ORDER_NR_PAGES boundary (4 MiB), so that no buddy
 * block or its buddy straddles two nodes.
 * Return: 0, or -EINVAL after one line naming the problem.
 */
int numa_check_layout(void);

#endif /* RVMEM_NUMA_H */
