// SPDX-License-Identifier: MIT
/*
 * The slab allocator: object caches carved from slabs of 2^order pages,
 * with per-hart arrays of free objects in front of them ("sheaves", as
 * Linux's SLUB since 6.18; Bonwick's magazines before it).
 *
 * Who hands objects to whom:
 *
 *	page allocator --new_slab()--> slabs (each node's partial, full)
 *	slabs --refill, many objects under one lock hold--> a hart's sheaf
 *	hart's main sheaf <--pop (alloc) / push (free)--> the caller
 *	main <--swap--> spare; full or empty sheaves <--trade--> barn
 *	sheaf --flush, many objects under one lock hold--> their slabs
 *
 * Each hart has, per cache, a main and a spare sheaf (struct slab_sheaf:
 * up to s->sheaf_capacity object pointers). kmem_cache_alloc() pops from
 * the main sheaf and kmem_cache_free() pushes onto it, whichever hart
 * allocated the object; nothing is written into a free object there, so
 * a write after free cannot redirect the allocator. When main is empty
 * (or full) it is swapped with the spare; when both are, main is traded
 * at the cache's barn for a full (or empty) sheaf. Only when the barn has
 * none to give are objects moved between sheaves and slabs, in bulk:
 * refill from slab free lists, flush back to them. A sheaf holds about
 * SLAB_SHEAF_BYTES of objects (2 to SLAB_SHEAF_MAX) and a node's barn
 * keeps about SLAB_BARN_BYTES of full sheaves for each hart of the node
 * (2 to SLAB_BARN_MAX) and as many empty ones, so a cache parks at most
 * (2 * harts + the nodes' barn maxima) sheaves of objects; a flush
 * starts when the barn is full.
 *
 * NUMA: each cache keeps its slabs and barn per node (struct
 * kmem_cache_node), a slab on the node its pages are on. A hart refills
 * its sheaves from its own node's barn and slabs, and new slabs come
 * from its own node first, so plain allocations are local. A free
 * pushes onto the freeing hart's sheaf whatever the object's node (the
 * fast path stays node-blind: a check there would cost about a tenth
 * of kfree()), and a flush returns each object to its own slab and so
 * to its own node's lists. kmem_cache_alloc_node() naming a node
 * bypasses the sheaves and takes an object from that node's slabs.
 *
 * A slab's struct pages say whose it is: each has PG_slab and
 * page->slab_cache = its kmem_cache (so kfree() needs no compound head
 * on its fast path; it is NULL on every page that is not a slab's, so
 * one load tells a slab from anything else); the first page also has
 * page->freelist = its free objects, page->counters = how many are out
 * (in use or in a sheaf) and page->lru = its place on the partial or
 * full list. Objects sit at
 * base + i * size; a free object in a slab holds the next free one in a
 * hardened pointer at s->offset (internal.h), checked to be an object of
 * the same slab before it is followed.
 *
 * Paths: slab_alloc()/slab_push() are the fast path: no lock, no
 * interrupt masking, no stack frame (the slow paths are tail calls), no
 * caller address. The frees find a pointer's struct page through the
 * vmemmap window (virt_to_page_fast(), rvmem/mm.h); anything it cannot
 * vouch for, a full sheaf and an immediate double free all go to
 * kfree_slow()/kmem_cache_free_slow(), which look the page up in mem_map
 * and free with slab_free(). __slab_alloc()/__slab_free() swap, trade
 * and refill; __slab_alloc() also takes a due KFENCE sample (kfence.c),
 * and frees of pointers outside RAM find KFENCE objects off the fast
 * path. Caches with debug flags (and the sheaf cache, SLAB_NO_SHEAVES)
 * have no sheaves and take debug_slab_alloc()/debug_slab_free()
 * (slab_debug.c) for every object.
 *
 * Interrupts: allocation and free are allowed in interrupt context (a
 * cross-call runs its function there, and apps run their per-hart work
 * in cross-calls). The fast paths' pop and push are restartable
 * sequences (asm/rseq.h): an interrupt that lands before a sequence's
 * one committing store sends it back to its start, so an interrupt
 * handler may pop, push or flush (kmem_cache_shrink()'s cross-call
 * empties each hart's sheaves from an interrupt) this hart's sheaves
 * while a fast path is half-way, at no cost to the fast path. The slow
 * paths run with interrupts off, re-enable them only around page
 * allocation and keep no sheaf pointer across it; CONFIG_DEBUG builds
 * assert that every slow-path sheaf change runs with interrupts off.
 *
 * Locking: a hart's kmem_cache_cpu is used lock-free by that hart only:
 * by restartable sequences, or with interrupts off. s->lock protects the
 * cache's barn, lists and counts and the freelist/counters/lru of its
 * slabs; it is taken with interrupts off, and never together with
 * another cache's lock (sheaves are allocated and freed with no slab
 * lock held).
 * Lock order: slab_caches_lock -> kmem_cache->lock -> zone->lock. Pages
 * are never allocated with a slab lock held.
 */
#define pr_fmt(fmt) "slab: " fmt

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <asm/irqflags.h>
#include <asm/rseq.h>
#include <rvmem/fault-inject.h>
#include <rvmem/panic.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>
#include "internal.h"

struct list_head slab_caches = LIST_HEAD_INIT(slab_caches);
DEFINE_SPINLOCK(slab_caches_lock);
unsigned long slab_pages;
struct kmem_cache_static slab_sheaf_cache;

/* What a hart without sheaves points at: pops read NULL, pushes are full. */
static void *slab_no_sheaf[1];

/* This hart's s->cpu[]: the offset first, so s->cpu's is in every access */
static __always_inline struct kmem_cache_cpu *this_cpu_slab(struct kmem_cache *s)
{
	s = (void *)((char *)s + this_hart()->cpu_slab_offset);
	return &s->cpu[0];
}

void slab_cpu_init(struct kmem_cache_cpu *c)
{
	c->top = c->end = slab_no_sheaf + 1;
	c->main = c->spare = NULL;
}

/*
 * The next free object after @object, checked: an object of the same
 * slab, or NULL at the end. Anything else is a corrupted pointer.
 */
static inline void *get_freepointer_checked(struct kmem_cache *s,
					    unsigned long base,
					    const void *object)
{
	void *next = get_freepointer(s, object);

	if (unlikely(!slab_object_start(s, base, next)) && next)
		slab_report_freelist(s, object, next);
	return next;
}

/* The slab lists of the node @page (a slab's first page) is on. */
static inline struct kmem_cache_node *slab_node(struct kmem_cache *s,
						const struct page *page)
{
	return get_node(s, page_to_nid(page));
}

/* slab_list_add() onto @n, the slab's node's lists. */
static void __slab_list_add(struct kmem_cache *s, struct kmem_cache_node *n,
			    struct page *page)
{
	unsigned int inuse = slab_inuse(page);

	if (inuse == s->objects) {
		list_add(&page->lru, &n->full);
		return;
	}
	n->nr_partial++;
	if (inuse) {
		list_add(&page->lru, &n->partial);
	} else {
		list_add_tail(&page->lru, &n->partial);
		n->nr_empty++;
	}
}

static void __slab_list_del(struct kmem_cache *s, struct kmem_cache_node *n,
			    struct page *page)
{
	unsigned int inuse = slab_inuse(page);

	list_del(&page->lru);
	if (inuse < s->objects)
		n->nr_partial--;
	if (!inuse)
		n->nr_empty--;
}

void slab_list_add(struct kmem_cache *s, struct page *page)
{
	__slab_list_add(s, slab_node(s, page), page);
}

void slab_list_del(struct kmem_cache *s, struct page *page)
{
	__slab_list_del(s, slab_node(s, page), page);
}

/* Mark the slab's pages as @s's (or, with NULL, no longer a slab). */
static void set_slab_pages(struct kmem_cache *s, struct page *page,
			   struct kmem_cache *owner)
{
	unsigned long i;

	for (i = 0; i < 1UL << s->order; i++) {
		page[i].slab_cache = owner;
		if (owner)
			page_set_flag(&page[i], PG_slab);
		else
			page_clear_flag(&page[i], PG_slab);
	}
}

/* Return an empty, unlisted slab to the page allocator. s->lock held. */
static void discard_slab(struct kmem_cache *s, struct page *page)
{
	set_slab_pages(s, page, NULL);
	page->freelist = NULL;
	page->counters = 0;
	s->nr_slabs--;
	__atomic_fetch_sub(&slab_pages, 1UL << s->order, __ATOMIC_RELAXED);
	if (s->flags & SLAB_C_HEAP)
		c_heap_account(-(1L << s->order));
	__free_pages(page, s->order);
}

unsigned long slab_trim_empty(struct kmem_cache *s, unsigned long keep)
{
	unsigned long freed = 0;
	int nid;

	for_each_online_node(nid) {
		struct kmem_cache_node *n = get_node(s, nid);

		while (n->nr_empty > keep) {
			struct page *page = list_last_entry(&n->partial,
							    struct page, lru);

			slab_list_del(s, page);
			discard_slab(s, page);
			freed += 1UL << s->order;
		}
	}
	return freed;
}

struct page *new_slab(struct kmem_cache *s, gfp_t gfp, int nid)
{
	struct page *page;
	unsigned long base;
	unsigned int i;

	if (unlikely(READ_ONCE(failslab.enabled)) && should_failslab(s, gfp))
		return NULL;
	gfp &= ~__GFP_ZERO;
	page = alloc_pages_node(nid, gfp, s->order);
	if (!page)
		return NULL;
	base = slab_base(page);
	set_slab_pages(s, page, s);
	page->counters = 0;
	page->freelist = (void *)base;
	for (i = 0; i < s->objects; i++) {
		void *object = (void *)(base + i * s->size);

		if (s->flags & SLAB_DEBUG_FLAGS)
			init_debug_object(s, object);
		if (s->ctor)
			s->ctor(object);
		set_freepointer(s, object, i + 1 < s->objects ?
				(char *)object + s->size : NULL);
	}
	__atomic_fetch_add(&slab_pages, 1UL << s->order, __ATOMIC_RELAXED);
	if (s->flags & SLAB_C_HEAP)
		c_heap_account(1L << s->order);
	return page;
}

/*
 * Take up to @max objects off node @nid's partial slabs' free lists into
 * @objects. Return: how many. s->lock held.
 */
static unsigned int refill_from_slabs(struct kmem_cache *s, void **objects,
				      unsigned int max, int nid)
{
	struct kmem_cache_node *node = get_node(s, nid);
	unsigned int n = 0;

	while (n < max && node->nr_partial) {
		struct page *page = list_first_entry(&node->partial,
						     struct page, lru);
		unsigned long base = slab_base(page);
		void *x = page->freelist;

		__slab_list_del(s, node, page);
		while (x && n < max) {
			objects[n++] = x;
			x = get_freepointer_checked(s, base, x);
			page->counters++;
		}
		page->freelist = x;
		__slab_list_add(s, node, page);
	}
	return n;
}

/*
 * Put @n objects back on their slabs' free lists, moving each slab
 * between lists as its use changes. An object its slab has free already
 * is a double free. s->lock held; the caller trims empty slabs
 * (flush_and_trim(), or shrink and reclaim once after all their flushes).
 */
static void flush_to_slabs(struct kmem_cache *s, void **objects,
			   unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		void *x = objects[i];
		struct page *page = slab_head(s, virt_to_page_or_null(x));
		struct kmem_cache_node *n = slab_node(s, page);

		if (unlikely(x == page->freelist || !slab_inuse(page)))
			slab_bad_pointer(s, page, x, 0);
		set_freepointer(s, x, page->freelist);
		page->freelist = x;
		__slab_list_del(s, n, page);
		page->counters--;
		__slab_list_add(s, n, page);
	}
}

/*
 * Free @n objects from a hart's hot path to their slabs, keeping at most
 * SLAB_MAX_EMPTY empty slabs. s->lock held.
 */
static void flush_and_trim(struct kmem_cache *s, void **objects,
			   unsigned int n)
{
	flush_to_slabs(s, objects, n);
	slab_trim_empty(s, SLAB_MAX_EMPTY);
}

/* Empty @sheaf into the slabs. s->lock held. */
static void sheaf_flush(struct kmem_cache *s, struct slab_sheaf *sheaf)
{
	flush_to_slabs(s, sheaf->objects, sheaf->nr);
	sheaf->nr = 0;
}

static struct slab_sheaf *alloc_sheaf(gfp_t gfp)
{
	struct slab_sheaf *sheaf = kmem_cache_alloc(&slab_sheaf_cache.s,
						    gfp & ~__GFP_ZERO);

	if (sheaf) {
		sheaf->nr = 0;
		sheaf->guard = NULL;
	}
	return sheaf;
}

static void free_sheaf(struct slab_sheaf *sheaf)
{
	kmem_cache_free(&slab_sheaf_cache.s, sheaf);
}

/* Make @sheaf this hart's main sheaf. */
static void set_main(struct kmem_cache *s, struct kmem_cache_cpu *c,
		     struct slab_sheaf *sheaf)
{
	c->main = sheaf;
	c->top = sheaf->objects + sheaf->nr;
	c->end = sheaf->objects + s->sheaf_capacity;
}

/* Note main's count in it, before it changes hands. Return: main. */
static struct slab_sheaf *put_main(struct kmem_cache_cpu *c)
{
	c->main->nr = c->top - c->main->objects;
	return c->main;
}

static void swap_main_spare(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slab_sheaf *old = put_main(c);

	set_main(s, c, c->spare);
	c->spare = old;
}

static struct slab_sheaf *barn_get(struct list_head *list, unsigned int *nr)
{
	struct slab_sheaf *sheaf = list_first_entry(list, struct slab_sheaf,
						    list);

	list_del(&sheaf->list);
	(*nr)--;
	return sheaf;
}

static void barn_put(struct list_head *list, unsigned int *nr,
		     struct slab_sheaf *sheaf)
{
	list_add(&sheaf->list, list);
	(*nr)++;
}

/*
 * Give this hart two fresh sheaves, unless it got some meanwhile (the
 * allocation may have re-enabled interrupts). Return: it has sheaves.
 */
static bool install_cpu_sheaves(struct kmem_cache *s,
				struct slab_sheaf *main,
				struct slab_sheaf *spare)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);

	if (main && spare && !c->main) {
		c->spare = spare;
		set_main(s, c, main);
		return true;
	}
	if (main)
		free_sheaf(main);
	if (spare)
		free_sheaf(spare);
	return c->main;
}

/*
 * Find objects for this hart's empty main sheaf: from the spare, from a
 * full sheaf of the barn, or from the slabs. Interrupts off.
 * Return: true if main has objects now.
 */
static bool refill_main(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slab_barn *barn = &get_node(s, numa_node_id())->barn;
	struct slab_sheaf *empty = NULL;

	if (c->spare->nr) {
		swap_main_spare(s, c);
		return true;
	}
	spin_lock(&s->lock);
	if (barn->nr_full) {
		empty = put_main(c);
		set_main(s, c, barn_get(&barn->full, &barn->nr_full));
		if (barn->nr_empty < barn->max) {
			barn_put(&barn->empty, &barn->nr_empty, empty);
			empty = NULL;
		}
	} else {
		c->top += refill_from_slabs(s, c->top, c->end - c->top,
					    numa_node_id());
	}
	spin_unlock(&s->lock);
	if (empty)
		free_sheaf(empty);
	return c->top[-1];
}

/*
 * One object straight from node @nid's slabs (NUMA_NO_NODE: this
 * hart's node), or from a new slab, which comes back listed with that
 * object out: reclaim, which may run while the page allocator looks for
 * memory, cannot take it away again. The new slab is on @nid unless the
 * page allocator had to fall back. Interrupts off (@flags to restore);
 * they are restored around page allocation.
 */
static void *alloc_from_slabs(struct kmem_cache *s, gfp_t gfp,
			      unsigned long *flags, int nid)
{
	struct page *page;
	void *object;

	spin_lock(&s->lock);
	if (refill_from_slabs(s, &object, 1,
			      nid == NUMA_NO_NODE ? numa_node_id() : nid)) {
		spin_unlock(&s->lock);
		return object;
	}
	spin_unlock(&s->lock);
	local_irq_restore(*flags);
	page = new_slab(s, gfp, nid);
	*flags = local_irq_save();
	if (!page)
		return NULL;
	spin_lock(&s->lock);
	s->nr_slabs++;
	slab_list_add(s, page);
	refill_from_slabs(s, &object, 1, page_to_nid(page));
	spin_unlock(&s->lock);
	return object;
}

static void *zero_object(struct kmem_cache *s, void *object, gfp_t gfp)
{
	if (unlikely(gfp & __GFP_ZERO) && object)
		memset(object, 0, s->object_size);
	return object;
}

/* Out of memory: the C heap's caches also say so in errno, as C's do. */
static noinline void *slab_alloc_failed(struct kmem_cache *s)
{
	if (s->flags & SLAB_C_HEAP)
		errno = ENOMEM;
	return NULL;
}

/*
 * This hart's main sheaf (in its slot @c of the cache) was empty, or it
 * has none, or the cache has no sheaves. Entered from the fast path as
 * a tail call: _RET_IP_ is the fast path's caller. @orig_size, the
 * bytes kmalloc() was asked for (0: the whole object), matters only to
 * a debug cache, which zeroes those itself.
 */
static noinline void *__slab_alloc(struct kmem_cache_cpu *c, gfp_t gfp,
				   unsigned int orig_size)
{
	struct kmem_cache *s = c->cache;
	struct slab_sheaf *main, *spare;
	unsigned long flags;
	void *object;

	/* the due sample, debug caches' too */
	if (unlikely(kfence_sample_due(s))) {
		object = kfence_alloc(s, orig_size, gfp, _RET_IP_);
		if (object)
			return object;	/* zeroed by KFENCE, up to its canary */
	}
	if (unlikely(s->flags & SLAB_LOCKED_PATH)) {
		object = debug_slab_alloc(s, gfp, orig_size, NUMA_NO_NODE,
					  _RET_IP_);
		return object ? object : slab_alloc_failed(s);
	}
	flags = local_irq_save();
	c = this_cpu_slab(s);
	if (!c->main) {
		local_irq_restore(flags);
		main = alloc_sheaf(gfp);
		spare = alloc_sheaf(gfp);
		flags = local_irq_save();
		install_cpu_sheaves(s, main, spare);
	}
	/* an interrupt may have filled main since the fast path looked */
	if (c->top[-1] || (c->main && refill_main(s, c)))
		object = *--c->top;
	else		/* nothing free in sheaves or slabs, or no sheaves */
		object = alloc_from_slabs(s, gfp, &flags, NUMA_NO_NODE);
	local_irq_restore(flags);
	if (unlikely(!object))
		return slab_alloc_failed(s);
	return zero_object(s, object, gfp);
}

/*
 * The fast path: pop this hart's main sheaf, and clear the object if
 * @zero. @zero is a constant and @gfp never has __GFP_ZERO: the inline
 * entry points in slab.h pick the zeroing ones at compile time, so the
 * plain pop tests no flag. The slow path is a tail call, so _RET_IP_
 * there is still the caller's.
 */
static __always_inline void *slab_pop(struct kmem_cache *s, gfp_t gfp,
				      unsigned int orig_size, bool zero)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	void *object = sheaf_pop(&c->top);

	if (likely(object))
		return zero ? zero_object(s, object, __GFP_ZERO) : object;
	return __slab_alloc(c, zero ? gfp | __GFP_ZERO : gfp, orig_size);
}

static __always_inline void *slab_alloc(struct kmem_cache *s, gfp_t gfp,
					unsigned int orig_size)
{
	return slab_pop(s, gfp, orig_size, false);
}

/* __GFP_ZERO: out of line, the clear costs more than the call. */
static noinline void *slab_zalloc(struct kmem_cache *s, gfp_t gfp,
				  unsigned int orig_size)
{
	return slab_pop(s, gfp, orig_size, true);
}

/* slab_alloc() or slab_zalloc(), as run-time @gfp says. */
static __always_inline void *slab_alloc_gfp(struct kmem_cache *s, gfp_t gfp,
					    unsigned int orig_size)
{
	if (gfp & __GFP_ZERO)
		return slab_zalloc(s, gfp, orig_size);
	return slab_alloc(s, gfp, orig_size);
}

/*
 * Make room in this hart's full main sheaf: swap it with the spare, trade
 * it at the barn for an empty one, or, when the barn holds all the full
 * sheaves it may (or @flush), empty it into the slabs.
 * Return: false if the barn needs an empty sheaf first.
 */
static bool make_room(struct kmem_cache *s, struct kmem_cache_cpu *c,
		      bool flush)
{
	struct slab_barn *barn = &get_node(s, numa_node_id())->barn;
	bool done = true;

	if (c->spare->nr < s->sheaf_capacity) {
		swap_main_spare(s, c);
		return true;
	}
	spin_lock(&s->lock);
	if (barn->nr_full < barn->max && barn->nr_empty) {
		barn_put(&barn->full, &barn->nr_full, put_main(c));
		set_main(s, c, barn_get(&barn->empty, &barn->nr_empty));
	} else if (barn->nr_full == barn->max || flush) {
		flush_and_trim(s, c->main->objects, c->top - c->main->objects);
		c->top = c->main->objects;
	} else {
		done = false;
	}
	spin_unlock(&s->lock);
	return done;
}

/* Give the barn a new empty sheaf. Return: false if none could be had. */
static bool barn_add_empty(struct kmem_cache *s)
{
	struct slab_sheaf *sheaf = alloc_sheaf(GFP_NOWAIT | __GFP_NOWARN);
	struct slab_barn *barn = &get_node(s, numa_node_id())->barn;

	if (!sheaf)
		return false;
	spin_lock(&s->lock);
	barn_put(&barn->empty, &barn->nr_empty, sheaf);
	spin_unlock(&s->lock);
	return true;
}

/* Free @x straight to its slab. Interrupts off. */
static void free_to_slab(struct kmem_cache *s, void *x)
{
	spin_lock(&s->lock);
	flush_and_trim(s, &x, 1);
	spin_unlock(&s->lock);
}

/*
 * Free @x to a cache whose hart had a full main sheaf (or none, or no
 * sheaves at all). Sheaves are allocated with interrupts off, since
 * kfree() may run anywhere.
 */
static noinline void __slab_free(struct kmem_cache *s, void *x)
{
	struct kmem_cache_cpu *c;
	unsigned long flags;
	bool flush = false;

	flags = local_irq_save();
	c = this_cpu_slab(s);
	c->frees++;
	if (unlikely(s->flags & SLAB_LOCKED_PATH)) {
		local_irq_restore(flags);
		debug_slab_free(s, slab_head(s, virt_to_page_or_null(x)), x,
				_RET_IP_);
		return;
	}
	while (c->top == c->end) {
		if (c->main) {
			if (!make_room(s, c, flush))
				flush = !barn_add_empty(s);
		} else if (!install_cpu_sheaves(s,
				alloc_sheaf(GFP_NOWAIT | __GFP_NOWARN),
				alloc_sheaf(GFP_NOWAIT | __GFP_NOWARN))) {
			free_to_slab(s, x);
			local_irq_restore(flags);
			return;
		}
	}
	*c->top++ = x;
	local_irq_restore(flags);
}

/*
 * The fast path: push onto this hart's main sheaf, unless it is full or
 * @x is on top already (the object freed last: freeing it again is a
 * double free). Either way the caller tail-calls its slow path, which
 * tries again with slab_free(): the fast path then needs no register
 * moves to reach __slab_free() or slab_free_bad().
 */
static __always_inline enum sheaf_push_result slab_push(struct kmem_cache *s,
							void *x)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	enum sheaf_push_result ret = sheaf_push(&c->top, &c->end, x);

	if (likely(ret == SHEAF_PUSHED))
		rseq_add((long *)&c->frees, 1);
	return ret;
}

/* Free @x, a valid object of @s, on a slow path: push, or say why not. */
static __always_inline void slab_free(struct kmem_cache *s, void *x)
{
	switch (slab_push(s, x)) {
	case SHEAF_PUSHED:
		return;
	case SHEAF_FULL:
		__slab_free(s, x);
		return;
	case SHEAF_REPEAT:
		slab_free_bad(s, x);
		return;
	}
}

void *__frameless __kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp, 0);
}

void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_zalloc(s, gfp, 0);
}

void *__frameless __kmalloc_cache(struct kmem_cache *s, gfp_t gfp,
				      size_t size)
{
	return slab_alloc(s, gfp, size);
}

/*
 * An object of @s from node @nid's slabs, for a request that names a
 * node: the sheaves may hold objects of other nodes that this hart
 * freed, so they cannot promise one. @caller: for debug caches.
 */
static noinline void *slab_alloc_node(struct kmem_cache *s, gfp_t gfp,
				      int nid, unsigned int orig_size,
				      unsigned long caller)
{
	unsigned long flags;
	void *object;

	if (unlikely(!node_online(nid))) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("%s: allocation on node %d, which has no "
				"memory\n", s->name, nid);
		return NULL;
	}
	if (unlikely(s->flags & SLAB_LOCKED_PATH))
		return debug_slab_alloc(s, gfp, orig_size, nid, caller);
	flags = local_irq_save();
	object = alloc_from_slabs(s, gfp, &flags, nid);
	local_irq_restore(flags);
	return zero_object(s, object, gfp);
}

void *__frameless kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp,
					      int nid)
{
	if (nid == NUMA_NO_NODE)
		return slab_alloc_gfp(s, gfp, 0);
	return slab_alloc_node(s, gfp, nid, 0, _RET_IP_);
}

void *__frameless __kmalloc_node(size_t size, gfp_t gfp, int nid)
{
	struct kmem_cache *s;

	if (unlikely(size - 1 >= KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large_node(size, gfp, nid);
	s = kmalloc_size_caches[(size - 1) >> 3];
	if (nid == NUMA_NO_NODE)
		return slab_alloc_gfp(s, gfp, size);
	return slab_alloc_node(s, gfp, nid, size, _RET_IP_);
}

/*
 * Is @x the start of an object of its slab? (Slabs are aligned blocks.)
 * For a power-of-two size that is one mask test; other sizes take the
 * multiply of slab_object_start().
 */
static __always_inline bool slab_object_valid(const struct kmem_cache *s,
					      const void *x)
{
	return !((unsigned long)x & s->align_mask) ||
	       slab_object_start(s, 0, (void *)(__pa(x) & s->slab_mask));
}

/*
 * kmem_cache_free() of @x that the fast path could not push: a full
 * sheaf, a double free, or an @x the vmemmap window does not show as an
 * object of @s: NULL, a KFENCE object, a bad free, or (before paging is
 * on, or in RAM beyond the window) a good one. A tail call of the fast
 * path (so reading _RET_IP_, its caller, costs the fast path nothing).
 */
static noinline void kmem_cache_free_slow(struct kmem_cache *s, void *x)
{
	struct page *page = virt_to_page_or_null(x);

	if (page && page->slab_cache == s && slab_object_valid(s, x))
		slab_free(s, x);
	else if (!page && is_kfence_address(x))
		kfence_free(s, x, _RET_IP_);
	else if (x)
		slab_free_bad(s, x);
}

void __frameless kmem_cache_free(struct kmem_cache *s, void *x)
{
	const struct page *page = virt_to_page_fast(x);	/* NULL: zeroed */

	if (unlikely(!page || page->slab_cache != s ||
		     !slab_object_valid(s, x) ||
		     slab_push(s, x) != SHEAF_PUSHED))
		kmem_cache_free_slow(s, x);
}

/*
 * The kmalloc cache of each size, by 8-byte steps: one load picks it.
 */
struct kmem_cache *kmalloc_size_caches[KMALLOC_SIZE_SLOTS];

void *__frameless __kmalloc(size_t size, gfp_t gfp)
{
	size_t last = size - 1;	/* the slow path adds 1 back: no copy of
				 * @size on the fast path */

	if (unlikely(last >= KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large(size, gfp);
	return slab_alloc(kmalloc_size_caches[last >> 3], gfp, last + 1);
}

void *__frameless __kzalloc(size_t size, gfp_t gfp)
{
	if (unlikely(size - 1 >= KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large(size, gfp);
	return slab_zalloc(kmalloc_size_caches[(size - 1) >> 3], gfp, size);
}

/*
 * The C heap's caches by the same 8-byte steps, from malloc-16 up (its
 * minimum alignment): malloc() is kmalloc() from its own caches, so the
 * C heap shows apart in slabinfo and meminfo at no cost per call.
 */
struct kmem_cache *malloc_size_caches[KMALLOC_SIZE_SLOTS];

void *__frameless __malloc_slab(size_t size, gfp_t gfp)
{
	size_t last = size - 1;	/* as in __kmalloc() */

	return slab_alloc(malloc_size_caches[last >> 3], gfp, last + 1);
}

/*
 * kfree() of @x that the fast path could not push: a full sheaf, a
 * double free, or an @x the vmemmap window does not show as a slab
 * object: a large block, NULL, a KFENCE object, a bad free, or (before
 * paging is on, or in RAM beyond the window) a slab object. A tail call
 * of the fast path, as kmem_cache_free_slow().
 */
static noinline void kfree_slow(const void *x)
{
	struct page *page;
	struct kmem_cache *s;

	if (ZERO_OR_NULL_PTR(x))	/* first: kfree(NULL) is common */
		return;
	page = virt_to_page_or_null(x);
	s = page ? page->slab_cache : NULL;
	if (!s)
		kfree_large(x, page);
	else if (slab_object_valid(s, x))
		slab_free(s, (void *)x);
	else
		slab_free_bad(s, x);
}

void __frameless kfree(const void *x)
{
	const struct page *page = virt_to_page_fast(x);	/* NULL: zeroed */
	struct kmem_cache *s;

	if (likely(page)) {
		s = page->slab_cache;
		if (likely(s && slab_object_valid(s, x) &&
			   slab_push(s, (void *)x) == SHEAF_PUSHED))
			return;
	}
	kfree_slow(x);
}

size_t __ksize(const void *x, size_t size)
{
	struct page *page;
	size_t bytes;

	if (ZERO_OR_NULL_PTR(x))
		return 0;
	page = virt_to_page_or_null(x);
	if (!page && is_kfence_address(x)) {
		bytes = kfence_ksize(x, size);
		if (bytes)
			return bytes;
	} else if (page && PageSlab(page)) {
		struct kmem_cache *s = page->slab_cache;

		if (slab_object_valid(s, x)) {
			slab_debug_resize(s, slab_head(s, page), (void *)x,
					  min(size, (size_t)s->object_size));
			return s->object_size;
		}
	} else if (large_kmalloc_size(page, x)) {
		return large_kmalloc_size(page, x);
	}
	pr_warn("ksize(%p): not an allocation of kmalloc()\n", x);
	return 0;
}

size_t ksize(const void *x)
{
	return __ksize(x, SIZE_MAX);
}

/*
 * Give back @c's sheaves of @s: their objects to the slabs, the sheaves
 * to the sheaf cache. Interrupts off, no slab lock held.
 */
static void flush_cpu_sheaves(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slab_sheaf *main = c->main, *spare = c->spare;

	DEBUG_ASSERT(irqs_disabled());
	if (!main)
		return;
	put_main(c);
	slab_cpu_init(c);
	spin_lock(&s->lock);
	sheaf_flush(s, spare);
	sheaf_flush(s, main);	/* the latest frees end up first in line */
	spin_unlock(&s->lock);
	free_sheaf(main);
	free_sheaf(spare);
}

/* Empty @s's barns: objects to the slabs, every sheaf freed. */
static void barn_shrink(struct kmem_cache *s)
{
	struct list_head sheaves = LIST_HEAD_INIT(sheaves);
	unsigned long flags = spin_lock_irqsave(&s->lock);
	int nid;

	for_each_online_node(nid) {
		struct slab_barn *barn = &get_node(s, nid)->barn;

		while (barn->nr_full) {
			struct slab_sheaf *sheaf = barn_get(&barn->full,
							    &barn->nr_full);

			sheaf_flush(s, sheaf);
			list_add(&sheaf->list, &sheaves);
		}
		while (barn->nr_empty)
			list_add(&barn_get(&barn->empty,
					   &barn->nr_empty)->list, &sheaves);
	}
	spin_unlock_irqrestore(&s->lock, flags);
	while (!list_empty(&sheaves)) {
		struct slab_sheaf *sheaf = list_first_entry(&sheaves,
							    struct slab_sheaf,
							    list);

		list_del(&sheaf->list);
		free_sheaf(sheaf);
	}
}

/* Free the empty slabs of @s beyond @keep. Return: pages freed. */
static unsigned long slab_trim(struct kmem_cache *s, unsigned long keep)
{
	unsigned long flags = spin_lock_irqsave(&s->lock);
	unsigned long freed = slab_trim_empty(s, keep);

	spin_unlock_irqrestore(&s->lock, flags);
	return freed;
}

/* A cross-call: this hart's sheaves of @arg go back to the slabs. */
static void flush_this_cpu(void *arg)
{
	unsigned long flags = local_irq_save();

	flush_cpu_sheaves(arg, this_cpu_slab(arg));
	local_irq_restore(flags);
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	on_each_hart(flush_this_cpu, s);
	barn_shrink(s);
	slab_trim(s, 0);
	slab_trim(&slab_sheaf_cache.s, 0);
	return 0;
}

/*
 * Flush hart @cpu's sheaves and the barn of every cache, then free the
 * empty slabs beyond @keep (all of them with 0).
 */
static unsigned long slab_flush_all(unsigned int cpu, unsigned long keep)
{
	unsigned long flags = spin_lock_irqsave(&slab_caches_lock);
	unsigned long freed = 0;
	struct list_head *pos;

	list_for_each(pos, &slab_caches) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);

		flush_cpu_sheaves(s, &s->cpu[cpu]);
		barn_shrink(s);
	}
	list_for_each(pos, &slab_caches)
		freed += slab_trim(list_entry(pos, struct kmem_cache, list),
				   keep);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return freed;
}

/* A cross-call: everything this hart's sheaves and the barns hold. */
static void shrink_all_this_cpu(void *arg)
{
	slab_flush_all(smp_processor_id(), 0);
}

void kmem_cache_shrink_all(void)
{
	on_each_hart(shrink_all_this_cpu, NULL);
}

void slab_drain_cpu(unsigned int cpu)
{
	slab_flush_all(cpu, SLAB_MAX_EMPTY);
}

unsigned long slab_reclaim(void)
{
	return slab_flush_all(smp_processor_id(), 0);
}
