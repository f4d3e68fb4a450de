/* SPDX-License-Identifier: MIT */
/*
 * Bringing up memory at boot: the steps start_kernel() and the host test
 * fixture run, in this order. Apps use <rvmem/mm.h>.
 */
#ifndef RVMEM_INTERNAL_MM_H
#define RVMEM_INTERNAL_MM_H

#include <rvmem/mm.h>

/**
 * mm_init() - bring up memblock and the page allocator from boot_info
 *
 * Context: boot hart, once, before other harts start. A machine with too
 * little free memory ends the boot here (boot_fail()).
 */
void mm_init(void);

/**
 * paging_init() - build the kernel mapping and turn the MMU on (Sv48 or
 * Sv39; see core/mm/paging.c)
 *
 * Context: boot hart, after the page allocator is up (mm_init()).
 */
void paging_init(void);

/**
 * free_area_init() - size the zones from memblock and allocate mem_map
 *
 * Initialises the struct pages of each zone's first DEFERRED_EAGER_PAGES
 * in one pass (free pages clean, the rest PageReserved); the others are
 * initialised on demand, when the zone's free lists run dry (or by
 * deferred_init_all()), and never handed out before.
 * Context: boot, after all memblock_add/reserve calls.
 * Return: 0, or -ENOMEM (with a message) if mem_map does not fit.
 */
int free_area_init(void);

/**
 * setup_per_zone_wmarks() - derive min/low/high watermarks and per-hart
 * list sizes from each zone's managed pages (like min_free_kbytes)
 *
 * Context: after memblock_free_all().
 */
void setup_per_zone_wmarks(void);

/**
 * kmem_cache_init() - create the kmalloc caches
 *
 * Applies the slub_debug boot parameter, which must have been parsed.
 * Context: boot hart, once, after setup_per_zone_wmarks() and before any
 * other slab call.
 */
void kmem_cache_init(void);

/**
 * vmalloc_init() - set up the vmalloc window
 *
 * Context: boot, after paging_init().
 */
void vmalloc_init(void);

/**
 * vmalloc_area_busy() - does a live vmalloc area or block hold @addr
 * @addr: any address
 *
 * What vfree(), vmallocinfo and the reports ask first: an area vfree()'d
 * and waiting for the purge is no longer there, though its range stays
 * reserved until then. The host tests check it.
 * Return: whether a live area's or block's range, guards included,
 * holds @addr.
 */
bool vmalloc_area_busy(unsigned long addr);

/**
 * anon_init() - set up the mmap window and the heap
 *
 * Context: boot, after kmem_cache_init() and vmalloc_init().
 */
void anon_init(void);

#endif /* RVMEM_INTERNAL_MM_H */
