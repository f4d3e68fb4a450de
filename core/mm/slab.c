// SPDX-License-Identifier: MIT
/*
 * The slab allocator (SLUB's design): object caches carved from slabs of
 * 2^order pages, with a lock-free per-hart fast path.
 *
 * A slab's struct pages say whose it is: each has PG_slab and
 * page->private = its kmem_cache (so kfree() needs no compound head on
 * its fast path); the first page also has page->freelist = its free
 * objects, page->counters = how many are in use (plus SLAB_FROZEN while
 * a hart owns it), page->lru = its place on the cache's partial or full
 * list. Objects sit at
 * base + i * size; a free object holds the next free one in a hardened
 * pointer at s->offset (internal.h), which is checked to be an object of
 * the same slab before it is followed.
 *
 * Who hands memory to whom: the page allocator gives slabs to caches
 * (new_slab()); each hart takes one slab of a cache as its active slab
 * (kmem_cache_cpu) and allocates from, and frees to, that slab's private
 * freelist; objects of any other slab go back to that slab's
 * page->freelist under the cache lock, so a slab another hart owns
 * collects them for when its own list runs dry. Slabs with free objects
 * wait on the cache's partial list; empty ones beyond SLAB_MAX_EMPTY, and
 * all of them on kmem_cache_shrink() or slab_reclaim() (memory pressure),
 * go back to the page allocator.
 *
 * Paths: slab_alloc()/slab_free() are the fast path: interrupts off, no
 * lock, this hart's active slab. __slab_alloc() refills it (remote frees,
 * a partial slab, a new slab) and __slab_free() frees elsewhere. Caches
 * with debug flags keep no active slabs and take debug_slab_alloc()/
 * debug_slab_free() (slab_debug.c) for every object.
 *
 * Locking: a hart's kmem_cache_cpu is used lock-free by that hart only,
 * with interrupts off; its page and base change only with the cache lock
 * also held. s->lock protects the cache's lists and counts and the
 * freelist/counters of its slabs that no hart owns, and page->freelist of
 * those a hart does own. Both locks are taken with interrupts off.
 * Lock order: slab_caches_lock -> kmem_cache->lock -> zone->lock. Pages
 * are never allocated with a slab lock held.
 */
#define pr_fmt(fmt) "slab: " fmt

#include <errno.h>
#include <string.h>
#include <asm/irqflags.h>
#include <rvmem/panic.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>
#include "internal.h"

struct list_head slab_caches = LIST_HEAD_INIT(slab_caches);
DEFINE_SPINLOCK(slab_caches_lock);
unsigned long slab_pages;

static inline struct kmem_cache_cpu *this_cpu_slab(struct kmem_cache *s)
{
	return &s->cpu_slab[this_hart()->cpu];
}

/*
 * The next free object after @object, checked: an object of the same
 * slab, or NULL at the end. Anything else is a corrupted pointer.
 */
static noinline void *freeptr_end_or_corrupt(struct kmem_cache *s,
					     const void *object, void *next)
{
	if (!next)
		return NULL;
	slab_report_freelist(s, object, next);
}

static inline void *get_freepointer_checked(struct kmem_cache *s,
					    unsigned long base,
					    const void *object)
{
	void *next = get_freepointer(s, object);

	if (unlikely(!slab_object_start(s, base, next)))
		return freeptr_end_or_corrupt(s, object, next);
	return next;
}

/* Own @page as this hart's active slab. s->lock held, interrupts off. */
static void freeze_slab(struct kmem_cache *s, struct kmem_cache_cpu *c,
			struct page *page)
{
	c->page = page;
	c->base = slab_base(page);
	c->freelist = page->freelist;
	page->freelist = NULL;
	page->counters = SLAB_FROZEN | s->objects;
}

/*
 * Give back this hart's active slab: its private list joins the slab's
 * own, and the slab goes on the list its use says. s->lock held,
 * interrupts off.
 */
static void unfreeze_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *page = c->page;
	unsigned int inuse = slab_inuse(page);
	void *x = c->freelist;

	while (x) {
		void *next = get_freepointer_checked(s, c->base, x);

		set_freepointer(s, x, page->freelist);
		page->freelist = x;
		inuse--;
		x = next;
	}
	c->freelist = NULL;
	c->page = NULL;
	c->base = 0;	/* matches no object: RAM starts above 4 MiB */
	page->counters = inuse;
	slab_list_add(s, page);
}

void slab_list_add(struct kmem_cache *s, struct page *page)
{
	unsigned int inuse = slab_inuse(page);

	if (inuse == s->objects) {
		list_add(&page->lru, &s->full);
		return;
	}
	s->nr_partial++;
	if (inuse) {
		list_add(&page->lru, &s->partial);
	} else {
		list_add_tail(&page->lru, &s->partial);
		s->nr_empty++;
	}
}

void slab_list_del(struct kmem_cache *s, struct page *page)
{
	unsigned int inuse = slab_inuse(page);

	list_del(&page->lru);
	if (inuse < s->objects)
		s->nr_partial--;
	if (!inuse)
		s->nr_empty--;
}

/* Mark the slab's pages as @s's (or, with NULL, no longer a slab). */
static void set_slab_pages(struct kmem_cache *s, struct page *page,
			   struct kmem_cache *owner)
{
	unsigned long i;

	for (i = 0; i < 1UL << s->order; i++) {
		page[i].private = (unsigned long)owner;
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
	__free_pages(page, s->order);
}

unsigned long slab_trim_empty(struct kmem_cache *s, unsigned long keep)
{
	unsigned long freed = 0;

	while (s->nr_empty > keep) {
		struct page *page = list_last_entry(&s->partial, struct page,
						    lru);

		slab_list_del(s, page);
		discard_slab(s, page);
		freed += 1UL << s->order;
	}
	return freed;
}

struct page *new_slab(struct kmem_cache *s, gfp_t gfp)
{
	struct page *page = alloc_pages(gfp & ~__GFP_ZERO, s->order);
	unsigned long base;
	unsigned int i;

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
	return page;
}

static void *zero_object(struct kmem_cache *s, void *object, gfp_t gfp)
{
	if (unlikely(gfp & __GFP_ZERO) && object)
		memset(object, 0, s->object_size);
	return object;
}

/*
 * Refill this hart's list, then take an object. Entered with interrupts
 * off (@flags to restore) and an empty list; pages are allocated with
 * them restored, so an interrupt may have refilled the list meanwhile.
 */
static noinline void *__slab_alloc(struct kmem_cache *s, gfp_t gfp,
				   unsigned long flags, unsigned long caller)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	struct page *page;
	void *object;

	if (unlikely(s->flags & SLAB_DEBUG_FLAGS)) {
		local_irq_restore(flags);
		return zero_object(s, debug_slab_alloc(s, gfp, caller), gfp);
	}
	spin_lock(&s->lock);
	if (c->page && c->page->freelist) {
		freeze_slab(s, c, c->page);	/* frees from other harts */
	} else {
		if (c->page) {
			unfreeze_slab(s, c);
			slab_trim_empty(s, SLAB_MAX_EMPTY);
		}
		if (s->nr_partial) {
			page = list_first_entry(&s->partial, struct page, lru);
			slab_list_del(s, page);
			freeze_slab(s, c, page);
		}
	}
	spin_unlock(&s->lock);
	if (!c->freelist) {
		local_irq_restore(flags);
		page = new_slab(s, gfp);
		flags = local_irq_save();
		if (!page) {
			local_irq_restore(flags);
			return NULL;
		}
		spin_lock(&s->lock);
		s->nr_slabs++;
		if (c->freelist) {		/* refilled meanwhile */
			slab_list_add(s, page);
		} else {
			if (c->page)
				unfreeze_slab(s, c);
			freeze_slab(s, c, page);
		}
		spin_unlock(&s->lock);
	}
	object = c->freelist;
	c->freelist = get_freepointer_checked(s, c->base, object);
	local_irq_restore(flags);
	return zero_object(s, object, gfp);
}

/* The fast path took the last object, or found a corrupted pointer. */
static noinline void *slab_alloc_last(struct kmem_cache *s, gfp_t gfp,
				      unsigned long flags, void *object,
				      void *next)
{
	this_cpu_slab(s)->freelist = freeptr_end_or_corrupt(s, object, next);
	local_irq_restore(flags);
	return zero_object(s, object, gfp);
}

static noinline void *slab_alloc_zero(struct kmem_cache *s, void *object)
{
	return zero_object(s, object, __GFP_ZERO);
}

/*
 * The fast path: only tail calls leave it, so it needs no stack frame.
 */
static __attribute__((always_inline)) inline void *
slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller)
{
	unsigned long flags = local_irq_save();
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	void *object = c->freelist, *next;

	if (unlikely(!object))
		return __slab_alloc(s, gfp, flags, caller);
	next = get_freepointer(s, object);
	if (unlikely(!slab_object_start(s, c->base, next)))
		return slab_alloc_last(s, gfp, flags, object, next);
	c->freelist = next;
	local_irq_restore(flags);
	if (unlikely(gfp & __GFP_ZERO))
		return slab_alloc_zero(s, object);
	return object;
}

/*
 * Free @x, in @page of a slab this hart does not own (or not an object
 * at all): onto the slab's own list under the lock, moving the slab
 * between lists as its use changes.
 */
static noinline void __slab_free(struct kmem_cache *s, struct page *page,
				 void *x, unsigned long caller)
{
	unsigned long flags;

	if (unlikely(s->flags & SLAB_DEBUG_FLAGS)) {
		debug_slab_free(s, slab_head(s, page), x, caller);
		return;
	}
	page = slab_head(s, page);
	flags = spin_lock_irqsave(&s->lock);
	if (unlikely(!slab_object_start(s, slab_base(page), x) ||
		     x == page->freelist || !slab_inuse(page)))
		slab_bad_pointer(s, page, x, caller);
	set_freepointer(s, x, page->freelist);
	page->freelist = x;
	if (page->counters & SLAB_FROZEN) {
		page->counters--;	/* its hart picks the object up */
	} else {
		slab_list_del(s, page);
		page->counters--;
		slab_list_add(s, page);
		slab_trim_empty(s, SLAB_MAX_EMPTY);
	}
	spin_unlock_irqrestore(&s->lock, flags);
}

static __attribute__((always_inline)) inline void
slab_free(struct kmem_cache *s, struct page *page, void *x,
	  unsigned long caller)
{
	unsigned long flags = local_irq_save();
	struct kmem_cache_cpu *c = this_cpu_slab(s);

	/* an object of this hart's active slab? */
	if (likely(slab_object_start(s, c->base, x))) {
		if (unlikely(x == c->freelist))	/* the one freed last */
			slab_bad_pointer(s, c->page, x, caller);
		set_freepointer(s, x, c->freelist);
		c->freelist = x;
		local_irq_restore(flags);
		return;
	}
	local_irq_restore(flags);
	__slab_free(s, page, x, caller);
}

/* The slab page of @x, or NULL if @x is not in RAM. */
static inline struct page *virt_to_slab_page(const void *x)
{
	unsigned long pfn = __pa(x) >> PAGE_SHIFT;

	return likely(pfn_valid(pfn)) ? pfn_to_page(pfn) : NULL;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp, _RET_IP_);
}

void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp | __GFP_ZERO, _RET_IP_);
}

static noinline void __noreturn cache_mismatch(struct kmem_cache *s,
					       const struct page *page,
					       const void *x,
					       unsigned long caller)
{
	if (!page || !PageSlab(page))
		slab_report(s, x, 0, "free of an object no cache handed out",
			    NULL, caller);
	slab_report(s, x, 0, "free to the wrong cache",
		    ((const struct kmem_cache *)page->private)->name, caller);
}

void kmem_cache_free(struct kmem_cache *s, void *x)
{
	struct page *page;

	if (unlikely(!x))
		return;
	page = virt_to_slab_page(x);
	if (unlikely(!page || !PageSlab(page) ||
		     page->private != (unsigned long)s))
		cache_mismatch(s, page, x, _RET_IP_);
	slab_free(s, page, x, _RET_IP_);
}

/*
 * The hot pair. A size up to 192 picks its cache from a table by 8-byte
 * steps, a larger one by 128-byte steps (every class above 192 is a
 * multiple of 128): two loads, no division, no bit scan.
 */
struct kmem_cache *kmalloc_small_caches[KMALLOC_SMALL_SLOTS];
struct kmem_cache *kmalloc_big_caches[KMALLOC_BIG_SLOTS];

static inline struct kmem_cache *kmalloc_slab(size_t size)
{
	if (size <= 192)
		return kmalloc_small_caches[(size - 1) >> 3];
	return kmalloc_big_caches[(size - 1) >> 7];
}

void *kmalloc(size_t size, gfp_t gfp)
{
	if (unlikely(size - 1 >= KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large(size, gfp, _RET_IP_);
	return slab_alloc(kmalloc_slab(size), gfp, _RET_IP_);
}

void kfree(const void *x)
{
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(x)))
		return;
	page = virt_to_slab_page(x);
	if (unlikely(!page || !PageSlab(page))) {
		kfree_large(page, x, _RET_IP_);
		return;
	}
	slab_free((struct kmem_cache *)page->private, page, (void *)x,
		  _RET_IP_);
}

size_t ksize(const void *x)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(x))
		return 0;
	page = virt_to_slab_page(x);
	if (page && PageSlab(page)) {
		const struct kmem_cache *s = (void *)page->private;

		if (slab_object_start(s, slab_base(slab_head(s, page)), x))
			return s->object_size;
	} else if (large_kmalloc_size(page, x)) {
		return large_kmalloc_size(page, x);
	}
	pr_warn("ksize(%p): not an allocation of kmalloc()\n", x);
	return 0;
}

/* A cross-call: this hart's active slab of @arg goes back to the cache. */
static void flush_cpu_slab(void *arg)
{
	struct kmem_cache *s = arg;
	unsigned long flags = spin_lock_irqsave(&s->lock);
	struct kmem_cache_cpu *c = this_cpu_slab(s);

	if (c->page)
		unfreeze_slab(s, c);
	slab_trim_empty(s, SLAB_MAX_EMPTY);
	spin_unlock_irqrestore(&s->lock, flags);
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	unsigned long flags;

	on_each_hart(flush_cpu_slab, s);
	flags = spin_lock_irqsave(&s->lock);
	slab_trim_empty(s, 0);
	spin_unlock_irqrestore(&s->lock, flags);
	return 0;
}

void slab_drain_cpu(unsigned int cpu)
{
	unsigned long flags = spin_lock_irqsave(&slab_caches_lock);
	struct list_head *pos;

	list_for_each(pos, &slab_caches) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);

		spin_lock(&s->lock);
		if (s->cpu_slab[cpu].page)
			unfreeze_slab(s, &s->cpu_slab[cpu]);
		slab_trim_empty(s, SLAB_MAX_EMPTY);
		spin_unlock(&s->lock);
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}

unsigned long slab_reclaim(void)
{
	unsigned int cpu = smp_processor_id();
	unsigned long flags, freed = 0;
	struct list_head *pos;

	flags = spin_lock_irqsave(&slab_caches_lock);
	list_for_each(pos, &slab_caches) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache, list);

		spin_lock(&s->lock);
		if (s->cpu_slab[cpu].page)
			unfreeze_slab(s, &s->cpu_slab[cpu]);
		freed += slab_trim_empty(s, 0);
		spin_unlock(&s->lock);
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return freed;
}
