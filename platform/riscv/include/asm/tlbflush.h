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
 * @levels: 3 (Sv39), 4 (Sv48) or 5 (Sv57)
 *
 * Return: false if the hart does not support the mode (satp unchanged).
 */
bool arch_enable_paging(unsigned long root_pa, unsigned int levels);

/**
 * arch_paging_mode_ok() - does the hart take the mode with @levels levels
 * @root_pa: a root table that identity-maps the running kernel
 * @levels: 3, 4 or 5
 *
 * Writes satp and reads it back (a mode the hart lacks leaves satp as
 * it was), then turns paging off again. Context: boot hart, paging off.
 * Return: true if the hart accepted the mode.
 */
bool arch_paging_mode_ok(unsigned long root_pa, unsigned int levels);

/** kernel_satp - the satp value every hart loads when it starts */
extern unsigned long kernel_satp;

#endif /* ASM_TLBFLUSH_H */
