// SPDX-License-Identifier: MIT
/*
 * The page allocator on the real boot: core/mm/init.c has given it every
 * free page the device tree describes. These cases take all of memory and
 * give it back, check the zones when RAM reaches above 4 GiB, and run a
 * random alloc/free mix on every hart at once.
 *
 * Costs are kept in check for QEMU TCG with 4 GiB: every free page is
 * touched twice (one pattern word per 256 bytes written, then checked),
 * and the random run only writes the first and last word of each page.
 */
#include <limits.h>
#include <string.h>
#include <rvmem/gfp.h>
#include <rvmem/ktest.h>
#include <rvmem/list.h>
#include <rvmem/internal/memblock.h>
#include <rvmem/mm.h>
#include <rvmem/internal/mmzone.h>
#include <rvmem/numa.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>
#include "selftest.h"

#define NOWARN		__GFP_NOWARN
#define GOLDEN		0x9e3779b97f4a7c15ULL
#define BITS_PER_LONG	(8 * sizeof(long))
#define STRIDE_WORDS	(256 / sizeof(u64))
#define PAGE_WORDS	(PAGE_SIZE / sizeof(u64))

static void fill_page(struct page *page)
{
	u64 *w = page_address(page), v = page_to_pfn(page) * GOLDEN;
	unsigned int i;

	for (i = 0; i < PAGE_WORDS; i += STRIDE_WORDS)
		w[i] = v + i;
}

static bool page_filled(const struct page *page)
{
	const u64 *w = page_address(page);
	u64 v = page_to_pfn(page) * GOLDEN;
	unsigned int i;

	for (i = 0; i < PAGE_WORDS; i += STRIDE_WORDS)
		if (w[i] != v + i)
			return false;
	return true;
}

/* Allocate and fill order-0 pages until @gfp fails; Return: how many. */
static unsigned long take_all(struct list_head *held, gfp_t gfp)
{
	unsigned long n = 0;
	struct page *page;

	while ((page = alloc_page(gfp | NOWARN))) {
		fill_page(page);
		list_add(&page->lru, held);
		n++;
	}
	return n;
}

/* Check and free every page on @held; Return: pages whose pattern broke. */
static unsigned long give_back(struct list_head *held)
{
	unsigned long bad = 0;

	while (!list_empty(held)) {
		struct page *page = list_first_entry(held, struct page, lru);

		bad += !page_filled(page);
		list_del(&page->lru);
		__free_page(page);
	}
	return bad;
}

static unsigned long page_zone_deferred_pfn(const struct page *page)
{
	return zones[page_zone_id(page)].deferred_pfn;
}

static unsigned long zones_min(void)
{
	unsigned long sum = 0;
	int z;

	for (z = 0; z < NR_ZONEIDS; z++)
		sum += zones[z].watermark[WMARK_MIN];
	return sum;
}

/*
 * Expect each node's zones to lie on their side of 4 GiB, to manage no
 * more than they hold, and every managed page to be free once the
 * per-hart lists are drained (nothing else allocates while the selftest
 * runs).
 */
static void page_alloc_zones_match_ram(struct ktest *t)
{
	unsigned long managed = 0;
	struct sysinfo si;
	int nid, z;

	KTEST_ASSERT_TRUE(t, populated_zone(&zones[ZONE_DMA32]));
	for_each_online_node(nid) {
		struct zone *dma32 = &NODE_DATA(nid)->node_zones[ZONE_DMA32];
		struct zone *normal = &NODE_DATA(nid)->node_zones[ZONE_NORMAL];

		KTEST_EXPECT_TRUE(t, zone_end_pfn(dma32) <= DMA32_LIMIT_PFN);
		if (populated_zone(normal))
			KTEST_EXPECT_TRUE(t, normal->zone_start_pfn >=
					  DMA32_LIMIT_PFN);
	}
	for (z = 0; z < NR_ZONEIDS; z++) {
		KTEST_EXPECT_TRUE(t, zones[z].managed_pages <=
				  zones[z].present_pages);
		KTEST_EXPECT_TRUE(t, zones[z].present_pages <=
				  zones[z].spanned_pages);
		managed += zones[z].managed_pages;
	}
	drain_all_pages();
	si_meminfo(&si);
	KTEST_EXPECT_EQ(t, si.totalram, managed);
	KTEST_EXPECT_EQ(t, si.freeram, nr_free_pages());
	KTEST_EXPECT_TRUE(t, si.freeram <= si.totalram);
}

/*
 * Take every free page, GFP_KERNEL first and then GFP_ATOMIC for the
 * reserves, writing a pattern made from its pfn into each. Expect free
 * memory down below the min watermarks, every pattern intact, and after
 * freeing all and draining every hart's list, buddyinfo as before. (The
 * slab caches give back what they hold first: reclaim would otherwise
 * free it during the test.)
 */
static void alloc_pages_every_free_page(struct ktest *t)
{
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	unsigned long after[NR_ZONEIDS][NR_PAGE_ORDERS];
	unsigned long free0, taken;
	struct list_head held = LIST_HEAD_INIT(held);

	kmem_cache_shrink_all();
	drain_all_pages();
	buddyinfo_snapshot(before);
	free0 = nr_free_pages();
	taken = take_all(&held, GFP_KERNEL);
	taken += take_all(&held, GFP_ATOMIC);
	printk("        # took %lu of %lu free pages\n", taken, free0);
	KTEST_EXPECT_TRUE(t, nr_free_pages() < zones_min());
	KTEST_EXPECT_TRUE(t, taken + zones_min() > free0);
	KTEST_EXPECT_EQ(t, give_back(&held), 0);
	drain_all_pages();
	buddyinfo_snapshot(after);
	KTEST_EXPECT_TRUE(t, buddyinfo_equal(before, after));
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/*
 * With RAM above 4 GiB (ZONE_NORMAL populated): expect GFP_DMA32 blocks
 * of every order below 4 GiB, and plain requests served from Normal.
 */
static void alloc_pages_zones_above_4g(struct ktest *t)
{
	struct page *dma[NR_PAGE_ORDERS], *plain[NR_PAGE_ORDERS];
	unsigned int o;

	if (!populated_zone(&zones[ZONE_NORMAL])) {
		ktest_skip(t, "no RAM above 4 GiB");
		return;
	}
	for (o = 0; o <= MAX_PAGE_ORDER; o++) {
		dma[o] = alloc_pages(GFP_KERNEL | GFP_DMA32, o);
		plain[o] = alloc_pages(GFP_KERNEL, o);
		KTEST_ASSERT_TRUE(t, dma[o] && plain[o]);
		KTEST_EXPECT_EQ(t, page_zonenum(dma[o]), ZONE_DMA32);
		KTEST_EXPECT_TRUE(t, page_to_pfn(dma[o]) + (1UL << o) <=
				  DMA32_LIMIT_PFN);
		KTEST_EXPECT_EQ(t, page_zonenum(plain[o]), ZONE_NORMAL);
		KTEST_EXPECT_TRUE(t, page_to_pfn(plain[o]) >= DMA32_LIMIT_PFN);
	}
	for (o = 0; o <= MAX_PAGE_ORDER; o++) {
		__free_pages(dma[o], o);
		__free_pages(plain[o], o);
	}
}

/*
 * The random run on every hart. Each hart keeps its own live blocks; a
 * bitmap of pfns shared by all catches a page given to two harts at once.
 * Runs in a cross-call, interrupts off: GFP_NOWAIT and GFP_ATOMIC only.
 */
#define HART_OPS	10000
#define HART_LIVE	256
#define MAX_ERRORS	5

struct block {
	struct page *page;
	unsigned int order;
	u64 tag;
};

struct hart_run {
	u64 rng;
	unsigned int nr_live;
	unsigned long allocs, fails, errors;
	struct block live[HART_LIVE];
};

struct smp_run {
	unsigned long *bitmap;
	struct hart_run hart[NR_CPUS];
};

static u64 next_rand(u64 *state)
{
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static void run_error(struct hart_run *r, const char *what,
		      const struct block *b)
{
	if (r->errors++ < MAX_ERRORS)
		printk("        # cpu %u: %s: pfn %#lx order %u\n",
		       smp_processor_id(), what, page_to_pfn(b->page),
		       b->order);
}

/* Claim or release the pfns of @b; Return: false if the shadow disagreed. */
static bool shadow_change(unsigned long *bitmap, const struct block *b,
			  bool claim)
{
	unsigned long i = page_to_pfn(b->page) - memmap_base_pfn;
	unsigned long end = i + (1UL << b->order);
	bool ok = true;

	for (; i < end; i++) {
		unsigned long mask = 1UL << (i % BITS_PER_LONG), old;
		unsigned long *w = &bitmap[i / BITS_PER_LONG];

		if (claim)
			old = __atomic_fetch_or(w, mask, __ATOMIC_RELAXED);
		else
			old = __atomic_fetch_and(w, ~mask, __ATOMIC_RELAXED);
		ok &= !!(old & mask) != claim;
	}
	return ok;
}

static u64 *word(const struct block *b, unsigned long i, unsigned int idx)
{
	return (u64 *)page_address(b->page + i) + idx;
}

static void mark_block(const struct block *b)
{
	unsigned long i;

	for (i = 0; i < 1UL << b->order; i++) {
		*word(b, i, 0) = b->tag + i;
		*word(b, i, PAGE_WORDS - 1) = ~(b->tag + i);
	}
}

static bool block_marked(const struct block *b)
{
	unsigned long i;

	for (i = 0; i < 1UL << b->order; i++)
		if (*word(b, i, 0) != b->tag + i ||
		    *word(b, i, PAGE_WORDS - 1) != ~(b->tag + i))
			return false;
	return true;
}

/* Mostly order 0-2, now and then up to order 8. */
static unsigned int random_order(struct hart_run *r)
{
	unsigned int x = next_rand(&r->rng) % 64;

	return x < 32 ? 0 : x < 48 ? 1 : x < 56 ? 2 : x % 9;
}

static void run_alloc(struct smp_run *run, struct hart_run *r)
{
	u64 x = next_rand(&r->rng);
	gfp_t gfp = (x & 1 ? GFP_NOWAIT : GFP_ATOMIC) | NOWARN;
	struct block *b = &r->live[r->nr_live];
	unsigned long pfn;

	if (x & 6)
		gfp |= GFP_DMA32;
	b->order = random_order(r);
	b->page = alloc_pages(gfp, b->order);
	if (!b->page) {
		r->fails++;
		return;
	}
	b->tag = x;
	pfn = page_to_pfn(b->page);
	if (pfn % (1UL << b->order) ||
	    ((gfp & GFP_DMA32) && page_zonenum(b->page) != ZONE_DMA32))
		run_error(r, "misplaced block", b);
	if (!shadow_change(run->bitmap, b, true))
		run_error(r, "page handed out twice", b);
	mark_block(b);
	r->nr_live++;
	r->allocs++;
}

static void run_free(struct smp_run *run, struct hart_run *r)
{
	unsigned int i = next_rand(&r->rng) % r->nr_live;
	struct block b = r->live[i];

	r->live[i] = r->live[--r->nr_live];
	if (!block_marked(&b))
		run_error(r, "pattern overwritten", &b);
	if (!shadow_change(run->bitmap, &b, false))
		run_error(r, "shadow lost the block", &b);
	__free_pages(b.page, b.order);
}

static void run_on_hart(void *arg)
{
	struct smp_run *run = arg;
	struct hart_run *r = &run->hart[smp_processor_id()];
	unsigned int op;

	r->rng = 0x5eed0000 + smp_processor_id();
	for (op = 0; op < HART_OPS; op++) {
		bool fill = (op / 1000) % 2 == 0;
		unsigned int x = next_rand(&r->rng) % 4;

		if (!r->nr_live ||
		    (r->nr_live < HART_LIVE && (fill ? x : !x)))
			run_alloc(run, r);
		else
			run_free(run, r);
	}
	while (r->nr_live)
		run_free(run, r);
	drain_local_pages(NULL);
}

/*
 * Every online hart, at once, HART_OPS random allocations and frees
 * (orders 0-8, some GFP_DMA32). Expect no page handed to two harts, no
 * pattern overwritten, and buddyinfo as before once all is freed.
 */
static void alloc_pages_random_on_each_hart(struct ktest *t)
{
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	unsigned long after[NR_ZONEIDS][NR_PAGE_ORDERS];
	size_t bitmap_bytes = DIV_ROUND_UP(max_pfn - memmap_base_pfn,
					   BITS_PER_LONG) * sizeof(long);
	unsigned long allocs = 0, fails = 0, errors = 0;
	unsigned long *bitmap;
	struct smp_run *run;
	unsigned int cpu;
	bool have_shadow;

	run = alloc_pages_exact(sizeof(*run), GFP_KERNEL | __GFP_ZERO);
	bitmap = alloc_pages_exact(bitmap_bytes, GFP_KERNEL | __GFP_ZERO);
	have_shadow = run && bitmap;
	if (!have_shadow && run)
		free_pages_exact(run, sizeof(*run));
	if (!have_shadow && bitmap)
		free_pages_exact(bitmap, bitmap_bytes);
	KTEST_ASSERT_TRUE(t, have_shadow);
	run->bitmap = bitmap;
	drain_all_pages();
	buddyinfo_snapshot(before);
	on_each_hart(run_on_hart, run);
	drain_all_pages();
	buddyinfo_snapshot(after);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		allocs += run->hart[cpu].allocs;
		fails += run->hart[cpu].fails;
		errors += run->hart[cpu].errors;
	}
	printk("        # %u harts: %lu allocations, %lu failed\n",
	       nr_cpus_online, allocs, fails);
	KTEST_EXPECT_EQ(t, errors, 0);
	KTEST_EXPECT_TRUE(t, allocs >= nr_cpus_online * HART_OPS / 4);
	KTEST_EXPECT_TRUE(t, buddyinfo_equal(before, after));
	free_pages_exact(bitmap, bitmap_bytes);
	free_pages_exact(run, sizeof(*run));
}

/* On the hart it runs on: a block of each order 0-3, allocated, freed. */
static void fill_pcp_lists(void *arg)
{
	unsigned int o;

	for (o = 0; o <= PCP_MAX_ORDER; o++) {
		struct page *page = alloc_pages(GFP_ATOMIC | NOWARN, o);

		if (page)
			__free_pages(page, o);
	}
}

/* Pages on hart @cpu's lists of order @order, every zone. */
static unsigned long hart_pcp_pages(unsigned int cpu, unsigned int order)
{
	unsigned long sum = 0;
	int z;

	for (z = 0; z < NR_ZONEIDS; z++)
		sum += pcp_count(&zones[z], cpu, order) << order;
	return sum;
}

/*
 * Fill the last hart's lists with blocks of orders 0-3, then stop it.
 * Expect every order's list to hold pages before, the stop to give them
 * all back to the buddy (they would be lost with the hart), and the hart
 * to start again.
 */
static void pcp_lists_drained_on_hart_stop(struct ktest *t)
{
	unsigned int cpu = nr_cpus_online - 1, o;
	unsigned long free0, held = 0;

	if (nr_cpus_online < 2) {
		ktest_skip(t, "needs two harts");
		return;
	}
	drain_all_pages();
	free0 = nr_free_pages();
	smp_call_on(cpu, fill_pcp_lists, NULL);
	for (o = 0; o <= PCP_MAX_ORDER; o++) {
		KTEST_EXPECT_TRUE(t, hart_pcp_pages(cpu, o) > 0);
		held += hart_pcp_pages(cpu, o);
	}
	KTEST_EXPECT_EQ(t, nr_free_pages() + held, free0);
	KTEST_ASSERT_EQ(t, smp_stop_hart(cpu), 0);
	for (o = 0; o <= PCP_MAX_ORDER; o++)
		KTEST_EXPECT_EQ(t, hart_pcp_pages(cpu, o), 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
	KTEST_ASSERT_EQ(t, smp_start_hart(cpu), 0);
}

/*
 * Deferred struct page initialisation: with more RAM than a zone's eager
 * part, boot leaves the rest of mem_map to be initialised on demand. The
 * 16 GiB boot of the test matrix runs this suite alone, first.
 */

/* The struct pages of a deferred step: 2 MiB of the vmemmap window. */
#define DEFERRED_CHUNK	(SZ_2M / sizeof(struct page))

/*
 * Expect each zone larger than the eager part to have left struct pages
 * uninitialised at boot (on chunk boundaries), yet to count them free
 * and managed.
 */
static void memmap_deferred_at_boot(struct ktest *t)
{
	unsigned long deferred = 0;
	int z;

	for (z = 0; z < NR_ZONEIDS; z++) {
		struct zone *zone = &zones[z];

		if (zone->deferred_pfn >= zone_end_pfn(zone))
			continue;
		KTEST_EXPECT_EQ(t, zone->deferred_pfn % DEFERRED_CHUNK, 0);
		KTEST_EXPECT_TRUE(t, zone->managed_pages >
				  zone->deferred_pfn - zone->zone_start_pfn);
		KTEST_EXPECT_TRUE(t, deferred_low_pfn <= zone->deferred_pfn);
		deferred += zone_end_pfn(zone) - zone->deferred_pfn;
	}
	if (!deferred) {
		ktest_skip(t, "all of mem_map initialised (small RAM, or an "
			   "earlier suite used it all)");
		return;
	}
	printk("        # %lu MiB of struct pages deferred\n",
	       deferred >> (20 - PAGE_SHIFT));
}

/* Free pages memblock knows of in [@start, @end). */
static unsigned long free_pages_in(unsigned long start, unsigned long end)
{
	unsigned long sum = 0;
	phys_addr_t s, e;
	u64 i;

	for_each_free_mem_range(i, &s, &e)
		sum += max(min(e >> PAGE_SHIFT, end), start) -
		       max(min(PAGE_ALIGN(s) >> PAGE_SHIFT, end), start);
	return sum;
}

/*
 * Take all memory in blocks of orders 10 down to 0 (GFP_KERNEL, then
 * GFP_ATOMIC), writing none of it. Expect every block initialised and
 * allocated when handed out, no free page left uninitialised by the end,
 * free memory down below the min watermarks (so at 16 GiB over 15 GiB
 * taken), and all of it free again after.
 */
static void alloc_pages_takes_deferred_memory(struct ktest *t)
{
	unsigned long free0, taken = 0, bad = 0;
	struct list_head held[NR_PAGE_ORDERS];
	struct page *page;
	int o, z;

	kmem_cache_shrink_all();	/* or pressure frees slabs meanwhile */
	drain_all_pages();
	free0 = nr_free_pages();
	for (o = MAX_PAGE_ORDER; o >= 0; o--) {
		INIT_LIST_HEAD(&held[o]);
		while ((page = alloc_pages(GFP_KERNEL | NOWARN, o)) ||
		       (page = alloc_pages(GFP_ATOMIC | NOWARN, o))) {
			bad += page_to_pfn(page) >=
			       page_zone_deferred_pfn(page) ||
			       !PageHead(page) || page->order != (unsigned)o;
			list_add(&page->lru, &held[o]);
			taken += 1UL << o;
		}
	}
	printk("        # took %lu MiB of %lu MiB free\n",
	       taken >> (20 - PAGE_SHIFT), free0 >> (20 - PAGE_SHIFT));
	KTEST_EXPECT_EQ(t, bad, 0);
	for (z = 0; z < NR_ZONEIDS; z++)
		KTEST_EXPECT_EQ(t, free_pages_in(zones[z].deferred_pfn,
						 zone_end_pfn(&zones[z])), 0);
	KTEST_EXPECT_TRUE(t, nr_free_pages() < zones_min());
	KTEST_EXPECT_TRUE(t, taken + zones_min() > free0);
	if (free0 > (16UL << (30 - PAGE_SHIFT)) * 31 / 32)
		KTEST_EXPECT_TRUE(t, taken >= 15UL << (30 - PAGE_SHIFT));
	for (o = 0; o <= MAX_PAGE_ORDER; o++) {
		while (!list_empty(&held[o])) {
			page = list_first_entry(&held[o], struct page, lru);
			list_del(&page->lru);
			__free_pages(page, o);
		}
	}
	drain_all_pages();
	KTEST_EXPECT_EQ(t, nr_free_pages(), free0);
}

/* The deferred ranges vmemmap_window_hides_deferred() found. */
static struct {
	unsigned long start, end;
} hidden[NR_ZONEIDS];

/*
 * Do the window or the checked lookup show @pfn's struct page otherwise
 * than vmemmap_shows() and pfn_deferred() say?
 */
static bool window_mismatch(unsigned long pfn)
{
	return !vmemmap_shows(pfn) ||
	       virt_to_page_or_null(__va(pfn << PAGE_SHIFT)) !=
	       (pfn_deferred(pfn) ? NULL : pfn_to_page(pfn));
}

/* Mismatches in [@start, @end): 64 pfns a chunk, and the last. */
static unsigned long window_mismatches(unsigned long start,
				       unsigned long end)
{
	unsigned long pfn, bad = window_mismatch(end - 1);

	for (pfn = start; pfn < end; pfn += DEFERRED_CHUNK / 64)
		bad += window_mismatch(pfn);
	return bad;
}

/* Expect no mismatch over the @n ranges checked; skip if there were none. */
static void expect_windows_match(struct ktest *t, unsigned long bad, int n)
{
	if (!n)
		ktest_skip(t, "no struct page deferred");
	else
		KTEST_EXPECT_EQ(t, bad, 0);
}

/*
 * Where struct pages are deferred, RAM under mem_map holds whatever it
 * held at boot: make the first of each range read as a kmalloc-64 slab
 * page, as stale RAM may. Expect the vmemmap window to show zeroed
 * struct pages across each range, that one included, and the checked
 * lookup to see no page there.
 */
static void vmemmap_window_hides_deferred(struct ktest *t)
{
	unsigned long bad = 0;
	struct page *first, saved;
	int z, n = 0;

	for (z = 0; z < NR_ZONEIDS; z++) {
		struct zone *zone = &zones[z];

		if (zone->deferred_pfn >= zone_end_pfn(zone))
			continue;
		hidden[z].start = zone->deferred_pfn;
		hidden[z].end = min(zone_end_pfn(zone),
				    vmemmap_limit >> PAGE_SHIFT);
		first = pfn_to_page(zone->deferred_pfn);
		saved = *first;
		first->slab_cache = kmalloc_caches[kmalloc_index(64)];
		first->flags |= 1UL << PG_slab;
		KTEST_EXPECT_TRUE(t, pfn_deferred(hidden[z].start) &&
				  pfn_deferred(hidden[z].end - 1));
		bad += window_mismatches(hidden[z].start, hidden[z].end);
		*first = saved;
		n++;
	}
	expect_windows_match(t, bad, n);
}

/*
 * After alloc_pages_takes_deferred_memory() initialised them (all but
 * chunks with no free page, such as mem_map's own), expect the window
 * and the lookup to show each formerly hidden struct page as mem_map
 * has it.
 */
static void vmemmap_window_shows_grown(struct ktest *t)
{
	unsigned long bad = 0;
	int z, n = 0;

	for (z = 0; z < NR_ZONEIDS; z++) {
		if (hidden[z].start >= hidden[z].end)
			continue;
		KTEST_EXPECT_TRUE(t, !pfn_deferred(hidden[z].start));
		bad += window_mismatches(hidden[z].start, hidden[z].end);
		n++;
	}
	expect_windows_match(t, bad, n);
}

static const struct ktest_case page_alloc_deferred_cases[] = {
	KTEST_CASE(memmap_deferred_at_boot),
	KTEST_CASE(vmemmap_window_hides_deferred),
	KTEST_CASE(alloc_pages_takes_deferred_memory),
	KTEST_CASE(vmemmap_window_shows_grown),
	{}
};

KTEST_SUITE(page_alloc_deferred_suite) = {
	.name = "page_alloc_deferred",
	.cases = page_alloc_deferred_cases,
};

/* These cases compare buddyinfo before and after: no zone may grow. */
static int page_alloc_init(void)
{
	deferred_init_all();
	return 0;
}

static const struct ktest_case page_alloc_cases[] = {
	KTEST_CASE(page_alloc_zones_match_ram),
	KTEST_CASE(alloc_pages_every_free_page),
	KTEST_CASE(alloc_pages_zones_above_4g),
	KTEST_CASE(alloc_pages_random_on_each_hart),
	KTEST_CASE(pcp_lists_drained_on_hart_stop),
	{}
};

KTEST_SUITE(page_alloc_suite) = {
	.name = "page_alloc",
	.cases = page_alloc_cases,
	.init = page_alloc_init,
};
