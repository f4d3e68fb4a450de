/* SPDX-License-Identifier: MIT */
/*
 * TLB maintenance: sfence.vma on this hart, SBI RFENCE on the others.
 * With Svinval a run of pages is one fence on each side of cheap
 * sinval.vma invalidations instead of a full fence per page.
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

#include <stdbool.h>
#include <asm/cpufeature.h>
#include <asm/page-size.h>

static inline void local_flush_tlb_all(void)
{
	__asm__ __volatile__("sfence.vma" ::: "memory");
}

static inline void local_flush_tlb_page(unsigned long va)
{
	__asm__ __volatile__("sfence.vma %0, zero" :: "r"(va) : "memory");
}

/*
 * The Svinval instructions, by hand (.insn r opcode, funct3, funct7, rd,
 * rs1, rs2) so no assembler support is needed: SYSTEM opcode, funct3 0;
 * sinval.vma is sfence.vma with funct7 0b0001011; sfence.w.inval and
 * sfence.inval.ir are funct7 0b0001100 with rs2 = 0 and 1.
 */
static inline void sinval_vma(unsigned long va)
{
	__asm__ __volatile__(".insn r 0x73, 0, 0x0b, x0, %0, x0"
			     :: "r"(va) : "memory");
}

/* Page-table stores before it come before the sinval.vmas after it. */
static inline void sfence_w_inval(void)
{
	__asm__ __volatile__(".insn r 0x73, 0, 0x0c, x0, x0, x0" ::: "memory");
}

/* The sinval.vmas before it come before any later translation. */
static inline void sfence_inval_ir(void)
{
	__asm__ __volatile__(".insn r 0x73, 0, 0x0c, x0, x0, x1" ::: "memory");
}

static inline void local_sinval_pages(unsigned long va, unsigned long nr)
{
	sfence_w_inval();
	for (; nr; nr--, va += PAGE_SIZE)
		sinval_vma(va);
	sfence_inval_ir();
}

/**
 * local_flush_tlb_pages() - drop this hart's translations of @nr pages
 * from @va
 *
 * sfence.vma per page, or with Svinval and more than one page the
 * sinval.vma sequence. Context: any; this hart only.
 */
static inline void local_flush_tlb_pages(unsigned long va, unsigned long nr)
{
	if (nr > 1 && riscv_has_extension(RISCV_ISA_EXT_SVINVAL)) {
		local_sinval_pages(va, nr);
		return;
	}
	for (; nr; nr--, va += PAGE_SIZE)
		local_flush_tlb_page(va);
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
