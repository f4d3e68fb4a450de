// SPDX-License-Identifier: MIT
/*
 * Host tests of the page allocator (core/mm/page_alloc.c) booted by
 * mm_fixture on simulated RAM: splitting and merging, alignment, zones,
 * watermarks, the API's variants, exhaustion and recovery. The long
 * random runs are in test_page_alloc_random.c.
 *
 * Layouts (pfns of 4 KiB pages):
 *   4g:     |DMA32 32 MiB (first 2 MiB reserved)|Normal 32 MiB (mem_map)|
 *           0xfe000                        0x100000               0x102000
 *   small:  32 MiB at 0x80000000, DMA32 only, first 2 MiB reserved
 */
#include <limits.h>
#include <string.h>
#include <rvmem/gfp.h>
#include <rvmem/ktest.h>
#include <rvmem/list.h>

#include "mm_fixture.h"

#define NOWARN		__GFP_NOWARN

/* What a test holds: blocks of one order chained through page->lru. */
struct held {
	struct list_head list;
	unsigned int order;
	unsigned long blocks;
};

static void held_init(struct held *h, unsigned int order)
{
	INIT_LIST_HEAD(&h->list);
	h->order = order;
	h->blocks = 0;
}

/* Allocate blocks of @h's order until one fails; Return: how many. */
static unsigned long grab(struct held *h, gfp_t gfp)
{
	unsigned long n = 0;
	struct page *page;

	while ((page = alloc_pages(gfp | NOWARN, h->order))) {
		list_add(&page->lru, &h->list);
		n++;
	}
	h->blocks += n;
	return n;
}

static void release(struct held *h)
{
	while (!list_empty(&h->list)) {
		struct page *page = list_first_entry(&h->list, struct page,
						     lru);

		list_del(&page->lru);
		__free_pages(page, h->order);
	}
	h->blocks = 0;
}

/*
 * 4g layout, pristine: take one order-0 page and one order-3 block from
 * Normal; each refills this hart's empty list of its order with one
 * block of a batch of blocks, split. Expect Normal's free_area counts to
 * change exactly as taking those two blocks predicts (splitting the
 * smallest fitting block), and DMA32 untouched.
 */
static void alloc_pages_split_exact(struct ktest *t)
{
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	unsigned long after[NR_ZONEIDS][NR_PAGE_ORDERS];
	unsigned long model[NR_PAGE_ORDERS], free0;
	struct zone *normal = &zones[ZONE_NORMAL];
	unsigned int batch0, batch3;
	struct page *p0, *p3;
	int o;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_4g() != 0);
	buddyinfo_snapshot(before);
	free0 = normal->free_pages;
	batch0 = normal->pcp_batch[0];
	batch3 = normal->pcp_batch[3];
	p0 = alloc_pages(GFP_KERNEL, 0);
	KTEST_ASSERT_TRUE(t, p0 != NULL);
	KTEST_EXPECT_EQ(t, page_zonenum(p0), ZONE_NORMAL);
	KTEST_EXPECT_EQ(t, free0 - normal->free_pages, batch0);
	KTEST_EXPECT_EQ(t, zone_pcp_count(normal), batch0 - 1);
	memcpy(model, before[ZONE_NORMAL], sizeof(model));
	KTEST_EXPECT_TRUE(t, mm_buddy_model_take(model,
						 __builtin_ctz(batch0)));
	p3 = alloc_pages(GFP_KERNEL, 3);
	KTEST_ASSERT_TRUE(t, p3 != NULL);
	KTEST_EXPECT_EQ(t, page_to_pfn(p3) % 8, 0);
	KTEST_EXPECT_EQ(t, zone_pcp_count(normal),
			batch0 - 1 + 8 * (batch3 - 1));
	KTEST_EXPECT_TRUE(t, mm_buddy_model_take(model,
						 3 + __builtin_ctz(batch3)));
	buddyinfo_snapshot(after);
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		KTEST_EXPECT_EQ(t, after[ZONE_NORMAL][o], model[o]);
	KTEST_EXPECT_TRUE(t, !memcmp(after[ZONE_DMA32], before[ZONE_DMA32],
				     sizeof(after[0])));
	__free_pages(p3, 3);
	__free_page(p0);
	KTEST_EXPECT_TRUE(t, mm_recovered(before));
}

/*
 * 4g layout: take 16 blocks of order PCP_MAX_ORDER + 1 (no per-hart list
 * involved) and give them back in reverse order; expect buddyinfo back to
 * pristine at once, before any drain. Then 64 order-0 pages freed in
 * shuffled order: expect pristine again after draining this hart's list.
 */
static void __free_pages_merges_buddies(struct ktest *t)
{
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	unsigned long after[NR_ZONEIDS][NR_PAGE_ORDERS];
	const unsigned int big = PCP_MAX_ORDER + 1;
	struct page *blk[64];
	u64 rng = 42;
	int i;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_4g() != 0);
	buddyinfo_snapshot(before);
	for (i = 0; i < 16; i++) {
		blk[i] = alloc_pages(GFP_KERNEL, big);
		KTEST_ASSERT_TRUE(t, blk[i] != NULL);
	}
	while (i--)
		__free_pages(blk[i], big);
	buddyinfo_snapshot(after);
	KTEST_EXPECT_TRUE(t, buddyinfo_equal(before, after));
	for (i = 0; i < 64; i++) {
		blk[i] = alloc_page(GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, blk[i] != NULL);
	}
	for (i = 63; i > 0; i--) {
		int j = mm_rand(&rng) % (i + 1);
		struct page *tmp = blk[i];

		blk[i] = blk[j];
		blk[j] = tmp;
	}
	for (i = 0; i < 64; i++)
		__free_page(blk[i]);
	KTEST_EXPECT_TRUE(t, mm_recovered(before));
}

static void expect_block(struct ktest *t, const struct page *page,
			 unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);

	KTEST_EXPECT_EQ(t, pfn % (1UL << order), 0);
	KTEST_EXPECT_TRUE(t, PageHead(page));
	KTEST_EXPECT_TRUE(t, !PageBuddy(page) && !PageReserved(page));
	KTEST_EXPECT_EQ(t, page->order, order);
}

/*
 * 4g layout: one block of every order 0..10 from each zone, all held at
 * once so later ones come from split remainders. Expect each naturally
 * aligned (pfn a multiple of 2^order) and marked as an allocated block.
 */
static void alloc_pages_natural_alignment(struct ktest *t)
{
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	struct page *blk[2][NR_PAGE_ORDERS];
	static const gfp_t gfp[2] = { GFP_KERNEL, GFP_KERNEL | GFP_DMA32 };
	unsigned int g, o;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_4g() != 0);
	buddyinfo_snapshot(before);
	for (g = 0; g < 2; g++) {
		for (o = 0; o <= MAX_PAGE_ORDER; o++) {
			blk[g][o] = alloc_pages(gfp[g], o);
			KTEST_ASSERT_TRUE(t, blk[g][o] != NULL);
			expect_block(t, blk[g][o], o);
		}
	}
	for (g = 0; g < 2; g++)
		for (o = 0; o <= MAX_PAGE_ORDER; o++)
			__free_pages(blk[g][o], o);
	KTEST_EXPECT_TRUE(t, mm_recovered(before));
}

/*
 * 4g layout: GFP_DMA32 requests of orders 0, 3 and 9 until they fail.
 * Expect every block below 4 GiB in ZONE_DMA32, and Normal untouched.
 */
static void alloc_pages_dma32_below_4g(struct ktest *t)
{
	static const unsigned int orders[] = { 9, 3, 0 };
	unsigned long normal_free;
	struct held h[ARRAY_SIZE(orders)];
	struct list_head *pos;
	unsigned int i;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_4g() != 0);
	normal_free = zones[ZONE_NORMAL].free_pages;
	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		held_init(&h[i], orders[i]);
		KTEST_EXPECT_TRUE(t, grab(&h[i], GFP_KERNEL | GFP_DMA32) > 0);
		list_for_each(pos, &h[i].list) {
			struct page *p = list_entry(pos, struct page, lru);

			unsigned long end = page_to_pfn(p) + (1UL << orders[i]);

			KTEST_EXPECT_TRUE(t, end <= DMA32_LIMIT_PFN);
			KTEST_EXPECT_EQ(t, page_zonenum(p), ZONE_DMA32);
		}
	}
	KTEST_EXPECT_EQ(t, zones[ZONE_NORMAL].free_pages, normal_free);
	for (i = 0; i < ARRAY_SIZE(orders); i++)
		release(&h[i]);
}

/*
 * 4g layout: plain order-0 requests one at a time. Expect them from
 * Normal until Normal is down to its low watermark, and only then from
 * DMA32.
 */
static void alloc_pages_normal_first_then_dma32(struct ktest *t)
{
	struct zone *normal = &zones[ZONE_NORMAL];
	struct held h;
	struct page *page;
	unsigned long from_normal = 0;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_4g() != 0);
	held_init(&h, 0);
	while ((page = alloc_page(GFP_KERNEL | NOWARN))) {
		list_add(&page->lru, &h.list);
		if (page_zonenum(page) == ZONE_DMA32)
			break;
		from_normal++;
	}
	KTEST_ASSERT_TRUE(t, page != NULL);
	KTEST_EXPECT_TRUE(t, from_normal > 0);
	KTEST_EXPECT_TRUE(t, normal->free_pages <=
			  normal->watermark[WMARK_LOW]);
	KTEST_EXPECT_TRUE(t, from_normal + normal->free_pages +
			  zone_pcp_count(normal) == normal->managed_pages);
	release(&h);
}

/*
 * small layout (one zone): order-0 GFP_KERNEL until it fails, then
 * GFP_NOWAIT, GFP_KERNEL | __GFP_HIGH and GFP_ATOMIC in turn. Expect
 * GFP_KERNEL to stop within a per-hart batch of the min watermark,
 * GFP_NOWAIT to get nothing more (it may not use reserves), and
 * __GFP_HIGH then GFP_ATOMIC each to get pages below that, stopping short
 * of zero (some reserve is kept even from them).
 */
static void alloc_pages_watermarks(struct ktest *t)
{
	struct zone *z = &zones[ZONE_DMA32];
	unsigned long min, batch, after_high;
	struct held kernel, nowait, high, atomic;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_small(MiB(32)) != 0);
	min = z->watermark[WMARK_MIN];
	batch = z->pcp_batch[0];
	KTEST_ASSERT_TRUE(t, min > 0);
	KTEST_EXPECT_TRUE(t, z->watermark[WMARK_LOW] > min);
	KTEST_EXPECT_TRUE(t, z->watermark[WMARK_HIGH] >
			  z->watermark[WMARK_LOW]);
	held_init(&kernel, 0);
	held_init(&nowait, 0);
	held_init(&high, 0);
	held_init(&atomic, 0);
	KTEST_EXPECT_TRUE(t, grab(&kernel, GFP_KERNEL) > 0);
	KTEST_EXPECT_TRUE(t, z->free_pages <= min);
	KTEST_EXPECT_TRUE(t, z->free_pages + batch > min);
	KTEST_EXPECT_EQ(t, grab(&nowait, GFP_NOWAIT), 0);
	KTEST_EXPECT_TRUE(t, grab(&high, GFP_KERNEL | __GFP_HIGH) > 0);
	after_high = z->free_pages;
	KTEST_EXPECT_TRUE(t, after_high <= min - min / 2);
	KTEST_EXPECT_TRUE(t, after_high > 0);
	KTEST_EXPECT_TRUE(t, grab(&atomic, GFP_ATOMIC) > 0);
	KTEST_EXPECT_TRUE(t, z->free_pages < after_high);
	KTEST_EXPECT_TRUE(t, z->free_pages > 0);
	release(&atomic);
	release(&high);
	release(&kernel);
}

static bool page_is_zero(const void *addr)
{
	const unsigned long *p = addr;
	size_t i;

	for (i = 0; i < PAGE_SIZE / sizeof(*p); i++)
		if (p[i])
			return false;
	return true;
}

/*
 * Dirty a page and an order-2 block, free them, then allocate with
 * __GFP_ZERO (and get_zeroed_page()): expect every byte zero, whichever
 * pages come back.
 */
static void alloc_pages_gfp_zero(struct ktest *t)
{
	struct page *p, *q;
	unsigned long addr;
	int i;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_4g() != 0);
	p = alloc_page(GFP_KERNEL);
	q = alloc_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_TRUE(t, p && q);
	memset(page_address(p), 0x5a, PAGE_SIZE);
	memset(page_address(q), 0x5a, 4 * PAGE_SIZE);
	__free_page(p);
	__free_pages(q, 2);
	p = alloc_page(GFP_KERNEL | __GFP_ZERO);
	q = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	KTEST_ASSERT_TRUE(t, p && q);
	KTEST_EXPECT_TRUE(t, page_is_zero(page_address(p)));
	for (i = 0; i < 4; i++)
		KTEST_EXPECT_TRUE(t, page_is_zero(page_address(q + i)));
	memset(page_address(p), 0x5a, PAGE_SIZE);
	__free_page(p);
	addr = get_zeroed_page(GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, addr != 0);
	KTEST_EXPECT_TRUE(t, page_is_zero((void *)addr));
	free_page(addr);
	__free_pages(q, 2);
}

/*
 * __get_free_pages(order 2) / free_pages(): expect a page-aligned kernel
 * address of an allocated order-2 block, four pages fewer free while it
 * is held, all back after; free_pages(0) is ignored.
 */
static void __get_free_pages_and_free_pages(struct ktest *t)
{
	unsigned long before, addr;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_4g() != 0);
	before = mm_free_total();
	addr = __get_free_pages(GFP_KERNEL, 2);
	KTEST_ASSERT_TRUE(t, addr != 0);
	KTEST_EXPECT_TRUE(t, IS_ALIGNED(addr, 4 * PAGE_SIZE));
	expect_block(t, virt_to_page((void *)addr), 2);
	KTEST_EXPECT_EQ(t, before - mm_free_total(), 4);
	memset((void *)addr, 0xee, 4 * PAGE_SIZE);
	free_pages(addr, 2);
	free_pages(0, 3);
	KTEST_EXPECT_EQ(t, mm_free_total(), before);
	KTEST_EXPECT_EQ(t, __get_free_pages(GFP_KERNEL | NOWARN,
					    MAX_PAGE_ORDER + 1), 0);
}

/*
 * alloc_pages_exact() of 1 byte, 1 page, 3 pages, 5 pages + 1 byte and
 * 1000 pages: expect exactly DIV_ROUND_UP(size, PAGE_SIZE) pages to stay
 * in use (free = buddy + per-hart lists), the whole size writable, and
 * free_pages_exact() to give them all back; sizes 0 and above 4 MiB fail.
 */
static void alloc_pages_exact_keeps_exact_pages(struct ktest *t)
{
	static const size_t sizes[] = {
		1, PAGE_SIZE, 3 * PAGE_SIZE, 5 * PAGE_SIZE + 1,
		1000 * PAGE_SIZE,
	};
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	unsigned long free0 = 0;
	unsigned int i;
	void *p;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_4g() != 0);
	buddyinfo_snapshot(before);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		free0 = mm_free_total();
		p = alloc_pages_exact(sizes[i], GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_TRUE(t, IS_ALIGNED((unsigned long)p, PAGE_SIZE));
		KTEST_EXPECT_EQ(t, free0 - mm_free_total(),
				DIV_ROUND_UP(sizes[i], PAGE_SIZE));
		memset(p, 0xc3, sizes[i]);
		free_pages_exact(p, sizes[i]);
		KTEST_EXPECT_EQ(t, mm_free_total(), free0);
	}
	KTEST_EXPECT_TRUE(t, alloc_pages_exact(0, GFP_KERNEL) == NULL);
	p = alloc_pages_exact((PAGE_SIZE << MAX_PAGE_ORDER) + 1,
			      GFP_KERNEL | NOWARN);
	KTEST_EXPECT_TRUE(t, p == NULL);
	KTEST_EXPECT_TRUE(t, mm_recovered(before));
}

/*
 * Right after boot: expect managed pages to be what memblock_free_all()
 * released and what memblock says is free, all of it free; si_meminfo()
 * to agree with nr_free_pages(); zone spans and present pages to match
 * the layout. After taking 3 pages, expect 3 fewer free.
 */
static void nr_free_pages_and_si_meminfo(struct ktest *t)
{
	unsigned long released = mm_fixture_boot_4g();
	unsigned long memmap_pages, before;
	struct zone *dma32 = &zones[ZONE_DMA32], *normal = &zones[ZONE_NORMAL];
	struct sysinfo si;
	struct page *p0, *p1;

	KTEST_ASSERT_TRUE(t, released != 0);
	memmap_pages = DIV_ROUND_UP(0x4000 * sizeof(struct page), PAGE_SIZE);
	KTEST_EXPECT_EQ(t, mm_managed_total(), released);
	KTEST_EXPECT_EQ(t, nr_free_pages(), released);
	KTEST_EXPECT_EQ(t, dma32->zone_start_pfn, 0xfe000);
	KTEST_EXPECT_EQ(t, dma32->spanned_pages, 0x2000);
	KTEST_EXPECT_EQ(t, dma32->present_pages, 0x2000);
	KTEST_EXPECT_EQ(t, dma32->managed_pages, 0x2000 - 0x200);
	KTEST_EXPECT_EQ(t, normal->zone_start_pfn, DMA32_LIMIT_PFN);
	KTEST_EXPECT_EQ(t, normal->spanned_pages, 0x2000);
	KTEST_EXPECT_EQ(t, normal->managed_pages, 0x2000 - memmap_pages);
	KTEST_EXPECT_STREQ(t, dma32->name, "DMA32");
	KTEST_EXPECT_STREQ(t, normal->name, "Normal");
	si_meminfo(&si);
	KTEST_EXPECT_EQ(t, si.totalram, released);
	KTEST_EXPECT_EQ(t, si.freeram, nr_free_pages());
	KTEST_EXPECT_EQ(t, si.mem_unit, PAGE_SIZE);
	before = mm_free_total();
	p0 = alloc_page(GFP_KERNEL);
	p1 = alloc_pages(GFP_KERNEL, 1);
	KTEST_ASSERT_TRUE(t, p0 && p1);
	KTEST_EXPECT_EQ(t, mm_free_total(), before - 3);
	si_meminfo(&si);
	KTEST_EXPECT_EQ(t, si.freeram, nr_free_pages());
	__free_pages(p1, 1);
	__free_page(p0);
}

/*
 * 4g layout: GFP_KERNEL blocks of every order from 10 down to 0 until
 * each fails, then GFP_ATOMIC pages until that fails too. Expect free
 * memory down to the atomic reserve, then, once everything is freed and
 * this hart's list drained, buddyinfo exactly as after boot.
 */
static void alloc_pages_exhaust_and_recover(struct ktest *t)
{
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	struct held h[NR_PAGE_ORDERS], atomic;
	unsigned long got = 0;
	int o;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_4g() != 0);
	buddyinfo_snapshot(before);
	for (o = MAX_PAGE_ORDER; o >= 0; o--) {
		held_init(&h[o], o);
		got += grab(&h[o], GFP_KERNEL) << o;
	}
	held_init(&atomic, 0);
	got += grab(&atomic, GFP_ATOMIC);
	KTEST_EXPECT_TRUE(t, atomic.blocks > 0);
	KTEST_EXPECT_EQ(t, mm_free_total() + got, mm_managed_total());
	KTEST_EXPECT_TRUE(t, nr_free_pages() <
			  zones[ZONE_DMA32].watermark[WMARK_MIN] +
			  zones[ZONE_NORMAL].watermark[WMARK_MIN]);
	KTEST_EXPECT_TRUE(t, alloc_page(GFP_ATOMIC | NOWARN) == NULL);
	release(&atomic);
	for (o = 0; o <= MAX_PAGE_ORDER; o++)
		release(&h[o]);
	KTEST_EXPECT_TRUE(t, mm_recovered(before));
}

/* Orders above MAX_PAGE_ORDER: expect NULL, with or without a warning,
 * and nothing taken. */
static void alloc_pages_order_too_large(struct ktest *t)
{
	unsigned long before;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_4g() != 0);
	before = mm_free_total();
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL | NOWARN,
					 MAX_PAGE_ORDER + 1) == NULL);
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1) ==
			  NULL);
	KTEST_EXPECT_TRUE(t, alloc_pages(GFP_ATOMIC | NOWARN, 31) == NULL);
	KTEST_EXPECT_EQ(t, mm_free_total(), before);
}

/* Blocks on this hart's (cpu 0's) list of @zone and @order. */
static unsigned long pcp_blocks(unsigned int zone, unsigned int order)
{
	return pcp_count(&zones[zone], 0, order);
}

/*
 * 4g layout, for each order 1-3: one block, freed, then taken again.
 * Expect the first to refill this hart's empty list with one split block
 * of a batch (the zone's free count down by a batch, the rest listed),
 * the freed block back on top of the list marked PG_pcp and no longer
 * allocated, and the next allocation to return that same block.
 */
static void pcp_lists_refill_orders_1_to_3(struct ktest *t)
{
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	struct zone *normal = &zones[ZONE_NORMAL];
	unsigned int o;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_4g() != 0);
	buddyinfo_snapshot(before);
	for (o = 1; o <= PCP_MAX_ORDER; o++) {
		unsigned long free0 = normal->free_pages;
		unsigned int batch = normal->pcp_batch[o];
		struct page *p, *q;

		KTEST_EXPECT_TRUE(t, batch >= 2);
		p = alloc_pages(GFP_KERNEL, o);
		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_EQ(t, free0 - normal->free_pages, batch << o);
		KTEST_EXPECT_EQ(t, pcp_blocks(ZONE_NORMAL, o), batch - 1);
		expect_block(t, p, o);
		__free_pages(p, o);
		KTEST_EXPECT_EQ(t, pcp_blocks(ZONE_NORMAL, o), batch);
		KTEST_EXPECT_TRUE(t, PagePcp(p) && !PageHead(p));
		KTEST_EXPECT_TRUE(t, per_cpu_pages[0].lists[ZONE_NORMAL][o].head
				  == p);
		q = alloc_pages(GFP_KERNEL, o);
		KTEST_EXPECT_TRUE(t, q == p);
		__free_pages(q, o);
	}
	KTEST_EXPECT_EQ(t, normal->free_pages, normal->managed_pages -
			zone_pcp_count(normal));
	KTEST_EXPECT_TRUE(t, mm_recovered(before));
}

/*
 * 4g layout, for each order 1-3: hold high + 1 blocks, then free them
 * one by one. Expect the list to grow to its high mark and, at the free
 * that passes it, a batch to go back to the buddy under one lock hold:
 * high + 1 - batch blocks listed, the zone's free count up by a batch.
 */
static void pcp_lists_drain_a_batch_past_high(struct ktest *t)
{
	struct zone *normal = &zones[ZONE_NORMAL];
	struct held h;
	unsigned int o;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_4g() != 0);
	for (o = 1; o <= PCP_MAX_ORDER; o++) {
		unsigned int high = normal->pcp_high[o];
		unsigned int batch = normal->pcp_batch[o];
		unsigned long i, free0;
		struct page *page;

		held_init(&h, o);
		for (i = 0; i <= high; i++) {
			page = alloc_pages(GFP_KERNEL, o);
			KTEST_ASSERT_TRUE(t, page != NULL);
			list_add(&page->lru, &h.list);
		}
		drain_local_pages(NULL);
		for (i = 0; i < high; i++) {
			page = list_first_entry(&h.list, struct page, lru);
			list_del(&page->lru);
			__free_pages(page, o);
		}
		KTEST_EXPECT_EQ(t, pcp_blocks(ZONE_NORMAL, o), high);
		free0 = normal->free_pages;
		release(&h);
		KTEST_EXPECT_EQ(t, pcp_blocks(ZONE_NORMAL, o),
				high + 1 - batch);
		KTEST_EXPECT_EQ(t, normal->free_pages - free0,
				(unsigned long)batch << o);
	}
}

/*
 * small layout (one zone): fill this hart's lists of orders 1-3, then
 * take order-0 pages until GFP_KERNEL fails. Expect the slow path to
 * have drained those lists back to the buddy (memory pressure) and their
 * pages to have been handed out as order-0 pages: the zone ends exactly
 * at its min watermark (below the low one, refills take one block).
 */
static void pcp_lists_drain_on_memory_pressure(struct ktest *t)
{
	struct zone *z = &zones[ZONE_DMA32];
	struct held h[NR_PCP_ORDERS];
	unsigned int o;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_small(MiB(32)) != 0);
	for (o = 1; o <= PCP_MAX_ORDER; o++) {
		struct page *page = alloc_pages(GFP_KERNEL, o);

		KTEST_ASSERT_TRUE(t, page != NULL);
		__free_pages(page, o);
		KTEST_EXPECT_EQ(t, pcp_blocks(ZONE_DMA32, o), z->pcp_batch[o]);
	}
	held_init(&h[0], 0);
	KTEST_EXPECT_TRUE(t, grab(&h[0], GFP_KERNEL) > 0);
	for (o = 1; o <= PCP_MAX_ORDER; o++)
		KTEST_EXPECT_EQ(t, pcp_blocks(ZONE_DMA32, o), 0);
	KTEST_EXPECT_EQ(t, zone_pcp_count(z), 0);
	KTEST_EXPECT_EQ(t, z->free_pages, z->watermark[WMARK_MIN]);
	KTEST_EXPECT_EQ(t, h[0].blocks + z->free_pages, z->managed_pages);
	release(&h[0]);
}

/*
 * 576 MiB at the virt base, its bytes all 0x5a as stale RAM: one zone
 * whose struct pages boot initialises for its first 128 MiB and defers
 * the rest (the last chunk 64 MiB). Expect deferred_low_pfn at the first
 * deferred pfn; deferred pfns read as a zeroed struct page to the free
 * fast path (the host clears mem_map, as the guest's vmemmap window
 * shows a zeroed page) and have no page for the checked lookup. After
 * deferred_init_all(), nothing is deferred and both lookups find the
 * pages.
 */
static void deferred_struct_pages_read_zeroed(struct ktest *t)
{
	const unsigned long first = (MM_VIRT_BASE + MiB(128)) >> PAGE_SHIFT;
	const unsigned long end = (MM_VIRT_BASE + MiB(576)) >> PAGE_SHIFT;
	const unsigned long probe[] = { first, first + 12345, end - 1 };
	static const struct page zero;
	unsigned int i;

	mm_fixture_stale_ram = 0x5a;
	KTEST_ASSERT_TRUE(t, mm_fixture_boot_small(MiB(576)) != 0);
	mm_fixture_stale_ram = -1;
	KTEST_EXPECT_EQ(t, deferred_low_pfn, first);
	for (i = 0; i < ARRAY_SIZE(probe); i++) {
		void *addr = page_address(pfn_to_page(probe[i]));

		KTEST_EXPECT_TRUE(t, pfn_deferred(probe[i]));
		KTEST_EXPECT_TRUE(t, !memcmp(virt_to_page_fast(addr), &zero,
					     sizeof(zero)));
		KTEST_EXPECT_TRUE(t, !virt_to_page_or_null(addr));
	}
	KTEST_EXPECT_TRUE(t, !pfn_deferred(first - 1));
	deferred_init_all();
	KTEST_EXPECT_EQ(t, deferred_low_pfn, ULONG_MAX);
	for (i = 0; i < ARRAY_SIZE(probe); i++) {
		struct page *page = pfn_to_page(probe[i]);

		KTEST_EXPECT_TRUE(t, !pfn_deferred(probe[i]));
		KTEST_EXPECT_TRUE(t, virt_to_page_fast(page_address(page)) ==
				     page);
		KTEST_EXPECT_TRUE(t, virt_to_page_or_null(page_address(page)) ==
				     page);
	}
}

static const struct ktest_case page_alloc_cases[] = {
	KTEST_CASE(alloc_pages_split_exact),
	KTEST_CASE(__free_pages_merges_buddies),
	KTEST_CASE(alloc_pages_natural_alignment),
	KTEST_CASE(alloc_pages_dma32_below_4g),
	KTEST_CASE(alloc_pages_normal_first_then_dma32),
	KTEST_CASE(alloc_pages_watermarks),
	KTEST_CASE(alloc_pages_gfp_zero),
	KTEST_CASE(__get_free_pages_and_free_pages),
	KTEST_CASE(alloc_pages_exact_keeps_exact_pages),
	KTEST_CASE(nr_free_pages_and_si_meminfo),
	KTEST_CASE(alloc_pages_exhaust_and_recover),
	KTEST_CASE(alloc_pages_order_too_large),
	KTEST_CASE(pcp_lists_refill_orders_1_to_3),
	KTEST_CASE(pcp_lists_drain_a_batch_past_high),
	KTEST_CASE(pcp_lists_drain_on_memory_pressure),
	KTEST_CASE(deferred_struct_pages_read_zeroed),
	{}
};

KTEST_SUITE(page_alloc_suite) = {
	.name = "page_alloc",
	.cases = page_alloc_cases,
};
