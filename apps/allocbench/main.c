// SPDX-License-Identifier: MIT
/*
 * allocbench: guest instructions per allocator operation, rvmem beside
 * picolibc on the same workloads in the same boot.
 *
 *	allocbench [WORKLOAD-PREFIX]
 *	allocbench --scaling [WORKLOAD-PREFIX]
 *	allocbench --numa
 *
 * Each workload runs a warm-up pass and a measured pass and prints one
 * JSON line: workload, allocator, ops, instructions, insn_per_op,
 * harness_per_op, harts, ns_per_op; then a table of all of them.
 * Instruction counts come from rdinstret: under QEMU -icount shift=0 it
 * counts guest instructions (all harts'), the same on every run, which
 * is what CI gates on. insn_per_op is the allocator's alone: the same
 * loop run with the null allocator (harness_per_op) is subtracted.
 * ns_per_op is wall time, meaningful only without -icount, and varies.
 * --scaling runs every hart at once instead (scaling.c); --numa says
 * where allocations land (numa.c).
 * Exits 1 if an allocator failed during a workload.
 */
#include <stdio.h>
#include <string.h>
#include <asm/csr.h>
#include <asm/timer.h>
#include <rvmem/smp.h>
#include "bench.h"

#define PAIR_OPS	10000
/* vfree() purges every 16 MiB of lazily freed areas: span several. */
#define VMALLOC_OPS(pages)	(8192 * 4 / (pages))

struct result {
	const struct workload *w;
	unsigned long insn, harness;
	unsigned long ns_per_op;
	bool skipped, failed;
};

#define PAIRS(size)	MALLOC_STYLE("pair_" #size, PAIR_OPS, size, work_pair)
#define PAGES(o) \
	{ .name = "alloc_pages_order" #o, .ops = PAIR_OPS, .param = o, \
	  .harts = 1, .run = work_pair, .setup = pages_setup, \
	  .teardown = pages_teardown, .a = &rvmem_pages }
#define VMALLOC(pages) \
	WORK("vmalloc_" #pages, VMALLOC_OPS(pages), pages, work_pair, \
	     rvmem_vmalloc)

static const struct workload workloads[] = {
	PAIRS(8), PAIRS(16), PAIRS(32), PAIRS(64), PAIRS(96), PAIRS(128),
	PAIRS(192), PAIRS(256), PAIRS(512), PAIRS(1024), PAIRS(2048),
	PAIRS(4096), PAIRS(8192),
	MALLOC_STYLE("burst_fifo_64", 25600, 64, work_burst_fifo),
	MALLOC_STYLE("burst_lifo_64", 25600, 64, work_burst_lifo),
	MALLOC_STYLE("random_live", 50000, 0, work_random_live),
	MALLOC_STYLE("binary_trees", BINARY_TREES_NODES(20), 24,
		     work_binary_trees),
	WORK("kmem_cache_pair_64", PAIR_OPS, 64, work_pair, rvmem_kmem_cache),
	WORK("kmalloc_const_pair_64", PAIR_OPS, 64, work_pair,
	     rvmem_kmalloc64),
	PAGES(0), PAGES(1), PAGES(2), PAGES(3), PAGES(4), PAGES(5), PAGES(6),
	PAGES(7), PAGES(8), PAGES(9), PAGES(10),
	VMALLOC(1), VMALLOC(16), VMALLOC(256),
	{ .name = "demand_zero_fault", .ops = 4096, .harts = 1,
	  .run = work_demand_zero, .setup = demand_zero_setup,
	  .teardown = demand_zero_teardown },
	{ .name = "producer_consumer_64", .ops = 20000, .param = 64,
	  .harts = 2, .run = work_producer_consumer, .setup = ring_setup,
	  .a = &rvmem_kmalloc, .spent = producer_consumer_spent },
};

static struct result results[ARRAY_SIZE(workloads)];

static int pass_failed;

/* A cross-call: one hart's share of a workload that needs several. */
static void run_on_hart(void *arg)
{
	const struct workload *w = arg;

	if (w->run(w))
		__atomic_store_n(&pass_failed, 1, __ATOMIC_RELAXED);
}

/* One pass of @w, with its allocator swapped for @a (the null one). */
static int run_pass(const struct workload *w, const struct allocator *a,
		    unsigned long *insn, u64 *ticks)
{
	struct workload pass = *w;

	pass.a = a;
	if (w->setup && w->setup(w))
		return 1;
	pass_failed = 0;
	*insn = rdinstret();
	*ticks = timer_read();
	if (w->harts > 1)
		on_each_hart(run_on_hart, &pass);
	else
		pass_failed = w->run(&pass);
	if (a && a->finish)
		a->finish();
	*insn = w->spent ? w->spent() : rdinstret() - *insn;
	*ticks = timer_read() - *ticks;
	if (w->teardown)
		w->teardown(w);
	return pass_failed;
}

static const char *allocator_name(const struct workload *w)
{
	return w->a ? w->a->name : "rvmem";
}

/* "12.34": @n / @d with two decimals. */
static void print_ratio(unsigned long n, unsigned long d)
{
	printf("%lu.%02lu", n / d, n % d * 100 / d);
}

static void measure(const struct workload *w, struct result *r)
{
	u64 ticks;

	r->w = w;
	if (w->harts > nr_cpus_online) {
		r->skipped = true;
		printf("{\"workload\": \"%s\", \"allocator\": \"%s\", "
		       "\"skipped\": \"needs %u harts\"}\n", w->name,
		       allocator_name(w), w->harts);
		return;
	}
	/* The loop alone, then a warm-up (lists, slabs, the heap), then
	 * the measured pass. */
	if (w->a)
		run_pass(w, &null_allocator, &r->harness, &ticks);
	r->failed = run_pass(w, w->a, &r->insn, &ticks) ||
		    run_pass(w, w->a, &r->insn, &ticks);
	r->insn = r->insn > r->harness ? r->insn - r->harness : 0;
	r->ns_per_op = ticks * 1000 / timer_ticks_per_us() / w->ops;
	printf("{\"workload\": \"%s\", \"allocator\": \"%s\", \"ops\": %lu, "
	       "\"instructions\": %lu, \"insn_per_op\": ", w->name,
	       allocator_name(w), w->ops, r->insn);
	print_ratio(r->insn, w->ops);
	printf(", \"harness_per_op\": ");
	print_ratio(r->harness, w->ops);
	printf(", \"harts\": %u, \"ns_per_op\": %lu%s}\n", w->harts,
	       r->ns_per_op, r->failed ? ", \"failed\": true" : "");
}

static void print_table(size_t n)
{
	size_t i;

	printf("\n%-24s %-9s %9s %12s %12s %10s\n", "workload", "allocator",
	       "ops", "insn/op", "harness/op", "ns/op");
	for (i = 0; i < n; i++) {
		const struct result *r = &results[i];

		if (r->skipped)
			continue;
		printf("%-24s %-9s %9lu %9lu.%02lu %9lu.%02lu %10lu%s\n",
		       r->w->name, allocator_name(r->w), r->w->ops,
		       r->insn / r->w->ops, r->insn % r->w->ops * 100 / r->w->ops,
		       r->harness / r->w->ops,
		       r->harness % r->w->ops * 100 / r->w->ops, r->ns_per_op,
		       r->failed ? "  FAILED" : "");
	}
}

int main(int argc, char **argv)
{
	const char *prefix;
	size_t i, n = 0;
	int failed = 0;

	if (bench_cache_init())
		return 1;
	if (argc > 1 && !strcmp(argv[1], "--scaling"))
		return run_scaling(argc > 2 ? argv[2] : "");
	if (argc > 1 && !strcmp(argv[1], "--numa"))
		return run_numa();
	prefix = argc > 1 ? argv[1] : "";
	for (i = 0; i < ARRAY_SIZE(workloads); i++) {
		if (strncmp(workloads[i].name, prefix, strlen(prefix)))
			continue;
		measure(&workloads[i], &results[n]);
		failed |= results[n++].failed;
	}
	print_table(n);
	return failed;
}
