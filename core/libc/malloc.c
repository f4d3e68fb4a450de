// SPDX-License-Identifier: MIT
/*
 * The C allocation functions, served by the kernel's allocators so every
 * app (and picolibc itself: stdio buffers, strdup, qsort) gets per-hart
 * slabs instead of a single-threaded free list on the brk heap.
 *
 *   size <= MALLOC_PAGES_MAX   kmalloc(): a slab object (up to 8 KiB) or
 *                              a block of pages
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
 * Statistics (calls, and the bytes of vmalloc() blocks) are per hart,
 * written only by their hart and summed on read: no shared line is
 * written on the fast path. Slab objects and blocks of pages are not
 * counted in bytes (that would cost a ksize() per free): slabinfo and
 * meminfo's Slab show them.
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
#include <rvmem/smp.h>
#include <rvmem/vmalloc.h>

#define MALLOC_MIN_SIZE		16	/* every class from 16 up is 16-aligned */
#define MALLOC_PAGES_MAX	(128 * 1024)	/* above: vmalloc() */

struct malloc_hart_stats {
	unsigned long mallocs;
	unsigned long frees;
	long vmalloc_bytes;	/* vmalloc() blocks: allocated - freed */
} __attribute__((aligned(64)));

static struct malloc_hart_stats malloc_stats_of[NR_CPUS];

static inline struct malloc_hart_stats *this_stats(void)
{
	return &malloc_stats_of[smp_processor_id()];
}

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

/* Past the slabs: pages up to MALLOC_PAGES_MAX, then vmalloc(). */
static noinline void *malloc_large(size_t size, size_t align, gfp_t gfp)
{
	void *p;

	if (size <= MALLOC_PAGES_MAX)
		p = kmalloc(size, gfp);
	else if (size <= SIZE_MAX / 2)
		p = __vmalloc_align(size, align, gfp);
	else
		p = NULL;
	if (!p)
		return nomem();
	this_stats()->mallocs++;
	if (is_vmalloc_addr(p))
		this_stats()->vmalloc_bytes += vmalloc_usable_size(p);
	return p;
}

/* Slab sizes straight to kmalloc(); @gfp may add __GFP_ZERO. */
static inline void *c_alloc(size_t size, gfp_t gfp)
{
	void *p;

	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return malloc_large(size, PAGE_SIZE, gfp);
	p = kmalloc(size < MALLOC_MIN_SIZE ? MALLOC_MIN_SIZE : size, gfp);
	if (unlikely(!p))
		return nomem();
	this_stats()->mallocs++;
	return p;
}

void *malloc(size_t size)
{
	return c_alloc(size, GFP_KERNEL);
}

/* The upper half: a vmalloc() area, or a sampled KFENCE object. */
static noinline void free_upper(void *p)
{
	if (is_kfence_address(p)) {
		kfree(p);
		return;
	}
	this_stats()->vmalloc_bytes -= vmalloc_usable_size(p);
	vfree(p);
}

void free(void *p)
{
	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	this_stats()->frees++;
	if (unlikely((long)p < 0))	/* the upper half */
		free_upper(p);
	else
		kfree(p);
}

void *calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return nomem();
	return c_alloc(n * size, GFP_KERNEL | __GFP_ZERO);
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
	return c_alloc(1UL << (64 - __builtin_clzl(want - 1)), GFP_KERNEL);
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

/* Every hart's counts, summed. */
static void malloc_totals(struct malloc_hart_stats *sum)
{
	unsigned int cpu;

	memset(sum, 0, sizeof(*sum));
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		sum->mallocs += READ_ONCE(malloc_stats_of[cpu].mallocs);
		sum->frees += READ_ONCE(malloc_stats_of[cpu].frees);
		sum->vmalloc_bytes += READ_ONCE(malloc_stats_of[cpu].vmalloc_bytes);
	}
}

/* Defined so that no app call pulls picolibc's own malloc in. */
struct mallinfo mallinfo(void)
{
	struct mallinfo mi = { 0 };
	struct malloc_hart_stats sum;

	malloc_totals(&sum);
	mi.hblkhd = sum.vmalloc_bytes;
	mi.ordblks = sum.mallocs - sum.frees;
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
	struct malloc_hart_stats sum;

	malloc_totals(&sum);
	printk("malloc: %lu allocations, %lu frees, %lu live; %ld bytes in "
	       "vmalloc blocks (the rest: see slabinfo)\n",
	       sum.mallocs, sum.frees, sum.mallocs - sum.frees,
	       sum.vmalloc_bytes);
}
