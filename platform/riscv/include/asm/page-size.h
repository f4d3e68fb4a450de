/* SPDX-License-Identifier: MIT */
/*
 * The base page size (Sv39/Sv48: 4 KiB), for the guest and the host
 * build alike; each one's asm/page.h adds its own address translation.
 */
#ifndef ASM_PAGE_SIZE_H
#define ASM_PAGE_SIZE_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)

#endif /* ASM_PAGE_SIZE_H */
