/* SPDX-License-Identifier: MIT */
/*
 * The ISA extensions rvmem uses when the hart has them, found in the
 * boot hart's riscv,isa string. Written once by the boot hart before
 * paging is set up, read-only afterwards (every hart is assumed alike).
 */
#ifndef ASM_CPUFEATURE_H
#define ASM_CPUFEATURE_H

#include <stdbool.h>

enum riscv_isa_ext {
	RISCV_ISA_EXT_SVINVAL,	/* fine-grained TLB invalidation */
	RISCV_ISA_EXT_SVNAPOT,	/* 64 KiB NAPOT groups of PTEs (bit 63) */
	RISCV_ISA_EXT_SVPBMT,	/* page-based memory types (PTE bits 62:61) */
	RISCV_ISA_EXT_MAX,
};

/** riscv_isa_ext - bit (1 << RISCV_ISA_EXT_*) set for each one in use */
extern unsigned long riscv_isa_ext;

/** riscv_has_extension() - is extension @ext (RISCV_ISA_EXT_*) in use */
static inline bool riscv_has_extension(enum riscv_isa_ext ext)
{
	return riscv_isa_ext & (1UL << ext);
}

/**
 * riscv_fill_hwcap() - set riscv_isa_ext from boot_info's riscv,isa
 *
 * Context: boot hart, once, before paging_init().
 */
void riscv_fill_hwcap(void);

#endif /* ASM_CPUFEATURE_H */
