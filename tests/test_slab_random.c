// SPDX-License-Identifier: MIT
/*
 * Host random tests of the slab allocator: long seeded runs of kmalloc,
 * kzalloc, krealloc, kmem_cache_alloc and frees checked against a model,
 * on one thread (suite slab_random) and on four threads playing harts 1-4
 * that also free each other's objects (suite slab_smp, clean under
 * ThreadSanitizer: rvmem-tests-tsan slab_smp).
 *
 * A shadow bitmap of 8-byte granules over the arena, shared by all
 * threads, records every byte handed out, so an object given to two
 * owners at once is caught when the second claims it. Every object is
 * filled with a pattern from its tag, checked in full at free.
 */
#include <stdlib.h>
#include <string.h>
#include <rvmem/gfp.h>
#include <rvmem/ktest.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>

#include "../core/mm/internal.h"
#include "harts.h"
#include "mm_fixture.h"

#define RANDOM_OPS		1000000
#define SMP_THREADS		4
#define SMP_OPS			250000	/* per thread */
#define MAX_LIVE		4096
#define CHECK_EVERY		4096	/* counts add up */
#define MAX_ERRORS		10
#define NR_TEST_CACHES		3
#define GRANULE			8

struct obj {
	u8 *p;
	size_t size;		/* bytes the owner may use */
	int cache;		/* test cache index, or -1 for kmalloc */
	u8 tag;
};

struct run {
	u64 rng;
	unsigned long ops, allocs, frees, errors;
	struct handoff *handoff;
	unsigned int nr_live, max_live;
	struct obj live[MAX_LIVE];
};

static struct kmem_cache *test_caches[NR_TEST_CACHES];
static const unsigned int test_cache_size[NR_TEST_CACHES] = { 24, 200, 1000 };
static unsigned long *shadow;
static unsigned long shadow_granules;

/* Count an error of @r; the first MAX_ERRORS are printed. */
#define run_error(r, ...) \
	mm_run_error(&(r)->errors, MAX_ERRORS, (r)->ops, __VA_ARGS__)

static void ctor_zero(void *object)
{
	memset(object, 0, 200);
}

static bool random_boot(void)
{
	if (!mm_fixture_boot_small(MiB(64)))
		return false;
	kmem_cache_init();
	test_caches[0] = kmem_cache_create("rand24", 24, 0, 0, NULL);
	test_caches[1] = kmem_cache_create("rand200", 200, 0, 0, ctor_zero);
	test_caches[2] = kmem_cache_create("rand1000", 1000, 0,
					   SLAB_HWCACHE_ALIGN, NULL);
	shadow_granules = (max_pfn - memmap_base_pfn) * (PAGE_SIZE / GRANULE);
	free(shadow);
	shadow = calloc(DIV_ROUND_UP(shadow_granules, 64), sizeof(long));
	return shadow && test_caches[0] && test_caches[1] && test_caches[2];
}

/* Claim or release the granules of [p, p + size); Return: all were free/held. */
static bool shadow_change(const void *p, size_t size, bool claim)
{
	unsigned long g = (__pa(p) - (memmap_base_pfn << PAGE_SHIFT)) / GRANULE;
	unsigned long end = g + DIV_ROUND_UP(size, GRANULE);
	bool ok = true;

	for (; g < end; g++) {
		unsigned long bit = 1UL << (g % 64), old;

		if (claim)
			old = __atomic_fetch_or(&shadow[g / 64], bit,
						__ATOMIC_RELAXED);
		else
			old = __atomic_fetch_and(&shadow[g / 64], ~bit,
						 __ATOMIC_RELAXED);
		ok &= !!(old & bit) == !claim;
	}
	return ok;
}

static u8 fill_byte(const struct obj *o, size_t i)
{
	return o->tag ^ (u8)(i * 7);
}

static void fill(const struct obj *o, size_t from)
{
	size_t i;

	for (i = from; i < o->size; i++)
		o->p[i] = fill_byte(o, i);
}

static bool filled(const struct obj *o, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (o->p[i] != fill_byte(o, i))
			return false;
	return true;
}

static size_t random_size(struct run *r)
{
	u64 x = mm_rand(&r->rng);

	switch (x % 16) {
	case 0:
		return 8193 + x % 30000;	/* large kmalloc */
	case 1: case 2:
		return 1 + (x >> 8) % 8192;
	default:
		return 1 + (x >> 8) % 256;
	}
}

static void run_alloc(struct run *r)
{
	struct obj *o = &r->live[r->nr_live];
	u64 x = mm_rand(&r->rng);
	bool zero = x % 8 == 0;

	o->cache = x % 4 == 1 ? (int)((x >> 8) % NR_TEST_CACHES) : -1;
	if (o->cache >= 0) {
		o->size = test_cache_size[o->cache];
		o->p = kmem_cache_alloc(test_caches[o->cache], zero && o->cache
					!= 1 ? GFP_KERNEL | __GFP_ZERO :
					GFP_KERNEL);
		zero |= o->cache == 1;	/* its constructor zeroes */
	} else {
		o->size = random_size(r);
		o->p = zero ? kzalloc(o->size, GFP_KERNEL) :
			      kmalloc(o->size, GFP_KERNEL);
	}
	if (!o->p) {
		run_error(r, "allocation of %zu failed", o->size);
		return;
	}
	o->tag = x >> 32;
	if (!shadow_change(o->p, o->size, true))
		run_error(r, "%p (%zu bytes) overlaps a live object", o->p,
			  o->size);
	if (o->cache < 0 && ksize(o->p) < o->size)
		run_error(r, "ksize %zu < %zu", ksize(o->p), o->size);
	if (zero && o->cache != 1) {
		size_t i;

		for (i = 0; i < o->size; i++)
			if (o->p[i]) {
				run_error(r, "zeroed object %p has byte %zu "
					  "set", o->p, i);
				break;
			}
	}
	fill(o, 0);
	r->nr_live++;
	r->allocs++;
}

static void free_obj(struct run *r, struct obj *o)
{
	if (!filled(o, o->size))
		run_error(r, "object %p (%zu bytes) overwritten", o->p,
			  o->size);
	if (!shadow_change(o->p, o->size, false))
		run_error(r, "shadow lost %p", o->p);
	if (o->cache >= 0)
		kmem_cache_free(test_caches[o->cache], o->p);
	else
		kfree(o->p);
	r->frees++;
}

static struct obj take_live(struct run *r)
{
	unsigned int i = mm_rand(&r->rng) % r->nr_live;
	struct obj o = r->live[i];

	r->live[i] = r->live[--r->nr_live];
	return o;
}

/* krealloc a live kmalloc object to a new size; contents must follow. */
static void run_realloc(struct run *r)
{
	struct obj *o = &r->live[mm_rand(&r->rng) % r->nr_live];
	size_t size = random_size(r), keep = min(size, o->size);
	u8 *p;

	if (o->cache >= 0)
		return;
	shadow_change(o->p, o->size, false);
	p = krealloc(o->p, size, GFP_KERNEL);
	if (!p) {
		run_error(r, "krealloc to %zu failed", size);
		shadow_change(o->p, o->size, true);
		return;
	}
	o->p = p;
	if (!filled(o, keep))
		run_error(r, "krealloc lost contents of %p", p);
	o->size = size;
	if (!shadow_change(p, size, true))
		run_error(r, "krealloc: %p overlaps a live object", p);
	fill(o, keep);
}

static void run_free(struct run *r)
{
	unsigned int x = r->handoff ? mm_rand(&r->rng) % 4 : 2;
	struct obj o;

	if (x == 0 && handoff_pop(r->handoff, &o)) {
		free_obj(r, &o);
		return;
	}
	o = take_live(r);
	if (x == 1 && handoff_push(r->handoff, &o))
		return;
	free_obj(r, &o);
}

/* Alternating fill and drain phases, with some reallocations. */
static void run_step(struct run *r)
{
	bool fill_phase = (r->ops / 20000) % 2 == 0;
	unsigned int x = mm_rand(&r->rng) % 8;

	if (r->nr_live && x == 7)
		run_realloc(r);
	else if (!r->nr_live || (r->nr_live < r->max_live &&
				 (fill_phase ? x < 5 : x < 2)))
		run_alloc(r);
	else
		run_free(r);
	r->ops++;
}

static void run_free_all(struct run *r)
{
	while (r->nr_live) {
		struct obj o = take_live(r);

		free_obj(r, &o);
	}
}

/* Objects the slab caches count as in use, this hart drained first. */
static unsigned long slab_active_objects(void)
{
	unsigned long sum = 0;
	struct list_head *pos;

	slab_drain_cpu(smp_processor_id());
	list_for_each(pos, &slab_caches) {
		struct slabinfo info;

		get_slabinfo(list_entry(pos, struct kmem_cache, list), &info);
		sum += info.active_objs;
	}
	return sum;
}

/*
 * Live objects in slabs (a krealloc that shrank a large kmalloc keeps it
 * in its pages), plus the three test caches' own structs.
 */
static unsigned long model_slab_objects(const struct run *r)
{
	unsigned long n = NR_TEST_CACHES;
	unsigned int i;

	for (i = 0; i < r->nr_live; i++)
		n += PageSlab(virt_to_page(r->live[i].p));
	return n;
}

/* Destroy the test caches; expect no object left and every page back. */
static bool all_caches_destroyed(void)
{
	struct list_head *pos;
	unsigned int i;

	for (i = 0; i < NR_TEST_CACHES; i++)
		kmem_cache_destroy(test_caches[i]);
	if (slab_active_objects()) {
		printk("        # %lu objects still in use\n",
		       slab_active_objects());
		return false;
	}
	list_for_each(pos, &slab_caches)
		kmem_cache_shrink(list_entry(pos, struct kmem_cache, list));
	return slab_nr_pages() == 0;
}

/*
 * One thread, RANDOM_OPS operations with a fixed seed: kmalloc and
 * kzalloc of 1 byte to 38 KiB (a sixteenth large), objects of three
 * caches (one with a constructor, one cache-aligned), kreallocs and
 * frees. Expect no overlap, contents intact, zeroed memory zero, the
 * caches' in-use counts equal to the model's every CHECK_EVERY ops, and
 * every slab page back once all is freed and shrunk.
 */
static void slab_random_vs_model(struct ktest *t)
{
	static struct run r;

	KTEST_ASSERT_TRUE(t, random_boot());
	memset(&r, 0, sizeof(r));
	r.rng = 0x51ab0001;
	r.max_live = MAX_LIVE;
	while (r.ops < RANDOM_OPS && r.errors <= MAX_ERRORS) {
		run_step(&r);
		if (r.ops % CHECK_EVERY == 0 &&
		    slab_active_objects() != model_slab_objects(&r))
			run_error(&r, "caches count %lu objects, model %lu",
				  slab_active_objects(),
				  model_slab_objects(&r));
	}
	run_free_all(&r);
	printk("        # %lu ops: %lu allocations, %lu frees\n", r.ops,
	       r.allocs, r.frees);
	KTEST_EXPECT_EQ(t, r.errors, 0);
	KTEST_EXPECT_TRUE(t, all_caches_destroyed());
}

static const struct ktest_case slab_random_cases[] = {
	KTEST_CASE(slab_random_vs_model),
	{}
};

KTEST_SUITE(slab_random_suite) = {
	.name = "slab_random",
	.cases = slab_random_cases,
};

static void run_hart(void *arg)
{
	struct run *r = arg;

	while (r->ops < SMP_OPS && r->errors <= MAX_ERRORS)
		run_step(r);
	run_free_all(r);
}

/*
 * Harts 1-4 as threads, SMP_OPS operations each, a quarter of their
 * frees passed to another thread through a queue (so objects of another
 * hart's active slab are freed). Expect no overlap, contents intact, and
 * once the queue is emptied and every hart's active slabs drained, no
 * object in use and every slab page back.
 */
static void slab_smp_random(struct ktest *t)
{
	static struct run rs[SMP_THREADS];
	static struct handoff handoff;
	unsigned long errors = 0, ops = 0;
	static struct run main_r;
	struct obj o;
	unsigned int i;

	KTEST_ASSERT_TRUE(t, random_boot());
	handoff_init(&handoff, sizeof(struct obj));
	for (i = 0; i < SMP_THREADS; i++) {
		memset(&rs[i], 0, sizeof(rs[i]));
		rs[i].rng = 0x51ab0100 + i;
		rs[i].max_live = MAX_LIVE / SMP_THREADS;
		rs[i].handoff = &handoff;
	}
	KTEST_ASSERT_EQ(t, harts_run(SMP_THREADS, run_hart, rs,
				     sizeof(rs[0])), 0);
	for (i = 0; i < SMP_THREADS; i++) {
		errors += rs[i].errors;
		ops += rs[i].ops;
	}
	memset(&main_r, 0, sizeof(main_r));
	while (handoff_pop(&handoff, &o))
		free_obj(&main_r, &o);
	for (i = 1; i <= SMP_THREADS; i++)
		slab_drain_cpu(i);
	printk("        # %lu ops on %d harts\n", ops, SMP_THREADS);
	KTEST_EXPECT_EQ(t, errors + main_r.errors, 0);
	KTEST_EXPECT_TRUE(t, all_caches_destroyed());
}

#define STORM_THREADS	3
#define STORM_ROUNDS	400
#define STORM_BURST	256
#define STORM_SIZE	128

struct storm {
	struct kmem_cache *s;
	struct handoff handoff;
	bool stop;
	unsigned long errors;
};

static void storm_fill(unsigned long *p)
{
	unsigned int i;

	for (i = 0; i < STORM_SIZE / sizeof(long); i++)
		p[i] = (unsigned long)p + i;
}

/* Free @p, counting an error if its contents changed since the fill. */
static void storm_free(struct storm *st, unsigned long *p)
{
	unsigned int i;

	for (i = 0; i < STORM_SIZE / sizeof(long); i++)
		if (p[i] != (unsigned long)p + i) {
			__atomic_fetch_add(&st->errors, 1, __ATOMIC_RELAXED);
			break;
		}
	kmem_cache_free(st->s, p);
}

/* Bursts out to the other harts, and whatever they sent back freed here. */
static void storm_worker(void *arg)
{
	struct storm *st = arg;
	unsigned long *p;
	unsigned int r, i;

	for (r = 0; r < STORM_ROUNDS; r++) {
		for (i = 0; i < STORM_BURST; i++) {
			p = kmem_cache_alloc(st->s, GFP_KERNEL);
			if (!p) {
				__atomic_fetch_add(&st->errors, 1,
						   __ATOMIC_RELAXED);
				continue;
			}
			storm_fill(p);
			if (!handoff_push(&st->handoff, &p))
				storm_free(st, p);
		}
		for (i = 0; i < STORM_BURST && handoff_pop(&st->handoff, &p);
		     i++)
			storm_free(st, p);
	}
	drain_local_pages(NULL);
}

/* Shrink the cache, and reclaim, until the workers are done. */
static void storm_shrinker(void *arg)
{
	struct storm *st = arg;

	while (!__atomic_load_n(&st->stop, __ATOMIC_ACQUIRE)) {
		kmem_cache_shrink(st->s);
		slab_reclaim();
	}
	drain_local_pages(NULL);
}

/*
 * Harts 1-3 as threads allocate bursts of STORM_BURST 128-byte objects
 * and pass them through a queue to be freed by whichever hart pops them
 * (a storm of frees from other harts), while hart 4 shrinks the cache
 * and reclaims over and over. Expect every object intact at its free,
 * and once all is freed and every hart drained (its sheaves and its page
 * lists), no object in use and every page back.
 */
static void slab_smp_storm_and_shrink(struct ktest *t)
{
	static struct hart_thread shrinker;
	static struct storm st;
	unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];
	unsigned long *p;
	unsigned int i;
	int err;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_small(MiB(64)));
	buddyinfo_snapshot(before);
	kmem_cache_init();
	memset(&st, 0, sizeof(st));
	st.s = kmem_cache_create("storm", STORM_SIZE, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, st.s != NULL);
	handoff_init(&st.handoff, sizeof(p));
	KTEST_ASSERT_EQ(t, hart_thread_start(&shrinker, STORM_THREADS + 1,
					     storm_shrinker, &st), 0);
	err = harts_run(STORM_THREADS, storm_worker, &st, 0);
	__atomic_store_n(&st.stop, true, __ATOMIC_RELEASE);
	hart_thread_join(&shrinker);
	KTEST_ASSERT_EQ(t, err, 0);
	while (handoff_pop(&st.handoff, &p))
		storm_free(&st, p);
	for (i = 1; i <= STORM_THREADS + 1; i++)
		slab_drain_cpu(i);
	KTEST_EXPECT_EQ(t, st.errors, 0);
	KTEST_EXPECT_EQ(t, slab_active_objects(), 1);	/* the cache itself */
	kmem_cache_destroy(st.s);
	KTEST_EXPECT_EQ(t, slab_reclaim() > 0, true);
	KTEST_EXPECT_EQ(t, slab_nr_pages(), 0);
	KTEST_EXPECT_TRUE(t, mm_recovered(before));
}

static const struct ktest_case slab_smp_cases[] = {
	KTEST_CASE(slab_smp_random),
	KTEST_CASE(slab_smp_storm_and_shrink),
	{}
};

KTEST_SUITE(slab_smp_suite) = {
	.name = "slab_smp",
	.cases = slab_smp_cases,
};
