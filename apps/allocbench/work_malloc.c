// SPDX-License-Identifier: MIT
/*
 * Loops over an allocator, run unchanged against every one of them: hot
 * LIFO pairs, bursts freed in the same and in the reverse order, a
 * larson-like random live set, and the binary-trees program. Each hart keeps its own state, so the
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

/*
 * The binary-trees program (the benchmarks game's, in C): a long-lived
 * tree, then short-lived trees of depths 4, 6, 8 and 10 built, checked
 * and freed, until BINARY_TREES_NODES(@w->ops) nodes are made. A node is
 * @w->param bytes. A leaf is known by its depth, not by what it holds,
 * so the null allocator's pass (whose nodes all alias one object) runs
 * the very same instructions.
 */
struct tree_node {
	struct tree_node *left, *right;
	long item;
};

/* A tree of @depth below the root; *@failed set if an allocation was. */
static struct tree_node *tree_build(const struct allocator *a, size_t size,
				    unsigned int depth, long item,
				    int *failed)
{
	struct tree_node *n = a->alloc(size);

	if (!n) {
		*failed = 1;
		return NULL;
	}
	n->item = item;
	if (depth) {
		n->left = tree_build(a, size, depth - 1, 2 * item - 1, failed);
		n->right = tree_build(a, size, depth - 1, 2 * item, failed);
	}
	return n;
}

/* The program's check of a tree (a missing node counts 0). */
static long tree_check(const struct tree_node *n, unsigned int depth)
{
	if (!n)
		return 0;
	if (!depth)
		return n->item;
	return n->item + tree_check(n->left, depth - 1) -
	       tree_check(n->right, depth - 1);
}

static void tree_free(const struct allocator *a, struct tree_node *n,
		      size_t size, unsigned int depth)
{
	if (!n)
		return;
	if (depth) {
		tree_free(a, n->left, size, depth - 1);
		tree_free(a, n->right, size, depth - 1);
	}
	a->free(n, size);
}

int work_binary_trees(const struct workload *w)
{
	const unsigned int long_depth = BINARY_TREES_LONG_DEPTH;
	unsigned long rounds = w->ops / BINARY_TREES_ROUND_NODES;
	const struct allocator *a = w->a;
	struct tree_node *long_lived, *t;
	volatile long check = 0;
	unsigned int depth;
	unsigned long i;
	int failed = 0;

	long_lived = tree_build(a, w->param, long_depth, 0, &failed);
	for (i = 0; i < rounds && !failed; i++)
		for (depth = 4; depth <= 10; depth += 2) {
			t = tree_build(a, w->param, depth, (long)i, &failed);
			check += tree_check(t, depth);
			tree_free(a, t, w->param, depth);
		}
	check += tree_check(long_lived, long_depth);
	tree_free(a, long_lived, w->param, long_depth);
	return failed;
}
