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
#include <rvmem/gfp.h>
#include <rvmem/ktest.h>
#include <rvmem/list.h>
#include <rvmem/mm.h>
#include <rvmem/mmzone.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>

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

static unsigned long zones_min(void)
{
	unsigned long sum = 0;
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		sum += zones[z].watermark[WMARK_MIN];
	return sum;
}

/*
 * Expect each zone to lie on its side of 4 GiB, to manage no more than it
 * holds, and every managed page to be free once the per-hart lists are
 * drained (nothing else allocates while the selftest runs).
 */
static void page_alloc_zones_match_ram(struct ktest *t)
{
	struct zone *dma32 = &zones[ZONE_DMA32], *normal = &zones[ZONE_NORMAL];
	struct sysinfo si;
	int z;

	KTEST_ASSERT_TRUE(t, populated_zone(dma32));
	KTEST_EXPECT_TRUE(t, zone_end_pfn(dma32) <= DMA32_LIMIT_PFN);
	if (populated_zone(normal))
		KTEST_EXPECT_TRUE(t, normal->zone_start_pfn >= DMA32_LIMIT_PFN);
	for (z = 0; z < MAX_NR_ZONES; z++) {
		KTEST_EXPECT_TRUE(t, zones[z].managed_pages <=
				  zones[z].present_pages);
		KTEST_EXPECT_TRUE(t, zones[z].present_pages <=
				  zones[z].spanned_pages);
	}
	drain_all_pages();
	si_meminfo(&si);
	KTEST_EXPECT_EQ(t, si.totalram,
			dma32->managed_pages + normal->managed_pages);
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
	unsigned long before[MAX_NR_ZONES][NR_PAGE_ORDERS];
	unsigned long after[MAX_NR_ZONES][NR_PAGE_ORDERS];
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
	unsigned long before[MAX_NR_ZONES][NR_PAGE_ORDERS];
	unsigned long after[MAX_NR_ZONES][NR_PAGE_ORDERS];
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

static const struct ktest_case page_alloc_cases[] = {
	KTEST_CASE(page_alloc_zones_match_ram),
	KTEST_CASE(alloc_pages_every_free_page),
	KTEST_CASE(alloc_pages_zones_above_4g),
	KTEST_CASE(alloc_pages_random_on_each_hart),
	{}
};

KTEST_SUITE(page_alloc_suite) = {
	.name = "page_alloc",
	.cases = page_alloc_cases,
};
