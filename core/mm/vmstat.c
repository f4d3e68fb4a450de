// SPDX-License-Identifier: MIT
/*
 * vmstat: adding up the harts' event counters, and /proc/vmstat's lines.
 * What is counted where, and why pgfree and slab_free are derived rather
 * than counted: include/rvmem/vmstat.h.
 */
#include <rvmem/internal/mmzone.h>
#include <rvmem/printk.h>
#include <rvmem/vmstat.h>
#include "internal.h"

struct vm_event_state vm_event_states[NR_CPUS];

static const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGALLOC_DMA32] = "pgalloc_dma32",
	[PGALLOC_NORMAL] = "pgalloc_normal",
	[PGFREE] = "pgfree",
	[PGFAULT] = "pgfault",
	[PCP_REFILL] = "pcp_refill",
	[PCP_DRAIN] = "pcp_drain",
	[SLAB_ALLOC] = "slab_alloc",
	[SLAB_FREE] = "slab_free",
	[TLB_LOCAL_FLUSH] = "nr_tlb_local_flush",
	[TLB_REMOTE_FLUSH] = "nr_tlb_remote_flush",
	[VMALLOC_PURGE] = "vmalloc_purge",
	[OVERCOMMIT_REFUSED] = "overcommit_refused",
};

const char *vm_event_name(enum vm_event_item item)
{
	return vm_event_names[item];
}

/* Pages the per-hart fast path handed out from zones of @type, all harts. */
static unsigned long zone_pcp_allocs(enum zone_type type)
{
	unsigned long sum = 0;
	unsigned int cpu, o, z;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct per_cpu_pages *pcp = READ_ONCE(harts[cpu].pcp);

		for (z = type; pcp && z < NR_ZONEIDS; z += MAX_NR_ZONES)
			for (o = 0; o < NR_PCP_ORDERS; o++)
				sum += READ_ONCE(pcp->lists[z][o].allocs) << o;
	}
	return sum;
}

/* Pages allocated now: managed, less free in the buddy and the lists. */
static unsigned long pages_in_use(void)
{
	unsigned long used = 0;
	struct zone *zone;

	for_each_zone(zone)
		used += READ_ONCE(zone->managed_pages) -
			READ_ONCE(zone->free_pages) - zone_pcp_count(zone);
	return used;
}

void all_vm_events(unsigned long ret[NR_VM_EVENT_ITEMS])
{
	unsigned long slab_frees, slab_active;
	unsigned int cpu, i;

	for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
		ret[i] = 0;
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
			ret[i] += READ_ONCE(vm_event_states[cpu].event[i]);
	ret[PGALLOC_DMA32] += zone_pcp_allocs(ZONE_DMA32);
	ret[PGALLOC_NORMAL] += zone_pcp_allocs(ZONE_NORMAL);
	ret[PGFREE] = ret[PGALLOC_DMA32] + ret[PGALLOC_NORMAL] -
		      pages_in_use();
	slab_vm_events(&slab_frees, &slab_active);
	ret[SLAB_FREE] += slab_frees;
	ret[SLAB_ALLOC] = ret[SLAB_FREE] + slab_active;
}

unsigned long vm_events_sum(enum vm_event_item item)
{
	unsigned long events[NR_VM_EVENT_ITEMS];

	all_vm_events(events);
	return events[item];
}

void show_vmstat(void)
{
	unsigned long events[NR_VM_EVENT_ITEMS];
	unsigned int i;

	all_vm_events(events);
	printk("vmstat:\n");
	for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
		printk("%s %lu\n", vm_event_names[i], events[i]);
}
