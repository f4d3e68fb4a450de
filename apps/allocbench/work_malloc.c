// SPDX-License-Identifier: MIT
/*
 * Malloc-style workloads, run unchanged against rvmem's kmalloc and
 * picolibc's malloc: hot LIFO pairs, bursts freed in the same and in the
 * reverse order, and a larson-like random live set.
 */
#include <stdlib.h>
#include <string.h>
#include <rvmem/slab.h>
#include "bench.h"

#define BURST		256
#define LIVE_SLOTS	1024
#define LIVE_MAX_SIZE	2048

static void *kmalloc_kernel(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

static void kfree_object(void *p)
{
	kfree(p);
}

const struct allocator rvmem_kmalloc = {
	"rvmem", kmalloc_kernel, kfree_object,
};
const struct allocator picolibc_malloc = { "picolibc", malloc, free };

/* The object just freed is the next one handed out. */
int work_pair(const struct workload *w)
{
	void *volatile p;
	unsigned long i;

	for (i = 0; i < w->ops; i++) {
		p = w->a->alloc(w->param);
		if (!p)
			return 1;
		w->a->free(p);
	}
	return 0;
}

static int burst(const struct workload *w, bool reverse)
{
	void *objs[BURST];
	unsigned long i;
	int j;

	for (i = 0; i < w->ops; i += BURST) {
		for (j = 0; j < BURST; j++)
			if (!(objs[j] = w->a->alloc(w->param)))
				return 1;
		for (j = 0; j < BURST; j++)
			w->a->free(objs[reverse ? BURST - 1 - j : j]);
	}
	return 0;
}

/* Allocate BURST, free them first to last. */
int work_burst_fifo(const struct workload *w)
{
	return burst(w, false);
}

/* Allocate BURST, free them last to first. */
int work_burst_lifo(const struct workload *w)
{
	return burst(w, true);
}

/*
 * A live set of LIVE_SLOTS objects of random sizes (8 to 2048 bytes);
 * each operation replaces a random one, so frees come in no order, as in
 * the larson benchmark. The set is emptied at the end of the pass.
 */
int work_random_live(const struct workload *w)
{
	static void *slots[LIVE_SLOTS];
	unsigned int seed = BENCH_SEED;
	unsigned long i;

	for (i = 0; i < w->ops; i++) {
		unsigned int k = bench_rand(&seed) % LIVE_SLOTS;
		size_t size = 8 + bench_rand(&seed) % (LIVE_MAX_SIZE - 7);

		w->a->free(slots[k]);
		slots[k] = w->a->alloc(size);
		if (!slots[k])
			return 1;
		*(volatile char *)slots[k] = 1;
	}
	for (i = 0; i < LIVE_SLOTS; i++) {
		w->a->free(slots[i]);
		slots[i] = NULL;
	}
	return 0;
}
