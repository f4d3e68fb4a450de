// SPDX-License-Identifier: MIT
/*
 * Loops of their own: demand-zero faults, and objects handed from one
 * hart to another through single-producer, single-consumer rings (a pair
 * of harts under -icount; a cycle of every hart in the scaling mode).
 */
#include <string.h>
#include <sys/mman.h>
#include <asm/csr.h>
#include <asm/processor.h>
#include <rvmem/mm.h>
#include <rvmem/smp.h>
#include "bench.h"

#define RING_SIZE	64

static LIST_HEAD(held_pages);

/*
 * Give an order-@param pair a state that does not depend on what ran
 * before: allocate blocks until two in a row are buddies, keep the second
 * (and any others) held and free the first. The pair then takes that
 * block from its free list and gives it back, no split and no merge:
 * otherwise it splits and merges as many levels as the smallest free
 * block above it happens to be, which any earlier workload changes.
 */
int pages_setup(const struct workload *w)
{
	unsigned long order = w->param;
	struct page *prev = NULL, *page;
	int tries;

	for (tries = 0; tries < 64; tries++, prev = page) {
		page = alloc_pages(GFP_KERNEL, order);
		if (!page)
			return 1;
		if (prev && (page_to_pfn(page) ^ page_to_pfn(prev)) ==
			    1UL << order) {
			list_add(&page->lru, &held_pages);
			__free_pages(prev, order);
			return 0;
		}
		if (prev)
			list_add(&prev->lru, &held_pages);
	}
	list_add(&prev->lru, &held_pages);
	return 0;
}

void pages_teardown(const struct workload *w)
{
	while (!list_empty(&held_pages)) {
		struct page *page = list_first_entry(&held_pages, struct page,
						     lru);

		list_del(&page->lru);
		__free_pages(page, w->param);
	}
}

static char *fault_region[NR_CPUS];

/* A fresh region per online hart, for the faults of both modes. */
int demand_zero_setup(const struct workload *w)
{
	unsigned int cpu;

	for (cpu = 0; cpu < nr_cpus_online; cpu++) {
		fault_region[cpu] = mmap(NULL, w->ops * PAGE_SIZE,
					 PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (fault_region[cpu] == MAP_FAILED) {
			fault_region[cpu] = NULL;
			return 1;
		}
	}
	return 0;
}

/* One write per page of this hart's fresh region: each is a fault. */
int work_demand_zero(const struct workload *w)
{
	char *region = fault_region[smp_processor_id()];
	unsigned long i;

	for (i = 0; i < w->ops; i++)
		region[i * PAGE_SIZE] = 1;
	return 0;
}

void demand_zero_teardown(const struct workload *w)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (fault_region[cpu])
			munmap(fault_region[cpu], w->ops * PAGE_SIZE);
		fault_region[cpu] = NULL;
	}
}

/*
 * A single-producer, single-consumer ring; the indices count forever
 * and live on cache lines of their own, so the two sides do not share
 * a written line except through the slots.
 */
struct ring {
	void *slot[RING_SIZE];
	unsigned long head __attribute__((aligned(64)));  /* producer's */
	bool consumer_waits;
	unsigned long tail __attribute__((aligned(64)));  /* consumer's */
	bool producer_waits;
	int failed;
} __attribute__((aligned(64)));

static struct ring rings[NR_CPUS];

/*
 * Instructions both harts of producer_consumer spent inside the
 * allocator. Under -icount the pass's window also holds the waits, and
 * where QEMU switches harts (partly on a host-time kick) moves them, so
 * this loop counts only the calls, each between two rdinstret reads (a
 * hart switch happens only at a wait, never inside a call).
 */
static unsigned long ring_insn;

unsigned long producer_consumer_spent(void)
{
	return ring_insn;
}

/* Empty rings before a pass (the indices start again at 0). */
int ring_setup(const struct workload *w)
{
	(void)w;
	memset(rings, 0, sizeof(rings));
	ring_insn = 0;
	return 0;
}

static bool ring_has_room(struct ring *r, unsigned long head)
{
	return head - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) < RING_SIZE;
}

static bool ring_has_item(struct ring *r, unsigned long tail)
{
	return __atomic_load_n(&r->head, __ATOMIC_ACQUIRE) != tail;
}

/* Allocate one object into slot @head (room checked) and publish it;
 * add the allocation's instructions to *@spent. */
static void ring_push(struct ring *r, const struct workload *w,
		      unsigned long head, unsigned long *spent)
{
	unsigned long start = rdinstret();
	void *p = w->a->alloc(w->param);

	*spent += rdinstret() - start;

	if (!p)
		r->failed = 1;	/* a NULL slot keeps the consumer moving */
	r->slot[head % RING_SIZE] = p;
	__atomic_store_n(&r->head, head + 1, __ATOMIC_SEQ_CST);
}

/* Free the object in slot @tail (presence checked) and release it;
 * add the free's instructions to *@spent. */
static void ring_pop(struct ring *r, const struct workload *w,
		     unsigned long tail, unsigned long *spent)
{
	void *p = r->slot[tail % RING_SIZE];
	unsigned long start = rdinstret();

	if (p)
		w->a->free(p, w->param);
	*spent += rdinstret() - start;
	__atomic_store_n(&r->tail, tail + 1, __ATOMIC_SEQ_CST);
}

static void kick_if_waiting(bool *waiting, unsigned int cpu)
{
	if (__atomic_load_n(waiting, __ATOMIC_SEQ_CST))
		smp_kick(cpu);
}

/*
 * Under -icount a hart that spins starves the other (one thread runs
 * them all), so a side that must wait wakes the other side, says it is
 * waiting and sleeps until the other side, stuck in turn, wakes it. An
 * IPI per RING_SIZE objects, not per object: the ring's own cost stays
 * small beside the allocator's.
 */
static void ring_wait(struct ring *r, bool (*ready)(struct ring *,
						    unsigned long),
		      unsigned long i, bool *waiting, bool *other_waits,
		      unsigned int other)
{
	while (!ready(r, i)) {
		kick_if_waiting(other_waits, other);
		__atomic_store_n(waiting, true, __ATOMIC_SEQ_CST);
		if (!ready(r, i))
			cpu_wait_event();
		__atomic_store_n(waiting, false, __ATOMIC_RELAXED);
	}
}

/*
 * Hart 0 allocates, hart 1 frees: every free is remote, to memory the
 * freeing hart did not allocate. Both harts' instructions count.
 */
int work_producer_consumer(const struct workload *w)
{
	struct ring *r = &rings[0];
	unsigned long i, spent = 0;

	if (smp_processor_id() == 0) {
		for (i = 0; i < w->ops; i++) {
			ring_wait(r, ring_has_room, i, &r->producer_waits,
				  &r->consumer_waits, 1);
			ring_push(r, w, i, &spent);
		}
		kick_if_waiting(&r->consumer_waits, 1);
	} else if (smp_processor_id() == 1) {
		for (i = 0; i < w->ops; i++) {
			ring_wait(r, ring_has_item, i, &r->consumer_waits,
				  &r->producer_waits, 0);
			ring_pop(r, w, i, &spent);
		}
	}
	__atomic_add_fetch(&ring_insn, spent, __ATOMIC_RELAXED);
	return r->failed;
}

/*
 * The scaling mode's ring: hart i allocates into ring i and frees what
 * hart i - 1 allocated, from ring i - 1, polling both (no -icount here).
 * With one hart the ring is its own: the hart frees its own objects,
 * RING_SIZE behind.
 */
int work_ring(const struct workload *w)
{
	unsigned int cpu = smp_processor_id(), n = nr_cpus_online;
	struct ring *out = &rings[cpu], *in = &rings[(cpu + n - 1) % n];
	unsigned long head = 0, tail = 0, spent = 0;

	while (head < w->ops || tail < w->ops) {
		if (head < w->ops && ring_has_room(out, head))
			ring_push(out, w, head++, &spent);
		if (ring_has_item(in, tail))
			ring_pop(in, w, tail++, &spent);
		else
			cpu_relax();
	}
	return out->failed;
}
