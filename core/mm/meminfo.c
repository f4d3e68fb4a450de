// SPDX-License-Identifier: MIT
/*
 * meminfo: where the memory went, as /proc/meminfo says it, and the
 * mm.report boot parameter that prints it (with buddyinfo and the C
 * heap's counts) at exit.
 * Guest only: the report at exit includes the C heap's malloc_stats().
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <rvmem/anon.h>
#include <rvmem/mm.h>
#include <rvmem/internal/mmzone.h>
#include <rvmem/numa.h>
#include <rvmem/param.h>
#include <rvmem/internal/pgtable.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/vmalloc.h>
#include <rvmem/vmstat.h>
#include "internal.h"

unsigned long nr_page_tables(void)
{
	return READ_ONCE(nr_pagetable_pages);
}

/* Per node, as /sys/devices/system/node/nodeN/meminfo: only with NUMA. */
static void show_node_meminfo(void)
{
	struct sysinfo si;
	int nid;

	if (num_online_nodes() < 2)
		return;
	for_each_online_node(nid) {
		si_meminfo_node(&si, nid);
		printk("Node %d MemTotal:       %8lu kB\n", nid,
		       K(si.totalram));
		printk("Node %d MemFree:        %8lu kB\n", nid, K(si.freeram));
		printk("Node %d MemUsed:        %8lu kB\n", nid,
		       K(si.totalram - si.freeram));
	}
}

void show_meminfo(void)
{
	struct sysinfo si;
	unsigned long pcp = 0;
	struct zone *zone;

	si_meminfo(&si);
	for_each_zone(zone)
		pcp += zone_pcp_count(zone);
	printk("MemTotal:       %8lu kB\n", K(si.totalram));
	printk("MemFree:        %8lu kB\n", K(si.freeram));
	printk("PerHartLists:   %8lu kB\n", K(pcp));
	printk("Slab:           %8lu kB\n", K(slab_nr_pages()));
	printk("CHeap:          %8lu kB\n", K(c_heap_nr_pages()));
	printk("AnonPages:      %8lu kB\n", K(nr_anon_pages()));
	printk("PageTables:     %8lu kB\n", K(nr_page_tables()));
	printk("VmallocUsed:    %8lu kB\n", K(READ_ONCE(nr_vmalloc_pages)));
	printk("CommitLimit:    %8lu kB\n", K(vm_commit_limit()));
	printk("Committed_AS:   %8lu kB\n", K(READ_ONCE(vm_committed_pages)));
	printk("Memmap:         %8lu kB\n", mem_map_bytes >> 10);
	show_node_meminfo();
}

static void mm_report(void)
{
	printk("mm report at exit:\n");
	show_meminfo();
	show_free_areas();
	show_vmstat();
	show_slabinfo();
	show_vmallocinfo();
	malloc_stats();
}

static int set_mm_report(const char *val)
{
	if (!val || (strcmp(val, "1") && strcmp(val, "0")))
		return -EINVAL;
	return *val == '1' ? atexit(mm_report) : 0;
}
KERNEL_PARAM(param_mm_report, "mm.report", set_mm_report,
	     "mm.report=1: print meminfo, buddyinfo, vmstat, slabinfo, "
	     "vmallocinfo and malloc statistics when the app exits");
