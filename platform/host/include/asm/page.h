/* SPDX-License-Identifier: MIT */
/*
 * Host build: "physical memory" is an mmap'd arena that pretends to sit
 * at host_phys_base (any address, e.g. straddling 4 GiB to exercise
 * zones). The arena is mapped at host_virt_base.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)

extern unsigned long host_phys_base, host_virt_base;

#define __va(pa) \
	((void *)((unsigned long)(pa) - host_phys_base + host_virt_base))
#define __pa(va) \
	((unsigned long)(va) - host_virt_base + host_phys_base)

#endif /* ASM_PAGE_H */
