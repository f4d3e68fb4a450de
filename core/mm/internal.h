/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by core/mm files only; not part of the API.
 */
#ifndef CORE_MM_INTERNAL_H
#define CORE_MM_INTERNAL_H

#include <rvmem/mm.h>
#include <rvmem/mmzone.h>

/**
 * __free_pages_core() - hand a block of boot memory to the buddy allocator
 * @pfn: first page, aligned to 2^@order
 * @order: block order
 *
 * Clears PG_reserved on every page and counts them as managed.
 * Context: boot (memblock_free_all()).
 */
void __free_pages_core(unsigned long pfn, unsigned int order);

/** mem_map_bytes - bytes of struct page allocated by free_area_init() */
extern unsigned long mem_map_bytes;

static inline struct zone *page_zone(const struct page *page)
{
	return &zones[page_zonenum(page)];
}

#endif /* CORE_MM_INTERNAL_H */
