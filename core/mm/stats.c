// SPDX-License-Identifier: MIT
/*
 * Memory statistics in the shape of /proc: buddyinfo, zone state and
 * meminfo. Readers take no locks: the numbers are a racy snapshot, as in
 * Linux.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rvmem/mm.h>
#include <rvmem/mmzone.h>
#include <rvmem/param.h>
#include <rvmem/printk.h>
#include "internal.h"

#define K(pages)	((pages) << (PAGE_SHIFT - 10))

void show_free_areas(void)
{
	int z, o;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &zones[z];
		char line[16 * NR_PAGE_ORDERS];
		size_t n = 0;

		if (!populated_zone(zone))
			continue;
		printk("%s free:%lukB min:%lukB low:%lukB high:%lukB "
		       "pcp:%lukB managed:%lukB present:%lukB\n", zone->name,
		       K(zone->free_pages), K(zone->watermark[WMARK_MIN]),
		       K(zone->watermark[WMARK_LOW]),
		       K(zone->watermark[WMARK_HIGH]),
		       K(zone_pcp_count(zone)), K(zone->managed_pages),
		       K(zone->present_pages));
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			n += snprintf(line + n, sizeof(line) - n, " %6lu",
				      zone->free_area[o].nr_free);
		printk("Node 0, zone %8s%s\n", zone->name, line);
	}
}

void show_meminfo(void)
{
	struct sysinfo si;
	unsigned long pcp = 0;
	int z;

	si_meminfo(&si);
	for (z = 0; z < MAX_NR_ZONES; z++)
		pcp += zone_pcp_count(&zones[z]);
	printk("MemTotal:       %8lu kB\n", K(si.totalram));
	printk("MemFree:        %8lu kB\n", K(si.freeram));
	printk("PerHartLists:   %8lu kB\n", K(pcp));
	printk("Memmap:         %8lu kB\n", mem_map_bytes >> 10);
}

static void mm_report(void)
{
	printk("mm report at exit:\n");
	show_meminfo();
	show_free_areas();
}

static int set_mm_report(const char *val)
{
	if (!val || (strcmp(val, "1") && strcmp(val, "0")))
		return -EINVAL;
	return *val == '1' ? atexit(mm_report) : 0;
}
KERNEL_PARAM(param_mm_report, "mm.report", set_mm_report,
	     "mm.report=1: print meminfo and buddyinfo when the app exits");
