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

/*
 * Objects a ring holds (8 KiB of slots): room for a hart to run on while
 * the host has its neighbour descheduled. With 64, 4 harts on 2 host
 * cores went to sleep and woke every 64 objects and ran at a third of
 * one hart's rate.
 */
#define RING_SIZE	1024
#define RING_SPINS_BEFORE_WAIT	256
#define RING_BATCH	8	/* slots a cache line */

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
	unsigned long head ____cacheline_aligned;  /* producer's */
	int consumer_waits;	/* an int: RV64A swaps words, not bytes */
	unsigned long tail ____cacheline_aligned;  /* consumer's */
	int producer_waits;
	int failed;
} ____cacheline_aligned;

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

/*
 * Room for @head in @r, by the consumer's tail as last read (*@seen),
 * read afresh only when that shows none: the producer does not pull the
 * consumer's line over on every object.
 */
static bool ring_has_room(struct ring *r, unsigned long head,
			  unsigned long *seen)
{
	if (head - *seen < RING_SIZE)
		return true;
	*seen = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
	return head - *seen < RING_SIZE;
}

/* An item at @tail in @r, by the producer's head as last read (*@seen). */
static bool ring_has_item(struct ring *r, unsigned long tail,
			  unsigned long *seen)
{
	if (*seen != tail)
		return true;
	*seen = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
	return *seen != tail;
}

/*
 * Allocate one object into slot @head (room checked), not yet published;
 * add the allocation's instructions to *@spent, if @spent (the scaling
 * mode counts none).
 */
static void ring_push(struct ring *r, const struct workload *w,
		      unsigned long head, unsigned long *spent)
{
	unsigned long start = spent ? rdinstret() : 0;
	void *p = w->a->alloc(w->param);

	if (spent)
		*spent += rdinstret() - start;
	if (!p)
		r->failed = 1;	/* a NULL slot keeps the consumer moving */
	r->slot[head % RING_SIZE] = p;
}

/* Free the object in slot @tail (presence checked), the slot not yet
 * released; add the free's instructions to *@spent, if @spent. */
static void ring_pop(struct ring *r, const struct workload *w,
		     unsigned long tail, unsigned long *spent)
{
	void *p = r->slot[tail % RING_SIZE];
	unsigned long start = spent ? rdinstret() : 0;

	if (p)
		w->a->free(p, w->param);
	if (spent)
		*spent += rdinstret() - start;
}

/*
 * Wake @cpu if it sleeps on *@waiting, clearing the flag: a sleeper gets
 * one IPI, not one per call until its host thread runs again (14,000 a
 * pass with 4 harts on 2 cores, each an SBI call). The plain load first
 * keeps the flag's line shared while nobody sleeps. Whoever clears the
 * flag sends the IPI, so no wake is lost.
 */
static void kick_if_waiting(int *waiting, unsigned int cpu)
{
	if (__atomic_load_n(waiting, __ATOMIC_SEQ_CST) &&
	    __atomic_exchange_n(waiting, 0, __ATOMIC_RELAXED))
		smp_kick(cpu);
}

/*
 * Publish a ring's index (its head: items up to it are there; its tail:
 * slots up to it are free again), then wake @cpu if it sleeps waiting on
 * it. The store and the load are both sequentially consistent, as are
 * the sleeper's flag store and its check of the index, so one of the two
 * sides always sees the other.
 */
static void ring_publish(unsigned long *index, unsigned long value,
			 int *waiting, unsigned int cpu)
{
	__atomic_store_n(index, value, __ATOMIC_SEQ_CST);
	kick_if_waiting(waiting, cpu);
}

/*
 * Under -icount a hart that spins starves the other (one thread runs
 * them all), so a side that must wait wakes the other side, says it is
 * waiting and sleeps until the other side, stuck in turn, wakes it. An
 * IPI per RING_SIZE objects, not per object: the ring's own cost stays
 * small beside the allocator's.
 */
static void ring_wait(struct ring *r,
		      bool (*ready)(struct ring *, unsigned long,
				    unsigned long *),
		      unsigned long i, unsigned long *seen, int *waiting,
		      int *other_waits, unsigned int other)
{
	while (!ready(r, i, seen)) {
		kick_if_waiting(other_waits, other);
		__atomic_store_n(waiting, 1, __ATOMIC_SEQ_CST);
		if (!ready(r, i, seen))
			cpu_wait_event();
		__atomic_store_n(waiting, 0, __ATOMIC_RELAXED);
	}
}

/*
 * Hart 0 allocates, hart 1 frees: every free is remote, to memory the
 * freeing hart did not allocate. Both harts' instructions count.
 */
int work_producer_consumer(const struct workload *w)
{
	struct ring *r = &rings[0];
	unsigned long i, seen = 0, spent = 0;

	if (smp_processor_id() == 0) {
		for (i = 0; i < w->ops; i++) {
			ring_wait(r, ring_has_room, i, &seen,
				  &r->producer_waits, &r->consumer_waits, 1);
			ring_push(r, w, i, &spent);
			__atomic_store_n(&r->head, i + 1, __ATOMIC_SEQ_CST);
		}
		kick_if_waiting(&r->consumer_waits, 1);
	} else if (smp_processor_id() == 1) {
		for (i = 0; i < w->ops; i++) {
			ring_wait(r, ring_has_item, i, &seen,
				  &r->consumer_waits, &r->producer_waits, 0);
			ring_pop(r, w, i, &spent);
			__atomic_store_n(&r->tail, i + 1, __ATOMIC_SEQ_CST);
		}
	}
	__atomic_add_fetch(&ring_insn, spent, __ATOMIC_RELAXED);
	return r->failed;
}

/* Where a hart of the scaling mode's cycle stands in its two rings. */
struct ring_cursor {
	struct ring *out, *in;	/* the ring it fills, the one it empties */
	unsigned int next, prev;	/* the harts on their other ends */
	unsigned long head, tail;	/* its next slot in each */
	unsigned long head_shown, tail_shown;	/* as published */
	unsigned long tail_seen, head_seen;	/* the other sides', as read */
	unsigned long ops;
};

static bool cursor_can_push(struct ring_cursor *c)
{
	return c->head < c->ops && ring_has_room(c->out, c->head, &c->tail_seen);
}

static bool cursor_can_pop(struct ring_cursor *c)
{
	return ring_has_item(c->in, c->tail, &c->head_seen);
}

/* Publish what this hart has pushed and popped since it last did. */
static void cursor_publish(struct ring_cursor *c)
{
	if (c->head != c->head_shown) {
		ring_publish(&c->out->head, c->head, &c->out->consumer_waits,
			     c->next);
		c->head_shown = c->head;
	}
	if (c->tail != c->tail_shown) {
		ring_publish(&c->in->tail, c->tail, &c->in->producer_waits,
			     c->prev);
		c->tail_shown = c->tail;
	}
}

/*
 * Sleep until a neighbour of this hart's cycle moves: the next hart frees
 * from @c->out (room), the previous one allocates into @c->in (an item).
 * Hosts with fewer cores than harts deschedule a hart's thread; a
 * neighbour that polled instead of sleeping would burn its core while
 * the hart it waits for cannot run, and the cycle would crawl at one
 * move a host time slice.
 */
static void ring_idle(struct ring_cursor *c)
{
	unsigned int spins;

	cursor_publish(c);	/* or both neighbours may wait on this hart */
	for (spins = 0; spins < RING_SPINS_BEFORE_WAIT; spins++) {
		if (cursor_can_push(c) || cursor_can_pop(c))
			return;
		cpu_relax();
	}
	__atomic_store_n(&c->out->producer_waits, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&c->in->consumer_waits, 1, __ATOMIC_SEQ_CST);
	if (!cursor_can_push(c) && !cursor_can_pop(c))
		cpu_wait_event();
	__atomic_store_n(&c->out->producer_waits, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->in->consumer_waits, 0, __ATOMIC_RELAXED);
}

/*
 * The scaling mode's ring: hart i allocates into ring i and frees what
 * hart i - 1 allocated, from ring i - 1, polling both and sleeping when
 * neither moves (no -icount here). Each side publishes its index once a
 * cache line of slots (RING_BATCH), as a real queue between cores would:
 * per object, the index lines would cross between the cores on every
 * operation and the ring, not the allocator, would be measured. With one
 * hart the ring is its own: the hart frees its own objects, RING_SIZE
 * behind.
 */
int work_ring(const struct workload *w)
{
	unsigned int cpu = smp_processor_id(), n = nr_cpus_online;
	unsigned int prev = (cpu + n - 1) % n;
	struct ring_cursor c = {
		.out = &rings[cpu], .in = &rings[prev],
		.next = (cpu + 1) % n, .prev = prev, .ops = w->ops,
	};

	while (c.head < c.ops || c.tail < c.ops) {
		bool moved = false;

		if (cursor_can_push(&c)) {
			ring_push(c.out, w, c.head++, NULL);
			moved = true;
		}
		if (cursor_can_pop(&c)) {
			ring_pop(c.in, w, c.tail++, NULL);
			moved = true;
		}
		if (!moved)
			ring_idle(&c);
		else if (c.head - c.head_shown >= RING_BATCH ||
			 c.tail - c.tail_shown >= RING_BATCH)
			cursor_publish(&c);
	}
	cursor_publish(&c);
	return c.out->failed;
}
