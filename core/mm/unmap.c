// SPDX-License-Identifier: MIT
/*
 * Taking pages out of the kernel address space, for the anonymous regions
 * (vmalloc tears its areas down in its own batched purge). Unmap the
 * range, gathering its pages, flush every hart's TLB for it once (not at
 * all if nothing was mapped), and only then free the pages, so no hart
 * can reach a freed page through a stale translation. The walk skips absent tables
 * whole, so an untouched range costs next to nothing however large.
 */
#include <asm/tlbflush.h>
#include <rvmem/mm.h>
#include <rvmem/internal/pgtable.h>
#include "internal.h"

unsigned long unmap_free_pages(unsigned long start, unsigned long nr,
			       bool free)
{
	unsigned long end = start + (nr << PAGE_SHIFT), freed = 0;
	struct list_head *pos, *next;
	LIST_HEAD(pages);

	if (!nr)
		return 0;
	if (pgtable_unmap_gather(&kernel_pgtable, start, end - start,
				 free ? &pages : NULL))
		flush_tlb_kernel_range(start, end);
	for (pos = pages.next; pos != &pages; pos = next, freed++) {
		next = pos->next;
		__free_page(list_entry(pos, struct page, lru));
	}
	return freed;
}
