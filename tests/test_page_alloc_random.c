// SPDX-License-Identifier: MIT
/*
 * Host random tests of the page allocator: long seeded runs of
 * allocations and frees checked against a shadow model of what is
 * allocated, on one thread (suite page_alloc_random) and on four threads
 * playing harts 1-4 (suite page_alloc_smp, which can run alone and under
 * ThreadSanitizer: rvmem-tests page_alloc_smp).
 *
 * Each run owns a set of live blocks; a bitmap of pfns shared by all runs
 * records every page handed out, so a page given to two owners at once,
 * in one thread or across threads, is caught when the second claims it.
 * Every page of a block carries a pattern made from the block's tag and
 * the pfn in its first and last word, checked at free.
 *
 * The layout: 64 MiB, a 4 MiB hole, then 124 MiB across 4 GiB, so both
 * zones hold pages; two reservations, one of them not page-block aligned.
 */
#include <stdlib.h>
#include <string.h>
#include <rvmem/gfp.h>
#include <rvmem/ktest.h>
#include <rvmem/list.h>
#include <rvmem/printk.h>

#include "harts.h"
#include "mm_fixture.h"

#define NOWARN		__GFP_NOWARN
#define BITS_PER_LONG	(8 * sizeof(long))
#define GOLDEN		0x9e3779b97f4a7c15ULL

#define STRESS_OPS		1000000
#define STRESS_SMP_THREADS	4
#define STRESS_SMP_OPS		250000	/* per thread */
#define STRESS_MAX_LIVE		4096
#define STRESS_CHECK_EVERY	256	/* counts add up */
#define STRESS_WALK_EVERY	4096	/* free lists agree with the shadow */
#define STRESS_PHASE		16384	/* ops between fill and drain phases */
#define STRESS_MAX_ERRORS	10	/* printed per run */

struct block {
	struct page *page;
	unsigned int order;
	u64 tag;
};

/* Blocks one thread hands to another to free. */
struct stress {
	u64 rng;
	unsigned long ops;
	struct handoff *handoff;	/* NULL: no other threads */
	unsigned int nr_live, max_live;
	unsigned long live_pages;
	unsigned long allocs, fails, frees, errors;
	struct block live[STRESS_MAX_LIVE];
};

static unsigned long *pfn_bitmap;

static const struct boot_range stress_ram[] = {
	{ .base = SZ_4G - MiB(128), .size = MiB(64) },
	{ .base = SZ_4G - MiB(60), .size = MiB(124) },
};

static const struct boot_range stress_resv[] = {
	{ .base = SZ_4G - MiB(128), .size = MiB(2) },
	{ .base = SZ_4G + MiB(10) + 0x3000, .size = 0x19000 },
};

static unsigned long stress_boot(void)
{
	unsigned long released = mm_fixture_boot(stress_ram,
						 ARRAY_SIZE(stress_ram),
						 stress_resv,
						 ARRAY_SIZE(stress_resv));

	free(pfn_bitmap);
	pfn_bitmap = calloc(DIV_ROUND_UP(max_pfn - memmap_base_pfn,
					 BITS_PER_LONG), sizeof(long));
	return pfn_bitmap ? released : 0;
}

/* Count an error of @s; the first STRESS_MAX_ERRORS are printed. */
#define stress_error(s, ...) \
	mm_run_error(&(s)->errors, STRESS_MAX_ERRORS, (s)->ops, __VA_ARGS__)

static void block_error(struct stress *s, const char *what,
			const struct page *page, unsigned int order)
{
	stress_error(s, "%s: pfn %#lx order %u", what, page_to_pfn(page),
		     order);
}

/*
 * Set (@claim) or clear the bits of [pfn, pfn + n) atomically.
 * Return: true if every bit was clear before a claim, set before a release.
 */
static bool shadow_change(unsigned long pfn, unsigned long n, bool claim)
{
	unsigned long i = pfn - memmap_base_pfn, end = i + n;
	bool ok = true;

	while (i < end) {
		unsigned long bit = i % BITS_PER_LONG;
		unsigned long cnt = min(BITS_PER_LONG - bit, end - i);
		unsigned long mask = (cnt == BITS_PER_LONG ? ~0UL :
				      (1UL << cnt) - 1) << bit;
		unsigned long *w = &pfn_bitmap[i / BITS_PER_LONG], old;

		if (claim)
			old = __atomic_fetch_or(w, mask, __ATOMIC_RELAXED);
		else
			old = __atomic_fetch_and(w, ~mask, __ATOMIC_RELAXED);
		ok &= (old & mask) == (claim ? 0 : mask);
		i += cnt;
	}
	return ok;
}

/* Are all bits of [pfn, pfn + n) clear? */
static bool shadow_clear(unsigned long pfn, unsigned long n)
{
	unsigned long i, word;

	for (i = pfn - memmap_base_pfn; i < pfn - memmap_base_pfn + n; i++) {
		word = __atomic_load_n(&pfn_bitmap[i / BITS_PER_LONG],
				       __ATOMIC_RELAXED);
		if (word & (1UL << (i % BITS_PER_LONG)))
			return false;
	}
	return true;
}

static u64 pattern(const struct block *b, unsigned long pfn)
{
	return b->tag ^ (pfn * GOLDEN);
}

static u64 *page_words(const struct page *page, unsigned int i)
{
	return (u64 *)page_address(page + i);
}

#define LAST_WORD	(PAGE_SIZE / sizeof(u64) - 1)

static void pattern_write(const struct block *b)
{
	unsigned long pfn = page_to_pfn(b->page), i;

	for (i = 0; i < 1UL << b->order; i++) {
		page_words(b->page, i)[0] = pattern(b, pfn + i);
		page_words(b->page, i)[LAST_WORD] = ~pattern(b, pfn + i);
	}
}

static bool pattern_ok(const struct block *b)
{
	unsigned long pfn = page_to_pfn(b->page), i;

	for (i = 0; i < 1UL << b->order; i++)
		if (page_words(b->page, i)[0] != pattern(b, pfn + i) ||
		    page_words(b->page, i)[LAST_WORD] != ~pattern(b, pfn + i))
			return false;
	return true;
}

static bool words_zero(const struct block *b)
{
	unsigned long i;

	for (i = 0; i < 1UL << b->order; i++)
		if (page_words(b->page, i)[0] ||
		    page_words(b->page, i)[LAST_WORD])
			return false;
	return true;
}

/* Is the block aligned, inside one zone, and of the zone it must be? */
static bool block_placed_ok(const struct page *page, unsigned int order,
			    gfp_t gfp)
{
	unsigned long pfn = page_to_pfn(page), n = 1UL << order;
	const struct zone *zone = &zones[page_zonenum(page)];

	if (pfn % n || pfn < zone->zone_start_pfn ||
	    pfn + n > zone_end_pfn(zone))
		return false;
	if ((gfp & __GFP_DMA32) && page_zonenum(page) != ZONE_DMA32)
		return false;
	return PageHead(page) && page->order == order && !PageBuddy(page);
}

/* Orders weighted to small ones: half order 0, 1/128 order 10. */
static unsigned int stress_order(struct stress *s)
{
	static const u8 cumulative[NR_PAGE_ORDERS] = {
		64, 84, 98, 108, 115, 120, 123, 125, 126, 127, 128,
	};
	unsigned int r = mm_rand(&s->rng) % 128, o = 0;

	while (r >= cumulative[o])
		o++;
	return o;
}

static gfp_t stress_gfp(struct stress *s)
{
	switch (mm_rand(&s->rng) % 16) {
	case 0: case 1: case 2: case 3:
		return GFP_KERNEL | GFP_DMA32 | NOWARN;
	case 4:
		return GFP_ATOMIC | NOWARN;
	case 5:
		return GFP_NOWAIT | NOWARN;
	case 6:
		return GFP_KERNEL | __GFP_ZERO | NOWARN;
	default:
		return GFP_KERNEL | NOWARN;
	}
}

static void stress_alloc(struct stress *s)
{
	gfp_t gfp = stress_gfp(s);
	struct block *b = &s->live[s->nr_live];

	b->order = stress_order(s);
	b->page = alloc_pages(gfp, b->order);
	if (!b->page) {
		s->fails++;
		return;
	}
	b->tag = mm_rand(&s->rng);
	if (!block_placed_ok(b->page, b->order, gfp))
		block_error(s, "misplaced block", b->page, b->order);
	if (!shadow_change(page_to_pfn(b->page), 1UL << b->order, true))
		block_error(s, "page handed out twice", b->page, b->order);
	if ((gfp & __GFP_ZERO) && !words_zero(b))
		block_error(s, "__GFP_ZERO block not zero", b->page, b->order);
	pattern_write(b);
	s->nr_live++;
	s->live_pages += 1UL << b->order;
	s->allocs++;
}

/* Check and free a block that is no longer in anyone's live set. */
static void stress_free_block(struct stress *s, const struct block *b)
{
	if (!pattern_ok(b))
		block_error(s, "pattern overwritten", b->page, b->order);
	if (!shadow_change(page_to_pfn(b->page), 1UL << b->order, false))
		block_error(s, "shadow lost the block", b->page, b->order);
	__free_pages(b->page, b->order);
	s->frees++;
}

static struct block stress_take_live(struct stress *s)
{
	unsigned int i = mm_rand(&s->rng) % s->nr_live;
	struct block b = s->live[i];

	s->live[i] = s->live[--s->nr_live];
	s->live_pages -= 1UL << b.order;
	return b;
}

/*
 * Free a random live block; with other threads about, sometimes pass it
 * to them instead, or free one they passed.
 */
static void stress_free(struct stress *s)
{
	unsigned int r = s->handoff ? mm_rand(&s->rng) % 8 : 2;
	struct block b;

	if (r == 0 && handoff_pop(s->handoff, &b)) {
		stress_free_block(s, &b);
		return;
	}
	b = stress_take_live(s);
	if (r == 1 && handoff_push(s->handoff, &b))
		return;
	stress_free_block(s, &b);
}

static void stress_step(struct stress *s)
{
	bool fill = (s->ops / STRESS_PHASE) % 2 == 0;
	unsigned int r = mm_rand(&s->rng) % 4;

	if (!s->nr_live || (s->nr_live < s->max_live && (fill ? r : !r)))
		stress_alloc(s);
	else
		stress_free(s);
	s->ops++;
}

/* Is @p, listed on free_area[@o] of zone @z, a sound free block? */
static bool free_block_ok(const struct page *p, unsigned int o,
			  unsigned int z)
{
	unsigned long pfn = page_to_pfn(p);

	return PageBuddy(p) && p->order == o && pfn % (1UL << o) == 0 &&
	       page_zonenum(p) == z && shadow_clear(pfn, 1UL << o);
}

/* Pages on zone @z's free lists, each checked against the shadow. */
static unsigned long walk_free_lists(struct stress *s, unsigned int z)
{
	struct zone *zone = &zones[z];
	unsigned long pages = 0, blocks;
	struct list_head *pos;
	unsigned int o;

	for (o = 0; o < NR_PAGE_ORDERS; o++) {
		blocks = 0;
		list_for_each(pos, &zone->free_area[o].free_list) {
			struct page *p = list_entry(pos, struct page, lru);

			if (!free_block_ok(p, o, z))
				block_error(s, "bad free block", p, o);
			blocks++;
			pages += 1UL << o;
		}
		if (blocks != zone->free_area[o].nr_free)
			stress_error(s, "zone %u order %u: %lu blocks listed, "
				     "nr_free %lu", z, o, blocks,
				     zone->free_area[o].nr_free);
	}
	return pages;
}

/* Pages on zone @z's per-hart lists, each checked against the shadow. */
static unsigned long walk_pcp_lists(struct stress *s, unsigned int z)
{
	unsigned long pages = 0, count;
	unsigned int cpu, o;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		for (o = 0; o < NR_PCP_ORDERS; o++) {
			const struct page *p;

			count = 0;
			for (p = per_cpu_pages[cpu].lists[z][o].head; p;
			     p = p->pcp_next) {
				if (!PagePcp(p) || PageBuddy(p) ||
				    p->order != o || page_zonenum(p) != z ||
				    page_to_pfn(p) % (1UL << o) ||
				    !shadow_clear(page_to_pfn(p), 1UL << o))
					block_error(s, "bad per-hart block", p,
						    o);
				count++;
			}
			if (count != pcp_count(&zones[z], cpu, o) ||
			    count > zones[z].pcp_high[o])
				stress_error(s, "zone %u cpu %u order %u: %lu "
					     "blocks listed, count %lu, high %u",
					     z, cpu, o, count,
					     pcp_count(&zones[z], cpu, o),
					     zones[z].pcp_high[o]);
			pages += count << o;
		}
	}
	return pages;
}

/* No thread may allocate meanwhile. */
static void stress_walk(struct stress *s)
{
	unsigned int z;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		if (walk_free_lists(s, z) != zones[z].free_pages)
			stress_error(s, "zone %u: free lists disagree with "
				     "free_pages", z);
		walk_pcp_lists(s, z);
	}
}

static void stress_free_all(struct stress *s)
{
	while (s->nr_live) {
		struct block b = stress_take_live(s);

		stress_free_block(s, &b);
	}
}

static void stress_init(struct stress *s, u64 seed, unsigned int max_live,
			struct handoff *handoff)
{
	memset(s, 0, sizeof(*s));
	s->rng = seed;
	s->max_live = max_live;
	s->handoff = handoff;
}

/*
 * stress layout, one thread, STRESS_OPS operations with a fixed seed:
 * allocations of weighted orders (a quarter GFP_DMA32, some atomic,
 * some zeroed) and frees of random live blocks, in alternating fill and
 * drain phases that run memory out. Expect no page handed out twice,
 * every block aligned, in one zone, in DMA32 when asked, its pattern
 * intact at free; free + per-hart + live pages == managed pages all
 * along; free lists agreeing with the shadow; full recovery at the end.
 */
static void alloc_pages_random_vs_shadow(struct ktest *t)
{
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	static struct stress s;
	unsigned long managed;

	KTEST_ASSERT_TRUE(t, stress_boot() != 0);
	buddyinfo_snapshot(before);
	managed = mm_managed_total();
	stress_init(&s, 0x5eed0001, STRESS_MAX_LIVE, NULL);
	while (s.ops < STRESS_OPS) {
		stress_step(&s);
		if (s.ops % STRESS_CHECK_EVERY == 0 &&
		    mm_free_total() + s.live_pages != managed)
			stress_error(&s, "free %lu + live %lu != managed %lu",
				     mm_free_total(), s.live_pages, managed);
		if (s.ops % STRESS_WALK_EVERY == 0)
			stress_walk(&s);
		if (s.errors > STRESS_MAX_ERRORS)
			break;
	}
	stress_walk(&s);
	stress_free_all(&s);
	printk("        # %lu ops: %lu allocs, %lu failed, %lu frees\n", s.ops,
	       s.allocs, s.fails, s.frees);
	KTEST_EXPECT_EQ(t, s.errors, 0);
	KTEST_EXPECT_TRUE(t, s.fails > 0);
	KTEST_EXPECT_TRUE(t, mm_recovered(before));
}

static const struct ktest_case page_alloc_random_cases[] = {
	KTEST_CASE(alloc_pages_random_vs_shadow),
	{}
};

KTEST_SUITE(page_alloc_random_suite) = {
	.name = "page_alloc_random",
	.cases = page_alloc_random_cases,
};

/* A hart: its share of the random test, then give everything back. */
static void stress_hart(void *arg)
{
	struct stress *s = arg;

	while (s->ops < STRESS_SMP_OPS && s->errors <= STRESS_MAX_ERRORS)
		stress_step(s);
	stress_free_all(s);
	drain_local_pages(NULL);
}

/*
 * stress layout, harts 1-4 as threads, STRESS_SMP_OPS operations each,
 * passing a share of their blocks to each other to free. Expect no page
 * handed to two threads at once, patterns intact, and, once every thread
 * and the main thread (freeing what is left in the hand-off queue) have
 * drained their lists, buddyinfo as after boot.
 */
static void alloc_pages_smp_random(struct ktest *t)
{
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	static struct stress st[STRESS_SMP_THREADS];
	static struct handoff handoff;
	unsigned long errors = 0, ops = 0, fails = 0;
	struct stress main_s;
	struct block b;
	unsigned int i;

	KTEST_ASSERT_TRUE(t, stress_boot() != 0);
	buddyinfo_snapshot(before);
	handoff_init(&handoff, sizeof(struct block));
	for (i = 0; i < STRESS_SMP_THREADS; i++)
		stress_init(&st[i], 0x5eed0100 + i,
			    STRESS_MAX_LIVE / STRESS_SMP_THREADS, &handoff);
	KTEST_ASSERT_EQ(t, harts_run(STRESS_SMP_THREADS, stress_hart, st,
				     sizeof(st[0])), 0);
	for (i = 0; i < STRESS_SMP_THREADS; i++) {
		errors += st[i].errors;
		ops += st[i].ops;
		fails += st[i].fails;
	}
	stress_init(&main_s, 1, 0, NULL);
	while (handoff_pop(&handoff, &b))
		stress_free_block(&main_s, &b);
	drain_local_pages(NULL);
	stress_walk(&main_s);
	printk("        # %lu ops on %d harts, %lu failed allocations\n", ops,
	       STRESS_SMP_THREADS, fails);
	KTEST_EXPECT_EQ(t, errors + main_s.errors, 0);
	KTEST_EXPECT_TRUE(t, mm_recovered(before));
}

static const struct ktest_case page_alloc_smp_cases[] = {
	KTEST_CASE(alloc_pages_smp_random),
	{}
};

KTEST_SUITE(page_alloc_smp_suite) = {
	.name = "page_alloc_smp",
	.cases = page_alloc_smp_cases,
};
