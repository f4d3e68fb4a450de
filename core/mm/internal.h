/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by core/mm files only; not part of the API.
 */
#ifndef CORE_MM_INTERNAL_H
#define CORE_MM_INTERNAL_H

#include <rvmem/mm.h>
#include <rvmem/mmzone.h>

/**
 * __free_pages_core() - hand free boot memory to the buddy allocator
 * @start_pfn: first page
 * @end_pfn: one past the last page
 *
 * Counts [@start_pfn, @end_pfn) as managed and free. Pages whose struct
 * page is initialised go to the free lists in the largest naturally
 * aligned blocks; the rest wait for deferred_grow_zone().
 * Context: boot (memblock_free_all()).
 */
void __free_pages_core(unsigned long start_pfn, unsigned long end_pfn);

/** mem_map_bytes - bytes of struct page allocated by free_area_init() */
extern unsigned long mem_map_bytes;

/**
 * unmap_free_pages() - unmap [@start, @start + @nr pages) of the kernel
 * page table, flush every hart's TLB for it, then free the pages that
 * were mapped there (holes are skipped)
 * @free: false to leave the pages to their owner (vmap, ioremap)
 *
 * Return: pages freed.
 */
unsigned long unmap_free_pages(unsigned long start, unsigned long nr,
			       bool free);

/* Pages to KiB, for reports. */
#define K(pages)	((pages) << (PAGE_SHIFT - 10))

static inline struct zone *page_zone(const struct page *page)
{
	return &zones[page_zonenum(page)];
}

/*
 * Slab internals, shared by slab.c, slab_common.c and slab_debug.c (and
 * the host tests, which check the counts). See slab.c for the design.
 */
#include <rvmem/slab.h>
#include <rvmem/spinlock.h>

#define SLAB_DEBUG_FLAGS	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | \
				 SLAB_POISON | SLAB_STORE_USER)
/* page->counters of a slab: objects in use, and whether a hart owns it */
#define SLAB_FROZEN		0x80000000u
#define SLAB_INUSE_MASK		0x7fffffffu
#define SLAB_MAX_EMPTY		2	/* empty slabs a cache keeps */

/**
 * struct kmem_cache_cpu - one hart's active slab of a cache
 * @freelist: its free objects, for this hart only (encoded chain)
 * @page: the slab, frozen (page->freelist collects frees from other harts)
 * @base: the slab's first object
 *
 * Touched lock-free by its own hart with interrupts off; @page and @base
 * change only under the cache lock.
 */
struct kmem_cache_cpu {
	void *freelist;
	struct page *page;
	unsigned long base;
} __attribute__((aligned(64)));

/**
 * struct kmem_cache - a cache of objects of one size
 * @cpu_slab: each hart's active slab (first: one shift and add away)
 * @random: mixed into every stored free-list pointer
 * @recip: inverse of the odd part of @size modulo 2^64 (object check)
 * @recip_limit: objects << ctz(@size)
 * @recip_mask: (1 << ctz(@size)) - 1
 * @offset: where a free object keeps its free-list pointer
 * @size: bytes from one object to the next
 * @object_size: bytes the user asked for
 * @red_end: debug: end of the red zone after the object
 * @track_offset: debug: where the alloc and free tracks are kept
 * @objects: objects per slab
 * @order: a slab is 2^@order pages
 * @flags: SLAB_* flags (debug flags include the slub_debug ones)
 * @ctor: constructor, or NULL
 * @name: for reports and slabinfo
 * @lock: protects everything below, page->freelist/counters/lru of the
 *        cache's slabs, and the install/removal of active slabs
 * @partial: slabs with free objects, not active on any hart; empty ones
 *           at the tail
 * @full: slabs with every object in use, not active on any hart
 * @nr_partial: slabs on @partial
 * @nr_empty: of those, slabs with no object in use
 * @nr_slabs: all slabs, active ones included
 * @list: on slab_caches
 */
struct kmem_cache {
	struct kmem_cache_cpu cpu_slab[NR_CPUS];
	unsigned long random;
	unsigned long recip;
	unsigned long recip_limit;
	unsigned long recip_mask;
	unsigned int offset;
	unsigned int size;
	unsigned int object_size;
	unsigned int red_end;
	unsigned int track_offset;
	unsigned int objects;
	unsigned int order;
	slab_flags_t flags;
	void (*ctor)(void *object);
	const char *name;
	spinlock_t lock;
	struct list_head partial;
	struct list_head full;
	unsigned long nr_partial;
	unsigned long nr_empty;
	unsigned long nr_slabs;
	struct list_head list;
};

/**
 * struct slabinfo - one cache's numbers
 * @active_objs: objects in use (those on active slabs count as in use)
 * @num_objs: objects in all slabs
 * @num_slabs: slabs
 * @pages: pages of those slabs
 */
struct slabinfo {
	unsigned long active_objs;
	unsigned long num_objs;
	unsigned long num_slabs;
	unsigned long pages;
};

/* slab.c */
#define KMALLOC_SMALL_SLOTS	(192 / 8)	/* sizes 1-192 by 8 */
#define KMALLOC_BIG_SLOTS	(KMALLOC_MAX_CACHE_SIZE / 128)	/* by 128 */
extern struct kmem_cache *kmalloc_small_caches[KMALLOC_SMALL_SLOTS];
extern struct kmem_cache *kmalloc_big_caches[KMALLOC_BIG_SLOTS];
extern struct list_head slab_caches;
extern spinlock_t slab_caches_lock;
extern unsigned long slab_pages;	/* pages in slabs */

/**
 * __kmem_cache_create() - set up a cache in caller-provided memory
 * @s: zeroed memory for it
 * @name: as kmem_cache_create()
 * @size: as kmem_cache_create()
 * @align: as kmem_cache_create()
 * @flags: as kmem_cache_create()
 * @ctor: as kmem_cache_create()
 *
 * Adds it to slab_caches. Return: 0, or -EINVAL for a bad argument.
 */
int __kmem_cache_create(struct kmem_cache *s, const char *name,
			unsigned int size, unsigned int align,
			slab_flags_t flags, void (*ctor)(void *));

/**
 * new_slab() - a slab of @s from the page allocator, all objects free
 * @s: the cache
 * @gfp: GFP flags (__GFP_ZERO is ignored)
 *
 * Return: the slab's page, on no list and not counted in @s->nr_slabs,
 * or NULL. Context: interrupts as the caller's @gfp allows, no lock held.
 */
struct page *new_slab(struct kmem_cache *s, gfp_t gfp);

/** slab_list_add() - list an inactive slab by its use. @s->lock held. */
void slab_list_add(struct kmem_cache *s, struct page *page);

/** slab_list_del() - unlist an inactive slab. @s->lock held. */
void slab_list_del(struct kmem_cache *s, struct page *page);

/**
 * slab_trim_empty() - free empty slabs until at most @keep are cached
 * @s: the cache, its lock held
 * @keep: empty slabs to keep
 *
 * Return: pages returned to the page allocator.
 */
unsigned long slab_trim_empty(struct kmem_cache *s, unsigned long keep);

/**
 * slab_drain_cpu() - give hart @cpu's active slabs of every cache back
 * @cpu: the hart
 *
 * Context: on hart @cpu itself, or while it runs no slab code (host
 * tests, after joining the thread playing it); no slab lock held.
 */
void slab_drain_cpu(unsigned int cpu);

/**
 * slab_reclaim() - shrink every cache for the page allocator
 *
 * Gives back this hart's active slabs and frees every empty slab.
 * Return: pages freed. Context: any (called from
 * __alloc_pages_direct_reclaim()), no slab lock held by this hart.
 */
unsigned long slab_reclaim(void);

/**
 * get_slabinfo() - a snapshot of @s's numbers, taken under its lock
 * @s: the cache
 * @info: filled in
 */
void get_slabinfo(struct kmem_cache *s, struct slabinfo *info);

/**
 * slab_object_start() - is @x the start of an object of the slab at @base?
 * @s: the cache
 * @base: the slab's first object
 * @x: the address
 *
 * (x - base) * recip is the index times 2^ctz(size) exactly when x is an
 * object's start: multiplying by an odd number is a bijection modulo
 * 2^64, so no other address lands on that set. No division.
 * Return: true if @x is the start of an object of that slab.
 */
static inline bool slab_object_start(const struct kmem_cache *s,
				     unsigned long base, const void *x)
{
	unsigned long q = ((unsigned long)x - base) * s->recip;

	return q < s->recip_limit && !(q & s->recip_mask);
}

static inline unsigned int slab_inuse(const struct page *page)
{
	return page->counters & SLAB_INUSE_MASK;
}

/* The first page of the slab that @page (any of its pages) belongs to. */
static inline struct page *slab_head(const struct kmem_cache *s,
				     struct page *page)
{
	return page - (page_to_pfn(page) & ((1UL << s->order) - 1));
}

static inline unsigned long slab_base(const struct page *page)
{
	return (unsigned long)page_address(page);
}

/*
 * Linux hardens with a byte swap of the slot address; rv64imac has no
 * rev8 and a swap costs ~15 instructions, so rvmem rotates by 32 bits
 * instead (3 instructions): it moves the slot's varying low bits high
 * just the same.
 */
static inline unsigned long freeptr_mix(unsigned long x)
{
	return (x << 32) | (x >> 32);
}

/*
 * Free-list pointers are stored hardened: next ^ random ^ rot32(slot).
 * The rotation puts the slot's varying low bits high, so a pointer to a
 * neighbour does not cancel out and reveal @random.
 */
static inline void *get_freepointer(const struct kmem_cache *s,
				    const void *object)
{
	unsigned long slot = (unsigned long)object + s->offset;

	return (void *)(*(unsigned long *)slot ^ s->random ^
			freeptr_mix(slot));
}

static inline void set_freepointer(const struct kmem_cache *s, void *object,
				   const void *fp)
{
	unsigned long slot = (unsigned long)object + s->offset;

	*(unsigned long *)slot = (unsigned long)fp ^ s->random ^
				 freeptr_mix(slot);
}

/* slab_debug.c */
extern slab_flags_t slub_debug;

/**
 * debug_slab_alloc() - allocate from a debug cache, checking the object
 * @s: a cache with SLAB_DEBUG_FLAGS
 * @gfp: GFP flags
 * @caller: who asked (recorded with SLAB_STORE_USER)
 *
 * Return: the object, or NULL. Context: as kmem_cache_alloc().
 */
void *debug_slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller);

/**
 * debug_slab_free() - free to a debug cache after checking red zone,
 * state and free list
 * @s: the cache
 * @page: @x's slab
 * @x: the object
 * @caller: who frees it
 */
void debug_slab_free(struct kmem_cache *s, struct page *page, void *x,
		     unsigned long caller);

/** init_debug_object() - a new debug object's poison and red zone */
void init_debug_object(struct kmem_cache *s, void *object);

/** slab_debug_layout() - set @s->size, offset, red zone and tracks */
void slab_debug_layout(struct kmem_cache *s);

/**
 * slab_debug_show_live() - print up to @max objects of @s still in use,
 * with their allocators (SLAB_STORE_USER caches)
 */
void slab_debug_show_live(struct kmem_cache *s, unsigned int max);

/**
 * slab_report() - report a misuse of @s's object @object and panic
 * @s: the cache
 * @object: the object's start
 * @offset: the offending byte's offset in it
 * @what: what went wrong ("double free", ...)
 * @detail: one more line, or NULL
 * @caller: the call that found it (0: none)
 */
void __noreturn slab_report(const struct kmem_cache *s, const void *object,
			    unsigned long offset, const char *what,
			    const char *detail, unsigned long caller);

/**
 * slab_bad_pointer() - report a pointer into @page's slab of @s that is
 * not a live object and panic (double free or interior pointer)
 */
void __noreturn slab_bad_pointer(const struct kmem_cache *s,
				 const struct page *page, const void *x,
				 unsigned long caller);

/**
 * slab_report_freelist() - report a corrupted free-list pointer and panic
 * @s: the cache
 * @object: the free object holding it
 * @next: what it decodes to
 */
void __noreturn slab_report_freelist(const struct kmem_cache *s,
				     const void *object, const void *next);

/** kfree_invalid() - report a kfree() of memory kmalloc() did not hand out */
void __noreturn kfree_invalid(const void *x, const char *why,
			      unsigned long caller);

/* slab_common.c */
/** kmalloc_large() - kmalloc() of more than KMALLOC_MAX_CACHE_SIZE, or 0 */
void *kmalloc_large(size_t size, gfp_t gfp, unsigned long caller);

/** kfree_large() - kfree() of a pointer not in a slab (@page may be NULL) */
void kfree_large(struct page *page, const void *x, unsigned long caller);

/** large_kmalloc_size() - bytes of a large kmalloc at @x, or 0 */
size_t large_kmalloc_size(const struct page *page, const void *x);

#endif /* CORE_MM_INTERNAL_H */
