/* SPDX-License-Identifier: MIT */
/*
 * Sv39/Sv48/Sv57 page-table entries: bit names and tiny accessors.
 *
 * A PTE is 64 bits: flags in bits 0-7, the physical page number in bits
 * 10-53, Svpbmt's memory type in bits 61-62, Svnapot's N in bit 63. A
 * valid entry with none of R, W, X points to the next table level; with
 * any of them it is a leaf (4 KiB at level 0, 2 MiB at level 1, 1 GiB at
 * level 2, 512 GiB at level 3, 256 TiB at level 4).
 *
 * Svnapot: 16 last-level entries, the 16 of a 64 KiB-aligned stretch of
 * virtual addresses, may together map one 64 KiB-aligned, 64 KiB frame
 * range (a NAPOT group). Each of the 16 is then the same PTE: N set and
 * PPN[3:0] = 0b1000 (which says 64 KiB), the rest of the PPN the range's,
 * so the hart may cache the whole group as one TLB entry. The hart takes
 * PPN[3:0] from the virtual address instead.
 */
#ifndef ASM_PGTABLE_BITS_H
#define ASM_PGTABLE_BITS_H

#define _PAGE_VALID	(1UL << 0)
#define _PAGE_READ	(1UL << 1)
#define _PAGE_WRITE	(1UL << 2)
#define _PAGE_EXEC	(1UL << 3)
#define _PAGE_USER	(1UL << 4)
#define _PAGE_GLOBAL	(1UL << 5)
#define _PAGE_ACCESSED	(1UL << 6)
#define _PAGE_DIRTY	(1UL << 7)
/*
 * Software bit (RSW): a PROT_NONE leaf. V is clear, so every access
 * faults, but the entry keeps its frame, so mprotect() can give access
 * back without losing the data.
 */
#define _PAGE_PROTNONE	(1UL << 8)
#define _PAGE_LEAF	(_PAGE_READ | _PAGE_WRITE | _PAGE_EXEC | \
			 _PAGE_PROTNONE)

/*
 * Svpbmt memory types: PMA (0) takes the physical memory attributes
 * (RAM: cacheable), IO is non-cacheable, strongly ordered device
 * memory. The field is reserved, and must stay 0, without Svpbmt.
 */
#define _PAGE_PBMT_SHIFT	61
#define _PAGE_PBMT_MASK		(3UL << _PAGE_PBMT_SHIFT)
#define _PAGE_PBMT_IO		(2UL << _PAGE_PBMT_SHIFT)

/* Svnapot: reserved, and must stay 0, without it. */
#define _PAGE_NAPOT		(1UL << 63)
#define NAPOT_ORDER		4	/* the only size defined: 64 KiB */
#define NAPOT_PTES		(1UL << NAPOT_ORDER)
#define NAPOT_SIZE		(NAPOT_PTES << 12)
#define NAPOT_PPN_BITS		(NAPOT_PTES >> 1)	/* PPN[3:0] = 0b1000 */

#define PTE_PPN_SHIFT	10
#define PTE_PPN_BITS	44
#define PTRS_PER_TABLE	512
#define LEVEL_BITS	9

/*
 * Kernel protections. Every mapping is global (one address space) and
 * born accessed and dirty, so the hardware never has to set A/D.
 */
#define _PAGE_KERNEL_BASE (_PAGE_VALID | _PAGE_GLOBAL | _PAGE_ACCESSED | \
			   _PAGE_DIRTY)
#define PAGE_KERNEL		(_PAGE_KERNEL_BASE | _PAGE_READ | _PAGE_WRITE)
#define PAGE_KERNEL_RO		(_PAGE_KERNEL_BASE | _PAGE_READ)
#define PAGE_KERNEL_EXEC	(_PAGE_KERNEL_BASE | _PAGE_READ | _PAGE_EXEC)
#define PAGE_KERNEL_RWX		(PAGE_KERNEL | _PAGE_EXEC)
#define PAGE_NONE		(_PAGE_PROTNONE | _PAGE_GLOBAL)

#ifndef __ASSEMBLER__
#include <asm/cpufeature.h>
#include <asm/page-size.h>
#include <rvmem/types.h>

/* Device memory: uncached and in order where Svpbmt says so per page. */
#define PAGE_KERNEL_IO	(PAGE_KERNEL | \
			 (riscv_has_extension(RISCV_ISA_EXT_SVPBMT) ? \
			  _PAGE_PBMT_IO : 0))

typedef u64 pte_t;
typedef u64 pgprot_t;

/** PX() - the table index of @va at @level (0 = the 4 KiB level) */
#define PX(level, va) \
	(((unsigned long)(va) >> (PAGE_SHIFT + LEVEL_BITS * (level))) & \
	 (PTRS_PER_TABLE - 1))

/** level_size() - bytes one entry at @level covers */
static inline unsigned long level_size(unsigned int level)
{
	return 1UL << (PAGE_SHIFT + LEVEL_BITS * level);
}

/** va_bits() - virtual address bits with @levels levels: 39, 48 or 57 */
static inline unsigned int va_bits(unsigned int levels)
{
	return PAGE_SHIFT + LEVEL_BITS * levels;
}

/* Three shifts: the PPN field alone, without loading a 44-bit mask. */
static inline phys_addr_t pte_to_pa(pte_t pte)
{
	return ((pte >> PTE_PPN_SHIFT) << (64 - PTE_PPN_BITS)) >>
	       (64 - PTE_PPN_BITS - PAGE_SHIFT);
}

static inline pte_t pa_to_pte(phys_addr_t pa, pgprot_t prot)
{
	return ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | prot;
}

/* Holds a frame: valid, or a PROT_NONE leaf. */
static inline bool pte_present(pte_t pte)
{
	return pte & (_PAGE_VALID | _PAGE_PROTNONE);
}

static inline bool pte_leaf(pte_t pte)
{
	return pte & _PAGE_LEAF;
}

/* The leaf bits and the memory type: what a split leaf's pieces keep. */
static inline pgprot_t pte_prot(pte_t pte)
{
	return pte & (((1UL << PTE_PPN_SHIFT) - 1) | _PAGE_PBMT_MASK);
}

/** pte_napot() - is @pte one of a NAPOT group's 16 entries */
static inline bool pte_napot(pte_t pte)
{
	return pte & _PAGE_NAPOT;
}

/** napot_pte() - the entry each of a group mapping @pa (64 KiB-aligned) */
static inline pte_t napot_pte(phys_addr_t pa, pgprot_t prot)
{
	return pa_to_pte(pa, prot) | (NAPOT_PPN_BITS << PTE_PPN_SHIFT) |
	       _PAGE_NAPOT;
}

/**
 * pte_leaf_pa() - the physical address a leaf at @level maps @va to
 *
 * A NAPOT entry takes the low bits of its frame from @va too.
 */
static inline phys_addr_t pte_leaf_pa(pte_t pte, unsigned int level,
				      unsigned long va)
{
	unsigned long mask = (pte_napot(pte) ? NAPOT_SIZE :
			      level_size(level)) - 1;

	return (pte_to_pa(pte) & ~mask) | (va & mask);
}

/** pte_pbmt() - the Svpbmt memory type of @pte, 0 (PMA) to 2 (IO) */
static inline unsigned int pte_pbmt(pte_t pte)
{
	return (pte & _PAGE_PBMT_MASK) >> _PAGE_PBMT_SHIFT;
}
#endif /* !__ASSEMBLER__ */

#endif /* ASM_PGTABLE_BITS_H */
