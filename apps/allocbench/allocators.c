// SPDX-License-Identifier: MIT
/*
 * The allocators the loops call, each through a frameless wrapper behind
 * a function pointer, so none pays a harness cost another does not. The
 * null allocator does no work: a pass with it measures the loop alone.
 */
#include <stdlib.h>
#include <rvmem/gfp.h>
#include <rvmem/mm.h>
#include <rvmem/slab.h>
#include <rvmem/vmalloc.h>
#include "bench.h"

#define BENCH_CACHE_SIZE	64

static struct kmem_cache *bench_cache;
static char null_object[8192];

BENCH_WRAPPER static void *null_alloc(size_t param)
{
	(void)param;
	return null_object;
}

BENCH_WRAPPER static void null_free(void *p, size_t param)
{
	(void)p;
	(void)param;
}

BENCH_WRAPPER static void *kmalloc_alloc(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

BENCH_WRAPPER static void kmalloc_free(void *p, size_t size)
{
	(void)size;
	kfree(p);
}

/* kmalloc() of a constant size: its cache is picked at compile time. */
BENCH_WRAPPER static void *kmalloc64_alloc(size_t size)
{
	(void)size;
	return kmalloc(64, GFP_KERNEL);
}

BENCH_WRAPPER static void *malloc_alloc(size_t size)
{
	return malloc(size);
}

BENCH_WRAPPER static void malloc_free(void *p, size_t size)
{
	(void)size;
	free(p);
}

/* picolibc's nano-malloc, renamed (scripts/picolibc_malloc.py). */
void *picolibc_malloc(size_t size);
void picolibc_free(void *p);

BENCH_WRAPPER static void *picolibc_alloc(size_t size)
{
	return picolibc_malloc(size);
}

BENCH_WRAPPER static void picolibc_free_bench(void *p, size_t size)
{
	(void)size;
	picolibc_free(p);
}

BENCH_WRAPPER static void *kmem_cache_alloc_bench(size_t size)
{
	(void)size;
	return kmem_cache_alloc(bench_cache, GFP_KERNEL);
}

BENCH_WRAPPER static void kmem_cache_free_bench(void *p, size_t size)
{
	(void)size;
	kmem_cache_free(bench_cache, p);
}

BENCH_WRAPPER static void *pages_alloc(size_t order)
{
	return alloc_pages(GFP_KERNEL, order);
}

BENCH_WRAPPER static void pages_free(void *page, size_t order)
{
	__free_pages(page, order);
}

BENCH_WRAPPER static void *vmalloc_pages(size_t pages)
{
	return vmalloc(pages * PAGE_SIZE);
}

BENCH_WRAPPER static void vfree_pages(void *p, size_t pages)
{
	(void)pages;
	vfree(p);
}

const struct allocator null_allocator = {
	"null", null_alloc, null_free, NULL, false,
};
const struct allocator rvmem_kmalloc = {
	"rvmem", kmalloc_alloc, kmalloc_free, NULL, false,
};
const struct allocator rvmem_kmalloc64 = {
	"rvmem", kmalloc64_alloc, kmalloc_free, NULL, false,
};
/* The C functions: rvmem's own (core/libc/malloc.c). */
const struct allocator c_malloc = {
	"malloc", malloc_alloc, malloc_free, NULL, false,
};
/*
 * picolibc's malloc serialises on picolibc's one global lock (a real
 * mutex through rvmem's __retarget_lock_* hooks): on several harts it
 * would measure that lock, so the scaling mode runs it on one.
 */
const struct allocator nano_malloc = {
	"picolibc", picolibc_alloc, picolibc_free_bench, NULL, true,
};
const struct allocator rvmem_kmem_cache = {
	"rvmem", kmem_cache_alloc_bench, kmem_cache_free_bench, NULL, false,
};
const struct allocator rvmem_pages = {
	"rvmem", pages_alloc, pages_free, NULL, false,
};
/* vfree() is lazy: the purge it defers is part of its cost. */
const struct allocator rvmem_vmalloc = {
	"rvmem", vmalloc_pages, vfree_pages, vm_unmap_aliases, false,
};

/**
 * bench_cache_init() - create the kmem_cache the cache workloads use
 *
 * Return: 0, or 1 if it could not be created.
 */
int bench_cache_init(void)
{
	if (!bench_cache)
		bench_cache = kmem_cache_create("allocbench", BENCH_CACHE_SIZE,
						0, 0, NULL);
	return !bench_cache;
}
