// SPDX-License-Identifier: MIT
/*
 * The C allocation functions, served by the kernel's allocators so every
 * app (and picolibc itself: stdio buffers, strdup, qsort) gets per-hart
 * slabs instead of a single-threaded free list on the brk heap.
 *
 *   size <= 8 KiB              a slab object from the C heap's own
 *                              caches, malloc-16 to malloc-8k
 *   size <= MALLOC_PAGES_MAX   a block of pages
 *   larger                     vmalloc(): whole pages, mapped on demand
 *                              of the size, unmapped and returned on free
 *
 * A slab-sized block may be a sampled KFENCE object (rvmem/kfence.h), in
 * the upper half like vmalloc() areas: free() tells them apart there.
 *
 * C semantics, not kernel ones: malloc(0) is a unique pointer, failure is
 * NULL with errno = ENOMEM, alignment is at least 16 (max_align_t), and
 * nothing is zeroed unless calloc() asks. Misuse (a pointer malloc never
 * returned, a double or interior free) is reported by kfree()/vfree(),
 * naming the caller of free(): free() tail-calls them, so the return
 * address they see is the app's.
 *
 * Statistics cost nothing per call: the slab allocator already counts
 * the malloc-* caches' objects per hart, and the page blocks and
 * vmalloc() areas are counted on their slow paths. malloc_stats() and
 * mallinfo() read them; meminfo's CHeap line is the pages they hold.
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <rvmem/kfence.h>
#include <rvmem/mm.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/vmalloc.h>

#define MALLOC_MIN_SIZE		16	/* every class from 16 up is 16-aligned */
#define MALLOC_PAGES_MAX	(128 * 1024)	/* above: vmalloc() */

/* Pages of a vmalloc() area from @p up to its guard page. */
static size_t vmalloc_usable_size(const void *p)
{
	size_t size = 0;

	while (vmalloc_to_page((const char *)p + size))
		size += PAGE_SIZE;
	return size;
}

size_t malloc_usable_size(void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return 0;
	return is_vmalloc_addr(p) ? vmalloc_usable_size(p) : ksize(p);
}

static noinline void *nomem(void)
{
	errno = ENOMEM;
	return NULL;
}

/*
 * Past the slabs: pages up to MALLOC_PAGES_MAX, then vmalloc(). And 0
 * bytes, which C wants a unique pointer for: the smallest object.
 */
static noinline void *malloc_large(size_t size, size_t align, gfp_t gfp)
{
	void *p;

	if (!size)
		return __malloc_slab(1, gfp & ~__GFP_ZERO);
	if (size <= MALLOC_PAGES_MAX)
		p = __malloc_large(size, gfp);
	else if (size <= SIZE_MAX / 2)
		p = __vmalloc_align(size, align, gfp);
	else
		p = NULL;
	if (!p)
		return nomem();
	if (is_vmalloc_addr(p))
		c_heap_count_vmalloc(vmalloc_usable_size(p));
	return p;
}

/*
 * Slab sizes tail-call the slab allocator, which sets errno itself on
 * failure.
 */
static __always_inline void *c_alloc(size_t size)
{
	if (unlikely(size - 1 >= KMALLOC_MAX_CACHE_SIZE))
		return malloc_large(size, PAGE_SIZE, GFP_KERNEL);
	return __malloc_slab(size, GFP_KERNEL);
}

void *__frameless malloc(size_t size)
{
	return c_alloc(size);
}

/* The upper half: a vmalloc() area, or a sampled KFENCE object. */
static noinline void free_upper(void *p)
{
	if (is_kfence_address(p)) {
		kfree(p);
		return;
	}
	c_heap_count_vmalloc(-(long)vmalloc_usable_size(p));
	vfree(p);
}

/* kfree() takes NULL and every slab object and page block. */
void __frameless free(void *p)
{
	if (unlikely((long)p < 0))	/* the upper half */
		free_upper(p);
	else
		kfree(p);
}

/* Pages come zeroed; a slab object is cleared as far as asked. */
void *calloc(size_t n, size_t size)
{
	size_t bytes = n * size;
	void *p;

	if (size && n > SIZE_MAX / size)
		return nomem();
	if (unlikely(bytes - 1 >= KMALLOC_MAX_CACHE_SIZE))
		return malloc_large(bytes, PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	p = __malloc_slab(bytes, GFP_KERNEL);
	return p ? memset(p, 0, bytes) : NULL;
}

void *realloc(void *p, size_t size)
{
	size_t old;
	void *q;

	if (!p)
		return malloc(size);
	old = malloc_usable_size(p);
	if (size <= old && (size > old / 2 || old <= MALLOC_MIN_SIZE))
		return p;		/* in place: the class still fits */
	q = malloc(size);
	if (!q)
		return NULL;		/* @p untouched, errno set */
	memcpy(q, p, size < old ? size : old);
	free(p);
	return q;
}

void *reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return nomem();
	return realloc(p, n * size);
}

/*
 * A power-of-two size from kmalloc() is aligned to itself (a slab's
 * objects sit at multiples of their size, a block of pages at a multiple
 * of its own size); past MALLOC_PAGES_MAX vmalloc aligns the area.
 */
void *aligned_alloc(size_t align, size_t size)
{
	size_t want;

	if (!align || (align & (align - 1)))
		return errno = EINVAL, NULL;
	if (align <= MALLOC_MIN_SIZE)
		return malloc(size);
	want = size > align ? size : align;
	if (want > SIZE_MAX / 2)
		return nomem();
	if (want > MALLOC_PAGES_MAX)
		return malloc_large(want, align, GFP_KERNEL);
	return c_alloc(1UL << (64 - __builtin_clzl(want - 1)));
}

void *memalign(size_t align, size_t size)
{
	return aligned_alloc(align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	p = aligned_alloc(align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

void *valloc(size_t size)
{
	return aligned_alloc(PAGE_SIZE, size);
}

void *pvalloc(size_t size)
{
	if (size > SIZE_MAX - PAGE_SIZE)
		return nomem();
	return aligned_alloc(PAGE_SIZE, ALIGN(size ? size : 1, PAGE_SIZE));
}

/* Defined so that no app call pulls picolibc's own malloc in. */
struct mallinfo mallinfo(void)
{
	struct mallinfo mi = { 0 };
	struct c_heap_stats st;

	c_heap_get_stats(&st);
	mi.arena = (st.pages << PAGE_SHIFT) - st.vmalloc_bytes;
	mi.hblkhd = st.vmalloc_bytes;
	mi.usmblks = st.peak_pages << PAGE_SHIFT;	/* as glibc: the peak */
	mi.uordblks = st.bytes_in_use;
	mi.fordblks = (st.pages << PAGE_SHIFT) - st.bytes_in_use;
	return mi;
}

int mallopt(int param, int value)
{
	(void)param;
	(void)value;
	return 0;
}

void malloc_stats(void)
{
	struct c_heap_stats st;

	c_heap_get_stats(&st);
	printk("malloc: %lu calls (%lu allocations, %lu frees), %lu live; "
	       "%lu bytes in use (by size class); the C heap holds %lu kB, "
	       "peak %lu kB (%lu kB of it in vmalloc areas now)\n",
	       st.allocs + st.frees, st.allocs, st.frees,
	       st.allocs - st.frees, st.bytes_in_use,
	       st.pages << (PAGE_SHIFT - 10),
	       st.peak_pages << (PAGE_SHIFT - 10), st.vmalloc_bytes >> 10);
}
