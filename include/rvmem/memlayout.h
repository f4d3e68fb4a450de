/* SPDX-License-Identifier: MIT */
/*
 * The address space, drawn once.
 *
 * One address space, S-mode only. RAM is identity-mapped (VA == PA) in
 * the lower half; everything rvmem creates at run time lives in the top
 * 256 GiB, which is the whole upper half under Sv39 and the top of it
 * under Sv48 and Sv57, so one layout serves every mode.
 *
 *  Sv39 (3 levels)         Sv48 (4 levels)         Sv57 (5 levels)
 *  0x0000_0000_0000_0000  page 0: never mapped (NULL faults)
 *  0x0000_0000_8000_0000  RAM, VA == PA (QEMU virt; kernel at +2 MiB)
 *  0x0000_003f_ffff_ffff   0x0000_7fff_ffff_ffff   0x00ff_ffff_ffff_ffff
 *  (end of the lower half: 256 GiB, 128 TiB, 64 PiB)
 *             ... non-canonical hole ...
 *                          0xffff_8000_0000_0000   0xff00_0000_0000_0000
 *                          (upper half, unused below the top 256 GiB)
 *  0xffff_ffc0_0000_0000  VMALLOC_START  vmalloc, vmap, ioremap, stacks
 *  0xffff_ffd0_0000_0000  VMALLOC_END = MMAP_START
 *                         anonymous mmap regions (demand zero)
 *  0xffff_fff0_0000_0000  MMAP_END = HEAP_START
 *                         the brk heap picolibc's malloc grows
 *  0xffff_ffff_0000_0000  HEAP_END = KFENCE_POOL_START
 *                         the KFENCE pool: sampled objects, each on a
 *                         page of its own between unmapped guard pages
 *  0xffff_ffff_0020_0000  KFENCE_POOL_END (then unmapped)
 *  0xffff_ffff_8080_0000  VMEMMAP_START  the vmemmap window: mem_map
 *                         again, read-only, at pfn * sizeof(struct page),
 *                         and one zeroed page under every pfn below RAM
 *                         (rvmem/mm.h, virt_to_page_fast())
 *  0xffff_ffff_ffff_ffff  (the window's end: RAM up to 127 GiB fits)
 *
 * Every area and region is followed by at least one unmapped guard page;
 * hart stacks also have one below.
 */
#ifndef RVMEM_MEMLAYOUT_H
#define RVMEM_MEMLAYOUT_H

#define VMALLOC_START	0xffffffc000000000UL	/* 64 GiB */
#define VMALLOC_END	0xffffffd000000000UL
#define MMAP_START	0xffffffd000000000UL	/* 128 GiB */
#define MMAP_END	0xfffffff000000000UL
#define HEAP_START	0xfffffff000000000UL	/* 60 GiB */
#define HEAP_END	0xffffffff00000000UL
/* 2 MiB, aligned: one last-level page table maps all of it. */
#define KFENCE_POOL_START	0xffffffff00000000UL
#define KFENCE_POOL_END		0xffffffff00200000UL
/*
 * In the top 2 GiB, so one lui makes the address. 8 MiB in: under
 * QEMU's TLB (direct-mapped, 4,096 entries once the scaling harness has
 * grown it) the struct pages of RAM's first 512 MiB then take other
 * slots than the kernel image 2 MiB into RAM. At the top 2 GiB's start,
 * those of RAM's second 128 MiB shared slots with the kernel's data,
 * and a hart whose objects were there ran kmem_cache pairs 20% slower.
 */
#define VMEMMAP_START	0xffffffff80800000UL
/* Frames the window covers; its last page stays unmapped, a guard. */
#define VMEMMAP_PFNS	((0UL - VMEMMAP_START - PAGE_SIZE) / 64)

#define GUARD_SIZE	PAGE_SIZE

#endif /* RVMEM_MEMLAYOUT_H */
