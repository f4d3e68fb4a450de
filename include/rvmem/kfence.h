/* SPDX-License-Identifier: MIT */
/*
 * KFENCE: sampled guarded slab allocations, as Linux's (core/mm/kfence.c).
 *
 * Every kfence.sample_interval milliseconds (100 by default; 0 turns it
 * off) one slab allocation is served from the KFENCE pool instead of its
 * cache: a page of its own, the object at its end, an unmapped guard page
 * on each side. An access past the object's end faults on the guard at
 * once; freeing unmaps the page, so a use after free faults too; the
 * bytes around the object are checked when it is freed. Each is reported
 * with where the object was allocated (and freed), then the boot ends
 * with status 70. Such an object is an ordinary allocation otherwise:
 * kfree(), kmem_cache_free(), ksize(), krealloc() and the C free() take
 * it, and it lies outside RAM's identity map, at [KFENCE_POOL_START,
 * KFENCE_POOL_END).
 */
#ifndef RVMEM_KFENCE_H
#define RVMEM_KFENCE_H

#include <rvmem/memlayout.h>
#include <rvmem/types.h>

/**
 * is_kfence_address() - is @addr in the KFENCE pool
 * @addr: any address
 *
 * Return: true for a sampled object (and for its page and the guard
 * pages around it). Context: any.
 */
static inline bool is_kfence_address(const void *addr)
{
	return (unsigned long)addr - KFENCE_POOL_START <
	       KFENCE_POOL_END - KFENCE_POOL_START;
}

/**
 * kfence_alloc_until_sampled() - allocate until KFENCE serves a block
 * @alloc: the allocator (a kmalloc(), malloc() or cache wrapper)
 * @free: frees what @alloc returned
 * @size: passed to @alloc
 * @max_bursts: give up after this many bursts
 * @bursts: if not NULL, set to the bursts it took
 *
 * For tests of KFENCE: allocates in bursts of 256 (each runs this hart's
 * sheaves empty, so the slab's slow path, where KFENCE samples, runs)
 * until a block comes from the pool, freeing the others.
 *
 * Return: that block, or NULL. Context: task context, on a stack with
 * 2 KiB to spare.
 */
void *kfence_alloc_until_sampled(void *(*alloc)(size_t),
				 void (*free)(void *), size_t size,
				 unsigned int max_bursts,
				 unsigned int *bursts);

#endif /* RVMEM_KFENCE_H */
