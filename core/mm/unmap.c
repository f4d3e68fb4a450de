// SPDX-License-Identifier: MIT
/*
 * Taking pages out of the kernel address space: the one teardown order
 * vmalloc and the anonymous regions share. Unmap a batch, flush every
 * hart's TLB for it, and only then free the pages, so no hart can reach a
 * freed page through a stale translation.
 */
#include <asm/tlbflush.h>
#include <rvmem/mm.h>
#include <rvmem/pgtable.h>
#include "internal.h"

#define UNMAP_BATCH	32

unsigned long unmap_free_pages(unsigned long start, unsigned long nr,
			       bool free)
{
	struct page *batch[UNMAP_BATCH];
	unsigned long done, i, n, freed = 0;
	phys_addr_t pa;

	for (done = 0; done < nr; done += n) {
		unsigned long va = start + (done << PAGE_SHIFT);

		n = min(nr - done, (unsigned long)UNMAP_BATCH);
		for (i = 0; i < n; i++)
			batch[i] = free && pgtable_translate(&kernel_pgtable,
					va + (i << PAGE_SHIFT), &pa) ?
				   pfn_to_page(pa >> PAGE_SHIFT) : NULL;
		pgtable_unmap(&kernel_pgtable, va, n << PAGE_SHIFT);
		flush_tlb_kernel_range(va, va + (n << PAGE_SHIFT));
		for (i = 0; i < n; i++) {
			if (batch[i]) {
				__free_page(batch[i]);
				freed++;
			}
		}
	}
	return freed;
}
