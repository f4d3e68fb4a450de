// SPDX-License-Identifier: MIT
/*
 * rvmem-only workloads: kmem_cache, alloc_pages by order, vmalloc by size,
 * demand-zero faults, and kmalloc handed from one hart to another.
 */
#include <sys/mman.h>
#include <asm/processor.h>
#include <rvmem/mm.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>
#include <rvmem/vmalloc.h>
#include "bench.h"

#define RING_SIZE	64

static struct kmem_cache *bench_cache;

int work_kmem_cache_pair(const struct workload *w)
{
	void *volatile p;
	unsigned long i;

	if (!bench_cache)
		bench_cache = kmem_cache_create("allocbench", w->param, 0, 0,
						NULL);
	for (i = 0; i < w->ops; i++) {
		p = kmem_cache_alloc(bench_cache, GFP_KERNEL);
		if (!p)
			return 1;
		kmem_cache_free(bench_cache, p);
	}
	return 0;
}

int work_page_pair(const struct workload *w)
{
	unsigned long i;

	for (i = 0; i < w->ops; i++) {
		struct page *page = alloc_pages(GFP_KERNEL, w->param);

		if (!page)
			return 1;
		__free_pages(page, w->param);
	}
	return 0;
}

/* vmalloc + vfree of @param pages; the lazy purge's share included. */
int work_vmalloc_pair(const struct workload *w)
{
	unsigned long i;

	for (i = 0; i < w->ops; i++) {
		void *p = vmalloc(w->param * PAGE_SIZE);

		if (!p)
			return 1;
		vfree(p);
	}
	return 0;
}

static char *fault_region;

int demand_zero_setup(const struct workload *w)
{
	fault_region = mmap(NULL, w->ops * PAGE_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return fault_region == MAP_FAILED;
}

/* One write per page of a fresh region: each is a demand-zero fault. */
int work_demand_zero(const struct workload *w)
{
	unsigned long i;

	for (i = 0; i < w->ops; i++)
		fault_region[i * PAGE_SIZE] = 1;
	return 0;
}

void demand_zero_teardown(const struct workload *w)
{
	munmap(fault_region, w->ops * PAGE_SIZE);
}

/*
 * A single-producer, single-consumer ring between two harts. A side that
 * finds the ring full (or empty) says it is waiting and sleeps; the other
 * side kicks it with an IPI after its next push (or pop). Without the
 * kick a waiter would sleep out cpu_wait_event()'s whole 1 ms, which under
 * -icount counts as a million instructions.
 */
static struct {
	void *slot[RING_SIZE];
	unsigned long head;		/* written by the producer */
	unsigned long tail;		/* written by the consumer */
	bool producer_waits, consumer_waits;
	unsigned long ops;
	int failed;
} ring;

/* Sleep until @ready() is true, flagging @waiting meanwhile. */
static void ring_wait(bool (*ready)(unsigned long i), unsigned long i,
		      bool *waiting)
{
	while (!ready(i)) {
		__atomic_store_n(waiting, true, __ATOMIC_SEQ_CST);
		if (!ready(i))
			cpu_wait_event();
		__atomic_store_n(waiting, false, __ATOMIC_RELAXED);
	}
}

static bool ring_has_room(unsigned long i)
{
	return i - __atomic_load_n(&ring.tail, __ATOMIC_ACQUIRE) < RING_SIZE;
}

static bool ring_has_item(unsigned long i)
{
	return __atomic_load_n(&ring.head, __ATOMIC_ACQUIRE) != i;
}

static void kick_if_waiting(bool *waiting, unsigned int cpu)
{
	if (__atomic_load_n(waiting, __ATOMIC_SEQ_CST))
		smp_kick(cpu);
}

static void produce(void)
{
	unsigned long i;

	for (i = 0; i < ring.ops; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		if (!p) {
			WRITE_ONCE(ring.failed, 1);
			p = ZERO_SIZE_PTR;	/* keep the consumer moving */
		}
		ring_wait(ring_has_room, i, &ring.producer_waits);
		ring.slot[i % RING_SIZE] = p;
		__atomic_store_n(&ring.head, i + 1, __ATOMIC_SEQ_CST);
		kick_if_waiting(&ring.consumer_waits, 1);
	}
}

static void consume(void)
{
	unsigned long i;

	for (i = 0; i < ring.ops; i++) {
		ring_wait(ring_has_item, i, &ring.consumer_waits);
		kfree(ring.slot[i % RING_SIZE]);
		__atomic_store_n(&ring.tail, i + 1, __ATOMIC_SEQ_CST);
		kick_if_waiting(&ring.producer_waits, 0);
	}
}

static void producer_consumer_role(void *arg)
{
	(void)arg;
	if (smp_processor_id() == 0)
		produce();
	else if (smp_processor_id() == 1)
		consume();
}

/*
 * Hart 0 allocates, hart 1 frees: every free is remote, to a slab that is
 * not the freeing hart's own. Counts both harts' instructions.
 */
int work_producer_consumer(const struct workload *w)
{
	ring.head = ring.tail = 0;
	ring.producer_waits = ring.consumer_waits = false;
	ring.ops = w->ops;
	ring.failed = 0;
	on_each_hart(producer_consumer_role, NULL);
	return ring.failed;
}
