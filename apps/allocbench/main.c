// SPDX-License-Identifier: MIT
/*
 * allocbench: guest instructions per allocator operation, rvmem beside
 * picolibc on the same workloads in the same boot.
 *
 *	allocbench [WORKLOAD-PREFIX]
 *
 * Each workload runs a warm-up pass and a measured pass and prints one
 * JSON line: workload, allocator, ops, instructions, insn_per_op, harts,
 * ns_per_op; then a table of all of them. Instruction counts come from
 * rdinstret: under QEMU -icount shift=0 it counts guest instructions
 * (all harts'), the same on every run, which is what CI gates on;
 * ns_per_op is wall time, meaningful only without -icount, and varies.
 * Exits 1 if an allocator failed during a workload.
 */
#include <stdio.h>
#include <string.h>
#include <asm/csr.h>
#include <asm/timer.h>
#include <rvmem/smp.h>
#include "bench.h"

#define PAIR_OPS	10000

struct result {
	const struct workload *w;
	unsigned long insn;
	unsigned long ns_per_op;
	bool skipped, failed;
};

#define PAIR(size, alloc) \
	{ "pair_" #size, PAIR_OPS, size, 1, work_pair, NULL, NULL, &alloc }
#define PAIRS(size)	PAIR(size, rvmem_kmalloc), PAIR(size, picolibc_malloc)
#define MALLOC_STYLE(name, ops, size, fn) \
	{ name, ops, size, 1, fn, NULL, NULL, &rvmem_kmalloc }, \
	{ name, ops, size, 1, fn, NULL, NULL, &picolibc_malloc }
#define KERNEL(name, ops, param, harts, fn) \
	{ name, ops, param, harts, fn, NULL, NULL, NULL }

static const struct workload workloads[] = {
	PAIRS(8), PAIRS(16), PAIRS(32), PAIRS(64), PAIRS(96), PAIRS(128),
	PAIRS(192), PAIRS(256), PAIRS(512), PAIRS(1024), PAIRS(2048),
	PAIRS(4096), PAIRS(8192),
	MALLOC_STYLE("burst_fifo_64", 25600, 64, work_burst_fifo),
	MALLOC_STYLE("burst_lifo_64", 25600, 64, work_burst_lifo),
	MALLOC_STYLE("random_live", 50000, 0, work_random_live),
	KERNEL("kmem_cache_pair_64", PAIR_OPS, 64, 1, work_kmem_cache_pair),
	KERNEL("alloc_pages_order0", PAIR_OPS, 0, 1, work_page_pair),
	KERNEL("alloc_pages_order1", PAIR_OPS, 1, 1, work_page_pair),
	KERNEL("alloc_pages_order2", PAIR_OPS, 2, 1, work_page_pair),
	KERNEL("alloc_pages_order3", PAIR_OPS, 3, 1, work_page_pair),
	KERNEL("alloc_pages_order4", PAIR_OPS, 4, 1, work_page_pair),
	KERNEL("alloc_pages_order5", PAIR_OPS, 5, 1, work_page_pair),
	KERNEL("alloc_pages_order6", PAIR_OPS, 6, 1, work_page_pair),
	KERNEL("alloc_pages_order7", PAIR_OPS, 7, 1, work_page_pair),
	KERNEL("alloc_pages_order8", PAIR_OPS, 8, 1, work_page_pair),
	KERNEL("alloc_pages_order9", PAIR_OPS, 9, 1, work_page_pair),
	KERNEL("alloc_pages_order10", PAIR_OPS, 10, 1, work_page_pair),
	KERNEL("vmalloc_1", 2000, 1, 1, work_vmalloc_pair),
	KERNEL("vmalloc_16", 1000, 16, 1, work_vmalloc_pair),
	KERNEL("vmalloc_256", 200, 256, 1, work_vmalloc_pair),
	{ "demand_zero_fault", 4096, 0, 1, work_demand_zero,
	  demand_zero_setup, demand_zero_teardown, NULL },
	KERNEL("producer_consumer_64", 20000, 64, 2, work_producer_consumer),
};

static struct result results[ARRAY_SIZE(workloads)];

static const char *allocator_name(const struct workload *w)
{
	return w->a ? w->a->name : "rvmem";
}

static int run_pass(const struct workload *w, unsigned long *insn,
		    u64 *ticks)
{
	int err;

	if (w->setup && w->setup(w))
		return 1;
	*insn = rdinstret();
	*ticks = timer_read();
	err = w->run(w);
	*insn = rdinstret() - *insn;
	*ticks = timer_read() - *ticks;
	if (w->teardown)
		w->teardown(w);
	return err;
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
	/* Warm up (per-hart lists, slabs, the heap), then measure. */
	r->failed = run_pass(w, &r->insn, &ticks) ||
		    run_pass(w, &r->insn, &ticks);
	r->ns_per_op = ticks * 1000 / timer_ticks_per_us() / w->ops;
	printf("{\"workload\": \"%s\", \"allocator\": \"%s\", \"ops\": %lu, "
	       "\"instructions\": %lu, \"insn_per_op\": %lu.%02lu, "
	       "\"harts\": %u, \"ns_per_op\": %lu%s}\n", w->name,
	       allocator_name(w), w->ops, r->insn, r->insn / w->ops,
	       r->insn % w->ops * 100 / w->ops, w->harts, r->ns_per_op,
	       r->failed ? ", \"failed\": true" : "");
}

static void print_table(size_t n)
{
	size_t i;

	printf("\n%-24s %-9s %9s %12s %10s\n", "workload", "allocator",
	       "ops", "insn/op", "ns/op");
	for (i = 0; i < n; i++) {
		const struct result *r = &results[i];

		if (r->skipped)
			continue;
		printf("%-24s %-9s %9lu %9lu.%02lu %10lu%s\n", r->w->name,
		       allocator_name(r->w), r->w->ops, r->insn / r->w->ops,
		       r->insn % r->w->ops * 100 / r->w->ops, r->ns_per_op,
		       r->failed ? "  FAILED" : "");
	}
}

int main(int argc, char **argv)
{
	const char *prefix = argc > 1 ? argv[1] : "";
	size_t i, n = 0;
	int failed = 0;

	for (i = 0; i < ARRAY_SIZE(workloads); i++) {
		if (strncmp(workloads[i].name, prefix, strlen(prefix)))
			continue;
		measure(&workloads[i], &results[n]);
		failed |= results[n++].failed;
	}
	print_table(n);
	return failed;
}
