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

/* A single-producer, single-consumer ring between two harts. */
static struct {
	void *slot[RING_SIZE];
	unsigned long head;		/* written by the producer */
	unsigned long tail;		/* written by the consumer */
	unsigned long ops;
	int failed;
} ring;

static void produce(void)
{
	unsigned long i;

	for (i = 0; i < ring.ops; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		if (!p) {
			WRITE_ONCE(ring.failed, 1);
			p = ZERO_SIZE_PTR;	/* keep the consumer moving */
		}
		while (i - __atomic_load_n(&ring.tail, __ATOMIC_ACQUIRE) >=
		       RING_SIZE)
			cpu_wait_event();
		ring.slot[i % RING_SIZE] = p;
		__atomic_store_n(&ring.head, i + 1, __ATOMIC_RELEASE);
	}
}

static void consume(void)
{
	unsigned long i;

	for (i = 0; i < ring.ops; i++) {
		while (__atomic_load_n(&ring.head, __ATOMIC_ACQUIRE) == i)
			cpu_wait_event();
		kfree(ring.slot[i % RING_SIZE]);
		__atomic_store_n(&ring.tail, i + 1, __ATOMIC_RELEASE);
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
	ring.ops = w->ops;
	ring.failed = 0;
	on_each_hart(producer_consumer_role, NULL);
	return ring.failed;
}
