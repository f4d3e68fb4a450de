/* SPDX-License-Identifier: MIT */
/*
 * TLB maintenance: sfence.vma on this hart, SBI RFENCE on the others.
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include <stdbool.h>

static inline void local_flush_tlb_all(void)
{
	__asm__ __volatile__("sfence.vma" ::: "memory");
}

static inline void local_flush_tlb_page(unsigned long va)
{
	__asm__ __volatile__("sfence.vma %0, zero" :: "r"(va) : "memory");
}

/**
 * flush_tlb_kernel_range() - drop stale translations of [@start, @end)
 * on every online hart
 *
 * Context: any; the other harts are reached through SBI RFENCE, which
 * returns when they have flushed.
 */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);

/**
 * arch_enable_paging() - point satp at a root table and turn paging on
 * @root_pa: physical address of the root table
 * @levels: 3 (Sv39) or 4 (Sv48)
 *
 * Return: false if the hart does not support the mode (satp unchanged).
 */
bool arch_enable_paging(unsigned long root_pa, unsigned int levels);

/** kernel_satp - the satp value every hart loads when it starts */
extern unsigned long kernel_satp;

#endif /* ASM_TLBFLUSH_H */
