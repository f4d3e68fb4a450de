// SPDX-License-Identifier: MIT
/*
 * paging_init(): the kernel's own mapping, and switching the MMU on.
 *
 * RAM is identity-mapped with the largest leaves that fit (1 GiB, 2 MiB,
 * and, where the hart has Svnapot, 64 KiB NAPOT groups at the edges of
 * 2 MiB ranges), except the kernel image, mapped with 4 KiB pages (64 KiB
 * groups where a section has them) so each section gets only what it
 * needs (W^X): text R-X, rodata and the symbol table R--, data and bss
 * RW-. Memory marked no-map (firmware) and page 0 are not mapped at
 * all. The device ranges the board lists in boot_info.mmio (the virt
 * board's test finisher) are identity-mapped as device memory, so the
 * board's own pointers work the same with the MMU on.
 *
 * The vmemmap window (rvmem/memlayout.h) maps mem_map a second time,
 * read-only, at VMEMMAP_START + pfn * sizeof(struct page), and under
 * every pfn below RAM one zeroed page (shared tables, so it costs the
 * same for any RAM base): kfree() then finds the struct page of any
 * address below vmemmap_limit with no base pfn to subtract and one bound
 * to check (virt_to_page_fast()). Struct pages boot has not initialised
 * show the zeroed page too, until vmemmap_show() maps each 2 MiB of them
 * as the page allocator initialises it. mem_map is placed so the window
 * takes 2 MiB leaves (alloc_mem_map() in page_alloc.c).
 *
 * The mode: the deepest of Sv57, Sv48 and Sv39 that the build
 * (--paging), the device tree's mmu-type (an upper bound: QEMU says sv48
 * for a hart that takes Sv57) and the boot parameters no5lvl and no4lvl
 * allow, and that the hart accepts. As in Linux, the hart is asked by
 * writing satp and reading it back: a mode it lacks leaves satp as it was.
 * The log line also names the extensions the mappings and flushes use
 * (Svpbmt for device memory, Svinval for runs of pages, Svnapot for
 * 64 KiB leaves).
 */
#define pr_fmt(fmt) "paging: " fmt

#include <errno.h>
#include <string.h>
#include <asm/cpufeature.h>
#include <asm/tlbflush.h>
#include <rvmem/boot.h>
#include <rvmem/internal/memblock.h>
#include <rvmem/mm.h>
#include <rvmem/panic.h>
#include <rvmem/param.h>
#include <rvmem/internal/pgtable.h>
#include <rvmem/printk.h>
#include <rvmem/sections.h>
#include "internal.h"

static bool no4lvl, no5lvl;

static int set_no4lvl(const char *val)
{
	return param_set_flag(val, &no4lvl);
}
KERNEL_PARAM(param_no4lvl, "no4lvl", set_no4lvl,
	     "no4lvl: use Sv39 even where Sv48 or Sv57 is available");

static int set_no5lvl(const char *val)
{
	return param_set_flag(val, &no5lvl);
}
KERNEL_PARAM(param_no5lvl, "no5lvl", set_no5lvl,
	     "no5lvl: use at most Sv48 even where Sv57 is available");

struct kernel_section {
	unsigned long start, end;
	pgprot_t prot;
	const char *name;
};

static int map_identity(unsigned long start, unsigned long end,
			pgprot_t prot, unsigned int max_level)
{
	if (start >= end)
		return 0;
	return pgtable_map(&kernel_pgtable, start, start, end - start, prot,
			   max_level);
}

static int map_kernel_image(void)
{
	const struct kernel_section sections[] = {
		{ (unsigned long)_stext, PAGE_ALIGN((unsigned long)_etext),
		  PAGE_KERNEL_EXEC, "text" },
		{ (unsigned long)_srodata, (unsigned long)_erodata,
		  PAGE_KERNEL_RO, "rodata" },
		{ (unsigned long)_sdata, PAGE_ALIGN((unsigned long)__bss_end),
		  PAGE_KERNEL, "data" },
		{ (unsigned long)__kallsyms_start, (unsigned long)_end,
		  PAGE_KERNEL_RO, "symbols" },
	};
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(sections); i++) {
		err = map_identity(sections[i].start, sections[i].end,
				   sections[i].prot, 0);
		if (err) {
			pr_err("cannot map kernel %s (%d)\n", sections[i].name,
			       err);
			return err;
		}
	}
	return 0;
}

/* Every RAM region but no-map ones, around the kernel image. */
static int map_ram(void)
{
	unsigned long kstart = (unsigned long)_text;
	unsigned long kend = (unsigned long)_end;
	unsigned long i;
	int err = 0;

	for (i = 0; !err && i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];
		unsigned long start = r->base, end = r->base + r->size;

		if (r->flags & MEMBLOCK_NOMAP)
			continue;
		start = max(start, PAGE_SIZE);	/* page 0 stays unmapped */
		if (end <= kstart || start >= kend) {
			err = map_identity(start, end, PAGE_KERNEL, 2);
			continue;
		}
		err = map_identity(start, kstart, PAGE_KERNEL, 2);
		if (!err)
			err = map_identity(kend, end, PAGE_KERNEL, 2);
	}
	return err;
}

/* The board's device ranges, at the addresses it uses with the MMU off. */
static int map_mmio(void)
{
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < boot_info.nr_mmio; i++) {
		const struct boot_range *r = &boot_info.mmio[i];
		unsigned long start = ALIGN_DOWN(r->base, PAGE_SIZE);

		err = map_identity(start, PAGE_ALIGN(r->base + r->size),
				   PAGE_KERNEL_IO, 0);
	}
	return err;
}

/* The deepest mode the build, the device tree and the parameters allow. */
static unsigned int max_levels(void)
{
	static const unsigned int mmu_levels[] = {
		[BOOT_MMU_SV39] = 3, [BOOT_MMU_SV48] = 4, [BOOT_MMU_SV57] = 5,
	};
	unsigned int levels = min(CONFIG_PAGING_LEVELS,
				  mmu_levels[boot_info.mmu]);

	if (no5lvl)
		levels = min(levels, 4U);
	if (no4lvl)
		levels = 3;
	return levels;
}

/*
 * The deepest mode up to @levels that satp takes. The probe tree's root
 * has one leaf, at index 0, mapping VA == PA from 0 at the top level's
 * size (at least 512 GiB), so the kernel keeps running whichever mode
 * takes; the same entry serves every mode.
 */
static unsigned int probe_levels(unsigned int levels)
{
	struct pgtable probe;

	if (pgtable_init(&probe, levels) ||
	    pgtable_map(&probe, 0, 0, level_size(levels - 1),
			PAGE_KERNEL_RWX, levels - 1))
		boot_fail("paging: out of memory probing the paging mode");
	for (; levels > PGTABLE_MIN_LEVELS; levels--) {
		if (arch_paging_mode_ok(__pa(probe.root), levels))
			break;
		pr_info("the hart refused Sv%u\n", va_bits(levels));
	}
	pgtable_destroy(&probe);
	return levels;
}

unsigned long vmemmap_limit;

/* The window address of @pfn's struct page. */
static unsigned long vmemmap_addr(unsigned long pfn)
{
	return VMEMMAP_START + pfn * sizeof(struct page);
}

/* The window's end for struct pages up to @pfn: page-aligned. */
static unsigned long vmemmap_end(unsigned long pfn)
{
	return PAGE_ALIGN(vmemmap_addr(pfn));
}

/*
 * Where window address @va lies in mem_map (mem_map[0] and its window
 * address agree modulo a page at least, modulo 2 MiB if it is that big).
 */
static phys_addr_t vmemmap_pa(unsigned long va)
{
	return __pa(mem_map) + (va - vmemmap_addr(memmap_base_pfn));
}

/* Map the window [@va, @end), page-aligned, to mem_map. */
static int map_vmemmap_pages(unsigned long va, unsigned long end)
{
	if (va >= end)
		return 0;
	return pgtable_map(&kernel_pgtable, va, vmemmap_pa(va), end - va,
			   PAGE_KERNEL_RO, 1);
}

/*
 * Map the window: one zeroed page under every pfn below RAM, mem_map
 * under RAM, but the zeroed page again where its struct pages are not
 * initialised yet (they hold what the RAM held at boot, which a free
 * must not take for a slab's); vmemmap_show() maps mem_map there as each
 * 2 MiB of it is initialised, so the last-level tables there are shared
 * (but for the pages of a part block at a zone's end). A window page
 * that a zone's end shares with the next zone stays zeroed until the
 * first zone's struct pages there are initialised: the next zone's few
 * frees there take the slow path meanwhile.
 * Return: the window's limit (0: RAM starts past it), or -errno.
 */
static long map_vmemmap(void)
{
	unsigned long end_pfn = min(max_pfn, VMEMMAP_PFNS);
	unsigned long va, pfn, start, end;
	struct page *zero;
	phys_addr_t zero_pa;
	int err = 0;

	if (memmap_base_pfn >= end_pfn)
		return 0;
	zero = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!zero)
		return -ENOMEM;
	zero_pa = page_to_phys(zero);
	va = ALIGN_DOWN(vmemmap_addr(memmap_base_pfn), PAGE_SIZE);
	if (va > VMEMMAP_START)
		err = pgtable_map_repeat(&kernel_pgtable, VMEMMAP_START,
					 va - VMEMMAP_START, zero_pa,
					 PAGE_KERNEL_RO, PGTABLE_MAX_LEVELS);
	for (pfn = memmap_base_pfn;
	     !err && next_deferred_range(pfn, &start, &end) && start < end_pfn;
	     pfn = end) {
		end = min(end, end_pfn);
		err = map_vmemmap_pages(va, vmemmap_addr(start));
		if (!err)
			err = pgtable_map_repeat(&kernel_pgtable,
						 vmemmap_addr(start),
						 vmemmap_end(end) -
						 vmemmap_addr(start), zero_pa,
						 PAGE_KERNEL_RO, 1);
		va = vmemmap_end(end);
	}
	if (!err)
		err = map_vmemmap_pages(va, vmemmap_end(end_pfn));
	return err ? err : (long)(end_pfn << PAGE_SHIFT);
}

/* Map mem_map over the zeroed page in [@va, @end), @level blocks. */
static int remap_vmemmap_pages(unsigned long va, unsigned long end,
			       unsigned int level)
{
	if (va >= end)
		return 0;
	return pgtable_remap_repeat(&kernel_pgtable, va, vmemmap_pa(va),
				    end - va, PAGE_KERNEL_RO, level);
}

void vmemmap_show(unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long limit = READ_ONCE(vmemmap_limit) >> PAGE_SHIFT;
	unsigned long va = vmemmap_addr(start_pfn), end, leaves;

	if (start_pfn >= limit)
		return;	/* paging is not on yet, or past the window */
	/*
	 * As map_vmemmap() hid it: 2 MiB blocks, then (at a zone's or the
	 * window's end) the pages of a last part block.
	 */
	end = vmemmap_end(min(end_pfn, limit));
	leaves = ALIGN_DOWN(end, SZ_2M);
	WARN_ON(remap_vmemmap_pages(va, leaves, 1) ||
		remap_vmemmap_pages(leaves, end, 0));
	flush_tlb_kernel_range(va, end);
}

static int build_kernel_pgtable(unsigned int levels)
{
	int err = pgtable_init(&kernel_pgtable, levels);

	kernel_pgtable.napot = riscv_has_extension(RISCV_ISA_EXT_SVNAPOT);
	if (!err)
		err = map_kernel_image();
	if (!err)
		err = map_ram();
	if (!err)
		err = map_mmio();
	return err;
}

void paging_init(void)
{
	unsigned long before = nr_pagetable_pages;
	unsigned long window_tables;
	unsigned int levels;
	long window;

	if (boot_info.mmu == BOOT_MMU_NONE)
		boot_fail("paging: the device tree says this hart has no MMU "
			  "(mmu-type); rvmem needs Sv39, Sv48 or Sv57");
	levels = probe_levels(max_levels());
	if (build_kernel_pgtable(levels))
		boot_fail("paging: out of memory building the kernel mapping");
	window_tables = nr_pagetable_pages;
	window = map_vmemmap();
	if (window < 0)
		boot_fail("paging: out of memory mapping the vmemmap window");
	window_tables = nr_pagetable_pages - window_tables;
	if (!arch_enable_paging(__pa(kernel_pgtable.root), levels))
		boot_fail("paging: the hart refused Sv%u after accepting it",
			  va_bits(levels));
	vmemmap_limit = window;	/* the window is there: use it */
	/* Short: each character costs the boot an SBI call. */
	pr_info("Sv%u on;%s%s%s%s in use; kernel mapping uses %lu "
		"page-table pages (%lu KiB), vmemmap %lu\n", va_bits(levels),
		riscv_isa_ext ? "" : " no Svpbmt/Svinval/Svnapot",
		riscv_has_extension(RISCV_ISA_EXT_SVPBMT) ? " Svpbmt" : "",
		riscv_has_extension(RISCV_ISA_EXT_SVINVAL) ? " Svinval" : "",
		riscv_has_extension(RISCV_ISA_EXT_SVNAPOT) ? " Svnapot" : "",
		nr_pagetable_pages - before,
		(nr_pagetable_pages - before) << (PAGE_SHIFT - 10),
		window_tables);
}
