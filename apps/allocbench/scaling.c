// SPDX-License-Identifier: MIT
/*
 * The scaling mode: every online hart runs the same loop at the same
 * time, started together from a barrier, and the fastest of
 * MEASURED_PASSES passes gives the aggregate wall time. Meant to run without -icount, where QEMU runs
 * one host thread per hart; ci/bench.py --scaling boots it with 1, 2,
 * 4, ... harts and turns the times into speedups.
 *
 * The loops run as POSIX threads, one on each other hart, and main takes
 * the boot hart's share: in normal context with interrupts on, as an
 * app's own threads would run them. Each hart sizes and empties its TLB
 * before every pass (tlb_size_for_pass()).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <asm/processor.h>
#include <asm/timer.h>
#include <asm/tlbflush.h>
#include <rvmem/gfp.h>
#include <rvmem/mm.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>
#include <rvmem/vmalloc.h>
#include "bench.h"

/*
 * Each workload's fastest of this many passes counts: on a shared host a
 * pass can lose a core for a while, which says nothing about the
 * allocator. Passes are sized for a few hundred milliseconds a hart.
 */
#define MEASURED_PASSES	3

static const struct workload scaling_workloads[] = {
	MALLOC_STYLE("pair_64", 1000000, 64, work_pair),
	WORK("kmem_cache_pair_64", 1000000, 64, work_pair, rvmem_kmem_cache),
	MALLOC_STYLE("burst_fifo_64", 512000, 64, work_burst_fifo),
	MALLOC_STYLE("burst_fifo_512", 256000, 512, work_burst_fifo),
	MALLOC_STYLE("random_live", 400000, 0, work_random_live),
	{ .name = "ring_64", .ops = 400000, .param = 64, .harts = 1,
	  .run = work_ring, .setup = ring_setup, .a = &rvmem_kmalloc },
	WORK("alloc_pages_order0", 400000, 0, work_pair, rvmem_pages),
	WORK("alloc_pages_order3", 200000, 3, work_pair, rvmem_pages),
	WORK("vmalloc_1", 16384, 1, work_pair, rvmem_vmalloc),
	{ .name = "demand_zero_fault", .ops = 4096, .harts = 1,
	  .run = work_demand_zero, .setup = demand_zero_setup,
	  .teardown = demand_zero_teardown },
};

/*
 * Every hart starts every pass with the same TLB, large enough for any
 * workload's hot pages. QEMU's software TLB (one a hart) is direct-mapped
 * and resized only at a full flush: doubled when over 70% of its entries
 * were used since the flush before. A hot set about as large as the table
 * fills only two thirds of it, so a hart could keep 256 entries for good
 * and thrash on pairs of hot pages 256 apart, and which hart did depended
 * on where its pages happened to land (README, "Scaling across harts").
 * Reading TLB_SIZE_PAGES distinct pages and then flushing doubles the
 * table each round up to twice that; TLB_SIZE_ROUNDS take it there from
 * QEMU's smallest, 64. The pages are one page of RAM mapped that many
 * times. On real harts this is a cold TLB, as after any flush.
 */
#define TLB_SIZE_PAGES	2048
#define TLB_SIZE_ROUNDS	7

static const char *tlb_size_area;

static void tlb_size_for_pass(void)
{
	unsigned long i;
	int round;

	for (round = 0; round < TLB_SIZE_ROUNDS; round++) {
		for (i = 0; i < TLB_SIZE_PAGES; i++)
			(void)READ_ONCE(tlb_size_area[i * PAGE_SIZE]);
		local_flush_tlb_all();
	}
}

/* Map the area tlb_size_for_pass() reads. Return: its page, or NULL. */
static struct page *tlb_size_area_map(void)
{
	struct page **pages = kmalloc_array(TLB_SIZE_PAGES, sizeof(*pages),
					    GFP_KERNEL);
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned int i;

	if (pages && page) {
		for (i = 0; i < TLB_SIZE_PAGES; i++)
			pages[i] = page;
		tlb_size_area = vmap(pages, TLB_SIZE_PAGES, PAGE_KERNEL_RO);
	}
	kfree(pages);
	if (!tlb_size_area && page) {
		__free_page(page);
		page = NULL;
	}
	return page;
}

/* One pass: when each hart started and ended, and whether it failed. */
static struct {
	const struct workload *w;
	unsigned int arrived;
	u64 start[NR_CPUS], end[NR_CPUS];
	int failed;
} pass;

static void barrier_wait(void)
{
	__atomic_add_fetch(&pass.arrived, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&pass.arrived, __ATOMIC_ACQUIRE) <
	       nr_cpus_online)
		cpu_relax();
}

/* A thread: this hart's share, timed from the common start. */
static void *run_share(void *arg)
{
	const struct workload *w = pass.w;
	unsigned int cpu = smp_processor_id();

	(void)arg;
	tlb_size_for_pass();
	barrier_wait();
	pass.start[cpu] = timer_read();
	if (w->run(w))
		__atomic_store_n(&pass.failed, 1, __ATOMIC_RELAXED);
	if (w->a && w->a->finish)
		w->a->finish();
	pass.end[cpu] = timer_read();
	return NULL;
}

/* A thread on every other hart, main's share here, then join them. */
static void run_shares(void)
{
	pthread_t threads[NR_CPUS];
	unsigned int i, n;

	for (n = 0; n < nr_cpus_online - 1; n++)
		if (pthread_create(&threads[n], NULL, run_share, NULL))
			break;
	if (n < nr_cpus_online - 1) {
		pass.failed = 1;
		pass.arrived = nr_cpus_online;	/* release those started */
	}
	run_share(NULL);
	for (i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
}

/*
 * A pass's wall time, and its fastest and slowest hart's own, in ticks;
 * and how often all harts found a lock held, and how long they waited.
 */
struct pass_time {
	u64 wall, hart_min, hart_max;
	unsigned long lock_waits;
	u64 lock_wait_ticks;
};

/* All online harts' lock waits and wait ticks so far. */
static void sum_lock_waits(unsigned long *waits, u64 *ticks)
{
	unsigned int cpu;

	*waits = 0;
	*ticks = 0;
	for (cpu = 0; cpu < nr_cpus_online; cpu++) {
		*waits += READ_ONCE(harts[cpu].lock_waits);
		*ticks += READ_ONCE(harts[cpu].lock_wait_ticks);
	}
}

/* One pass on every hart, timed. */
static struct pass_time run_pass_everywhere(const struct workload *w)
{
	struct pass_time t = { .hart_min = ~0ULL };
	u64 first = ~0ULL, last = 0, wait_ticks;
	unsigned long waits;
	unsigned int cpu;

	if (w->setup && w->setup(w)) {
		pass.failed = 1;
		return t;
	}
	pass.w = w;
	pass.arrived = 0;
	sum_lock_waits(&waits, &wait_ticks);
	run_shares();
	sum_lock_waits(&t.lock_waits, &t.lock_wait_ticks);
	t.lock_waits -= waits;
	t.lock_wait_ticks -= wait_ticks;
	if (w->teardown)
		w->teardown(w);
	for (cpu = 0; cpu < nr_cpus_online; cpu++) {
		u64 own = pass.end[cpu] - pass.start[cpu];

		first = min(first, pass.start[cpu]);
		last = max(last, pass.end[cpu]);
		t.hart_min = min(t.hart_min, own);
		t.hart_max = max(t.hart_max, own);
	}
	t.wall = last - first;
	return t;
}

static void measure_scaling(const struct workload *w)
{
	const char *name = w->a ? w->a->name : "rvmem";
	struct pass_time best = { .wall = ~0ULL };
	unsigned int i;

	if (w->a && w->a->one_hart && nr_cpus_online > 1) {
		printf("{\"workload\": \"%s\", \"allocator\": \"%s\", "
		       "\"harts\": %u, \"skipped\": \"one global lock: "
		       "one hart only\"}\n", w->name, name, nr_cpus_online);
		return;
	}
	pass.failed = 0;
	run_pass_everywhere(w);		/* warm-up */
	for (i = 0; i < MEASURED_PASSES; i++) {
		struct pass_time t = run_pass_everywhere(w);

		if (t.wall < best.wall)
			best = t;
	}
	printf("{\"workload\": \"%s\", \"allocator\": \"%s\", \"harts\": %u, "
	       "\"ops\": %lu, \"us\": %lu, \"hart_us\": [%lu, %lu], "
	       "\"lock_waits\": %lu, \"lock_wait_us\": %lu%s}\n",
	       w->name, name, nr_cpus_online, w->ops * nr_cpus_online,
	       (unsigned long)(best.wall / timer_ticks_per_us()),
	       (unsigned long)(best.hart_min / timer_ticks_per_us()),
	       (unsigned long)(best.hart_max / timer_ticks_per_us()),
	       best.lock_waits,
	       (unsigned long)(best.lock_wait_ticks / timer_ticks_per_us()),
	       pass.failed ? ", \"failed\": true" : "");
}

int run_scaling(const char *prefix)
{
	struct page *tlb_page = tlb_size_area_map();
	int failed = 0;
	size_t i;

	if (!tlb_page) {
		printf("allocbench: no memory for the TLB sizing area\n");
		return 1;
	}
	for (i = 0; i < ARRAY_SIZE(scaling_workloads); i++) {
		const struct workload *w = &scaling_workloads[i];

		if (strncmp(w->name, prefix, strlen(prefix)))
			continue;
		measure_scaling(w);
		failed |= pass.failed;
	}
	vunmap(tlb_size_area);
	__free_page(tlb_page);
	return failed;
}
