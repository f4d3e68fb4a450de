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
 * (<rvmem/internal/mmzone.h>) and orders its fallbacks by
 * node_distance(). How the kernel learns the nodes:
 * <rvmem/internal/numa.h>.
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

/**
 * node_online() - does node @nid exist?
 * @nid: a node id, any int
 *
 * Return: true if @nid is a node with RAM.
 */
static inline bool node_online(int nid)
{
	return (unsigned int)nid < MAX_NUMNODES && (node_online_map >> nid & 1);
}

/**
 * num_online_nodes() - how many nodes there are
 *
 * Return: the nodes with RAM (1 without NUMA).
 */
static inline unsigned int num_online_nodes(void)
{
	return __builtin_popcountl(node_online_map);
}

#define for_each_online_node(nid)					\
	for ((nid) = 0; (nid) < MAX_NUMNODES; (nid)++)			\
		if (!node_online(nid)) {} else

/**
 * cpu_to_node() - the node a hart is on
 * @cpu: its logical id
 *
 * Return: the node id.
 */
static inline int cpu_to_node(unsigned int cpu)
{
	return cpu_to_node_map[cpu];
}

/**
 * numa_node_id() - the node of the calling hart
 *
 * Return: the node id.
 */
static inline int numa_node_id(void)
{
	return cpu_to_node(smp_processor_id());
}

/**
 * node_distance() - how far node @b's memory is from node @a's harts
 * @a: a node with RAM
 * @b: a node with RAM
 *
 * Return: LOCAL_DISTANCE (10) for a == b, more for another node, as the
 * device tree's distance-map says (REMOTE_DISTANCE, 20, if it is silent).
 */
static inline int node_distance(int a, int b)
{
	return numa_distance[a][b];
}

#endif /* RVMEM_NUMA_H */
