// SPDX-License-Identifier: MIT
/*
 * Loops over an allocator, run unchanged against every one of them: hot
 * LIFO pairs, bursts freed in the same and in the reverse order, and a
 * larson-like random live set. Each hart keeps its own state, so the
 * scaling mode runs the very same loops on every hart at once.
 */
#include <rvmem/smp.h>
#include "bench.h"

#define BURST		256
#define LIVE_SLOTS	1024
#define LIVE_MAX_SIZE	2048

/* The object just freed is the next one handed out. */
int work_pair(const struct workload *w)
{
	const struct allocator *a = w->a;
	void *volatile p;
	unsigned long i;

	for (i = 0; i < w->ops; i++) {
		p = a->alloc(w->param);
		if (!p)
			return 1;
		a->free(p, w->param);
	}
	return 0;
}

static int burst(const struct workload *w, bool reverse)
{
	const struct allocator *a = w->a;
	void *objs[BURST];
	unsigned long i;
	int j;

	for (i = 0; i < w->ops; i += BURST) {
		for (j = 0; j < BURST; j++)
			if (!(objs[j] = a->alloc(w->param)))
				return 1;
		for (j = 0; j < BURST; j++)
			a->free(objs[reverse ? BURST - 1 - j : j], w->param);
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
 * the larson benchmark. The set is emptied at the end of the pass. Every
 * hart draws the same sequence, so the scaling mode compares equal work.
 */
int work_random_live(const struct workload *w)
{
	static void *live[NR_CPUS][LIVE_SLOTS];
	unsigned int cpu = smp_processor_id();
	unsigned int seed = BENCH_SEED;	/* every hart the same work */
	const struct allocator *a = w->a;
	void **slots = live[cpu];
	unsigned long i;

	for (i = 0; i < w->ops; i++) {
		unsigned int k = bench_rand(&seed) % LIVE_SLOTS;
		size_t size = 8 + bench_rand(&seed) % (LIVE_MAX_SIZE - 7);

		a->free(slots[k], 0);
		slots[k] = a->alloc(size);
		if (!slots[k])
			return 1;
		*(volatile char *)slots[k] = 1;
	}
	for (i = 0; i < LIVE_SLOTS; i++) {
		a->free(slots[i], 0);
		slots[i] = NULL;
	}
	return 0;
}
