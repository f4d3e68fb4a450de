/* SPDX-License-Identifier: MIT */
/*
 * The kernel image's sections, as the link script (platform/virt/kernel.ld)
 * places them. Use the addresses only: these are not objects.
 */
#ifndef RVMEM_SECTIONS_H
#define RVMEM_SECTIONS_H

extern char _text[], _stext[], _etext[];	/* code */
extern char _srodata[], _erodata[];		/* read-only data */
extern char _sdata[], _edata[];			/* data */
extern char __bss_start[], __bss_end[];		/* zeroed data */
extern char __kallsyms_start[];		/* symbol table (read-only) */
extern char _end[];				/* end of the image */

#endif /* RVMEM_SECTIONS_H */
