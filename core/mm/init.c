// SPDX-License-Identifier: MIT
/*
 * mm_init(): from the board's description to a running page allocator.
 *
 * memblock learns RAM and what is in use (kernel image, device tree,
 * firmware and /reserved-memory ranges), mem_map is carved from it, every
 * free range goes to the buddy allocator and the watermarks are set. The
 * boot log's "Memory:" line then says where memory went.
 */
#define pr_fmt(fmt) "mm: " fmt

#include <errno.h>
#include <rvmem/boot.h>
#include <rvmem/internal/memblock.h>
#include <rvmem/mm.h>
#include <rvmem/internal/numa.h>
#include <rvmem/panic.h>
#include <rvmem/internal/pgtable.h>
#include <rvmem/printk.h>
#include <rvmem/sections.h>
#include <rvmem/slab.h>
#include <rvmem/vmalloc.h>
#include <rvmem/anon.h>
#include "internal.h"

/* Below this much free memory after reservations, rvmem will not boot. */
#define MM_MIN_FREE	(4UL << 20)

/*
 * The image runs where the firmware loaded it, [@start, @end): RAM the
 * tree describes must hold it and no no-map range may cover it. Else the
 * first memblock allocation lands in memory that is not there (a store
 * fault in memset) or the tree forbids the memory we run from.
 */
static void check_kernel_image(const struct boot_info *bi, phys_addr_t start,
			       phys_addr_t end)
{
	unsigned int i;

	for (i = 0; i < bi->nr_mem; i++)
		if (start >= bi->mem[i].base &&
		    end <= bi->mem[i].base + bi->mem[i].size)
			break;
	if (i == bi->nr_mem)
		boot_fail("mm: the kernel image [%#llx-%#llx] is not in RAM "
			  "the device tree describes",
			  (unsigned long long)start,
			  (unsigned long long)end - 1);
	for (i = 0; i < bi->nr_resv; i++) {
		const struct boot_reserved *r = &bi->resv[i];

		if (r->no_map && r->base < end && start < r->base + r->size)
			boot_fail("mm: /reserved-memory/%s is no-map but "
				  "covers the kernel image [%#llx-%#llx]",
				  r->name, (unsigned long long)start,
				  (unsigned long long)end - 1);
	}
}

static void memblock_from_boot_info(const struct boot_info *bi)
{
	phys_addr_t kstart = __pa(_text), kend = PAGE_ALIGN(__pa(_end));
	unsigned int i;

	check_kernel_image(bi, kstart, kend);
	for (i = 0; i < bi->nr_mem; i++)
		if (memblock_add(bi->mem[i].base, bi->mem[i].size))
			boot_fail("cannot record RAM [%#llx-%#llx]",
				  (unsigned long long)bi->mem[i].base,
				  (unsigned long long)(bi->mem[i].base +
						       bi->mem[i].size - 1));
	memblock_reserve(kstart, kend - kstart);
	memblock_reserve(bi->fdt_base, bi->fdt_size);
	for (i = 0; i < bi->nr_resv; i++) {
		const struct boot_reserved *r = &bi->resv[i];

		if (r->no_map)
			memblock_mark_nomap(r->base, r->size);
		else
			memblock_reserve(r->base, r->size);
	}
}

static phys_addr_t memblock_free_size(void)
{
	phys_addr_t start, end, sum = 0;
	u64 i;

	for_each_free_mem_range(i, &start, &end)
		sum += end - start;
	return sum;
}

static void print_memory_line(void)
{
	struct sysinfo si;
	unsigned long total_k = memblock_phys_mem_size() >> 10;

	si_meminfo(&si);
	printk("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, "
		"%luK rodata, %luK bss, %luK memmap, %luK page tables, "
		"%luK slab, %luK kfence, %luK reserved)\n",
		si.totalram << (PAGE_SHIFT - 10), total_k,
		(unsigned long)(_etext - _stext) >> 10,
		(unsigned long)(_edata - _sdata) >> 10,
		(unsigned long)(_erodata - _srodata) >> 10,
		(unsigned long)(__bss_end - __bss_start) >> 10,
		mem_map_bytes >> 10, K(nr_pagetable_pages),
		K(slab_nr_pages()), kfence_nr_kbytes(),
		total_k - (si.totalram << (PAGE_SHIFT - 10)));
	pr_info("struct page is %zu bytes; mem_map covers pfns %#lx-%#lx\n",
		sizeof(struct page), memmap_base_pfn, max_pfn - 1);
}

void mm_init(void)
{
	phys_addr_t free;
	int err;

	memblock_from_boot_info(&boot_info);
	numa_init(&boot_info);
	free = memblock_free_size();
	if (memblock.debug)
		memblock_dump_all();
	if (free < MM_MIN_FREE)
		boot_fail("mm: only %llu KiB free after reservations, rvmem "
			  "needs at least %lu KiB",
			  (unsigned long long)(free >> 10), MM_MIN_FREE >> 10);
	err = free_area_init();
	if (err == -EINVAL)
		boot_fail("mm: the NUMA nodes' memory layout is unusable "
			  "(see the line above)");
	if (err) {
		memblock_dump_all();
		boot_fail("mm: cannot allocate mem_map");
	}
	memblock_free_all();
	setup_per_zone_wmarks();
	kmem_cache_init();
	paging_init();
	vmalloc_init();
	kfence_init();
	anon_init();
	print_memory_line();
}
