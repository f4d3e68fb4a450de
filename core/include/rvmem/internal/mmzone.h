/* SPDX-License-Identifier: MIT */
/*
 * Zones: the page allocator's per-zone free lists, watermarks and per-hart
 * page lists.
 *
 * ZONE_DMA32 holds RAM below 4 GiB and ZONE_NORMAL the rest. A request
 * without __GFP_DMA32 tries NORMAL, then DMA32; with it, only DMA32. Each
 * zone keeps free blocks of 2^order pages on free_area[order], order 0 to
 * MAX_PAGE_ORDER, every block naturally aligned. Blocks of orders 0 to
 * PCP_MAX_ORDER also sit on per-hart lists (pcp), so the common case
 * takes no lock and writes no cache line another hart writes.
 */
#ifndef RVMEM_INTERNAL_MMZONE_H
#define RVMEM_INTERNAL_MMZONE_H

#include <rvmem/boot.h>
#include <rvmem/list.h>
#include <rvmem/spinlock.h>
#include <rvmem/types.h>

#define MAX_PAGE_ORDER	10			/* 4 MiB blocks */
#define NR_PAGE_ORDERS	(MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES	(1UL << MAX_PAGE_ORDER)
#define DMA32_LIMIT_PFN	(1UL << (32 - 12))	/* 4 GiB */
#define PCP_MAX_ORDER	3	/* Linux's PAGE_ALLOC_COSTLY_ORDER */
#define NR_PCP_ORDERS	(PCP_MAX_ORDER + 1)

enum zone_type {
	ZONE_DMA32,
	ZONE_NORMAL,
	MAX_NR_ZONES,
};

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	NR_WMARK,
};

struct free_area {
	struct list_head free_list;
	unsigned long nr_free;			/* blocks, not pages */
};

/**
 * struct pcp_list - one hart's free blocks of one zone and order
 * @head: the blocks, linked through page->pcp_next, most recently freed
 *        first (cache-warm)
 * @room: blocks it may still take before it passes zone->pcp_high[order]
 *        and gives a batch back: high minus count, so a free costs one
 *        decrement and a sign test
 * @allocs: blocks the fast path took from it, ever (vmstat pgalloc)
 *
 * 32 bytes, so a list is still found with a shift.
 */
struct pcp_list {
	struct page *head;
	long room;
	unsigned long allocs;
} __attribute__((aligned(32)));

/**
 * struct per_cpu_pages - one hart's page lists, for every zone and order
 * @lists: [zone][order]
 *
 * Only its own hart touches it, with interrupts off; padded to whole
 * cache lines so no other hart's data shares one.
 */
struct per_cpu_pages {
	struct pcp_list lists[MAX_NR_ZONES][NR_PCP_ORDERS];
} __attribute__((aligned(64)));

/**
 * struct zone - one zone
 * @lock: protects @free_area, @free_pages and the buddy state of its pages
 * @watermark: min, low and high free-page marks
 * @zone_start_pfn: first pfn the zone spans
 * @spanned_pages: pfns spanned, holes included
 * @present_pages: RAM pages within the span
 * @managed_pages: pages handed to the buddy allocator
 * @free_pages: free pages not on per-hart lists: on @free_area, or not
 *              initialised yet (from @deferred_pfn on)
 * @deferred_pfn: struct pages from here to the zone's end are not
 *                initialised yet; a multiple of MAX_ORDER_NR_PAGES
 * @name: "DMA32" or "Normal"
 * @pcp_batch: blocks moved between the buddy and a per-hart list at a
 *             time, per order (a power of two: a refill splits one block)
 * @pcp_high: most blocks a per-hart list keeps, per order
 * @free_area: free blocks per order
 */
struct zone {
	spinlock_t lock;
	unsigned long watermark[NR_WMARK];
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;
	unsigned long present_pages;
	unsigned long managed_pages;
	unsigned long free_pages;
	unsigned long deferred_pfn;
	const char *name;
	unsigned int pcp_batch[NR_PCP_ORDERS];
	unsigned int pcp_high[NR_PCP_ORDERS];
	struct free_area free_area[NR_PAGE_ORDERS];
};

extern struct zone zones[MAX_NR_ZONES];

static inline bool populated_zone(const struct zone *zone)
{
	return zone->managed_pages != 0;
}

static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

/** per_cpu_pages - every hart's page lists, indexed by logical hart id */
extern struct per_cpu_pages per_cpu_pages[NR_CPUS];

/** pcp_count() - blocks on hart @cpu's list of @zone and @order (racy) */
static inline unsigned long pcp_count(const struct zone *zone,
				      unsigned int cpu, unsigned int order)
{
	const struct pcp_list *pcp =
		&per_cpu_pages[cpu].lists[zone - zones][order];

	return zone->pcp_high[order] - READ_ONCE(pcp->room);
}

/** zone_pcp_count() - pages on all harts' lists of @zone (racy snapshot) */
unsigned long zone_pcp_count(const struct zone *zone);

/**
 * buddyinfo_snapshot() - free blocks per zone and order
 * @out: out[zone][order] = zone->free_area[order].nr_free
 */
void buddyinfo_snapshot(unsigned long out[MAX_NR_ZONES][NR_PAGE_ORDERS]);

/**
 * buddyinfo_equal() - compare two buddyinfo_snapshot()s
 * @before: the earlier one
 * @after: the later one
 *
 * Prints one KTAP comment line per differing zone and order.
 * Return: true if they are equal.
 */
bool buddyinfo_equal(unsigned long before[MAX_NR_ZONES][NR_PAGE_ORDERS],
		     unsigned long after[MAX_NR_ZONES][NR_PAGE_ORDERS]);

#endif /* RVMEM_INTERNAL_MMZONE_H */
