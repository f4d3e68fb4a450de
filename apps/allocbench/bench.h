/* SPDX-License-Identifier: MIT */
/*
 * allocbench's pieces: a workload is a named loop run against one
 * allocator; malloc-style workloads take a struct allocator so rvmem's
 * kmalloc and picolibc's malloc run the very same code.
 */
#ifndef ALLOCBENCH_BENCH_H
#define ALLOCBENCH_BENCH_H

#include <stddef.h>

struct allocator {
	const char *name;
	void *(*alloc)(size_t size);
	void (*free)(void *p);
};

extern const struct allocator rvmem_kmalloc, picolibc_malloc;

/**
 * struct workload - one measured loop
 * @name: e.g. "pair_64"
 * @ops: operations per pass (an alloc+free pair counts as one)
 * @param: size in bytes, order, or pages: the workload says
 * @harts: harts it keeps busy
 * @run: the loop; returns 0, or nonzero if the allocator failed
 * @setup: optional, before each pass, outside the measured window
 * @teardown: optional, after each pass, outside the measured window
 * @a: the allocator, for malloc-style workloads (NULL otherwise)
 */
struct workload {
	const char *name;
	unsigned long ops;
	unsigned long param;
	unsigned int harts;
	int (*run)(const struct workload *w);
	int (*setup)(const struct workload *w);
	void (*teardown)(const struct workload *w);
	const struct allocator *a;
};

/* Malloc-style loops (work_malloc.c). */
int work_pair(const struct workload *w);
int work_burst_fifo(const struct workload *w);
int work_burst_lifo(const struct workload *w);
int work_random_live(const struct workload *w);

/* rvmem-only loops (work_kernel.c). */
int work_kmem_cache_pair(const struct workload *w);
int work_page_pair(const struct workload *w);
int work_vmalloc_pair(const struct workload *w);
int demand_zero_setup(const struct workload *w);
int work_demand_zero(const struct workload *w);
void demand_zero_teardown(const struct workload *w);
int work_producer_consumer(const struct workload *w);

/* xorshift32: seeded, repeatable. */
static inline unsigned int bench_rand(unsigned int *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

#define BENCH_SEED	0x2545f491u

#endif /* ALLOCBENCH_BENCH_H */
