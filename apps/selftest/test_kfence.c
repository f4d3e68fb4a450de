// SPDX-License-Identifier: MIT
/*
 * kfence: sampled objects behave as their caches' objects do, sit at the
 * end of their page before a guard page, and are unmapped once freed;
 * allocations a hart's sheaf serves, and objects larger than a page, are
 * never sampled. The faults app's kfence-* modes check the reports.
 *
 * Each case allocates until KFENCE samples (one slow-path allocation
 * every kfence.sample_interval, 100 ms by default), so the suite takes
 * well under a second.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <asm/timer.h>
#include <rvmem/fault.h>
#include <rvmem/kfence.h>
#include <rvmem/ktest.h>
#include <rvmem/mm.h>
#include <rvmem/slab.h>

#define MAX_BURSTS	16384	/* seconds of bursts: many intervals */
#define MS		1000	/* microseconds */

static struct kmem_cache *ctor_cache;

static void *kmalloc_kernel(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

static void *kzalloc_kernel(size_t size)
{
	return kzalloc(size, GFP_KERNEL);
}

static void *cache_alloc(size_t size)
{
	(void)size;
	return kmem_cache_alloc(ctor_cache, GFP_KERNEL);
}

static void kfree_kernel(void *p)
{
	kfree(p);
}

static void cache_free(void *p)
{
	kmem_cache_free(ctor_cache, p);
}

/* A block KFENCE served, or NULL; *@bursts: bursts it took. */
static void *sampled(void *(*alloc)(size_t), void (*free_fn)(void *),
		     size_t size, unsigned int *bursts)
{
	return kfence_alloc_until_sampled(alloc, free_fn, size, MAX_BURSTS,
					  bursts);
}

static bool mapped(const void *p)
{
	u8 b;

	return !copy_from_kernel_nofault(&b, p, 1);
}

static bool page_end(const void *p)
{
	return !((unsigned long)p & (PAGE_SIZE - 1));
}

/*
 * A sampled kmalloc(64): in the pool, its end on the guard page, usable
 * in full; unmapped once freed.
 */
static void kfence_kmalloc_object(struct ktest *t)
{
	u8 *p = sampled(kmalloc_kernel, kfree_kernel, 64, NULL);

	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_TRUE(t, page_end(p + 64));
	KTEST_EXPECT_EQ(t, ksize(p), 64);
	memset(p, 0x5a, 64);
	KTEST_EXPECT_TRUE(t, mapped(p) && mapped(p + 63));
	KTEST_EXPECT_TRUE(t, !mapped(p + 64));		/* the guard page */
	kfree(p);
	KTEST_EXPECT_TRUE(t, !mapped(p));		/* use after free */
}

/*
 * A sampled kzalloc(100) from kmalloc-128: zeroed, 128-aligned (so its
 * slack of 28 bytes is canary, and ksize() hands those over).
 */
static void kfence_kzalloc_slack(struct ktest *t)
{
	u8 *p = sampled(kzalloc_kernel, kfree_kernel, 100, NULL);
	unsigned int i;

	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, (unsigned long)p % 128, 0);
	KTEST_EXPECT_TRUE(t, page_end(p + 128));
	for (i = 0; i < 100 && !p[i]; i++)
		;
	KTEST_EXPECT_EQ(t, i, 100);
	KTEST_EXPECT_EQ(t, ksize(p), 128);
	memset(p, 0x77, 128);		/* all of it is the caller's now */
	kfree(p);
}

/*
 * krealloc() beyond the object moves it to a new one, contents kept (the
 * new one may be a sample too, if one is due: with kfence-1ms it is).
 */
static void kfence_krealloc_moves(struct ktest *t)
{
	u8 *p = sampled(kmalloc_kernel, kfree_kernel, 64, NULL), *q;
	unsigned int i;

	KTEST_ASSERT_TRUE(t, p != NULL);
	for (i = 0; i < 64; i++)
		p[i] = (u8)i;
	KTEST_EXPECT_TRUE(t, krealloc(p, 48, GFP_KERNEL) == p);
	q = krealloc(p, 300, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, q != NULL);
	KTEST_EXPECT_TRUE(t, q != p);
	for (i = 0; i < 48 && q[i] == (u8)i; i++)
		;
	KTEST_EXPECT_EQ(t, i, 48);
	KTEST_EXPECT_TRUE(t, !mapped(p));
	kfree(q);
}

/* malloc() is sampled too; realloc() within the class stays; free(). */
static void kfence_malloc_block(struct ktest *t)
{
	u8 *p = sampled(malloc, free, 40, NULL);

	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, (unsigned long)p % 16, 0);
	KTEST_EXPECT_TRUE(t, malloc_usable_size(p) >= 40);
	KTEST_EXPECT_TRUE(t, realloc(p, 48) == p);	/* 40, 48: kmalloc-64 */
	memset(p, 1, 48);
	free(p);
	KTEST_EXPECT_TRUE(t, !mapped(p));
}

static void ctor_mark(void *object)
{
	*(u32 *)object = 0xc0ffee;
}

/* A cache with a constructor and cache-line alignment: both kept. */
static void kfence_cache_ctor(struct ktest *t)
{
	u32 *p;

	ctor_cache = kmem_cache_create("kfence_ctor", 72, 0,
				       SLAB_HWCACHE_ALIGN, ctor_mark);
	KTEST_ASSERT_TRUE(t, ctor_cache != NULL);
	p = sampled(cache_alloc, cache_free, 0, NULL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, *p, 0xc0ffee);
	KTEST_EXPECT_EQ(t, (unsigned long)p & 63, 0);
	kmem_cache_free(ctor_cache, p);
	kmem_cache_destroy(ctor_cache);
}

/*
 * Does slub_debug (all of it: a --debug build's default) make kmalloc-64
 * a debug cache? Then a freed object is poisoned (0x6b), and there are
 * no sheaves: every allocation takes the slow path, where KFENCE samples.
 */
static bool slub_debug_poisons(void)
{
	u8 *p = kzalloc(64, GFP_KERNEL), b = 0;

	kfree(p);
	if (!is_kfence_address(p))
		copy_from_kernel_nofault(&b, p, 1);
	return b == 0x6b;
}

/*
 * Leave a kmalloc(64) object on this hart's sheaf. An allocation that
 * takes the due sample leaves the sheaves as they were (none at all
 * after a shrink), so allocate until the slab serves one. The samples
 * wait till then, chained through themselves: freeing one flushes every
 * hart's TLB, which may outlast an interval, and the next allocation
 * would be a sample again.
 */
static void fill_kmalloc64_sheaf(void)
{
	void **p, **samples = NULL;

	while (is_kfence_address(p = kmalloc(64, GFP_KERNEL))) {
		*p = samples;
		samples = p;
	}
	kfree(p);
	while (samples) {
		p = *samples;
		kfree(samples);
		samples = p;
	}
}

/*
 * For 150 ms (more than the default interval) from when this hart's
 * sheaf has a kmalloc(64) object, kmalloc(64) pairs (served by that
 * sheaf) and bursts of kmalloc(8192) (larger than a page) get no KFENCE
 * object. The last pass starts after those 150 ms, when a sample is due
 * whatever was sampled before and however slowly the hart got there;
 * the next kmalloc(64) burst takes it, so it stayed due.
 */
static void kfence_unsampled_paths(struct ktest *t)
{
	unsigned int bursts, i, bad = 0;
	void *big[16];
	u64 pass, end;

	if (slub_debug_poisons()) {
		ktest_skip(t, "slub_debug: no sheaves, every allocation may "
			   "be sampled");
		return;
	}
	fill_kmalloc64_sheaf();
	end = timer_read() + 150 * MS * timer_ticks_per_us();
	do {
		pass = timer_read();
		for (i = 0; i < 1000; i++) {
			void *p = kmalloc(64, GFP_KERNEL);

			bad += is_kfence_address(p);
			kfree(p);
		}
		for (i = 0; i < ARRAY_SIZE(big); i++)
			bad += is_kfence_address(big[i] = kmalloc(8192,
								   GFP_KERNEL));
		for (i = 0; i < ARRAY_SIZE(big); i++)
			kfree(big[i]);
	} while (pass < end);
	KTEST_EXPECT_EQ(t, bad, 0);
	kfree(sampled(kmalloc_kernel, kfree_kernel, 64, &bursts));
	KTEST_EXPECT_EQ(t, bursts, 1);
}

static const struct ktest_case kfence_cases[] = {
	KTEST_CASE(kfence_kmalloc_object),
	KTEST_CASE(kfence_kzalloc_slack),
	KTEST_CASE(kfence_krealloc_moves),
	KTEST_CASE(kfence_malloc_block),
	KTEST_CASE(kfence_cache_ctor),
	KTEST_CASE(kfence_unsampled_paths),
	{}
};

KTEST_SUITE(kfence_suite) = {
	.name = "kfence",
	.cases = kfence_cases,
};
