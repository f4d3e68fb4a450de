// SPDX-License-Identifier: MIT
/*
 * hostbench: rvmem's slab and page allocator, built natively over the
 * host arena, beside the host's malloc on the same workloads.
 *
 *	hostbench rvmem|malloc [THREADS] [OPS] [WORKLOAD]
 *
 * "malloc" is whatever malloc the process has: glibc's, or jemalloc,
 * mimalloc or tcmalloc through LD_PRELOAD (ci/hostbench.py does that).
 * Each thread runs the workload on its own (threads play harts for
 * rvmem); the program prints one JSON line per workload with the median
 * of REPEAT runs in nanoseconds per operation. Under callgrind,
 * instructions per operation come from two runs with different OPS.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <rvmem/slab.h>
#include "host.h"
#include "mm_fixture.h"

#define REPEAT		5
#define BURST		256
#define LIVE_SLOTS	1024
#define LIVE_MAX_SIZE	2048
#define MAX_THREADS	4

/*
 * Both allocators are reached the same way, through these pointers to a
 * wrapper of our own, so that neither pays more harness than the other
 * (a pointer straight to malloc would skip the wrapper rvmem needs).
 */
struct allocator {
	const char *name;
	void *(*alloc)(size_t size);
	void (*free)(void *p);
};

static void *rvmem_alloc(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

static void rvmem_free(void *p)
{
	kfree(p);
}

static void *libc_alloc(size_t size)
{
	return malloc(size);
}

static void libc_free(void *p)
{
	free(p);
}

static const struct allocator allocators[] = {
	{ "rvmem", rvmem_alloc, rvmem_free },
	{ "malloc", libc_alloc, libc_free },
};

struct job {
	const struct allocator *a;
	const struct workload *w;
	unsigned long ops;
	unsigned int cpu;
	int failed;
};

struct workload {
	const char *name;
	size_t size;
	int (*run)(struct job *j);
};

static int pairs(struct job *j)
{
	void *volatile p;
	unsigned long i;

	for (i = 0; i < j->ops; i++) {
		if (!(p = j->a->alloc(j->w->size)))
			return 1;
		j->a->free(p);
	}
	return 0;
}

static int bursts(struct job *j, bool reverse)
{
	void *objs[BURST];
	unsigned long i;
	int k;

	for (i = 0; i < j->ops; i += BURST) {
		for (k = 0; k < BURST; k++)
			if (!(objs[k] = j->a->alloc(j->w->size)))
				return 1;
		for (k = 0; k < BURST; k++)
			j->a->free(objs[reverse ? BURST - 1 - k : k]);
	}
	return 0;
}

static int burst_fifo(struct job *j)
{
	return bursts(j, false);
}

static int burst_lifo(struct job *j)
{
	return bursts(j, true);
}

static int random_live(struct job *j)
{
	void *slots[LIVE_SLOTS] = { NULL };
	unsigned int seed = 0x2545f491u + j->cpu;
	unsigned long i;

	for (i = 0; i < j->ops; i++) {
		unsigned int k, size;

		seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
		k = seed % LIVE_SLOTS;
		size = 8 + (seed >> 10) % (LIVE_MAX_SIZE - 7);
		j->a->free(slots[k]);
		if (!(slots[k] = j->a->alloc(size)))
			return 1;
		*(volatile char *)slots[k] = 1;
	}
	for (i = 0; i < LIVE_SLOTS; i++)
		j->a->free(slots[i]);
	return 0;
}

static const struct workload workloads[] = {
	{ "pair_8", 8, pairs }, { "pair_64", 64, pairs },
	{ "pair_512", 512, pairs }, { "pair_4096", 4096, pairs },
	{ "burst_fifo_64", 64, burst_fifo }, { "burst_lifo_64", 64, burst_lifo },
	{ "random_live", 0, random_live },
};

static void *thread_main(void *arg)
{
	struct job *j = arg;

	if (!strcmp(j->a->name, "rvmem"))
		host_hart_enter(j->cpu);
	j->failed = j->w->run(j);
	return NULL;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One timed run of @w on @threads threads: ns per operation (per thread). */
static double run_once(const struct allocator *a, const struct workload *w,
		       unsigned int threads, unsigned long ops, int *failed)
{
	pthread_t tid[MAX_THREADS];
	struct job jobs[MAX_THREADS];
	unsigned int t;
	double start = now_ns();

	for (t = 0; t < threads; t++) {
		jobs[t] = (struct job){ .a = a, .w = w, .ops = ops,
					.cpu = t + 1 };
		pthread_create(&tid[t], NULL, thread_main, &jobs[t]);
	}
	for (t = 0; t < threads; t++) {
		pthread_join(tid[t], NULL);
		*failed |= jobs[t].failed;
	}
	return (now_ns() - start) / ops;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	const struct allocator *a = NULL;
	unsigned int threads = argc > 2 ? atoi(argv[2]) : 1;
	unsigned long ops = argc > 3 ? strtoul(argv[3], NULL, 0) : 1000000;
	const char *only = argc > 4 ? argv[4] : "";
	double ns[REPEAT];
	size_t i;
	int r, failed = 0;

	for (i = 0; argc > 1 && i < ARRAY_SIZE(allocators); i++)
		if (!strcmp(argv[1], allocators[i].name))
			a = &allocators[i];
	if (!a || !threads || threads > MAX_THREADS || !ops) {
		fprintf(stderr, "usage: hostbench rvmem|malloc [THREADS<=%d] "
			"[OPS] [WORKLOAD]\n", MAX_THREADS);
		return 2;
	}
	host_platform_init(false);
	if (!strcmp(a->name, "rvmem") && !mm_fixture_boot_small(MiB(512)))
		return 2;
	if (!strcmp(a->name, "rvmem"))
		kmem_cache_init();
	for (i = 0; i < ARRAY_SIZE(workloads); i++) {
		if (*only && strcmp(only, workloads[i].name))
			continue;
		for (r = 0; r < REPEAT; r++)
			ns[r] = run_once(a, &workloads[i], threads, ops,
					 &failed);
		qsort(ns, REPEAT, sizeof(ns[0]), cmp_double);
		printf("{\"workload\": \"%s\", \"allocator\": \"%s\", "
		       "\"threads\": %u, \"ops\": %lu, \"ns_per_op\": %.2f}\n",
		       workloads[i].name, a->name, threads, ops,
		       ns[REPEAT / 2]);
	}
	return failed;
}
