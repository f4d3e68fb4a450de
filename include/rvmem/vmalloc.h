/* SPDX-License-Identifier: MIT */
/*
 * vmalloc: virtually contiguous memory in the upper half, built from
 * separate pages, each area followed by an unmapped guard page.
 *
 * Areas of up to VMAP_MAX_PAGES come from per-hart blocks of address
 * space; larger ones, and vmap, ioremap and stack areas, are ranges of
 * their own in [VMALLOC_START, VMALLOC_END) (vm_space). The page table
 * is the only record of which pages back them. Freeing is lazy: the
 * entries go at once, the TLB flush on every hart comes in batches, and
 * pages and addresses are reused only after it (vm_unmap_aliases()
 * forces it).
 *
 * Context: may sleep never; spinlocks only (core/mm/vmalloc.c has the
 * order). A small vmalloc() or vfree() takes no global lock.
 */
#ifndef RVMEM_VMALLOC_H
#define RVMEM_VMALLOC_H

#include <asm/pgtable-bits.h>
#include <rvmem/gfp.h>
#include <rvmem/types.h>

struct page;

/* vmalloc() areas up to this many pages come from per-hart blocks. */
#define VMAP_MAX_PAGES	32

/**
 * vmalloc() - allocate @size bytes of virtually contiguous memory
 * @size: bytes (rounded up to whole pages)
 *
 * Return: the address (page-aligned), or NULL with a warning.
 */
void *vmalloc(unsigned long size);

/** vzalloc() - vmalloc() and zero */
void *vzalloc(unsigned long size);

/**
 * __vmalloc() - vmalloc() with GFP flags for the backing pages
 * @size: bytes (rounded up to whole pages)
 * @gfp: e.g. GFP_KERNEL | __GFP_NOWARN
 *
 * Return: the address (page-aligned), or NULL (with a warning unless
 * @gfp has __GFP_NOWARN).
 */
void *__vmalloc(unsigned long size, gfp_t gfp);

/**
 * __vmalloc_align() - __vmalloc() with the area's start aligned
 * @size: bytes (rounded up to whole pages)
 * @align: a power of two, at least PAGE_SIZE (rounded up to it)
 * @gfp: as for __vmalloc()
 *
 * Return: the address, a multiple of @align, or NULL.
 */
void *__vmalloc_align(unsigned long size, unsigned long align, gfp_t gfp);

/**
 * vfree() - free a vmalloc() or vzalloc() area
 * @addr: its start; NULL is ignored
 *
 * Anything else (an address inside an area, a vmap() or ioremap() area,
 * a freed area) is reported with the caller and ends the boot.
 */
void vfree(const void *addr);

/**
 * vm_unmap_aliases() - finish every lazy vfree()/vunmap() now: flush all
 * harts' TLBs for them, free their pages, release their addresses
 *
 * Context: interrupts on (it may send an SBI RFENCE).
 */
void vm_unmap_aliases(void);

/**
 * vmap() - map @count pages contiguously in the vmalloc area
 * @pages: the pages (they stay owned by the caller)
 * @count: how many, at most what the vmalloc window holds
 * @prot: PAGE_KERNEL, PAGE_KERNEL_RO, ...
 *
 * Return: the address, or NULL.
 */
void *vmap(struct page **pages, unsigned int count, pgprot_t prot);

/** vunmap() - remove a vmap() mapping (the pages are not freed) */
void vunmap(const void *addr);

/**
 * ioremap() - map device registers [@phys, @phys + @size)
 * @phys: physical address, any alignment
 * @size: bytes
 *
 * With Svpbmt the pages are memory type IO (uncached, strongly
 * ordered) whatever the physical memory attributes say; without it the
 * PMAs decide, as for every other mapping.
 * Return: the kernel address of @phys, or NULL.
 */
void *ioremap(phys_addr_t phys, unsigned long size);

/** iounmap() - remove an ioremap() mapping */
void iounmap(void *addr);

/** vmalloc_to_page() - the page backing a vmalloc address, or NULL */
struct page *vmalloc_to_page(const void *addr);

/** is_vmalloc_addr() - does @addr lie in the vmalloc window */
bool is_vmalloc_addr(const void *addr);

/**
 * vmalloc_stack() - a hart stack: @size bytes with an unmapped guard page
 * below (and the usual one above)
 * @size: bytes, a page multiple
 * @cpu: the hart it is for (shown in reports)
 *
 * Return: the stack's lowest address, or NULL.
 */
void *vmalloc_stack(unsigned long size, unsigned int cpu);

/**
 * vmalloc_describe() - name what lies at @addr if it is in the vmalloc
 * window: an area, its guard page, a stack's guard page
 * @addr: any address
 * @buf: output, one phrase
 * @len: its size
 *
 * Return: true if @addr is in the window (@buf set).
 */
bool vmalloc_describe(unsigned long addr, char *buf, size_t len);

/**
 * show_vmallocinfo() - print every area: range, size, caller, pages,
 * kind, ioremap's phys, and napot=N where N 64 KiB NAPOT leaves map it
 */
void show_vmallocinfo(void);

/** nr_vmalloc_pages - pages backing vmalloc areas (VmallocUsed) */
extern unsigned long nr_vmalloc_pages;

#endif /* RVMEM_VMALLOC_H */
