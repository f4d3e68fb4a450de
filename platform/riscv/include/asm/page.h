/* SPDX-License-Identifier: MIT */
/*
 * Physical and kernel virtual addresses. RAM is identity-mapped (VA ==
 * PA), in the lower half, before and after paging is enabled.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <asm/page-size.h>

#ifndef __ASSEMBLER__
#define __va(pa)	((void *)(unsigned long)(pa))
#define __pa(va)	((unsigned long)(va))
#endif

/* mem_map is mapped a second time at VMEMMAP_START (rvmem/mm.h). */
#define ARCH_HAS_VMEMMAP_WINDOW

#endif /* ASM_PAGE_H */
