// SPDX-License-Identifier: MIT
/*
 * Zone statistics in the shape of /proc/buddyinfo and /proc/zoneinfo.
 * Readers take no locks: the numbers are a racy snapshot, as in Linux.
 */
#include <stdio.h>
#include <rvmem/mm.h>
#include <rvmem/internal/mmzone.h>
#include <rvmem/printk.h>
#include "internal.h"

void show_free_areas(void)
{
	struct zone *zone;
	int o;

	for_each_populated_zone(zone) {
		char line[16 * NR_PAGE_ORDERS];
		size_t n = 0;

		printk("Node %d %s free:%lukB min:%lukB low:%lukB high:%lukB "
		       "pcp:%lukB managed:%lukB present:%lukB\n",
		       zone_to_nid(zone), zone->name,
		       K(zone->free_pages), K(zone->watermark[WMARK_MIN]),
		       K(zone->watermark[WMARK_LOW]),
		       K(zone->watermark[WMARK_HIGH]),
		       K(zone_pcp_count(zone)), K(zone->managed_pages),
		       K(zone->present_pages));
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			n += snprintf(line + n, sizeof(line) - n, " %6lu",
				      zone->free_area[o].nr_free);
		printk("Node %d, zone %8s%s\n", zone_to_nid(zone), zone->name,
		       line);
	}
}

bool buddyinfo_equal(unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS],
		     unsigned long after[NR_ZONEIDS][NR_PAGE_ORDERS])
{
	bool equal = true;
	int z, o;

	for (z = 0; z < NR_ZONEIDS; z++) {
		for (o = 0; o < NR_PAGE_ORDERS; o++) {
			if (before[z][o] == after[z][o])
				continue;
			printk("        # node %d zone %s order %d: %lu free "
			       "blocks, %lu before\n", z / MAX_NR_ZONES,
			       zones[z].name ? zones[z].name : "?", o,
			       after[z][o], before[z][o]);
			equal = false;
		}
	}
	return equal;
}
