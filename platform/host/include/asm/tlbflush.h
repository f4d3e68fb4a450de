/* SPDX-License-Identifier: MIT */
/* Host build: page tables are data only; there is no TLB to flush. */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

static inline void local_flush_tlb_all(void) { }
static inline void local_flush_tlb_page(unsigned long va) { (void)va; }
static inline void flush_tlb_kernel_range(unsigned long start,
					  unsigned long end)
{
	(void)start;
	(void)end;
}

#endif /* ASM_TLBFLUSH_H */
