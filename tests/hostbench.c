// SPDX-License-Identifier: MIT
/*
 * hostbench: rvmem's slab and page allocator, built natively over the
 * host arena, beside the host's malloc on the same workloads.
 *
 *	hostbench rvmem|malloc [THREADS] [OPS] [WORKLOAD]
 *
 * "malloc" is whatever malloc the process has: glibc's, or jemalloc,
 * mimalloc or tcmalloc through LD_PRELOAD (ci/hostbench.py does that).
 * THREADS (1 to MAX_THREADS) threads run the workload at once, each
 * OPS operations (threads play harts 1 to THREADS, as rvmem needs; a
 * host malloc ignores that); an operation is one
 * object allocated and freed. OPS is rounded up to whole bursts. The
 * program prints one JSON line per workload with the median of REPEAT
 * runs of ns per operation per thread: the run's wall time divided by
 * OPS, which is wall time x THREADS / all threads' operations. With
 * perfect scaling it stays flat as THREADS grows. Under callgrind,
 * instructions per operation come from two runs with different OPS.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <rvmem/slab.h>
#include "harts.h"
#include "host.h"
#include "mm_fixture.h"

#define REPEAT		5
#define BURST		256
#define LIVE_SLOTS	1024
#define LIVE_MAX_SIZE	2048
#define MAX_THREADS	8
#define RING_SLOTS	256
#define CACHE_LINE	64

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
	unsigned int idx, threads;	/* this thread's index; how many */
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
	unsigned int seed = 0x2545f491u + j->idx + 1;
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

/*
 * A single-producer, single-consumer ring from thread i to thread
 * i + 1 (mod threads). head and tail only grow and every object pushed
 * is popped, so the rings are empty after each run and need no reset.
 */
struct ring {
	unsigned long head __attribute__((aligned(CACHE_LINE)));
	unsigned long tail __attribute__((aligned(CACHE_LINE)));
	void *slot[RING_SLOTS] __attribute__((aligned(CACHE_LINE)));
};

static struct ring rings[MAX_THREADS];

/* Allocate into @out until it is full or all @j->ops are sent. */
static unsigned long ring_fill(struct job *j, struct ring *out,
			       unsigned long sent)
{
	unsigned long head = out->head;
	unsigned long tail = __atomic_load_n(&out->tail, __ATOMIC_ACQUIRE);

	for (; sent < j->ops && head - tail < RING_SLOTS; sent++) {
		void *p = j->a->alloc(j->w->size);

		if (!p)
			j->failed = 1;	/* send NULL on: freeing it is a no-op */
		out->slot[head++ % RING_SLOTS] = p;
	}
	__atomic_store_n(&out->head, head, __ATOMIC_RELEASE);
	return sent;
}

/* Free what @in holds. Return: how many objects that was. */
static unsigned long ring_drain(struct job *j, struct ring *in)
{
	unsigned long tail = in->tail, start = tail;
	unsigned long head = __atomic_load_n(&in->head, __ATOMIC_ACQUIRE);

	while (tail != head)
		j->a->free(in->slot[tail++ % RING_SLOTS]);
	__atomic_store_n(&in->tail, tail, __ATOMIC_RELEASE);
	return tail - start;
}

/*
 * Each thread allocates @j->ops objects for the next thread to free and
 * frees as many from the previous one. Nobody blocks: a thread whose
 * ring is full drains its input meanwhile. With one thread the ring
 * leads back to itself and every free is local: burst_fifo through a
 * ring.
 */
static int cross_thread(struct job *j)
{
	struct ring *out = &rings[j->idx];
	struct ring *in = &rings[(j->idx + j->threads - 1) % j->threads];
	unsigned long sent = 0, freed = 0, before;

	while (sent < j->ops || freed < j->ops) {
		before = sent + freed;
		sent = ring_fill(j, out, sent);
		freed += ring_drain(j, in);
		if (sent + freed == before)
			sched_yield();	/* fewer cores than threads */
	}
	return j->failed;
}

static const struct workload workloads[] = {
	{ "pair_64", 64, pairs },
	{ "burst_fifo_64", 64, burst_fifo },
	{ "burst_lifo_64", 64, burst_lifo },
	{ "burst_fifo_512", 512, burst_fifo },
	{ "random_live", 0, random_live },
	{ "cross_thread", 64, cross_thread },
};

static void job_run(void *arg)
{
	struct job *j = arg;

	j->failed = j->w->run(j);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One timed run of @w on @threads threads: ns per operation per thread. */
static double run_once(const struct allocator *a, const struct workload *w,
		       unsigned int threads, unsigned long ops, int *failed)
{
	struct job jobs[MAX_THREADS];
	unsigned int t;
	double start = now_ns();

	for (t = 0; t < threads; t++)
		jobs[t] = (struct job){ .a = a, .w = w, .ops = ops,
					.idx = t, .threads = threads };
	*failed |= harts_run(threads, job_run, jobs, sizeof(jobs[0])) != 0;
	for (t = 0; t < threads; t++)
		*failed |= jobs[t].failed;
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
	ops = (ops + BURST - 1) / BURST * BURST;	/* bursts run whole */
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
