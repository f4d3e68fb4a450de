// SPDX-License-Identifier: MIT
/*
 * The C allocation functions (core/libc/malloc.c): C semantics at the
 * edges, a random model run with every byte checked, all harts at once,
 * and NULL with ENOMEM when memory runs out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <rvmem/fault-inject.h>
#include <rvmem/kfence.h>
#include <rvmem/ktest.h>
#include <rvmem/mm.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>
#include <rvmem/vmalloc.h>

#define MODEL_OPS	1000000
#define MODEL_SLOTS	512
#define HART_OPS	20000
#define HART_SLOTS	64
#define ENOMEM_MAX_RAM	(512UL << 20)
#define STATS_BLOCKS	100
#define SLAB_FILL_MAX	100000	/* objects before failslab must bite */

/* Expect malloc(0) to be a unique pointer free() takes, free(NULL) to do
 * nothing, and every size to be at least 16-aligned (max_align_t). */
static void malloc_c_semantics(struct ktest *t)
{
	void *a = malloc(0), *b = malloc(0);
	size_t size;

	KTEST_EXPECT_TRUE(t, a && b && a != b);
	free(a);
	free(b);
	free(NULL);
	for (size = 1; size <= 9000; size += size < 300 ? 1 : 97) {
		void *p = malloc(size);

		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_EQ(t, (uintptr_t)p % 16, 0);
		KTEST_EXPECT_TRUE(t, malloc_usable_size(p) >= size);
		free(p);
	}
}

/* Expect calloc to zero, and to refuse an overflowing count with
 * ENOMEM; reallocarray likewise. */
static void calloc_zeroes_and_checks_overflow(struct ktest *t)
{
	volatile size_t huge = SIZE_MAX / 2;	/* opaque to the compiler */
	unsigned char *p;
	size_t i;

	for (i = 0; i < 8; i++) {	/* dirty some memory first */
		p = malloc(4096);
		memset(p, 0xa5, 4096);
		free(p);
	}
	p = calloc(512, 8);
	KTEST_ASSERT_TRUE(t, p != NULL);
	for (i = 0; i < 4096 && !p[i]; i++)
		;
	KTEST_EXPECT_EQ(t, i, 4096);
	free(p);
	errno = 0;
	KTEST_EXPECT_TRUE(t, calloc(huge, 4) == NULL);
	KTEST_EXPECT_EQ(t, errno, ENOMEM);
	errno = 0;
	KTEST_EXPECT_TRUE(t, reallocarray(NULL, huge, 4) == NULL);
	KTEST_EXPECT_EQ(t, errno, ENOMEM);
}

/* Expect realloc to stay in place while the size class fits, and to
 * keep the contents when it moves, in every tier (slab, pages,
 * vmalloc). */
static void realloc_keeps_contents(struct ktest *t)
{
	static const size_t sizes[] = { 24, 100, 3000, 20000, 300000, 2000000,
					50, 16 };
	unsigned char *p = realloc(NULL, 20), *q;
	size_t i, n = 20, k;

	KTEST_ASSERT_TRUE(t, p != NULL);
	memset(p, 7, n);
	q = realloc(p, 24);		/* 20 and 24 share the 32 class */
	KTEST_EXPECT_TRUE(t, q == p);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t keep = n < sizes[i] ? n : sizes[i];

		q = realloc(p, sizes[i]);
		KTEST_ASSERT_TRUE(t, q != NULL);
		for (k = 0; k < keep && q[k] == (unsigned char)(k * 13 + n);
		     k++)
			;
		if (i)		/* the first round checks the memset(7) */
			KTEST_EXPECT_EQ(t, k, keep);
		for (k = 0; k < sizes[i]; k++)
			q[k] = (unsigned char)(k * 13 + sizes[i]);
		p = q;
		n = sizes[i];
	}
	free(p);
}

/* Expect every alignment from 16 to 2 MiB to be honoured, and bad ones
 * refused. */
static void aligned_allocations(struct ktest *t)
{
	size_t align;
	void *p;

	for (align = 16; align <= (2UL << 20); align <<= 1) {
		p = aligned_alloc(align, 100);
		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_EQ(t, (uintptr_t)p % align, 0);
		free(p);
		p = NULL;
		KTEST_EXPECT_EQ(t, posix_memalign(&p, align, align * 3), 0);
		KTEST_EXPECT_EQ(t, (uintptr_t)p % align, 0);
		free(p);	/* NULL if it failed: no double free */
	}
	KTEST_EXPECT_EQ(t, posix_memalign(&p, 24, 8), EINVAL);
	KTEST_EXPECT_TRUE(t, aligned_alloc(48, 8) == NULL);
	p = valloc(10);
	KTEST_EXPECT_EQ(t, (uintptr_t)p % 4096, 0);
	free(p);
	p = pvalloc(5000);
	KTEST_EXPECT_TRUE(t, malloc_usable_size(p) >= 8192);
	free(p);
}

struct block {
	unsigned char *p;
	size_t size;
	unsigned char mark;
};

static size_t model_size(unsigned int r)
{
	switch (r % 64) {
	case 0:
		return r % 70000;		/* pages and vmalloc */
	case 1 ... 8:
		return r % 4096;
	default:
		return r % 256;
	}
}

/* Every byte of the block still holds its mark (a word at a time). */
static bool block_intact(const struct block *b)
{
	unsigned long word = b->mark * 0x0101010101010101ul;
	size_t i = 0;

	for (; i + 8 <= b->size; i += 8)
		if (*(const unsigned long *)(b->p + i) != word)
			return false;
	for (; i < b->size; i++)
		if (b->p[i] != b->mark)
			return false;
	return true;
}

static void block_fill(struct block *b, unsigned char mark)
{
	b->mark = mark;
	memset(b->p, mark, b->size);
}

/* Apply one random operation to @b; false if a check failed. */
static bool model_step(struct block *b, unsigned int *seed)
{
	unsigned int r = *seed = *seed * 1103515245u + 12345u;
	size_t size = model_size(r >> 4);
	unsigned char *q;

	if (b->p && !block_intact(b))
		return false;
	switch (r % 5) {
	case 0:
		free(b->p);
		b->p = NULL;
		b->size = 0;
		return true;
	case 1:
		q = realloc(b->p, size);
		if (!q)
			return false;
		if (b->size > size)
			b->size = size;
		b->p = q;
		if (!block_intact(b))
			return false;
		break;
	case 2:
		free(b->p);
		b->p = aligned_alloc(64 << (r % 6), size);
		if (!b->p || (uintptr_t)b->p % (64 << (r % 6)))
			return false;
		break;
	default:
		free(b->p);
		b->p = malloc(size);
		if (!b->p)
			return false;
	}
	b->size = size;
	block_fill(b, (unsigned char)r);
	return true;
}

/* Expect a million random malloc/realloc/aligned_alloc/free calls to
 * keep every byte of every live block. */
static void malloc_random_model(struct ktest *t)
{
	struct block *slots = calloc(MODEL_SLOTS, sizeof(*slots));
	unsigned int seed = 0x5eed, i, bad = 0;

	KTEST_ASSERT_TRUE(t, slots != NULL);
	for (i = 0; i < MODEL_OPS && !bad; i++) {
		unsigned int k = (seed >> 8) % MODEL_SLOTS;

		bad = !model_step(&slots[k], &seed);
		if (bad)
			printk("        # op %u, slot %u: check failed\n", i, k);
	}
	for (i = 0; i < MODEL_SLOTS; i++)
		free(slots[i].p);
	free(slots);
	KTEST_EXPECT_EQ(t, bad, 0);
}

static unsigned long hart_errors[NR_CPUS];

static void malloc_on_hart(void *arg)
{
	struct block slots[HART_SLOTS] = { 0 };
	unsigned int cpu = smp_processor_id(), seed = 77 + cpu, i;

	(void)arg;
	for (i = 0; i < HART_OPS; i++)
		hart_errors[cpu] += !model_step(&slots[(seed >> 8) %
						       HART_SLOTS], &seed);
	for (i = 0; i < HART_SLOTS; i++)
		free(slots[i].p);
}

/* Expect malloc to be safe from every hart at once. */
static void malloc_on_every_hart(struct ktest *t)
{
	unsigned long errors = 0;
	unsigned int cpu;

	memset(hart_errors, 0, sizeof(hart_errors));
	on_each_hart(malloc_on_hart, NULL);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		errors += hart_errors[cpu];
	printk("        # %u harts, %u operations each\n", nr_cpus_online,
	       HART_OPS);
	KTEST_EXPECT_EQ(t, errors, 0);
}

/* Expect malloc to return NULL with ENOMEM when memory runs out (nothing
 * is zero-filled, so nothing overcommits), and all of it to come back.
 * Only on small boots: filling gigabytes would take the host as long. */
static void malloc_enomem_and_recovery(struct ktest *t)
{
	void **chain = NULL, **p;
	unsigned long n = 0, chunk;
	struct sysinfo si;

	si_meminfo(&si);
	if (si.totalram > ENOMEM_MAX_RAM / PAGE_SIZE) {
		ktest_skip(t, "more than 512 MiB of RAM");
		return;
	}
	chunk = ALIGN(si.totalram * PAGE_SIZE / 32, 1 << 20);
	errno = 0;
	while ((p = malloc(chunk))) {
		*p = chain;
		chain = p;
		n++;
	}
	KTEST_EXPECT_EQ(t, errno, ENOMEM);
	KTEST_EXPECT_TRUE(t, n > 4);
	while (chain) {
		p = *chain;
		free(chain);
		chain = p;
	}
	printk("        # %lu MiB before NULL\n", n * (chunk >> 20));
	p = malloc(chunk);
	KTEST_EXPECT_TRUE(t, p != NULL);
	free(p);
	vm_unmap_aliases();	/* leave no lazily freed pages to later suites */
}

/*
 * Expect the C heap's figures to follow what is live: STATS_BLOCKS
 * mallocs of 100 bytes add that many 128-byte objects to what is in use
 * and to mallinfo(), a vmalloc-sized block adds its pages to what the
 * heap holds and to the peak, and freeing everything takes both back.
 */
static void malloc_statistics(struct ktest *t)
{
	struct c_heap_stats before, during, after;
	void *blocks[STATS_BLOCKS], *big;
	size_t in_use0 = mallinfo().uordblks;
	unsigned int i;

	c_heap_get_stats(&before);
	for (i = 0; i < STATS_BLOCKS; i++)
		blocks[i] = malloc(100);
	big = malloc(1 << 20);
	KTEST_ASSERT_TRUE(t, big != NULL);
	c_heap_get_stats(&during);
	KTEST_EXPECT_EQ(t, during.allocs - before.allocs, STATS_BLOCKS + 1);
	KTEST_EXPECT_EQ(t, during.bytes_in_use - before.bytes_in_use - (1 << 20),
			STATS_BLOCKS * 128);
	KTEST_EXPECT_EQ(t, mallinfo().uordblks - in_use0,
			STATS_BLOCKS * 128 + (1 << 20));
	KTEST_EXPECT_TRUE(t, during.pages >= before.pages + 256);
	KTEST_EXPECT_TRUE(t, during.peak_pages >= during.pages);
	for (i = 0; i < STATS_BLOCKS; i++)
		free(blocks[i]);
	free(big);
	c_heap_get_stats(&after);
	KTEST_EXPECT_EQ(t, after.bytes_in_use, before.bytes_in_use);
	KTEST_EXPECT_EQ(t, after.frees - before.frees, STATS_BLOCKS + 1);
	KTEST_EXPECT_TRUE(t, after.pages + 256 <= during.pages);
	KTEST_EXPECT_EQ(t, after.peak_pages, during.peak_pages);
	malloc_stats();
}

/*
 * malloc() an object that a slab holds: a due KFENCE sample (one per
 * kfence.sample_interval) comes from the guarded pool instead, so try
 * again and give the sample back.
 */
static void *malloc_from_slab(size_t size)
{
	void *p = malloc(size), *q;

	if (!p || !is_kfence_address(p))
		return p;
	q = malloc_from_slab(size);
	free(p);
	return q;
}

/*
 * Expect a slab-sized malloc() to use up the objects its cache has, then
 * fail with ENOMEM, not just NULL, once the cache cannot grow (failslab
 * fails every new slab), and to work again when the pressure is gone.
 * One object freed to the cache beforehand makes sure there is one to
 * use up, whatever earlier suites left and whenever KFENCE samples.
 */
static void malloc_enomem_small(struct ktest *t)
{
	void **chain = malloc_from_slab(4000), **p;
	void *spare = malloc_from_slab(4000);
	unsigned long n = 0;

	KTEST_ASSERT_TRUE(t, chain && spare);
	*chain = NULL;
	free(spare);
	fault_attr_set(&failslab, 1, 100, 0, -1);
	errno = 0;
	while (n < SLAB_FILL_MAX && (p = malloc(4000))) {
		*p = chain;
		chain = p;
		n++;
	}
	fault_attr_set(&failslab, 1, 0, 0, 0);
	KTEST_EXPECT_TRUE(t, n > 0 && n < SLAB_FILL_MAX);
	KTEST_EXPECT_EQ(t, errno, ENOMEM);
	while (chain) {
		p = *chain;
		free(chain);
		chain = p;
	}
	printk("        # %lu objects of malloc-4k before NULL\n", n);
	p = malloc(4000);
	KTEST_EXPECT_TRUE(t, p != NULL);
	free(p);
}

static const struct ktest_case malloc_cases[] = {
	KTEST_CASE(malloc_c_semantics),
	KTEST_CASE(calloc_zeroes_and_checks_overflow),
	KTEST_CASE(realloc_keeps_contents),
	KTEST_CASE(aligned_allocations),
	KTEST_CASE(malloc_random_model),
	KTEST_CASE(malloc_on_every_hart),
	KTEST_CASE(malloc_enomem_and_recovery),
	KTEST_CASE(malloc_statistics),
	KTEST_CASE(malloc_enomem_small),
	{}
};

KTEST_SUITE(malloc_suite) = {
	.name = "malloc",
	.cases = malloc_cases,
};
