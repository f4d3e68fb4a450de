// SPDX-License-Identifier: MIT
/*
 * The zoned buddy page allocator with per-hart lists for orders 0-3.
 *
 * Each zone keeps free blocks of 2^order pages, naturally aligned, on
 * free_area[order]; the first page of a free block has PG_buddy and its
 * order. Allocation takes the smallest block that fits and splits off
 * halves (expand()); freeing merges a block with its buddy (the block at
 * pfn ^ (1 << order)) while that buddy is free, of the same order and in
 * the same zone.
 *
 * NUMA: each node has its own zones (zones[] holds them node by node)
 * and zonelists ordered by node_distance(), built by build_zonelists().
 * A plain request starts at the calling hart's node and falls back to
 * the nearest node with memory; alloc_pages_node() starts at the node it
 * names; __GFP_THISNODE stops at it. Zones never merge blocks across a
 * node boundary (page_is_buddy() compares zones; node spans start on
 * MAX_ORDER_NR_PAGES boundaries anyway).
 *
 * Blocks of orders 0 to PCP_MAX_ORDER are cached per hart, zone and order
 * (struct pcp_list, PG_pcp on the block's first page). An empty list is
 * refilled by splitting one larger block (zone->pcp_batch[order] blocks),
 * a list past its high mark gives a batch back, each under one lock hold.
 * The slow path and a stopping hart drain them.
 *
 * A hart has lists for the zones of every node: freeing a page of another
 * node puts it on this hart's list of that node's zone, as fast as a
 * local free, and a drain returns it to its own node's buddy. Only
 * alloc_pages_node() for that node takes from such a list again; plain
 * allocations pop the list of the first zone in the hart's own node's
 * zonelist (per_cpu_pages.fast_offset), so they stay local.
 *
 * Paths: alloc_pages() pops this hart's list of the preferred zone
 * (fast: no lock, no watermark, no frame); on a miss, for larger orders
 * or __GFP_ZERO it tail-calls __alloc_pages(): get_page_from_freelist()
 * at the low watermark, then __alloc_pages_slowpath() at the min
 * watermark (reduced for __GFP_HIGH and atomic requests), reclaim (the
 * slab caches' sheaves, barns and empty slabs, then the per-hart lists)
 * and retry; then a warning and NULL. __free_pages()
 * checks the block in a few instructions and pushes it on this hart's
 * list; orders above PCP_MAX_ORDER go to the buddy. The caller's address
 * is computed only where a report or warning needs it.
 *
 * Lock order: zone->lock is a leaf (nothing else is taken under it but
 * the console lock for a bad-page report; growing a zone maps the vmemmap
 * window over its new struct pages without a lock and flushes the TLBs
 * through SBI, which takes none of ours). It protects a zone's
 * free_area, free_pages and the PG_buddy/order state of its free pages,
 * and is always taken with interrupts off (an interrupt handler may
 * allocate). A hart's per_cpu_pages are touched only by that hart,
 * without a lock: by the fast paths' restartable sequences (asm/rseq.h;
 * an interrupt, a drain's cross-call among them, sends one that has not
 * committed back to its start), else with interrupts off; other harts
 * read their counts for statistics only.
 */
#define pr_fmt(fmt) "page_alloc: " fmt

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/rseq.h>
#include <rvmem/fault-inject.h>
#include <rvmem/internal/memblock.h>
#include <rvmem/numa.h>
#include <rvmem/param.h>
#include <rvmem/panic.h>
#include <rvmem/printk.h>
#include <rvmem/ratelimit.h>
#include <rvmem/smp.h>
#include <rvmem/vmstat.h>
#include "internal.h"

/* alloc_flags: which watermark, and which reserves a request may use */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_MASK	0x3
#define ALLOC_MIN_RESERVE	0x8	/* __GFP_HIGH: half the min reserve */
#define ALLOC_NON_BLOCK		0x10	/* atomic: a further quarter */

#define MAX_RECLAIM_RETRIES	16
#define PAGE_POISON		0x6b	/* --debug: freed pages are filled */
#define PCP_HIGH_BATCHES	6	/* a list holds at most this many batches */
/*
 * struct pages initialised at boot per zone, and per deferred step. A
 * step's struct pages fill one 2 MiB leaf of the vmemmap window (32,768
 * pages: 128 MiB of RAM), and steps start on a multiple of it, so the
 * window can show each step's struct pages as it is initialised.
 */
#define DEFERRED_EAGER_PAGES	((128UL << 20) >> PAGE_SHIFT)
#define DEFERRED_CHUNK_PAGES	(SZ_2M / sizeof(struct page))

/* The state bits a free checks: an allocated block has PG_head alone. */
#define PAGE_STATE_MASK		((1UL << NR_PAGEFLAGS) - 1)
/* Allocating from a per-hart list and freeing to one flip these two. */
#define PCP_TO_HEAD		((1UL << PG_pcp) | (1UL << PG_head))

/*
 * Where a zone's lists start in struct per_cpu_pages (128 bytes a zone),
 * straight from page->flags: no flag bit lies between the page flags and
 * the zone id, so one shift does it.
 */
#define PCP_ZONE_SHIFT		7
#define PCP_ZONE_OFFSET(flags)	((flags) >> (ZONE_SHIFT - PCP_ZONE_SHIFT))
_Static_assert(sizeof(((struct per_cpu_pages *)0)->lists[0]) ==
	       1UL << PCP_ZONE_SHIFT, "a zone's per-hart lists: 128 bytes");
_Static_assert(NR_PAGEFLAGS <= ZONE_SHIFT - PCP_ZONE_SHIFT,
	       "page flags reach into PCP_ZONE_OFFSET()");

#ifdef CONFIG_DEBUG
#define DEBUG_PAGES		true
#else
#define DEBUG_PAGES		false
#endif

struct zone zones[NR_ZONEIDS];
pg_data_t node_data[MAX_NUMNODES];
struct page *mem_map;
struct per_cpu_pages per_cpu_pages[NR_CPUS];
unsigned long memmap_base_pfn, max_pfn, memmap_pages;
unsigned long mem_map_bytes;

static const char *const zone_names[MAX_NR_ZONES] = { "DMA32", "Normal" };

/*
 * Fault injection (fail_page_alloc=, Linux's mm/fail_page_alloc.c). Every
 * order and gfp may fail but __GFP_NOFAIL: there is no ignore-gfp-wait
 * or min-order. While it is armed, alloc_pages() sends every request to
 * the full path, where it may fail: every entry of the harts' fast_offset
 * tables says so, the same lookup that sends __GFP_ZERO and
 * __GFP_THISNODE (which the full path's zonelist enforces) there, so
 * arming costs the fast path nothing.
 */
static bool pcp_fail_armed;

static void fail_page_alloc_armed(bool on)
{
	unsigned int cpu;

	WRITE_ONCE(pcp_fail_armed, on);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		zone_pcp_set_node(cpu);
}

struct fault_attr fail_page_alloc = { .armed = fail_page_alloc_armed };

static int setup_fail_page_alloc(const char *val)
{
	return setup_fault_attr(&fail_page_alloc, val);
}
KERNEL_PARAM(param_fail_page_alloc, "fail_page_alloc", setup_fail_page_alloc,
	     "fail_page_alloc=<interval>,<probability>,<space>,<times>: "
	     "inject page allocation failures");

static noinline bool should_fail_alloc_page(gfp_t gfp, unsigned int order)
{
	if (gfp & __GFP_NOFAIL)
		return false;
	return should_fail(&fail_page_alloc, PAGE_SIZE << order);
}

static void set_page_buddy(struct page *page, unsigned int order)
{
	WRITE_ONCE(page->order, order);
	page_set_flag(page, PG_buddy);
}

static void add_to_free_list(struct page *page, struct zone *zone,
			     unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	set_page_buddy(page, order);
	list_add(&page->lru, &area->free_list);
	WRITE_ONCE(area->nr_free, area->nr_free + 1);
}

static void del_page_from_free_list(struct page *page, struct zone *zone,
				    unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	list_del(&page->lru);
	page_clear_flag(page, PG_buddy);
	WRITE_ONCE(area->nr_free, area->nr_free - 1);
}

/* Can @buddy, of order @order, merge with a block of @zone? */
static bool page_is_buddy(const struct page *buddy, const struct zone *zone,
			  unsigned int order)
{
	return PageBuddy(buddy) && READ_ONCE(buddy->order) == order &&
	       page_zone(buddy) == zone;
}

/* Free a block into the buddy lists, merging upwards. zone->lock held. */
static void __free_one_page(struct page *page, unsigned long pfn,
			    struct zone *zone, unsigned int order)
{
	WRITE_ONCE(zone->free_pages, zone->free_pages + (1UL << order));
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy = page + (buddy_pfn - pfn);

		if (!pfn_valid(buddy_pfn) || !page_is_buddy(buddy, zone, order))
			break;
		del_page_from_free_list(buddy, zone, order);
		page += (long)((buddy_pfn & pfn) - pfn);
		pfn &= buddy_pfn;
		order++;
	}
	add_to_free_list(page, zone, order);
}

/* Split a block of order @high down to @low, freeing the upper halves. */
static void expand(struct zone *zone, struct page *page, unsigned int low,
		   unsigned int high)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(&page[size], zone, high);
	}
}

/* Take the smallest free block of at least @order. zone->lock held. */
static struct page *__rmqueue_smallest(struct zone *zone, unsigned int order)
{
	unsigned int current_order;

	for (current_order = order; current_order < NR_PAGE_ORDERS;
	     current_order++) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		del_page_from_free_list(page, zone, current_order);
		expand(zone, page, order, current_order);
		WRITE_ONCE(zone->free_pages, zone->free_pages - (1UL << order));
		return page;
	}
	return NULL;
}

static bool deferred_grow_zone(struct zone *zone);

/* The smallest free block of at least @order, growing the zone if none. */
static struct page *__rmqueue(struct zone *zone, unsigned int order)
{
	struct page *page;

	while (!(page = __rmqueue_smallest(zone, order)) &&
	       deferred_grow_zone(zone))
		;
	return page;
}

/*
 * The list in @pcp (this hart's) of the zone whose lists start
 * @zone_offset bytes into struct per_cpu_pages, and of @order. The fast paths have that offset at
 * hand in one instruction (PCP_ZONE_OFFSET()). @order is an int: callers
 * have checked it is small, and an int needs no zero-extension on RV64.
 */
static inline struct pcp_list *pcp_list_at(struct per_cpu_pages *pcp,
					   unsigned long zone_offset,
					   int order)
{
	return (struct pcp_list *)((char *)pcp + zone_offset) + order;
}

/*
 * Where this hart's lists of the first zone for @gfp start (the hart's
 * own node's Normal or DMA32 zone, or the nearest populated one), or -1
 * for the full path. __GFP_DMA32, the lowest bit of PCP_GFP_MASK, is
 * also the size of an entry, so the masked gfp is the entry's byte
 * offset: one load.
 */
_Static_assert(__GFP_DMA32 == sizeof(((struct per_cpu_pages *)0)->fast_offset[0]) &&
	       (PCP_GFP_MASK & -PCP_GFP_MASK) == __GFP_DMA32,
	       "gfp & PCP_GFP_MASK indexes per_cpu_pages.fast_offset");
static inline long pcp_fast_offset(const struct per_cpu_pages *pcp,
				   gfp_t gfp)
{
	return *(const int *)((const char *)pcp->fast_offset +
			      (gfp & PCP_GFP_MASK));
}

static inline struct pcp_list *this_pcp_list(unsigned int zone, int order)
{
	return &this_hart()->pcp->lists[zone][order];
}

/* A listed block's link to the next, for asm/rseq.h. */
#define PCP_NEXT	offsetof(struct page, pcp_next)

/*
 * Push and pop this hart's list, in any context: restartable sequences
 * (asm/rseq.h), so the fast paths need not mask interrupts, and the slow
 * paths, which do, use the same two.
 * Return: false when the list has passed its high mark.
 */
static __always_inline bool pcp_push(struct pcp_list *pcp, struct page *page)
{
	rseq_list_push((void **)&pcp->head, page, PCP_NEXT);
	return rseq_add(&pcp->room, -1) >= 0;
}

/* Return: the first block, or NULL if the list is empty. */
static __always_inline struct page *pcp_pop(struct pcp_list *pcp)
{
	struct page *page = rseq_list_pop((void **)&pcp->head, PCP_NEXT);

	if (page)
		rseq_add(&pcp->room, 1);
	return page;
}

/*
 * Refill an empty per-hart list: take one block of 2^@shift blocks (a
 * smaller one if the zone has none) and split it into blocks of @order.
 * Interrupts off. Return: blocks added.
 */
static noinline int rmqueue_bulk(struct zone *zone, unsigned int order,
				 unsigned int shift, struct pcp_list *pcp)
{
	struct page *page;
	unsigned long i;

	spin_lock(&zone->lock);
	while (!(page = __rmqueue(zone, order + shift)) && shift)
		shift--;
	spin_unlock(&zone->lock);
	if (!page)
		return 0;
	count_vm_event(PCP_REFILL);
	for (i = 1UL << shift; i--; ) {		/* lowest address on top */
		struct page *block = page + (i << order);

		WRITE_ONCE(block->order, order);
		page_set_flag(block, PG_pcp);
		pcp_push(pcp, block);
	}
	return 1 << shift;
}

/*
 * Give up to @count blocks of @pcp, a list of @order, back to the buddy,
 * under one lock hold. The list is singly linked, so they come off its
 * head. Interrupts off.
 */
static noinline void free_pcppages_bulk(struct zone *zone, unsigned int order,
					struct pcp_list *pcp, int count)
{
	struct page *page;

	count_vm_event(PCP_DRAIN);
	spin_lock(&zone->lock);
	while (count-- > 0 && (page = pcp_pop(pcp))) {
		page_clear_flag(page, PG_pcp);
		__free_one_page(page, page_to_pfn(page), zone, order);
	}
	spin_unlock(&zone->lock);
}

/*
 * Pop a block from this hart's list, refilling it if empty: a batch above
 * the low watermark, one block below it (what is left is the reserve, and
 * a batch would strand it on one hart).
 */
static struct page *rmqueue_pcplist(struct zone *zone, unsigned int order,
				    unsigned int alloc_flags)
{
	unsigned long flags = local_irq_save();
	struct pcp_list *pcp = this_pcp_list(zone - zones, order);
	unsigned int shift = 0;
	struct page *page = NULL;

	if ((alloc_flags & ALLOC_WMARK_MASK) == ALLOC_WMARK_LOW)
		shift = __builtin_ctz(zone->pcp_batch[order]);
	if (pcp->head || rmqueue_bulk(zone, order, shift, pcp))
		page = pcp_pop(pcp);
	local_irq_restore(flags);
	return page;
}

static noinline struct page *rmqueue_buddy(struct zone *zone,
					   unsigned int order)
{
	unsigned long flags = spin_lock_irqsave(&zone->lock);
	struct page *page = __rmqueue(zone, order);

	spin_unlock_irqrestore(&zone->lock, flags);
	return page;
}

static struct page *rmqueue(struct zone *zone, unsigned int order,
			    unsigned int alloc_flags)
{
	if (likely(order <= PCP_MAX_ORDER))
		return rmqueue_pcplist(zone, order, alloc_flags);
	return rmqueue_buddy(zone, order);
}

/*
 * Is the zone above @mark after taking 2^@order pages, with a free block
 * big enough? Reserves below min are opened by ALLOC_MIN_RESERVE (half)
 * and, for atomic requests, ALLOC_NON_BLOCK (a further quarter).
 */
static noinline bool zone_watermark_ok(const struct zone *z,
				       unsigned int order, unsigned long mark,
				       unsigned int alloc_flags)
{
	long free = (long)READ_ONCE(z->free_pages) - ((1L << order) - 1);
	long min = mark;
	unsigned int o;

	if (alloc_flags & ALLOC_MIN_RESERVE) {
		min -= min / 2;
		if (alloc_flags & ALLOC_NON_BLOCK)
			min -= min / 4;
	}
	if (free <= min)
		return false;
	if (!order || READ_ONCE(z->deferred_pfn) < zone_end_pfn(z))
		return true;
	for (o = order; o < NR_PAGE_ORDERS; o++)
		if (READ_ONCE(z->free_area[o].nr_free))
			return true;
	return false;
}

/*
 * The common case, an order-0 request without reserves, in a few
 * instructions; everything else takes the full check.
 */
static inline bool zone_watermark_fast(const struct zone *z,
				       unsigned int order, unsigned long mark,
				       unsigned int alloc_flags)
{
	if (!order && !(alloc_flags & ALLOC_MIN_RESERVE))
		return READ_ONCE(z->free_pages) > mark;
	return zone_watermark_ok(z, order, mark, alloc_flags);
}

/*
 * The zonelist of @pgdat a request uses: the DMA32 and THISNODE bits
 * select it, without a branch.
 */
_Static_assert(ZONELIST_FALLBACK_DMA32 == 1 && ZONELIST_NOFALLBACK == 2 &&
	       __GFP_DMA32 == 1 << 2 && __GFP_THISNODE == 1 << 4,
	       "gfp bits select the zonelist");
static inline struct zone **node_zonelist(pg_data_t *pgdat, gfp_t gfp)
{
	return pgdat->node_zonelists[((gfp >> 2) & 1) | ((gfp >> 3) & 2)];
}

/*
 * Node @nid's nodes by distance from it, itself first, then nearest
 * first (ties by node id). Return: how many (the online nodes).
 */
static int nodes_by_distance(int nid, int out[MAX_NUMNODES])
{
	int n = 0, cand, i;

	for_each_online_node(cand) {
		for (i = n; i > 0 && node_distance(nid, out[i - 1]) >
				     node_distance(nid, cand); i--)
			out[i] = out[i - 1];
		out[i] = cand;
		n++;
	}
	return n;
}

/* Append @nid's populated zones of @list's kind to @z. Return: new end. */
static struct zone **add_node_zones(struct zone **z, int nid, int list)
{
	static const enum zone_type order[2][MAX_NR_ZONES] = {
		{ ZONE_NORMAL, ZONE_DMA32 }, { ZONE_DMA32, ZONE_DMA32 },
	};
	int i;

	for (i = 0; i < MAX_NR_ZONES - (list & 1); i++) {
		struct zone *zone = &NODE_DATA(nid)->node_zones[order[list & 1][i]];

		if (populated_zone(zone))
			*z++ = zone;
	}
	return z;
}

/*
 * The populated zones each node's requests may use, in preference order
 * (Linux's node order: nearest node first, Normal before DMA32 within
 * a node), ending in NULL.
 */
static void build_zonelists(void)
{
	int nid, list, nodes[MAX_NUMNODES], nr, i;
	unsigned int cpu;

	for_each_online_node(nid) {
		nr = nodes_by_distance(nid, nodes);
		for (list = 0; list < MAX_ZONELISTS; list++) {
			struct zone **z = NODE_DATA(nid)->node_zonelists[list];

			for (i = 0; i < (list < ZONELIST_NOFALLBACK ? nr : 1);
			     i++)
				z = add_node_zones(z, nodes[i], list);
			*z = NULL;
		}
	}
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		zone_pcp_set_node(cpu);
}

void zone_pcp_set_node(unsigned int cpu)
{
	pg_data_t *pgdat = NODE_DATA(cpu_to_node(cpu));
	struct per_cpu_pages *pcp = &per_cpu_pages[cpu];
	gfp_t gfp;

	pcp->pgdat = pgdat;
	for (gfp = 0; gfp <= PCP_GFP_MASK; gfp += __GFP_DMA32) {
		struct zone *first =
			pgdat->node_zonelists[!!(gfp & __GFP_DMA32)][0];
		int *offset = &pcp->fast_offset[gfp / __GFP_DMA32];

		if ((gfp & (__GFP_ZERO | __GFP_THISNODE)) ||
		    READ_ONCE(pcp_fail_armed))
			WRITE_ONCE(*offset, -1);
		else
			WRITE_ONCE(*offset, (first ? first - zones : ZONE_DMA32)
				   << PCP_ZONE_SHIFT);
	}
}

/* The first zone of @z that is above its watermark and has the block. */
static struct page *get_page_from_freelist(struct zone **z,
					   unsigned int order,
					   unsigned int alloc_flags)
{
	unsigned int wmark = alloc_flags & ALLOC_WMARK_MASK;

	for (; *z; z++) {
		struct page *page;

		if (!zone_watermark_fast(*z, order, (*z)->watermark[wmark],
					 alloc_flags))
			continue;
		page = rmqueue(*z, order, alloc_flags);
		if (page)
			return page;
	}
	return NULL;
}

static unsigned int gfp_to_alloc_flags(gfp_t gfp)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN;

	if (gfp & __GFP_HIGH)
		alloc_flags |= ALLOC_MIN_RESERVE;
	if (!(gfp & __GFP_DIRECT_RECLAIM))
		alloc_flags |= ALLOC_NON_BLOCK;
	return alloc_flags;
}

/*
 * Reclaim for rvmem: there is no swap or page cache, so what can come back
 * is what the slab caches and the per-hart lists hold. Return: pages
 * returned to the buddy.
 */
static unsigned long __alloc_pages_direct_reclaim(gfp_t gfp)
{
	unsigned long before = nr_free_pages();

	slab_reclaim();
	if ((gfp & __GFP_DIRECT_RECLAIM) && !irqs_disabled())
		drain_all_pages();
	else
		drain_local_pages(NULL);
	return nr_free_pages() - min(before, nr_free_pages());
}

static noinline struct page *__alloc_pages_slowpath(gfp_t gfp,
						    unsigned int order,
						    struct zone **zonelist)
{
	unsigned int alloc_flags = gfp_to_alloc_flags(gfp);
	unsigned int retries = 0;
	struct page *page;

	page = get_page_from_freelist(zonelist, order, alloc_flags);
	while (!page && retries++ < MAX_RECLAIM_RETRIES) {
		unsigned long progress = __alloc_pages_direct_reclaim(gfp);

		page = get_page_from_freelist(zonelist, order, alloc_flags);
		if (!progress || (gfp & __GFP_NORETRY))
			break;
	}
	return page;
}

static void format_gfp(char *buf, size_t len, gfp_t gfp)
{
	static const struct { gfp_t flag; const char *name; } names[] = {
		{ __GFP_DMA32, "__GFP_DMA32" }, { __GFP_HIGH, "__GFP_HIGH" },
		{ __GFP_IO, "__GFP_IO" }, { __GFP_FS, "__GFP_FS" },
		{ __GFP_ZERO, "__GFP_ZERO" },
		{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
		{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
		{ __GFP_NOWARN, "__GFP_NOWARN" },
		{ __GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
		{ __GFP_NOFAIL, "__GFP_NOFAIL" },
		{ __GFP_NORETRY, "__GFP_NORETRY" }, { __GFP_COMP, "__GFP_COMP" },
		{ __GFP_THISNODE, "__GFP_THISNODE" },
	};
	size_t i, n = snprintf(buf, len, "%#x(", gfp);

	for (i = 0; i < ARRAY_SIZE(names) && n < len; i++)
		if (gfp & names[i].flag)
			n += snprintf(buf + n, len - n, "%s%s",
				      buf[n - 1] == '(' ? "" : "|",
				      names[i].name);
	if (n < len)
		snprintf(buf + n, len - n, ")");
}

/* One line: the request and every zone's state. */
/* An allocation failing in a loop must not flood the console. */
static DEFINE_RATELIMIT_STATE(alloc_warn_rs, "page_alloc: allocation failures",
			      DEFAULT_RATELIMIT_INTERVAL_US,
			      DEFAULT_RATELIMIT_BURST);

static noinline void warn_alloc(gfp_t gfp, unsigned int order, int nid,
				unsigned long caller)
{
	char line[600], sym[64];
	struct zone *zone;
	size_t n;

	if (!__ratelimit(&alloc_warn_rs))
		return;
	format_gfp(line, sizeof(line), gfp);
	n = strlen(line);
	for_each_zone(zone) {
		char node[16] = "";

		if (n >= sizeof(line))
			break;
		if (!node_online(zone_to_nid(zone)))
			continue;
		if (num_online_nodes() > 1)
			snprintf(node, sizeof(node), "node%d ",
				 zone_to_nid(zone));
		n += snprintf(line + n, sizeof(line) - n,
			      "; %s%s free:%lu min:%lu pcp:%lu", node,
			      zone->name, zone->free_pages,
			      zone->watermark[WMARK_MIN], zone_pcp_count(zone));
	}
	format_symbol(sym, sizeof(sym), caller);
	pr_warn("allocation failure: order:%u, node:%d, mode:%s, caller %s\n",
		order, nid, line, sym);
}

static void __noreturn bad_page(const struct page *page, const char *reason,
				unsigned int order, unsigned long caller)
{
	char sym[64];

	format_symbol(sym, sizeof(sym), caller);
	pr_err("BUG: Bad page state: %s: pfn %#lx order %u (page flags %#lx, "
	       "block order %u), freed by %s\n", reason, page_to_pfn(page),
	       order, page->flags, page->order, sym);
	panic("bad page freed by %s", sym);
}

/*
 * The report half of the check every free makes (__free_pages() does the
 * cheap half inline, in every build): say what is wrong with @page.
 */
static noinline void __noreturn free_page_bad(const struct page *page,
					      unsigned int order,
					      unsigned long caller)
{
	if (page < mem_map || page >= mem_map + (max_pfn - memmap_base_pfn))
		panic("page_alloc: freeing %p, not a struct page (caller %#lx)",
		      (const void *)page, caller);
	if (PageReserved(page))
		bad_page(page, "freeing a reserved page", order, caller);
	if (PageBuddy(page) || PagePcp(page))
		bad_page(page, "double free", order, caller);
	if (!PageHead(page))
		bad_page(page, "freeing a page that is not allocated (double "
			 "free, or not the first page of its block)", order,
			 caller);
	if (PageSlab(page))
		bad_page(page, "freeing a slab page", order, caller);
	bad_page(page, "freeing with the wrong order", order, caller);
}

#ifdef CONFIG_DEBUG
/* Freed pages are filled; a write after free shows at the next alloc. */
static void poison_pages(struct page *page, unsigned int order)
{
	memset(page_address(page), PAGE_POISON, PAGE_SIZE << order);
}

static void check_poison(struct page *page, unsigned int order)
{
	const u8 *p = page_address(page);
	size_t i;

	for (i = 0; i < PAGE_SIZE << order; i++)
		if (unlikely(p[i] != PAGE_POISON))
			panic("page_alloc: pfn %#lx written after free: byte "
			      "%#zx is %#x, not %#x", page_to_pfn(page) +
			      (i >> PAGE_SHIFT), i & ~PAGE_MASK, p[i],
			      PAGE_POISON);
}
#else
static inline void poison_pages(struct page *page, unsigned int order) { }
static inline void check_poison(struct page *page, unsigned int order) { }
#endif

/* A block from a per-hart list (PG_pcp) or the buddy becomes allocated. */
static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp,
			  unsigned long caller)
{
	check_poison(page, order);
	WRITE_ONCE(page->order, order);
	WRITE_ONCE(page->flags, (page->flags & ~(1UL << PG_pcp)) |
		   (1UL << PG_head));
#ifdef CONFIG_DEBUG
	page->alloc_caller = caller;
#endif
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
}

/*
 * Everything alloc_pages() does not do inline. @pgdat: the node to
 * start at, NULL for the calling hart's.
 */
static noinline struct page *__alloc_pages(gfp_t gfp, unsigned int order,
					   pg_data_t *pgdat,
					   unsigned long caller)
{
	struct page *page = NULL;
	struct zone **zonelist;

	if (!pgdat)
		pgdat = this_hart()->pcp->pgdat;
	zonelist = node_zonelist(pgdat, gfp);
	if (unlikely(READ_ONCE(fail_page_alloc.enabled)) &&
	    should_fail_alloc_page(gfp, order))
		goto fail;
	if (likely(order <= MAX_PAGE_ORDER)) {
		page = get_page_from_freelist(zonelist, order,
					      ALLOC_WMARK_LOW);
		if (unlikely(!page))
			page = __alloc_pages_slowpath(gfp, order, zonelist);
	}
	if (likely(page)) {
		count_vm_events(PGALLOC_DMA32 + page_zonenum(page), 1UL << order);
		prep_new_page(page, order, gfp, caller);
		return page;
	}
fail:
	if (!(gfp & __GFP_NOWARN))
		warn_alloc(gfp, order, pgdat->node_id, caller);
	return NULL;
}

/*
 * The fast path: pop this hart's list of the preferred zone. A page on it
 * already left the zone's free count, so no watermark is checked here;
 * the refill in __alloc_pages() checks it. Zeroing costs a page of
 * stores anyway, so __GFP_ZERO (and every --debug allocation, which
 * checks the poison) takes the full path, as does every request while
 * fail_page_alloc is armed, so that it may fail.
 */
struct page *__frameless alloc_pages(gfp_t gfp, unsigned int order)
{
	struct per_cpu_pages *pcps;
	struct pcp_list *pcp;
	struct page *page;
	long offset;

	if (unlikely(DEBUG_PAGES || order > PCP_MAX_ORDER))
		goto slow;	/* before the lookup: larger orders skip it */
	pcps = this_hart()->pcp;
	offset = pcp_fast_offset(pcps, gfp);
	if (unlikely(offset < 0))
		goto slow;
	pcp = pcp_list_at(pcps, offset, order);
	page = pcp_pop(pcp);
	if (unlikely(!page))
		goto slow;
	rseq_add((long *)&pcp->allocs, 1);
	WRITE_ONCE(page->flags, page->flags ^ PCP_TO_HEAD);
	return page;
slow:
	return __alloc_pages(gfp, order, NULL, frameless_ret_ip());
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	/* the hart's own node is what alloc_pages() serves, lists first */
	if (nid == NUMA_NO_NODE || nid == numa_node_id())
		return alloc_pages(gfp, order);
	if (unlikely(!node_online(nid))) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("alloc_pages_node(%d): no such node (online: "
				"%#lx)\n", nid, node_online_map);
		return NULL;
	}
	return __alloc_pages(gfp, order, NODE_DATA(nid), _RET_IP_);
}

/*
 * The check every free makes, in every build: the block must be an
 * allocated one (PG_head and no other state bit) of @order. A handful of
 * instructions; the report is out of line.
 */
static inline bool free_page_is_bad(const struct page *page,
				    unsigned long flags, unsigned int order)
{
	return unlikely((flags & PAGE_STATE_MASK) != (1UL << PG_head) ||
			READ_ONCE(page->order) != order);
}

/*
 * The report for a bad free, reached by a tail call from a frameless
 * fast path, so that its return address is the caller of that path:
 * the fast path itself then never computes it. noipa: were GCC to see
 * that it never returns, it would call it rather than jump to it.
 */
static __attribute__((noipa)) void free_page_bad_tail(const struct page *page,
						      unsigned int order)
{
	free_page_bad(page, order, _RET_IP_);
}

/* A block of order above PCP_MAX_ORDER back to the buddy. Tail-called
 * by __free_pages(): _RET_IP_ is its caller. */
static noinline void free_one_page(struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(page);
	unsigned long flags;

	if (free_page_is_bad(page, READ_ONCE(page->flags), order))
		free_page_bad(page, order, _RET_IP_);
	page_clear_flag(page, PG_head);
	poison_pages(page, order);
	flags = spin_lock_irqsave(&zone->lock);
	__free_one_page(page, page_to_pfn(page), zone, order);
	spin_unlock_irqrestore(&zone->lock, flags);
}

/* This hart's list of @zone and @order passed its high mark. */
static noinline void free_pcp_over_high(unsigned int zone,
					unsigned int order)
{
	unsigned long flags = local_irq_save();
	struct pcp_list *pcp = this_pcp_list(zone, order);

	if (pcp->room < 0)
		free_pcppages_bulk(&zones[zone], order, pcp,
				   zones[zone].pcp_batch[order]);
	local_irq_restore(flags);
}

void __frameless __free_pages(struct page *page, unsigned int order)
{
	struct pcp_list *pcp;
	unsigned long flags;

	if (unlikely(order > PCP_MAX_ORDER))
		return free_one_page(page, order);
	flags = READ_ONCE(page->flags);
	if (free_page_is_bad(page, flags, order))
		return free_page_bad_tail(page, order);
	poison_pages(page, order);
	WRITE_ONCE(page->flags, flags ^ PCP_TO_HEAD);
	pcp = pcp_list_at(this_hart()->pcp, PCP_ZONE_OFFSET(flags), order);
	if (unlikely(!pcp_push(pcp, page)))
		return free_pcp_over_high(flags >> ZONE_SHIFT, order);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = __alloc_pages(gfp, order, NULL, _RET_IP_);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	struct page *page = __alloc_pages(gfp | __GFP_ZERO, 0, NULL, _RET_IP_);

	return page ? (unsigned long)page_address(page) : 0;
}

static struct page *addr_to_page_checked(unsigned long addr,
					 unsigned long caller)
{
	unsigned long pfn = __pa(addr) >> PAGE_SHIFT;

	if (unlikely(!IS_ALIGNED(addr, PAGE_SIZE) || !pfn_valid(pfn)))
		panic("page_alloc: freeing %#lx, not a page of RAM (caller "
		      "%#lx)", addr, caller);
	/* its struct page holds what the RAM held at boot: trust none */
	if (pfn_deferred(pfn))
		panic("page_alloc: freeing %#lx, in RAM no allocator has "
		      "handed out yet (caller %#lx)", addr, caller);
	return pfn_to_page(pfn);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(addr_to_page_checked(addr, _RET_IP_), order);
}

static unsigned int get_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* Make each page of an allocated block an order-0 allocation. */
static void split_page(struct page *page, unsigned int order,
		       unsigned long caller)
{
	unsigned long i;

	for (i = 0; i < 1UL << order; i++) {
		WRITE_ONCE(page[i].order, 0);
		page_set_flag(&page[i], PG_head);
#ifdef CONFIG_DEBUG
		page[i].alloc_caller = caller;
#endif
	}
}

void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	unsigned int order = get_order(size);
	unsigned long used = DIV_ROUND_UP(size, PAGE_SIZE), i;
	struct page *page;

	if (!size || order > MAX_PAGE_ORDER)
		return NULL;
	page = __alloc_pages(gfp, order, NULL, _RET_IP_);
	if (!page)
		return NULL;
	split_page(page, order, _RET_IP_);
	for (i = used; i < 1UL << order; i++)
		__free_pages(page + i, 0);
	return page_address(page);
}

void free_pages_exact(void *virt, size_t size)
{
	unsigned long addr = (unsigned long)virt, end = addr + PAGE_ALIGN(size);

	for (; addr < end; addr += PAGE_SIZE)
		__free_pages(addr_to_page_checked(addr, _RET_IP_), 0);
}

static void drain_zone_pages(struct zone *zone)
{
	unsigned int o;

	for (o = 0; o < NR_PCP_ORDERS; o++) {
		struct pcp_list *pcp = this_pcp_list(zone - zones, o);

		if (pcp->head)
			free_pcppages_bulk(zone, o, pcp, zone->pcp_high[o]);
	}
}

void drain_local_pages(struct zone *zone)
{
	unsigned long flags = local_irq_save();
	struct zone *z;

	for_each_populated_zone(z)
		if (!zone || zone == z)
			drain_zone_pages(z);
	local_irq_restore(flags);
}

static void drain_local_pages_fn(void *arg)
{
	drain_local_pages(arg);
}

void drain_all_pages(void)
{
	on_each_hart(drain_local_pages_fn, NULL);
}

unsigned long nr_free_pages(void)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_zone(zone)
		sum += READ_ONCE(zone->free_pages);
	return sum;
}

unsigned long zone_pcp_count(const struct zone *zone)
{
	unsigned long sum = 0;
	unsigned int cpu, o;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		for (o = 0; o < NR_PCP_ORDERS; o++)
			sum += pcp_count(zone, cpu, o) << o;
	return sum;
}

void si_meminfo_node(struct sysinfo *val, int nid)
{
	struct zone *zone;

	val->totalram = val->freeram = 0;
	for_each_zone(zone) {
		if (nid != NUMA_NO_NODE && zone_to_nid(zone) != nid)
			continue;
		val->totalram += zone->managed_pages;
		val->freeram += READ_ONCE(zone->free_pages);
	}
	val->mem_unit = PAGE_SIZE;
}

void si_meminfo(struct sysinfo *val)
{
	si_meminfo_node(val, NUMA_NO_NODE);
}

void buddyinfo_snapshot(unsigned long out[NR_ZONEIDS][NR_PAGE_ORDERS])
{
	int z, o;

	for (z = 0; z < NR_ZONEIDS; z++)
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			out[z][o] = READ_ONCE(zones[z].free_area[o].nr_free);
}

unsigned long take_node_pages(int nid, struct list_head *held)
{
	unsigned long taken = 0;
	struct page *page;
	int o;

	for (o = MAX_PAGE_ORDER; o >= 0; o--)
		while ((page = alloc_pages_node(nid, GFP_KERNEL |
						__GFP_THISNODE | __GFP_NOWARN,
						o))) {
			list_add(&page->lru, held);
			taken += 1UL << o;
		}
	return taken;
}

void free_page_list(struct list_head *list)
{
	while (!list_empty(list)) {
		struct page *page = list_first_entry(list, struct page, lru);

		list_del(&page->lru);
		__free_pages(page, page->order);
	}
}

/* The zone a pfn lies in, without its struct page (which may be unset). */
static struct zone *pfn_zone(unsigned long pfn)
{
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (pfn - pgdat->node_start_pfn < pgdat->node_spanned_pages)
			return &pgdat->node_zones[pfn >= DMA32_LIMIT_PFN];
	}
	/* free_area_init() made the nodes' spans tile all of RAM */
	panic("page_alloc: pfn %#lx in no node's span", pfn);
}

/*
 * Put the free pages [@start, @end) of @zone, their struct pages
 * initialised, on the free lists in the largest naturally aligned blocks.
 * They are counted free already. zone->lock held.
 */
static void free_pfn_range(struct zone *zone, unsigned long start,
			   unsigned long end)
{
	while (start < end) {
		unsigned int order = MAX_PAGE_ORDER;

		if (start)
			order = min(order, (unsigned int)__builtin_ctzl(start));
		while (start + (1UL << order) > end)
			order--;
		poison_pages(pfn_to_page(start), order);
		WRITE_ONCE(zone->free_pages, zone->free_pages - (1UL << order));
		__free_one_page(pfn_to_page(start), start, zone, order);
		start += 1UL << order;
	}
}

void __free_pages_core(unsigned long start_pfn, unsigned long end_pfn)
{
	while (start_pfn < end_pfn) {
		struct zone *zone = pfn_zone(start_pfn);
		unsigned long end = min(end_pfn, zone_end_pfn(zone));

		zone->managed_pages += end - start_pfn;
		zone->free_pages += end - start_pfn;
		spin_lock(&zone->lock);
		free_pfn_range(zone, start_pfn,
			       clamp(zone->deferred_pfn, start_pfn, end));
		spin_unlock(&zone->lock);
		start_pfn = end;
	}
}

/*
 * Clean struct pages for [@pfn, @end) with @flags (zone id included):
 * each field, not the padding to the cache line, which no one reads (a
 * quarter fewer stores at boot than assigning the whole struct).
 */
static void memmap_init_pages(unsigned long pfn, unsigned long end,
			      unsigned long flags)
{
	for (; pfn < end; pfn++) {
		struct page *page = pfn_to_page(pfn);

		page->flags = flags;
		page->lru.next = page->lru.prev = NULL;
		page->order = 0;
		page->counters = 0;
		page->slab_cache = NULL;
		page->freelist = NULL;
#ifdef CONFIG_DEBUG
		page->alloc_caller = 0;
#endif
	}
}

/*
 * Initialise the struct pages of [@start, @end), all in @zone, in one
 * pass: pages in memblock's free ranges clean, the others (holes, the
 * kernel, the firmware, mem_map) PageReserved. Then call @fn on each
 * free range.
 */
static void memmap_init_range(struct zone *zone, unsigned long start,
			      unsigned long end,
			      void (*fn)(struct zone *, unsigned long,
					 unsigned long))
{
	unsigned long zone_flags = (unsigned long)(zone - zones) << ZONE_SHIFT;
	unsigned long pfn = start, fs, fe;
	phys_addr_t s, e;
	u64 i;

	for_each_free_mem_range(i, &s, &e) {
		fs = clamp(PAGE_ALIGN(s) >> PAGE_SHIFT, start, end);
		fe = clamp(e >> PAGE_SHIFT, start, end);
		if (fs >= fe)
			continue;
		memmap_init_pages(pfn, fs, zone_flags | 1UL << PG_reserved);
		memmap_init_pages(fs, fe, zone_flags);
		if (fn)
			fn(zone, fs, fe);
		pfn = fe;
	}
	memmap_init_pages(pfn, end, zone_flags | 1UL << PG_reserved);
}

unsigned long deferred_low_pfn = ULONG_MAX;

bool __pfn_deferred(unsigned long pfn)
{
	const struct zone *zone = pfn_zone(pfn);

	/* Acquire: struct pages initialised before deferred_pfn moved on. */
	return pfn >= __atomic_load_n(&zone->deferred_pfn, __ATOMIC_ACQUIRE) &&
	       pfn < zone_end_pfn(zone);
}

bool next_deferred_range(unsigned long pfn, unsigned long *start,
			 unsigned long *end)
{
	const struct zone *zone;

	*start = ULONG_MAX;
	for_each_zone(zone) {
		if (zone->deferred_pfn < zone_end_pfn(zone) &&
		    zone->deferred_pfn >= pfn && zone->deferred_pfn < *start) {
			*start = zone->deferred_pfn;
			*end = zone_end_pfn(zone);
		}
	}
	return *start != ULONG_MAX;
}

/*
 * Set deferred_low_pfn: the lowest pfn any zone still defers. Zones grow
 * under their own locks; a hart that read another zone's deferred_pfn
 * before it moved on writes a lower value, which only costs lookups.
 */
static void update_deferred_low_pfn(void)
{
	unsigned long low, end;

	next_deferred_range(0, &low, &end);	/* ULONG_MAX if none */
	WRITE_ONCE(deferred_low_pfn, low);
}

/*
 * Initialise the next chunk of @zone's deferred struct pages, put its
 * free pages on the free lists and show them in the vmemmap window: the
 * buddy allocator's free lists of the zone ran dry. Chunks start on
 * multiples of DEFERRED_CHUNK_PAGES and end there or at the zone's end,
 * so no buddy of an initialised block lies in a deferred one (nor in
 * another zone: page_is_buddy()). zone->lock held, interrupts off (as
 * Linux's deferred_grow_zone()). Return: false if nothing was deferred.
 */
static noinline bool deferred_grow_zone(struct zone *zone)
{
	unsigned long start = zone->deferred_pfn, end = zone_end_pfn(zone);

	if (start >= end)
		return false;
	end = min(end, start + DEFERRED_CHUNK_PAGES);
	memmap_init_range(zone, start, end, free_pfn_range);
	smp_store_release(&zone->deferred_pfn, end);
	vmemmap_show(start, end);
	update_deferred_low_pfn();
	return true;
}

void deferred_init_all(void)
{
	struct zone *zone;

	for_each_zone(zone) {
		unsigned long flags = spin_lock_irqsave(&zone->lock);

		while (deferred_grow_zone(zone))
			;
		spin_unlock_irqrestore(&zone->lock, flags);
	}
}

static void zone_init(struct zone *zone, enum zone_type type,
		      unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned int o;

	memset(zone, 0, sizeof(*zone));
	zone->name = zone_names[type];
	zone->zone_start_pfn = start_pfn;
	zone->spanned_pages = end_pfn > start_pfn ? end_pfn - start_pfn : 0;
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		INIT_LIST_HEAD(&zone->free_area[o].free_list);
}

/* RAM pages memblock knows of in [start_pfn, end_pfn). */
static unsigned long present_pages_in(unsigned long start_pfn,
				      unsigned long end_pfn)
{
	const struct memblock_type *mem = &memblock.memory;
	unsigned long i, pages = 0;

	for (i = 0; i < mem->cnt; i++) {
		unsigned long s = mem->regions[i].base >> PAGE_SHIFT;
		unsigned long e = (mem->regions[i].base +
				   mem->regions[i].size) >> PAGE_SHIFT;

		s = max(s, start_pfn);
		e = min(e, end_pfn);
		if (e > s)
			pages += e - s;
	}
	return pages;
}

/*
 * Node @nid spans [@start, @end) (empty for a node without RAM): its
 * zones split there at 4 GiB, and each zone's struct pages are set up
 * up to the first chunk boundary DEFERRED_EAGER_PAGES in.
 */
static void free_area_init_node(int nid, unsigned long start,
				unsigned long end)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	unsigned long split = clamp(DMA32_LIMIT_PFN, start, end);
	int z;

	pgdat->node_id = nid;
	pgdat->node_zones = &zones[nid * MAX_NR_ZONES];
	pgdat->node_start_pfn = start;
	pgdat->node_spanned_pages = end - start;
	zone_init(&pgdat->node_zones[ZONE_DMA32], ZONE_DMA32, start, split);
	zone_init(&pgdat->node_zones[ZONE_NORMAL], ZONE_NORMAL, split, end);
	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		zone->deferred_pfn = min(ALIGN(zone->zone_start_pfn +
					       DEFERRED_EAGER_PAGES,
					       DEFERRED_CHUNK_PAGES),
					 zone_end_pfn(zone));
		if (!zone->spanned_pages)
			continue;	/* no RAM, or none above 4 GiB */
		zone->present_pages = present_pages_in(zone->zone_start_pfn,
						       zone_end_pfn(zone));
		pgdat->node_present_pages += zone->present_pages;
		memmap_init_range(zone, zone->zone_start_pfn,
				  zone->deferred_pfn, NULL);
	}
}

/*
 * Allocate mem_map for pfns [@start, @end). Where the vmemmap window
 * (paging.c) maps it again, its physical address agrees with its window
 * address modulo 2 MiB when it is that large, so the window takes 2 MiB
 * leaves (RAM starting on a 128 MiB boundary wastes nothing), and modulo
 * a page otherwise; the lead before mem_map[0] reads as zeroed pages.
 * Without the window (the host build) the free fast paths read mem_map
 * itself, so it is cleared: deferred struct pages read as zeroed there
 * too, as the window shows them (the host's boot cost does not count).
 * Return: 0, or -ENOMEM.
 */
static int alloc_mem_map(unsigned long start, unsigned long end)
{
	unsigned long bytes = (end - start) * sizeof(struct page);
	unsigned long align = PAGE_SIZE, lead = 0, clear;
	phys_addr_t pa;

#ifdef ARCH_HAS_VMEMMAP_WINDOW
	if (bytes >= SZ_2M)
		align = SZ_2M;
	lead = start * sizeof(struct page) % align;
	clear = lead;
#else
	clear = bytes;
#endif
	mem_map_bytes = PAGE_ALIGN(lead + bytes);
	pa = memblock_phys_alloc_range(mem_map_bytes, align, 0,
				       MEMBLOCK_ALLOC_ANYWHERE);
	if (!pa)
		return -ENOMEM;
	memset(__va(pa), 0, clear);
	mem_map = __va(pa + lead);
	return 0;
}

int free_area_init(void)
{
	unsigned long start = memblock_start_of_DRAM() >> PAGE_SHIFT;
	unsigned long end = PAGE_ALIGN(memblock_end_of_DRAM()) >> PAGE_SHIFT;
	unsigned long span_start, span_end;
	unsigned int cpu;
	int nid;

	if (numa_check_layout())
		return -EINVAL;
	if (alloc_mem_map(start, end)) {
		pr_err("no room for mem_map (%lu KiB for %lu pages)\n",
		       mem_map_bytes >> 10, end - start);
		return -ENOMEM;
	}
	memmap_base_pfn = start;
	max_pfn = end;
	memmap_pages = end - start;
	memset(per_cpu_pages, 0, sizeof(per_cpu_pages));
	memset(node_data, 0, sizeof(node_data));
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		/* the full path for all until build_zonelists() */
		memset(per_cpu_pages[cpu].fast_offset, 0xff,
		       sizeof(per_cpu_pages[cpu].fast_offset));
		per_cpu_pages[cpu].pgdat = NODE_DATA(0);
		harts[cpu].pcp = &per_cpu_pages[cpu];
	}
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		span_start = span_end = 0;	/* no RAM: empty zones */
		if (node_online(nid))
			numa_node_span(nid, start, end, &span_start,
				       &span_end);
		free_area_init_node(nid, span_start, span_end);
	}
	update_deferred_low_pfn();
	return 0;
}

/* Integer square root, for min_free_kbytes as Linux derives it. */
static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << 62;

	while (bit > x)
		bit >>= 2;
	for (; bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

/*
 * Per-hart list sizes: an order-0 batch is about 1/4096th of the zone, at
 * most 32 pages, rounded down to a power of two so a refill is one block;
 * higher orders move the same pages in fewer blocks, at least two.
 */
static void zone_set_pcp(struct zone *zone)
{
	unsigned long pages = clamp(zone->managed_pages >> 12, 1UL, 32UL);
	unsigned int batch_shift = 63 - __builtin_clzl(pages), cpu, o;

	for (o = 0; o < NR_PCP_ORDERS; o++) {
		unsigned int batch = 1U << max(batch_shift, o + 1) >> o;

		unsigned int high = PCP_HIGH_BATCHES * batch;

		for (cpu = 0; cpu < NR_CPUS; cpu++)
			per_cpu_pages[cpu].lists[zone - zones][o].room +=
				(long)high - zone->pcp_high[o];
		zone->pcp_batch[o] = batch;
		zone->pcp_high[o] = high;
	}
}

void setup_per_zone_wmarks(void)
{
	unsigned long total = 0, min_free_kbytes, pages_min;
	int z;

	for (z = 0; z < NR_ZONEIDS; z++)
		total += zones[z].managed_pages;
	/* min_free_kbytes = sqrt(lowmem_kbytes * 16), 128 KiB to 64 MiB */
	min_free_kbytes = clamp(int_sqrt(total * (PAGE_SIZE >> 10) * 16),
				128UL, 65536UL);
	for (z = 0; z < NR_ZONEIDS; z++) {
		struct zone *zone = &zones[z];
		unsigned long gap;

		if (!total)
			break;
		/* Each zone gets its share of the reserve, by size. */
		pages_min = (min_free_kbytes >> (PAGE_SHIFT - 10)) *
			    zone->managed_pages / total;
		gap = max(pages_min / 4, zone->managed_pages * 10 / 10000);
		zone->watermark[WMARK_MIN] = pages_min;
		zone->watermark[WMARK_LOW] = pages_min + gap;
		zone->watermark[WMARK_HIGH] = pages_min + 2 * gap;
		zone_set_pcp(zone);
	}
	build_zonelists();
}
