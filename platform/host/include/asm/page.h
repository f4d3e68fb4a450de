/* SPDX-License-Identifier: MIT */
/*
 * Host build: "physical memory" is an mmap'd arena that pretends to sit
 * at host_phys_base (any address, e.g. straddling 4 GiB to exercise
 * zones). The arena is mapped at host_virt_base.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#include <asm/page-size.h>

extern unsigned long host_phys_base, host_virt_base;

#define __va(pa) \
	((void *)((unsigned long)(pa) - host_phys_base + host_virt_base))
#define __pa(va) \
	((unsigned long)(va) - host_virt_base + host_phys_base)

#endif /* ASM_PAGE_H */
