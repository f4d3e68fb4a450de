/* SPDX-License-Identifier: MIT */
/*
 * vmstat: event counters as /proc/vmstat shows them.
 *
 * Each hart counts in its own slots with plain increments (no atomics,
 * no shared cache lines); readers add the harts up, a racy snapshot as
 * in Linux. The two events of the allocation fast paths are counted
 * where those paths already hold the address: page allocations in the
 * hart's pcp_list, slab frees in its kmem_cache_cpu. Their inverses are
 * not counted at all but derived, since a second increment per
 * alloc/free pair would cost the fast paths over 5% more:
 *   pgfree = pgalloc - pages allocated now (managed - free - pcp)
 *   slab_alloc = slab_free + objects in use now (slabinfo active_objs)
 * Both hold exactly because counting starts before the first allocation.
 */
#ifndef RVMEM_VMSTAT_H
#define RVMEM_VMSTAT_H

#include <rvmem/smp.h>
#include <rvmem/types.h>

/**
 * enum vm_event_item - what vmstat counts (names as in /proc/vmstat)
 * @PGALLOC_DMA32: pages allocated from ZONE_DMA32, by the slow path
 *                 (vm_events_sum() adds the fast path's)
 * @PGALLOC_NORMAL: the same for ZONE_NORMAL
 * @PGFREE: pages freed (derived; never counted)
 * @PGFAULT: demand-zero faults served
 * @PCP_REFILL: per-hart page lists refilled from the buddy allocator
 * @PCP_DRAIN: batches given back from per-hart lists to the buddy
 * @SLAB_ALLOC: slab objects allocated (derived; never counted)
 * @SLAB_FREE: slab objects freed (kfree, kmem_cache_free): destroyed
 *             caches' counts; the live caches' are added on read
 * @TLB_LOCAL_FLUSH: flushes on the calling hart (by range or all)
 * @TLB_REMOTE_FLUSH: flush requests sent to other harts (SBI RFENCE)
 * @VMALLOC_PURGE: lazy vmalloc purges
 * @OVERCOMMIT_REFUSED: mappings or heap growth refused by the
 *                      overcommit policy
 * @NR_VM_EVENT_ITEMS: the number of counters
 */
enum vm_event_item {
	PGALLOC_DMA32,
	PGALLOC_NORMAL,
	PGFREE,
	PGFAULT,
	PCP_REFILL,
	PCP_DRAIN,
	SLAB_ALLOC,
	SLAB_FREE,
	TLB_LOCAL_FLUSH,
	TLB_REMOTE_FLUSH,
	VMALLOC_PURGE,
	OVERCOMMIT_REFUSED,
	NR_VM_EVENT_ITEMS
};

/** struct vm_event_state - one hart's counters */
struct vm_event_state {
	unsigned long event[NR_VM_EVENT_ITEMS];
} ____cacheline_aligned;

/** vm_event_states - the counters, one set per hart (by cpu number) */
extern struct vm_event_state vm_event_states[NR_CPUS];

/**
 * count_vm_events() - add @delta to @item on this hart
 * @item: the counter
 * @delta: how much
 *
 * Context: any, with this hart's counters written by this hart only; a
 * plain read-modify-write, so an interrupt handler must not count on a
 * hart it interrupted in the middle of counting (none does).
 */
static inline void count_vm_events(enum vm_event_item item,
				   unsigned long delta)
{
	vm_event_states[smp_processor_id()].event[item] += delta;
}

/** count_vm_event() - add one to @item on this hart */
static inline void count_vm_event(enum vm_event_item item)
{
	count_vm_events(item, 1);
}

/**
 * all_vm_events() - every counter, summed over the harts
 * @ret: NR_VM_EVENT_ITEMS values, indexed by enum vm_event_item
 *
 * Context: any but interrupt handlers (reads the slab caches under
 * their locks).
 */
void all_vm_events(unsigned long ret[NR_VM_EVENT_ITEMS]);

/**
 * vm_events_sum() - one counter, summed over the harts
 * @item: what
 *
 * Return: the count since boot. Context: as all_vm_events().
 */
unsigned long vm_events_sum(enum vm_event_item item);

/** vm_event_name() - @item's /proc/vmstat name ("pgalloc_dma32", ...) */
const char *vm_event_name(enum vm_event_item item);

/** show_vmstat() - print every counter as /proc/vmstat does, "name N" */
void show_vmstat(void);

#endif /* RVMEM_VMSTAT_H */
