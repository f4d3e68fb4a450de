/* SPDX-License-Identifier: MIT */
/*
 * NUMA, the kernel's side: how the nodes are learnt from boot_info (or
 * set by a host test) and handed to the page allocator. See
 * core/mm/numa.c; the API apps use is <rvmem/numa.h>.
 */
#ifndef RVMEM_INTERNAL_NUMA_H
#define RVMEM_INTERNAL_NUMA_H

#include <rvmem/numa.h>

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
 * nr_harts_on_node() - how many of the board's harts node @nid has
 * @nid: the node
 *
 * From boot_info, so the count is whole before the other harts start.
 * Return: the harts (all on node 0 without NUMA). Context: after
 * numa_init().
 */
unsigned int nr_harts_on_node(int nid);

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

#endif /* RVMEM_INTERNAL_NUMA_H */
