// SPDX-License-Identifier: MIT
/*
 * paging_init(): the kernel's own mapping, and switching the MMU on.
 *
 * RAM is identity-mapped with the largest leaves that fit (1 GiB, 2 MiB),
 * except the kernel image, mapped with 4 KiB pages so each section gets
 * only what it needs (W^X): text R-X, rodata and the symbol table R--,
 * data and bss RW-. Memory marked no-map (firmware) and page 0 are not
 * mapped at all. The board's test finisher is identity-mapped too, so
 * poweroff works the same with the MMU on.
 *
 * The mode: Sv48 when the build allows it (--paging sv48 or auto), the
 * device tree's mmu-type offers it and the hart accepts it in satp;
 * otherwise Sv39. The boot parameter no4lvl forces Sv39, as in Linux.
 */
#define pr_fmt(fmt) "paging: " fmt

#include <string.h>
#include <asm/tlbflush.h>
#include <rvmem/boot.h>
#include <rvmem/memblock.h>
#include <rvmem/mm.h>
#include <rvmem/panic.h>
#include <rvmem/param.h>
#include <rvmem/pgtable.h>
#include <rvmem/printk.h>
#include <rvmem/sections.h>

static bool no4lvl;

static int set_no4lvl(const char *val)
{
	return param_set_flag(val, &no4lvl);
}
KERNEL_PARAM(param_no4lvl, "no4lvl", set_no4lvl,
	     "no4lvl: use Sv39 even where Sv48 is available");

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

static int map_finisher(void)
{
	unsigned long pa = ALIGN_DOWN(boot_info.poweroff.addr, PAGE_SIZE);

	if (boot_info.poweroff.kind == BOOT_POWEROFF_NONE)
		return 0;
	return map_identity(pa, pa + PAGE_SIZE, PAGE_KERNEL, 0);
}

static unsigned int wanted_levels(void)
{
#ifdef CONFIG_PAGING_SV39
	return 3;
#else
	if (no4lvl || boot_info.mmu == BOOT_MMU_SV39)
		return 3;
	return 4;
#endif
}

static int build_kernel_pgtable(unsigned int levels)
{
	int err = pgtable_init(&kernel_pgtable, levels);

	if (!err)
		err = map_kernel_image();
	if (!err)
		err = map_ram();
	if (!err)
		err = map_finisher();
	return err;
}

void paging_init(void)
{
	unsigned int levels = wanted_levels();
	unsigned long before = nr_pagetable_pages;

	if (boot_info.mmu == BOOT_MMU_NONE)
		boot_fail("paging: the device tree says this hart has no MMU "
			  "(mmu-type); rvmem needs Sv39 or Sv48");
	if (build_kernel_pgtable(levels))
		boot_fail("paging: out of memory building the kernel mapping");
	if (!arch_enable_paging(__pa(kernel_pgtable.root), levels)) {
#ifdef CONFIG_PAGING_SV48
		boot_fail("paging: the hart refused Sv48 in satp "
			  "(built with --paging sv48)");
#else
		pr_info("the hart refused Sv%u; trying Sv39\n",
			12 + 9 * levels);
		pgtable_destroy(&kernel_pgtable);
		levels = 3;
		if (build_kernel_pgtable(levels) ||
		    !arch_enable_paging(__pa(kernel_pgtable.root), levels))
			boot_fail("paging: the hart refused Sv39 too");
#endif
	}
	pr_info("Sv%u on, kernel mapping uses %lu page-table pages (%lu KiB)\n",
		12 + 9 * levels, nr_pagetable_pages - before,
		(nr_pagetable_pages - before) << (PAGE_SHIFT - 10));
}
