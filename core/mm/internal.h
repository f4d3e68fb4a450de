/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by core/mm files only; not part of the API.
 */
#ifndef CORE_MM_INTERNAL_H
#define CORE_MM_INTERNAL_H

#include <rvmem/internal/mm.h>
#include <rvmem/internal/mmzone.h>
#include <rvmem/internal/numa.h>

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

/**
 * next_deferred_range() - the first range of uninitialised struct pages
 * at or above a pfn
 * @pfn: where to look from
 * @start: set to its first pfn (ULONG_MAX if there is none)
 * @end: set to one past its last: the zone's end (@start is a multiple
 *       of 2 MiB of struct pages)
 *
 * Return: false if no zone defers any struct page from @pfn on.
 * Context: any; reads the zones without their locks (a range only shrinks
 * as its zone grows).
 */
bool next_deferred_range(unsigned long pfn, unsigned long *start,
			 unsigned long *end);

#ifdef ARCH_HAS_VMEMMAP_WINDOW
/**
 * vmemmap_show() - map the vmemmap window to mem_map for pfns whose
 * struct pages were just initialised, in place of the zeroed page it
 * showed, and flush every hart's TLB for it
 * @start_pfn: first pfn, a multiple of 2 MiB of struct pages
 * @end_pfn: one past the last: likewise, or the end of the zone's range
 *	     next_deferred_range() gave
 *
 * Before paging_init() it does nothing: the window is built then from
 * what is initialised by that time.
 */
void vmemmap_show(unsigned long start_pfn, unsigned long end_pfn);
#else
static inline void vmemmap_show(unsigned long start_pfn,
				unsigned long end_pfn)
{
}
#endif

/**
 * zone_pcp_set_node() - point hart @cpu's page lists at the first zones
 * of its node's zonelists (per_cpu_pages.local_offset)
 */
void zone_pcp_set_node(unsigned int cpu);

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
	return &zones[page_zone_id(page)];
}

/*
 * Slab internals, shared by slab.c, slab_common.c and slab_debug.c (and
 * the host tests, which check the counts). See slab.c for the design.
 */
#include <rvmem/slab.h>
#include <rvmem/spinlock.h>

#define SLAB_DEBUG_FLAGS	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | \
				 SLAB_POISON | SLAB_STORE_USER)
/* Internal: no sheaves; every object goes through the locked path. */
#define SLAB_NO_SHEAVES		((slab_flags_t)0x80000000u)
#define SLAB_C_HEAP		((slab_flags_t)0x40000000u)	/* malloc-* */
#define SLAB_LOCKED_PATH	(SLAB_DEBUG_FLAGS | SLAB_NO_SHEAVES)
#define SLAB_MAX_EMPTY		2	/* empty slabs a cache keeps */
#define SLAB_SHEAF_MAX		124	/* most objects a sheaf holds: 1 KiB a sheaf */
#define SLAB_SHEAF_BYTES	32768	/* object bytes a sheaf aims to hold */
#define SLAB_BARN_MAX		16	/* most full (and empty) sheaves in a barn */
#define SLAB_BARN_BYTES		131072	/* object bytes a barn aims to hold,
					 * per hart of its node: twice what
					 * a hart's burst of 512-byte
					 * objects takes (doc/mm.md) */

/**
 * struct slab_sheaf - an array of free objects of one cache
 * @list: on its barn's full or empty list
 * @nr: objects in @objects, while no hart has it as its main sheaf
 * @guard: NULL, just below @objects[0]: a pop that reads it finds the
 *         sheaf empty, and the double-free look at the top finds no object
 * @objects: the free objects, pushed and popped at the top
 */
struct slab_sheaf {
	struct list_head list;
	unsigned long nr;
	void *guard;
	void *objects[SLAB_SHEAF_MAX];
};

/**
 * struct kmem_cache_cpu - one hart's sheaves of a cache
 * @top: the next free slot of @main (its objects are below)
 * @end: the end of @main's capacity
 * @main: the sheaf allocations pop from and frees push to, or NULL
 * @spare: the one it is swapped with when empty or full
 * @frees: objects this hart freed to the cache, ever (vmstat)
 * @cache: the cache this is a slot of: the fast paths hand the slow ones
 *	this slot alone, which keeps their register moves off the fast path
 *
 * Touched by its own hart only, with interrupts off (and by a thread
 * draining a host hart that runs no slab code). Without sheaves, @top and
 * @end point just past slab_no_sheaf, so both fast paths fall through.
 */
struct kmem_cache_cpu {
	void **top;
	void **end;
	struct slab_sheaf *main;
	struct slab_sheaf *spare;
	unsigned long frees;
	struct kmem_cache *cache;
} ____cacheline_aligned;

/**
 * struct slab_barn - a cache's shared sheaves, under its lock
 * @full: sheaves at capacity, for harts whose sheaves ran empty
 * @empty: empty sheaves, for harts whose sheaves are full
 * @nr_full: sheaves on @full, at most @max
 * @nr_empty: sheaves on @empty, at most @max
 * @max: about SLAB_BARN_BYTES of full sheaves per hart of the node, 2 to
 *	SLAB_BARN_MAX
 */
struct slab_barn {
	struct list_head full;
	struct list_head empty;
	unsigned int nr_full;
	unsigned int nr_empty;
	unsigned int max;
};

/**
 * struct kmem_cache_node - a cache's slabs and barn on one NUMA node
 * @partial: its slabs there with free objects; empty ones at the tail
 * @full: its slabs there with every object out (in use or in a sheaf)
 * @nr_partial: slabs on @partial
 * @nr_empty: of those, slabs with no object out
 * @barn: full and empty sheaves for the node's harts
 *
 * A slab is listed on the node its pages are on (page_to_nid()); a hart
 * refills its sheaves from its own node's barn and slabs.
 */
struct kmem_cache_node {
	struct list_head partial;
	struct list_head full;
	unsigned long nr_partial;
	unsigned long nr_empty;
	struct slab_barn barn;
};

/**
 * struct kmem_cache - a cache of objects of one size
 * @slab_mask: (PAGE_SIZE << @order) - 1: an object's offset in its slab
 *             is its physical address & @slab_mask (slabs are blocks of
 *             the buddy allocator, naturally aligned)
 * @recip: inverse of the odd part of @size modulo 2^64 (object check)
 * @recip_limit: objects << ctz(@size)
 * @recip_mask: (1 << ctz(@size)) - 1
 * @align_mask: @size - 1 when @size is a power of two (an address is an
 *              object's start exactly when these bits are clear), else ~0
 * @random: mixed into every stored free-list pointer
 * @offset: where a free object keeps its free-list pointer
 * @size: bytes from one object to the next
 * @object_size: bytes the user asked for
 * @red_end: debug: end of the red zone after the object
 * @track_offset: debug: where the alloc and free tracks are kept
 * @objects: objects per slab
 * @order: a slab is 2^@order pages
 * @sheaf_capacity: objects per sheaf (0: no sheaves)
 * @align: the alignment objects are guaranteed (a KFENCE object's too)
 * @flags: SLAB_* flags (debug flags include the slub_debug ones)
 * @ctor: constructor, or NULL
 * @name: for reports and slabinfo
 * @lock: protects everything below, the barns, and page->freelist,
 *        counters and lru of the cache's slabs
 * @nr_slabs: all slabs
 * @node: slab lists and barn per NUMA node
 * @list: on slab_caches
 * @cpu: each hart's sheaves, one cache line each, for the harts that exist
 */
struct kmem_cache {
	unsigned long slab_mask;
	unsigned long recip;
	unsigned long recip_limit;
	unsigned long recip_mask;
	unsigned long align_mask;
	unsigned long random;
	unsigned int offset;
	unsigned int size;
	unsigned int object_size;
	unsigned int red_end;
	unsigned int track_offset;
	unsigned int objects;
	unsigned int order;
	unsigned int sheaf_capacity;
	unsigned int align;
	slab_flags_t flags;
	void (*ctor)(void *object);
	const char *name;
	spinlock_t lock;
	unsigned long nr_slabs;
	struct kmem_cache_node node[MAX_NUMNODES];
	struct list_head list;
	struct kmem_cache_cpu cpu[];
};

/*
 * A cache in static memory (the kmalloc caches, the sheaf cache), with
 * room for every hart rvmem can run on.
 */
struct kmem_cache_static {
	struct kmem_cache s;
	struct kmem_cache_cpu cpu[NR_CPUS];
};

/**
 * struct slabinfo - one cache's numbers
 * @active_objs: objects in use (not free in a slab, a sheaf or the barn)
 * @cpu_objs: free objects in the harts' sheaves (a racy snapshot of
 *            harts other than the caller)
 * @barn_objs: free objects in the barn's full sheaves
 * @num_objs: objects in all slabs
 * @num_slabs: slabs
 * @pages: pages of those slabs
 */
struct slabinfo {
	unsigned long frees;
	unsigned long active_objs;
	unsigned long cpu_objs;
	unsigned long barn_objs;
	unsigned long num_objs;
	unsigned long num_slabs;
	unsigned long pages;
};

/**
 * slab_vm_events() - the live caches' frees and objects in use, KFENCE
 * objects included
 * @frees: set to the objects freed to them, ever
 * @active: set to the objects in use now
 *
 * Context: takes slab_caches_lock and each cache's lock.
 */
void slab_vm_events(unsigned long *frees, unsigned long *active);

/* slab.c */
extern struct kmem_cache_static slab_sheaf_cache;
#define KMALLOC_SIZE_SLOTS	(KMALLOC_MAX_CACHE_SIZE / 8)
extern struct kmem_cache *kmalloc_size_caches[KMALLOC_SIZE_SLOTS];
extern struct kmem_cache *malloc_size_caches[KMALLOC_SIZE_SLOTS];
/* slab_common.c: the C heap's slabs as they are made and discarded, and
 * its objects served outside the slabs (KFENCE's) */
void c_heap_account(long pages);
void c_heap_count_object(const struct kmem_cache *s, bool alloc);
/* slab_common.c: the pages the C heap holds (meminfo's CHeap), lock-free */
unsigned long c_heap_nr_pages(void);
extern unsigned int slab_nr_cpus;	/* harts a cache has sheaves for */
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
 * @nid: the node to take its pages from first, or NUMA_NO_NODE for the
 *       calling hart's (the page allocator may fall back to another)
 *
 * Return: the slab's page, on no list and not counted in @s->nr_slabs,
 * or NULL. Context: interrupts as the caller's @gfp allows, no lock held.
 */
struct page *new_slab(struct kmem_cache *s, gfp_t gfp, int nid);

/* The slab lists and barn of @s on node @nid. */
static inline struct kmem_cache_node *get_node(struct kmem_cache *s, int nid)
{
	return &s->node[nid];
}

/** slab_list_add() - list an inactive slab by its use. @s->lock held. */
void slab_list_add(struct kmem_cache *s, struct page *page);

/** slab_list_del() - unlist an inactive slab. @s->lock held. */
void slab_list_del(struct kmem_cache *s, struct page *page);

/**
 * slab_trim_empty() - free empty slabs until at most @keep are cached
 * on each node
 * @s: the cache, its lock held
 * @keep: empty slabs to keep per node
 *
 * Return: pages returned to the page allocator.
 */
unsigned long slab_trim_empty(struct kmem_cache *s, unsigned long keep);

/** slab_cpu_init() - a hart's slot of a cache, without sheaves */
void slab_cpu_init(struct kmem_cache_cpu *c);

/**
 * slab_drain_cpu() - give hart @cpu's sheaves of every cache back, and
 * empty every barn, so that slabinfo's counts are exact
 * @cpu: the hart
 *
 * Context: on hart @cpu itself, or while it runs no slab code (host
 * tests, after joining the thread playing it); no slab lock held.
 */
void slab_drain_cpu(unsigned int cpu);

/**
 * slab_reclaim() - shrink every cache for the page allocator
 *
 * Empties this hart's sheaves and every barn into the slabs and frees
 * every empty slab. Other harts' sheaves stay: reclaim may run with
 * interrupts off, where waiting for a cross-call could deadlock.
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

/* Objects of the slab out of it: in use, or in a sheaf. */
static inline unsigned int slab_inuse(const struct page *page)
{
	return page->counters;
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
 * @gfp: GFP flags; __GFP_ZERO zeroes the first @orig_size bytes
 * @orig_size: the bytes asked for, at most @s->object_size (0: all of
 *             them): with red zones, the rest of the object is red zone
 * @nid: the node to take it from, or NUMA_NO_NODE for the caller's
 * @caller: who asked (recorded with SLAB_STORE_USER)
 *
 * Return: the object, or NULL. Context: as kmem_cache_alloc().
 */
void *debug_slab_alloc(struct kmem_cache *s, gfp_t gfp,
		       unsigned int orig_size, int nid, unsigned long caller);

/**
 * slab_debug_resize() - the bytes of an allocated object now in use
 * @s: the cache (nothing happens without SLAB_RED_ZONE)
 * @page: @x's slab
 * @x: the object, checked as kfree() would
 * @size: bytes now in use, at most @s->object_size; the rest of the
 *        object becomes red zone
 *
 * For krealloc() within the object and ksize(). Context: as kfree().
 */
void slab_debug_resize(struct kmem_cache *s, struct page *page, void *x,
		       size_t size);

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
 * slab_free_bad() - report a free of @x that is not a free of an object
 * of @s (another cache's, none at all, inside an object, or the one freed
 * last) and panic
 *
 * Declared returning, so that the fast paths reach it by a tail call and
 * _RET_IP_ here is their caller; it never returns.
 */
void slab_free_bad(const struct kmem_cache *s, const void *x);

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
/*
 * kmalloc() of more than KMALLOC_MAX_CACHE_SIZE, or 0, and kfree() of a
 * pointer not in a slab (@page may be NULL; kfree() has dealt with NULL
 * and ZERO_SIZE_PTR): tail calls of __kmalloc() and kfree(), so _RET_IP_ in them
 * is the caller's address.
 */
void *kmalloc_large(size_t size, gfp_t gfp);
/* kmalloc_large() from node @nid first, for __kmalloc_node(). */
void *kmalloc_large_node(size_t size, gfp_t gfp, int nid);
void kfree_large(const void *x, struct page *page);

/**
 * __ksize() - ksize(), and the bytes of @x now in use
 * @x: as ksize()
 * @size: bytes of @x the caller uses from now on: with slub_debug red
 *        zones, writes past them (within the object) are reported
 *
 * Return: as ksize(). Context: as kfree().
 */
size_t __ksize(const void *x, size_t size);

/** large_kmalloc_size() - bytes of a large kmalloc at @x, or 0 */
size_t large_kmalloc_size(const struct page *page, const void *x);

/* kfence.c: sampled guarded allocations (see there) */
#include <asm/timer.h>
#include <rvmem/kfence.h>

extern u64 kfence_next;		/* timer_read() time of the next sample */

/*
 * kfence_sample_due() - is the next KFENCE sample due, and may @s's
 * object be it? For the slab's slow path (a timer read and a load),
 * never a fast path.
 */
static __always_inline bool kfence_sample_due(const struct kmem_cache *s)
{
	/* objects up to a page; never the slab's own sheaves */
	return s->object_size <= PAGE_SIZE &&
	       !(s->flags & SLAB_NO_SHEAVES) &&
	       timer_read() >= READ_ONCE(kfence_next);
}

/**
 * kfence_alloc() - take the due sample: @s's object from the pool
 * @s: the cache, one kfence_sample_due() accepts
 * @size: the bytes asked for (0: @s->object_size)
 * @gfp: __GFP_ZERO zeroes them
 * @caller: the allocating call's return address
 *
 * Return: the object, at the end of its page, or NULL: not due (another
 * hart took the sample), not sampled, or every slot in use. Context:
 * any, no slab lock held.
 */
void *kfence_alloc(struct kmem_cache *s, size_t size, gfp_t gfp,
		   unsigned long caller);

/**
 * kfence_free() - free a KFENCE object and unmap its page
 * @s: the cache kmem_cache_free() names, or NULL (kfree())
 * @addr: an address in the pool
 * @caller: the freeing call's return address
 *
 * A free of anything but a live object's start, to another cache, or of
 * an object whose canary bytes changed is reported and ends the boot.
 * Context: any.
 */
void kfence_free(struct kmem_cache *s, void *addr, unsigned long caller);

/**
 * kfence_ksize() - __ksize() of a KFENCE object
 * @addr: an address in the pool
 * @size: bytes of it the caller uses from now on: the canary starts there
 *
 * Return: the bytes usable (as its cache's object would have, up to the
 * page's end), or 0 if @addr is no live object's start.
 */
size_t kfence_ksize(const void *addr, size_t size);

/**
 * kfence_shutdown_cache() - @s is being destroyed
 *
 * Return: its KFENCE objects still in use; with none, freed objects
 * forget @s (their reports say "(destroyed)").
 */
unsigned int kfence_shutdown_cache(struct kmem_cache *s);

/**
 * kfence_handle_page_fault() - a fault at @addr in the KFENCE pool
 * @access: "read", "write" or "execute"
 * @pc: where it happened
 * @what: set to one phrase for die()'s line
 * @len: size of @what
 *
 * Return: true if it was a bug, reported (out of bounds, use after
 * free, no object there, or executing an object): the caller dies;
 * false if a read or write met a live object's page (a stale
 * translation, flushed): the access is retried.
 */
bool kfence_handle_page_fault(unsigned long addr, const char *access,
			      unsigned long pc, char *what, size_t len);

/** kfence_init() - the pool; boot, after paging_init() */
void kfence_init(void);

/** kfence_nr_kbytes() - KiB of object pages and metadata KFENCE holds */
unsigned long kfence_nr_kbytes(void);

/** kfence_vm_events() - add KFENCE's frees and objects in use */
void kfence_vm_events(unsigned long *frees, unsigned long *active);

/** show_kfence() - one line: objects, in use, since boot, interval */
void show_kfence(void);

#endif /* CORE_MM_INTERNAL_H */
