/* SPDX-License-Identifier: MIT */
/*
 * Nodes and zones: the page allocator's per-zone free lists, watermarks
 * and per-hart page lists, and each NUMA node's zones and zonelists.
 *
 * Every NUMA node (include/rvmem/numa.h) has its own zones: ZONE_DMA32
 * holds its RAM below 4 GiB and ZONE_NORMAL the rest. All zones sit in
 * one array, zones[], node by node: a zone's index there is its zone id,
 * nid * MAX_NR_ZONES + zone type (Linux's page_zone_id()), and
 * page->flags carries it. A node's zonelists say which zones a request
 * may use, in order: its own node's first (Normal, then DMA32), then the
 * other nodes' by distance; __GFP_DMA32 takes only DMA32 zones, and
 * __GFP_THISNODE only the node's own. Each
 * zone keeps free blocks of 2^order pages on free_area[order], order 0 to
 * MAX_PAGE_ORDER, every block naturally aligned. Blocks of orders 0 to
 * PCP_MAX_ORDER also sit on per-hart lists (pcp), so the common case
 * takes no lock and writes no cache line another hart writes.
 */
#ifndef RVMEM_INTERNAL_MMZONE_H
#define RVMEM_INTERNAL_MMZONE_H

#include <rvmem/boot.h>
#include <rvmem/list.h>
#include <rvmem/mm.h>
#include <rvmem/spinlock.h>
#include <rvmem/types.h>

#define MAX_PAGE_ORDER	10			/* 4 MiB blocks */
#define NR_PAGE_ORDERS	(MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES	(1UL << MAX_PAGE_ORDER)
#define DMA32_LIMIT_PFN	(1UL << (32 - 12))	/* 4 GiB */
#define PCP_MAX_ORDER	3	/* Linux's PAGE_ALLOC_COSTLY_ORDER */
#define NR_PCP_ORDERS	(PCP_MAX_ORDER + 1)
/* The gfp bits that choose a per-hart list, or the full path. */
#define PCP_GFP_MASK	(__GFP_DMA32 | __GFP_ZERO | __GFP_THISNODE)

enum zone_type {
	ZONE_DMA32,
	ZONE_NORMAL,
	MAX_NR_ZONES,
};

#define NR_ZONEIDS	(MAX_NUMNODES * MAX_NR_ZONES)	/* zones[] */
_Static_assert(MAX_NR_ZONES == 1 << ZONES_SHIFT, "ZONES_SHIFT in mm.h");

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
 * @lists: [zone id][order], the zones of every node: a page freed here
 *         goes on this hart's list of its own zone, whichever node that
 *         is on (as Linux's per-cpu pagesets)
 * @fast_offset: by gfp & PCP_GFP_MASK (in steps of 4, its lowest bit,
 *               __GFP_DMA32): where, in @lists, the first zone of the
 *               hart's node's zonelist for that gfp starts (bytes), which
 *               alloc_pages() pops; -1 where the gfp takes the full path
 *               (__GFP_ZERO, __GFP_THISNODE, or any while
 *               fail_page_alloc is armed)
 * @pgdat: the hart's node, whose zonelists its plain requests walk
 *
 * Only its own hart touches it, with interrupts off; padded to whole
 * cache lines so no other hart's data shares one.
 */
struct per_cpu_pages {
	struct pcp_list lists[NR_ZONEIDS][NR_PCP_ORDERS];
	int fast_offset[PCP_GFP_MASK / __GFP_DMA32 + 1];
	struct pglist_data *pgdat;
} ____cacheline_aligned;

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
 *                initialised yet; a chunk boundary (page_alloc.c) or the
 *                zone's end
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

/** zones - every node's zones, indexed by zone id */
extern struct zone zones[NR_ZONEIDS];

/* Zonelists: which zones a request may take, by its gfp (gfp_zonelist()). */
enum {
	ZONELIST_FALLBACK,		/* this node, then the others */
	ZONELIST_FALLBACK_DMA32,	/* the same, DMA32 zones only */
	ZONELIST_NOFALLBACK,		/* __GFP_THISNODE */
	ZONELIST_NOFALLBACK_DMA32,
	MAX_ZONELISTS,
};

/**
 * struct pglist_data - one NUMA node (pg_data_t)
 * @node_zones: its zones, &zones[nid * MAX_NR_ZONES]
 * @node_zonelists: the zones its requests use, in order, NULL-terminated
 * @node_start_pfn: first pfn the node spans
 * @node_spanned_pages: pfns it spans, holes included
 * @node_present_pages: RAM pages in its span
 * @node_id: its number
 */
typedef struct pglist_data {
	struct zone *node_zones;
	struct zone *node_zonelists[MAX_ZONELISTS][NR_ZONEIDS + 1];
	unsigned long node_start_pfn;
	unsigned long node_spanned_pages;
	unsigned long node_present_pages;
	int node_id;
} pg_data_t;

extern pg_data_t node_data[MAX_NUMNODES];
#define NODE_DATA(nid)	(&node_data[nid])

static inline bool populated_zone(const struct zone *zone)
{
	return zone->managed_pages != 0;
}

/** zone_to_nid() - the node a zone belongs to */
static inline int zone_to_nid(const struct zone *zone)
{
	return (zone - zones) / MAX_NR_ZONES;
}

/** zone_idx() - a zone's type (ZONE_DMA32 or ZONE_NORMAL) */
static inline enum zone_type zone_idx(const struct zone *zone)
{
	return (zone - zones) % MAX_NR_ZONES;
}

#define for_each_zone(zone)						\
	for ((zone) = zones; (zone) < zones + NR_ZONEIDS; (zone)++)
#define for_each_populated_zone(zone)					\
	for_each_zone(zone)						\
		if (!populated_zone(zone)) {} else

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
 * @out: out[zone id][order] = zone->free_area[order].nr_free
 */
void buddyinfo_snapshot(unsigned long out[NR_ZONEIDS][NR_PAGE_ORDERS]);

/**
 * take_node_pages() - allocate every free page of node @nid (for tests)
 * @nid: the node
 * @held: where the blocks go, linked through page->lru
 *
 * Largest blocks first, with __GFP_THISNODE and __GFP_NOWARN, so nothing
 * comes from another node and no failure is reported.
 * Return: the pages taken.
 */
unsigned long take_node_pages(int nid, struct list_head *held);

/**
 * free_page_list() - free every block on @list (page->lru; each of its
 * page->order), leaving @list empty
 * @list: the blocks
 */
void free_page_list(struct list_head *list);

/**
 * buddyinfo_equal() - compare two buddyinfo_snapshot()s
 * @before: the earlier one
 * @after: the later one
 *
 * Prints one KTAP comment line per differing zone and order.
 * Return: true if they are equal.
 */
bool buddyinfo_equal(unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS],
		     unsigned long after[NR_ZONEIDS][NR_PAGE_ORDERS]);

#endif /* RVMEM_INTERNAL_MMZONE_H */
