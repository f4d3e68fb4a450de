/* SPDX-License-Identifier: MIT */
/*
 * The slab allocator: object caches (kmem_cache_*) and kmalloc.
 *
 * A cache hands out objects of one size carved from slabs, blocks of
 * 2^order pages that belong to the cache while any object of theirs is
 * in use. kmalloc() serves sizes up to KMALLOC_MAX_CACHE_SIZE from
 * caches of 8 to 8192 bytes (powers of two, plus 96 and 192) and larger
 * sizes straight from the page allocator. Every object finds its way
 * home through its page: kfree() needs no size or cache.
 *
 * Misuse is caught: a pointer no allocator handed out, an immediate
 * double free and a corrupted free-list pointer are reported in every
 * build; with the "slub_debug" boot parameter (or a --debug build) red
 * zones, poisoning and caller tracking catch overflows, writes after
 * free and any double free. A report names the cache, the object, the
 * offset and the callers, then the boot ends with status 70. KFENCE
 * (rvmem/kfence.h) guards a sampled object now and then in every build.
 */
#ifndef RVMEM_SLAB_H
#define RVMEM_SLAB_H

#include <rvmem/gfp.h>
#include <rvmem/types.h>

typedef unsigned int slab_flags_t;

/* Debug: check every slab operation (slub_debug=F). */
#define SLAB_CONSISTENCY_CHECKS	((slab_flags_t)0x00000100u)
/* Debug: a red zone after each object catches overflows (slub_debug=Z). */
#define SLAB_RED_ZONE		((slab_flags_t)0x00000400u)
/* Debug: free objects are filled with 0x6b (slub_debug=P; not with a ctor). */
#define SLAB_POISON		((slab_flags_t)0x00000800u)
/* Align objects to a cache line (a half or less for small objects). */
#define SLAB_HWCACHE_ALIGN	((slab_flags_t)0x00002000u)
/* Debug: record who allocated and freed each object (slub_debug=U). */
#define SLAB_STORE_USER		((slab_flags_t)0x00010000u)
/* kmem_cache_create() panics instead of returning NULL. */
#define SLAB_PANIC		((slab_flags_t)0x00040000u)

#define KMALLOC_SHIFT_LOW	3
#define KMALLOC_SHIFT_HIGH	13
#define KMALLOC_MIN_SIZE	(1UL << KMALLOC_SHIFT_LOW)
/* Above this, kmalloc() takes whole pages from the page allocator. */
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)

/*
 * What kmalloc(0) returns: not NULL, so it is not mistaken for a
 * failure, and faulting on any access. kfree() and ksize() accept it.
 */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

struct kmem_cache;

/**
 * kmem_cache_create() - create a cache of objects of one size
 * @name: shown in reports and slabinfo; must stay valid while the cache
 *        exists (the cache keeps the pointer)
 * @size: object size in bytes, 1 to 4 MiB
 * @align: minimum alignment, a power of two, or 0 (8 bytes)
 * @flags: SLAB_HWCACHE_ALIGN, SLAB_PANIC, and the debug flags
 *         SLAB_POISON, SLAB_RED_ZONE, SLAB_STORE_USER,
 *         SLAB_CONSISTENCY_CHECKS (the "slub_debug" boot parameter adds
 *         its flags to every cache)
 * @ctor: called once on each object when its slab is made, or NULL;
 *        objects must be returned to the cache in their constructed state
 *
 * Return: the cache, or NULL for a bad argument or no memory (with
 * SLAB_PANIC: no return, the boot ends). Context: after
 * kmem_cache_init(); may allocate, so not with interrupts off.
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *));

/**
 * kmem_cache_zalloc() - kmem_cache_alloc() with __GFP_ZERO
 * @s: the cache
 * @gfp: GFP flags
 *
 * Return: the zeroed object, or NULL. Context: as kmem_cache_alloc().
 */
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp);

/**
 * __kmem_cache_alloc() - kmem_cache_alloc() of an object not to be zeroed
 * @s: the cache
 * @gfp: GFP flags without __GFP_ZERO
 *
 * kmem_cache_alloc() picks this or kmem_cache_zalloc() by @gfp, at
 * compile time for constant flags, so the fast path tests no flag.
 * Return: as kmem_cache_alloc(). Context: as kmem_cache_alloc().
 */
void *__kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);

/**
 * kmem_cache_alloc() - allocate an object
 * @s: the cache
 * @gfp: GFP flags for a new slab if one is needed; __GFP_ZERO zeroes
 *
 * Pops this hart's array of free objects (its "sheaf"); only when that
 * runs empty are objects taken from the cache's shared pool or its slabs.
 * Return: the object, or NULL if no slab could be allocated (the page
 * allocator warns unless __GFP_NOWARN). Context: any, interrupt handlers
 * included: the fast path's pop is a restartable sequence (asm/rseq.h)
 * that an interrupt sends back to its start, and the slow paths run with
 * interrupts masked (CONFIG_DEBUG builds assert it).
 */
static __always_inline void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	if (gfp & __GFP_ZERO)
		return kmem_cache_zalloc(s, gfp);
	return __kmem_cache_alloc(s, gfp);
}

/**
 * kmem_cache_free() - return an object to its cache
 * @s: the cache it came from
 * @x: the object, or NULL (ignored)
 *
 * An object of another cache, a pointer into the middle of an object or
 * one no cache handed out is reported and ends the boot, as is freeing
 * the most recently freed object again (every double free is caught
 * with slub_debug). Context: any.
 */
void kmem_cache_free(struct kmem_cache *s, void *x);

/**
 * kmem_cache_shrink() - return the cache's empty slabs to the page
 * allocator
 * @s: the cache
 *
 * Every hart first empties its sheaves into the slabs (through a
 * cross-call), then the cache's shared sheaves follow.
 * Context: interrupts enabled, no locks held.
 *
 * Return: 0.
 */
int kmem_cache_shrink(struct kmem_cache *s);

/**
 * kmem_cache_shrink_all() - kmem_cache_shrink() every cache at once
 *
 * Every hart empties its sheaves of every cache into the slabs, the
 * shared sheaves follow, and every empty slab goes back to the page
 * allocator: what is left is what is in use. Context: as
 * kmem_cache_shrink().
 */
void kmem_cache_shrink_all(void);

/**
 * kmem_cache_destroy() - free an unused cache and all its slabs
 * @s: the cache, or NULL (ignored)
 *
 * If objects are still in use, says how many (and, with slub_debug=U,
 * who allocated the first few), and keeps the cache: its memory stays
 * valid. Context: as kmem_cache_shrink().
 */
void kmem_cache_destroy(struct kmem_cache *s);

/**
 * kmem_cache_size() - the object size of a cache
 * @s: the cache
 *
 * Return: the size given to kmem_cache_create(). Context: any.
 */
unsigned int kmem_cache_size(const struct kmem_cache *s);

/**
 * __kmalloc() - kmalloc() of a size known only at run time
 * @size: bytes
 * @gfp: GFP flags without __GFP_ZERO
 *
 * Return: as kmalloc(). Context: as kmalloc().
 */
void *__kmalloc(size_t size, gfp_t gfp);

/**
 * __kzalloc() - kmalloc() with __GFP_ZERO, of any size
 * @size: bytes
 * @gfp: GFP flags
 *
 * The clear costs more than finding the cache at run time, so constant
 * sizes come here too.
 * Return: as kmalloc(). Context: as kmalloc().
 */
void *__kzalloc(size_t size, gfp_t gfp);

/**
 * __kmalloc_cache() - kmalloc() of a constant size from its cache
 * @s: the kmalloc cache kmalloc_index(@size) picks
 * @gfp: GFP flags without __GFP_ZERO
 * @size: the bytes asked for, which slub_debug checks the slack after
 *
 * Return: as kmalloc(). Context: as kmalloc().
 */
void *__kmalloc_cache(struct kmem_cache *s, gfp_t gfp, size_t size);

/**
 * __malloc_slab() - the C heap's allocation of up to a slab object
 * @size: 1 to KMALLOC_MAX_CACHE_SIZE bytes
 * @gfp: GFP flags without __GFP_ZERO (calloc() clears what it asked for)
 *
 * As kmalloc(), but from the C heap's own caches (malloc-16 up to
 * malloc-8k, at least 16-byte aligned), so slabinfo and meminfo show
 * the C heap apart from the kernel's kmalloc(); kfree() frees it.
 * Return: the object, or NULL with errno = ENOMEM. Context: as kmalloc().
 */
void *__malloc_slab(size_t size, gfp_t gfp);

/**
 * __malloc_large() - the C heap's block of whole pages
 * @size: bytes, above KMALLOC_MAX_CACHE_SIZE
 * @gfp: GFP flags
 *
 * As a kmalloc() that large, counted as the C heap's; kfree() frees it.
 * Return: the block (aligned to its power-of-two size), or NULL.
 * Context: as kmalloc().
 */
void *__malloc_large(size_t size, gfp_t gfp);

/**
 * c_heap_count_vmalloc() - count a vmalloc() area of the C heap
 * @bytes: its size, positive when allocated, negative when freed
 *
 * The C heap's slabs and page blocks are counted where they are made;
 * its vmalloc() areas, which the slab allocator does not see, here.
 * Context: any; on slow paths only (shared atomics).
 */
void c_heap_count_vmalloc(long bytes);

/**
 * struct c_heap_stats - what the C heap holds
 * @allocs: objects, page blocks and vmalloc() areas handed out, ever
 * @frees: of those, freed
 * @bytes_in_use: bytes of the live ones, by size class
 * @vmalloc_bytes: of those, in vmalloc() areas
 * @pages: pages the C heap holds now (slabs, page blocks, vmalloc areas)
 * @peak_pages: the most it ever held
 */
struct c_heap_stats {
	unsigned long allocs;
	unsigned long frees;
	unsigned long bytes_in_use;
	unsigned long vmalloc_bytes;
	unsigned long pages;
	unsigned long peak_pages;
};

/**
 * c_heap_get_stats() - read the C heap's figures
 * @st: filled in
 *
 * The slab part is summed over the malloc-* caches and every hart, as
 * slabinfo does, so it is a snapshot while other harts allocate.
 * Context: may sleep on the caches' locks; not from interrupts.
 */
void c_heap_get_stats(struct c_heap_stats *st);

/* The kmalloc caches by kmalloc_index(); index 0 is unused. */
extern struct kmem_cache *const kmalloc_caches[KMALLOC_SHIFT_HIGH + 1];

/**
 * kmalloc_index() - which kmalloc cache serves @size
 * @size: 1 to KMALLOC_MAX_CACHE_SIZE
 *
 * Return: the index into kmalloc_caches[] (a constant for a constant
 * @size): 1 for 96 bytes, 2 for 192, else log2 of the power of two.
 */
static __always_inline unsigned int kmalloc_index(size_t size)
{
	unsigned int i;

	if (size <= KMALLOC_MIN_SIZE)
		return KMALLOC_SHIFT_LOW;
	if (size > 64 && size <= 96)
		return 1;
	if (size > 128 && size <= 192)
		return 2;
	for (i = KMALLOC_SHIFT_LOW + 1; i < KMALLOC_SHIFT_HIGH; i++)
		if (size <= 1UL << i)
			return i;
	return KMALLOC_SHIFT_HIGH;
}

/**
 * kmalloc() - allocate memory
 * @size: bytes; 0 gives ZERO_SIZE_PTR
 * @gfp: GFP flags; __GFP_ZERO zeroes
 *
 * Sizes up to KMALLOC_MAX_CACHE_SIZE come from the smallest kmalloc
 * cache that fits and are aligned to the largest power of two dividing
 * that size (at least 8); larger sizes are whole pages. A constant @size
 * picks its cache at compile time.
 * Return: the memory, or NULL (with a warning unless __GFP_NOWARN).
 * Context: as kmem_cache_alloc().
 */
static __always_inline void *kmalloc(size_t size, gfp_t gfp)
{
	if (gfp & __GFP_ZERO)
		return __kzalloc(size, gfp);
	if (__builtin_constant_p(size) && size && size <= KMALLOC_MAX_CACHE_SIZE)
		return __kmalloc_cache(kmalloc_caches[kmalloc_index(size)],
				       gfp, size);
	return __kmalloc(size, gfp);
}

/**
 * kmem_cache_alloc_node() - kmem_cache_alloc() from NUMA node @nid
 * @s: the cache
 * @gfp: GFP flags; __GFP_THISNODE fails rather than take another node
 * @nid: the node, or NUMA_NO_NODE (-1) for the calling hart's
 *
 * NUMA_NO_NODE is kmem_cache_alloc(), served from this hart's sheaves.
 * A named node, even the caller's own, takes the locked path: an object
 * from that node's slabs, or a new slab of that node's pages (of the
 * nearest node's, without __GFP_THISNODE, when it has none left). The
 * sheaves cannot promise a node: a hart's frees land in its own sheaf,
 * whichever node the object is on.
 * Return: the object, or NULL. Context: as kmem_cache_alloc().
 */
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int nid);

/**
 * __kmalloc_node() - kmalloc_node() of any size
 * @size: bytes
 * @gfp: GFP flags
 * @nid: the node, or NUMA_NO_NODE (-1) for the calling hart's
 *
 * Return: as kmalloc_node(). Context: as kmalloc().
 */
void *__kmalloc_node(size_t size, gfp_t gfp, int nid);

/**
 * kmalloc_node() - kmalloc() from NUMA node @nid
 * @size: bytes
 * @gfp: GFP flags
 * @nid: the node, or NUMA_NO_NODE (-1) for the calling hart's
 *
 * As kmem_cache_alloc_node() on the kmalloc cache of @size; larger sizes
 * are pages from alloc_pages_node().
 * Return: the memory, or NULL. Context: as kmalloc().
 */
static __always_inline void *kmalloc_node(size_t size, gfp_t gfp, int nid)
{
	return __kmalloc_node(size, gfp, nid);
}

/**
 * kzalloc() - kmalloc() with __GFP_ZERO
 * @size: bytes
 * @gfp: GFP flags
 *
 * Return: zeroed memory, ZERO_SIZE_PTR for 0, or NULL. Context: as
 * kmalloc().
 */
static __always_inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

/**
 * kmalloc_array() - allocate @n elements of @size bytes
 * @n: number of elements
 * @size: bytes each
 * @gfp: GFP flags
 *
 * Return: the memory, or NULL if @n * @size overflows or memory is
 * short. Context: as kmalloc().
 */
void *kmalloc_array(size_t n, size_t size, gfp_t gfp);

/**
 * kcalloc() - kmalloc_array() with __GFP_ZERO
 * @n: number of elements
 * @size: bytes each
 * @gfp: GFP flags
 *
 * Return: zeroed memory, or NULL on overflow or failure. Context: as
 * kmalloc().
 */
void *kcalloc(size_t n, size_t size, gfp_t gfp);

/**
 * krealloc() - resize a kmalloc() allocation
 * @p: the allocation, NULL (then as kmalloc()) or ZERO_SIZE_PTR
 * @new_size: bytes wanted; 0 frees @p and gives ZERO_SIZE_PTR
 * @gfp: GFP flags for a new allocation
 *
 * Keeps @p when it is already big enough (see ksize()), then under
 * slub_debug with @new_size as the bytes asked for; else copies the
 * contents to a new allocation and frees @p.
 * Return: the allocation, or NULL on failure (then @p is untouched).
 * Context: as kmalloc().
 */
void *krealloc(const void *p, size_t new_size, gfp_t gfp);

/**
 * kfree() - free memory from kmalloc() and friends
 * @x: the pointer they returned; NULL and ZERO_SIZE_PTR are ignored
 *
 * A pointer no allocator handed out, or into the middle of an object,
 * is reported and ends the boot. Context: any.
 */
void kfree(const void *x);

/**
 * ksize() - the usable size of an allocation
 * @x: a pointer from kmalloc() and friends
 *
 * Return: the bytes the caller may use, at least what was asked for
 * (the cache's object size, or whole pages); 0 for NULL, ZERO_SIZE_PTR
 * or (with a warning) a pointer kmalloc() did not hand out. Under
 * slub_debug, the caller may then write all of them: the slack past the
 * bytes asked for stops being red zone. Context: any.
 */
size_t ksize(const void *x);

/**
 * kstrdup() - copy a string into kmalloc() memory
 * @s: the string, or NULL
 * @gfp: GFP flags
 *
 * Return: the copy, or NULL if @s is NULL or memory is short.
 * Context: as kmalloc().
 */
char *kstrdup(const char *s, gfp_t gfp);

/**
 * kvmalloc() - kmalloc(), falling back to vmalloc() for large sizes
 * @size: bytes
 * @gfp: GFP flags; the kmalloc() attempt adds __GFP_NOWARN and
 *       __GFP_NORETRY, since the fallback can still succeed
 *
 * Return: the memory (free it with kvfree()), or NULL.
 * Context: as kmalloc(), but may take the vmalloc path, which must not
 * run with interrupts off.
 */
void *kvmalloc(size_t size, gfp_t gfp);

/**
 * kvzalloc() - kvmalloc() with __GFP_ZERO
 * @size: bytes
 * @gfp: GFP flags
 *
 * Return: zeroed memory, or NULL. Context: as kvmalloc().
 */
void *kvzalloc(size_t size, gfp_t gfp);

/**
 * kvfree() - free memory from kvmalloc()
 * @p: the pointer, or NULL (ignored)
 *
 * Context: as kfree(), or as vfree() for vmalloc memory.
 */
void kvfree(const void *p);

/**
 * show_slabinfo() - print each cache's object size, objects in use and
 * in all, free objects in the harts' sheaves and in the barn, slabs and
 * memory, and the pages of large kmalloc()s
 *
 * Free objects waiting in the harts' sheaves and in the shared barn are
 * shown apart (other harts' as a racy snapshot). Context: any, no slab
 * lock held.
 */
void show_slabinfo(void);

/**
 * slab_nr_pages() - pages the slab allocator holds
 *
 * Return: pages in slabs plus pages of large kmalloc()s (meminfo's
 * Slab). Context: any (a racy snapshot).
 */
unsigned long slab_nr_pages(void);

#endif /* RVMEM_SLAB_H */
