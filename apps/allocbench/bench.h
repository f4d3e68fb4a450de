/* SPDX-License-Identifier: MIT */
/*
 * allocbench's pieces: a workload is a named loop run against one
 * allocator. Every allocator, rvmem's or picolibc's, is reached through
 * the same kind of frameless wrapper behind a function pointer, and the
 * loop's own cost is measured once with the null allocator and
 * subtracted, so the figures are the allocators' alone.
 */
#ifndef ALLOCBENCH_BENCH_H
#define ALLOCBENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>

/* A wrapper that tail-calls the allocator with no stack frame. */
#define BENCH_WRAPPER	__attribute__((optimize("omit-frame-pointer")))

/**
 * struct allocator - one allocator, as the loops call it
 * @name: shown in the results ("rvmem", "picolibc", ...)
 * @alloc: allocate; @param is bytes, an order or pages (the workload's)
 * @free: free what @alloc returned for the same @param
 * @finish: optional, run at the end of a measured pass, inside the
 *          window: work the allocator deferred (vmalloc's lazy purge)
 * @one_hart: scaling mode runs it on one hart only (a global lock)
 */
struct allocator {
	const char *name;
	void *(*alloc)(size_t param);
	void (*free)(void *p, size_t param);
	void (*finish)(void);
	bool one_hart;
};

extern const struct allocator null_allocator, rvmem_kmalloc, c_malloc,
	nano_malloc, rvmem_kmem_cache, rvmem_pages, rvmem_vmalloc,
	rvmem_kmalloc64;

int bench_cache_init(void);

/**
 * struct workload - one measured loop
 * @name: e.g. "pair_64"
 * @ops: operations per pass and hart (an alloc+free pair counts as one)
 * @param: size in bytes, order, or pages: the workload says
 * @harts: harts it needs (single-hart mode)
 * @run: the loop; returns 0, or nonzero if the allocator failed
 * @setup: optional, before each pass, outside the measured window
 * @teardown: optional, after each pass, outside the measured window
 * @a: the allocator, or NULL for a loop that calls none (faults)
 * @spent: optional: the instructions the pass spent in the allocator, as
 *         the loop counted them itself, instead of the whole window's
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
	unsigned long (*spent)(void);
};

/* A one-hart workload over @alloc, and one over each malloc-style one. */
#define WORK(n, o, p, fn, alloc) \
	{ .name = n, .ops = o, .param = p, .harts = 1, .run = fn, .a = &alloc }
#define MALLOC_STYLE(name, ops, size, fn) \
	WORK(name, ops, size, fn, rvmem_kmalloc), \
	WORK(name, ops, size, fn, c_malloc), \
	WORK(name, ops, size, fn, nano_malloc)

/* Loops over an allocator (work_malloc.c); each hart keeps its own state. */
int work_pair(const struct workload *w);
int work_burst_fifo(const struct workload *w);
int work_burst_lifo(const struct workload *w);
int work_random_live(const struct workload *w);
int work_binary_trees(const struct workload *w);

/* Nodes of one round of short-lived trees (depths 4, 6, 8, 10), and of
 * the long-lived one: binary_trees' ops are BINARY_TREES_NODES(rounds). */
#define BINARY_TREES_ROUND_NODES	(31 + 127 + 511 + 2047)
#define BINARY_TREES_LONG_DEPTH	10
#define BINARY_TREES_NODES(rounds) \
	((rounds) * BINARY_TREES_ROUND_NODES + \
	 (2UL << BINARY_TREES_LONG_DEPTH) - 1)

/* Loops of their own, and state for some (work_kernel.c). */
int pages_setup(const struct workload *w);
void pages_teardown(const struct workload *w);
int demand_zero_setup(const struct workload *w);
int work_demand_zero(const struct workload *w);
void demand_zero_teardown(const struct workload *w);
int work_producer_consumer(const struct workload *w);
int work_ring(const struct workload *w);
int ring_setup(const struct workload *w);
unsigned long producer_consumer_spent(void);

/**
 * run_scaling() - the scaling mode: every hart runs the same loop at once
 * @prefix: run only workloads whose name starts with it
 *
 * Return: 0, or 1 if an allocator failed.
 */
int run_scaling(const char *prefix);

/**
 * run_numa() - the NUMA mode: where each hart's allocations land, and
 * alloc_pages_node()/kmalloc_node() per node (numa.c)
 *
 * Return: 0, or 1 if an allocation failed.
 */
int run_numa(void);

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
