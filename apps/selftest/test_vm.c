// SPDX-License-Identifier: MIT
/*
 * Virtual memory on real paging: the kernel mapping's permissions, guard
 * pages, vmalloc/vmap/ioremap, TLB shootdowns across harts, and anonymous
 * regions with demand zero. Faults are provoked through nofault probes,
 * which report -EFAULT instead of ending the boot.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <asm/cpufeature.h>
#include <asm/tlbflush.h>
#include <rvmem/anon.h>
#include <rvmem/boot.h>
#include <rvmem/fault.h>
#include <rvmem/fdt.h>
#include <rvmem/ktest.h>
#include <rvmem/memlayout.h>
#include <rvmem/mm.h>
#include <rvmem/internal/pgtable.h>
#include <rvmem/printk.h>
#include <rvmem/sections.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>
#include <rvmem/vmalloc.h>
#include "selftest.h"

#define UART_BASE	0x10000000UL	/* QEMU virt ns16550a */
#define UART_NODE	"/soc/serial@10000000"
#define UART_LSR	5
#define LSR_THRE	0x20		/* transmitter holding register empty */

static bool readable(const void *addr)
{
	u8 b;

	return !copy_from_kernel_nofault(&b, addr, 1);
}

static bool writable(void *addr)
{
	u8 b;

	/* Write back what is there: a successful probe changes nothing. */
	return !copy_from_kernel_nofault(&b, addr, 1) &&
	       !copy_to_kernel_nofault(addr, &b, 1);
}

/* Expect W^X in the kernel image and page 0 unmapped. */
static void paging_kernel_permissions(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, !readable(NULL));
	KTEST_EXPECT_TRUE(t, !readable((void *)(PAGE_SIZE - 1)));
	KTEST_EXPECT_TRUE(t, readable(_stext));
	KTEST_EXPECT_TRUE(t, !writable(_stext));
	KTEST_EXPECT_TRUE(t, readable(_srodata));
	KTEST_EXPECT_TRUE(t, !writable(_srodata));
	KTEST_EXPECT_TRUE(t, writable(_sdata));
	KTEST_EXPECT_TRUE(t, !(pgtable_walk(&kernel_pgtable,
					    (unsigned long)_sdata, NULL) &
			       _PAGE_EXEC));
	KTEST_EXPECT_TRUE(t, pgtable_walk(&kernel_pgtable,
					  (unsigned long)_stext, NULL) &
			     _PAGE_EXEC);
}

bool vmemmap_shows(unsigned long pfn)
{
	static const struct page zero;
	const struct page *p = virt_to_page_fast(__va(pfn << PAGE_SHIFT));

	return p && !memcmp(p, pfn_deferred(pfn) ? &zero : pfn_to_page(pfn),
			    sizeof(*p));
}

/*
 * The vmemmap window, read at 4096 pfns across RAM and its last, at
 * addresses below RAM down to NULL, and at and past its limit.
 * Expect the limit at RAM's end (or at the window's), each pfn's struct
 * page there byte for byte as mem_map has it, or zeroed if it is still
 * deferred (a live slab object's page naming its cache), zeroed pages
 * below RAM down to NULL (the one just below it too, which is mem_map's
 * lead where RAM starts mid-page of the window), none from the limit up,
 * and the window read-only.
 */
static void vmemmap_window_mirrors_mem_map(struct ktest *t)
{
	static const unsigned long below[] = { 0, 16, PAGE_SIZE, UART_BASE };
	static const struct page zero;
	unsigned long pfn, step, i, bad = 0;
	void *obj = kmalloc(64, GFP_KERNEL);
	const struct page *p;

	KTEST_ASSERT_TRUE(t, obj != NULL);
	KTEST_EXPECT_EQ(t, vmemmap_limit,
			min(max_pfn, VMEMMAP_PFNS) << PAGE_SHIFT);
	step = max(1UL, (max_pfn - memmap_base_pfn) / 4096);
	for (pfn = memmap_base_pfn; pfn < max_pfn; pfn += step)
		bad += !vmemmap_shows(pfn);
	bad += !vmemmap_shows(max_pfn - 1);
	KTEST_EXPECT_EQ(t, bad, 0);
	p = virt_to_page_fast(obj);
	KTEST_EXPECT_TRUE(t, p && p->slab_cache &&
			  p->slab_cache == virt_to_page(obj)->slab_cache);
	for (i = 0; i < ARRAY_SIZE(below); i++) {
		if (below[i] >= memmap_base_pfn << PAGE_SHIFT)
			continue;
		p = virt_to_page_fast((void *)below[i]);
		KTEST_EXPECT_TRUE(t, p && !memcmp(p, &zero, sizeof(*p)));
	}
	/* the last byte below RAM: mem_map's zeroed lead, if RAM starts
	 * off a 256 KiB boundary, else the zero page */
	p = virt_to_page_fast((void *)((memmap_base_pfn << PAGE_SHIFT) - 1));
	KTEST_EXPECT_TRUE(t, p && !memcmp(p, &zero, sizeof(*p)));
	KTEST_EXPECT_TRUE(t, !virt_to_page_fast((void *)vmemmap_limit));
	KTEST_EXPECT_TRUE(t, !virt_to_page_fast((void *)VMALLOC_START));
	KTEST_EXPECT_TRUE(t, !writable((void *)VMEMMAP_START));
	KTEST_EXPECT_TRUE(t, !writable((void *)virt_to_page_fast(obj)));
	kfree(obj);
}

/* Expect the mode the device tree and satp allow, and RAM mapped with
 * large leaves away from the kernel image. */
static void paging_mode_and_leaves(struct ktest *t)
{
	unsigned int level = 0;
	unsigned long last = boot_info.mem[0].base + boot_info.mem[0].size -
			     PAGE_SIZE;

	KTEST_EXPECT_TRUE(t, kernel_pgtable.levels >= PGTABLE_MIN_LEVELS &&
			     kernel_pgtable.levels <= PGTABLE_MAX_LEVELS);
	KTEST_ASSERT_TRUE(t, pgtable_walk(&kernel_pgtable, last, &level));
	KTEST_EXPECT_TRUE(t, level >= 1);
}

/* Expect vmalloc areas to be zeroed by vzalloc, page-aligned, in the
 * window, backed by pages, and followed by an unmapped guard page. */
static void vmalloc_sizes_and_guard(struct ktest *t)
{
	static const unsigned long pages[] = { 1, 16, 256, 1024 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		unsigned long size = pages[i] * PAGE_SIZE;
		char *p = vzalloc(size);

		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_TRUE(t, is_vmalloc_addr(p));
		KTEST_EXPECT_EQ(t, (unsigned long)p & (PAGE_SIZE - 1), 0);
		KTEST_EXPECT_EQ(t, p[0] | p[size - 1], 0);
		p[size - 1] = 1;
		KTEST_EXPECT_TRUE(t, vmalloc_to_page(p + size - 1) != NULL);
		KTEST_EXPECT_TRUE(t, !readable(p + size));
		KTEST_EXPECT_TRUE(t, !readable(p - 1));
		vfree(p);
		KTEST_EXPECT_TRUE(t, !readable(p));
	}
}

/* Expect vmalloc to give memory back: pages and page tables. */
static void vmalloc_returns_memory(struct ktest *t)
{
	unsigned long free = nr_free_pages(), used = nr_vmalloc_pages;
	void *p = vmalloc(64 * PAGE_SIZE);

	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, nr_vmalloc_pages, used + 64);
	vfree(p);
	vm_unmap_aliases();
	drain_all_pages();
	KTEST_EXPECT_EQ(t, nr_vmalloc_pages, used);
	KTEST_EXPECT_TRUE(t, nr_free_pages() + 8 >= free);
}

/* Expect vmap to show the same pages at a second address. */
static void vmap_aliases_pages(struct ktest *t)
{
	struct page *pages[4];
	char *v;
	int i;

	for (i = 0; i < 4; i++)
		pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
	v = vmap(pages, 4, PAGE_KERNEL);
	KTEST_ASSERT_TRUE(t, v != NULL);
	v[3 * PAGE_SIZE + 7] = 42;
	KTEST_EXPECT_EQ(t, ((char *)page_address(pages[3]))[7], 42);
	KTEST_EXPECT_TRUE(t, vmalloc_to_page(v + PAGE_SIZE) == pages[1]);
	vunmap(v);
	KTEST_EXPECT_TRUE(t, !readable(v));
	for (i = 0; i < 4; i++)
		__free_page(pages[i]);
}

/*
 * Expect ioremap to reach the UART's registers, on a board that has one:
 * a KVM guest under a VMM without devices has none (and must not try).
 */
static void ioremap_uart(struct ktest *t)
{
	const void *fdt = (const void *)(uintptr_t)boot_info.fdt_base;
	volatile u8 *uart;

	if (fdt_path_offset(fdt, UART_NODE) < 0) {
		ktest_skip(t, "no " UART_NODE " in the device tree");
		return;
	}
	uart = ioremap(UART_BASE + 1, 7);
	KTEST_ASSERT_TRUE(t, uart != NULL);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr((void *)uart));
	KTEST_EXPECT_TRUE(t, uart[UART_LSR - 1] & LSR_THRE);
	iounmap((void *)uart);
}

/*
 * Expect the UART's ioremap'd page to be memory type IO exactly when
 * the device tree lists Svpbmt, and RAM (the direct map, the kernel
 * image) to stay PMA either way.
 */
static void ioremap_memory_type(struct ktest *t)
{
	const void *fdt = (const void *)(uintptr_t)boot_info.fdt_base;
	unsigned int io = boot_isa_has(&boot_info, "svpbmt") ? 2 : 0;
	unsigned long page = __get_free_page(GFP_KERNEL);
	volatile u8 *uart;

	KTEST_ASSERT_TRUE(t, page != 0);
	KTEST_EXPECT_EQ(t, pte_pbmt(pgtable_walk(&kernel_pgtable, page, NULL)),
			0);
	KTEST_EXPECT_EQ(t, pte_pbmt(pgtable_walk(&kernel_pgtable,
						 (unsigned long)_sdata, NULL)),
			0);
	free_page(page);
	if (fdt_path_offset(fdt, UART_NODE) < 0) {
		ktest_skip(t, "no " UART_NODE " in the device tree");
		return;
	}
	uart = ioremap(UART_BASE, PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, uart != NULL);
	KTEST_EXPECT_EQ(t, pte_pbmt(pgtable_walk(&kernel_pgtable,
						 (unsigned long)uart, NULL)),
			io);
	KTEST_EXPECT_TRUE(t, uart[UART_LSR] & LSR_THRE);
	iounmap((void *)uart);
}

#define REMAP_PAGES	8

static void fill_pages(struct page **pages, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (pages[i])
			*(unsigned int *)page_address(pages[i]) = i;
	}
}

/* Does page i of @v hold the number of page (i + @shift) % nr. */
static bool reads_rotated(const char *v, unsigned int nr, unsigned int shift)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (*(volatile const unsigned int *)(v + i * PAGE_SIZE) !=
		    (i + shift) % nr)
			return false;
	return true;
}

/*
 * 8 pages mapped at v, read (so the TLB has them), then remapped in
 * place one page rotated: v[i] -> page (i + 1) % 8.
 * Expect reads after flush_tlb_kernel_range() to see the new pages
 * (through the sinval.vma sequence where the hart has Svinval).
 */
static void tlb_flush_range_remaps(struct ktest *t)
{
	struct page *pages[REMAP_PAGES], *rotated[REMAP_PAGES];
	unsigned long va;
	unsigned int i;
	char *v;

	fill_pages(pages, REMAP_PAGES);
	for (i = 0; i < REMAP_PAGES; i++)
		KTEST_ASSERT_TRUE(t, pages[i] != NULL);
	v = vmap(pages, REMAP_PAGES, PAGE_KERNEL);
	KTEST_ASSERT_TRUE(t, v != NULL);
	KTEST_EXPECT_TRUE(t, reads_rotated(v, REMAP_PAGES, 0));
	for (i = 0; i < REMAP_PAGES; i++)
		rotated[i] = pages[(i + 1) % REMAP_PAGES];
	va = (unsigned long)v;
	KTEST_EXPECT_EQ(t, pgtable_clear_pages(&kernel_pgtable, va,
					       REMAP_PAGES, NULL), REMAP_PAGES);
	KTEST_EXPECT_EQ(t, pgtable_map_pages(&kernel_pgtable, va, rotated,
					     REMAP_PAGES, PAGE_KERNEL), 0);
	flush_tlb_kernel_range(va, va + REMAP_PAGES * PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, reads_rotated(v, REMAP_PAGES, 1));
	vunmap(v);
	for (i = 0; i < REMAP_PAGES; i++)
		__free_page(pages[i]);
}

/*
 * Expect every hart to have a guarded stack in the vmalloc window, and
 * to run on it or, where app code runs (main, on the calling hart), on
 * an app stack in the mmap window with a guard page below it too.
 */
static void stack_in_vmalloc(void *arg)
{
	struct hart *h = this_hart();
	unsigned long sp = (unsigned long)__builtin_frame_address(0);
	bool *ok = arg;

	ok[h->cpu] = !readable((void *)(h->stack_base - 1)) &&
		     readable((void *)h->stack_base);
	if (h->app_stack_base)
		ok[h->cpu] &= sp > h->app_stack_base &&
			      sp <= h->app_stack_top &&
			      !readable((void *)(h->app_stack_base - 1));
	else
		ok[h->cpu] &= is_vmalloc_addr((void *)sp);
}

static void stacks_have_guard_pages(struct ktest *t)
{
	bool ok[NR_CPUS] = { false };
	unsigned int cpu;

	on_each_hart(stack_in_vmalloc, ok);
	for (cpu = 0; cpu < nr_cpus_online; cpu++)
		KTEST_EXPECT_TRUE(t, ok[cpu]);
}

/* A page a level: each call touches one more page of the stack. */
static noinline int recurse_pages(unsigned int depth)
{
	volatile char frame[PAGE_SIZE - 64];

	frame[0] = (char)depth;
	if (!depth)
		return frame[0];
	return recurse_pages(depth - 1) + frame[0];
}

/*
 * Expect recursing 1 MiB deep on main's stack (8 MiB by default) to be
 * paid for by the 256 pages touched (AnonPages), not by the whole stack.
 */
static void main_stack_demand_paged(struct ktest *t)
{
	struct hart *h = this_hart();
	unsigned long before = nr_anon_pages(), used;

	if (h->app_stack_top - h->app_stack_base < (2UL << 20)) {
		ktest_skip(t, "main's stack is under 2 MiB (stack_size=)");
		return;
	}
	recurse_pages(256);
	used = nr_anon_pages() - before;
	printk("    # 1 MiB deep: %lu pages of a %lu KiB stack\n", used,
	       (h->app_stack_top - h->app_stack_base) >> 10);
	KTEST_EXPECT_TRUE(t, used >= 240 && used <= 256 + 8);
}

static void read_byte(void *arg)
{
	volatile char *p = *(char **)arg;

	(void)*p;	/* fills this hart's TLB */
}

static void probe_byte(void *arg)
{
	char **p = arg;

	p[1] = readable(p[0]) ? p[0] : NULL;
}

/* Expect a mapping removed on one hart to fault on another that had it
 * in its TLB: vfree and vm_unmap_aliases() flush every hart through SBI
 * RFENCE. */
static void tlb_shootdown_reaches_other_hart(struct ktest *t)
{
	char *p[2];

	if (nr_cpus_online < 2) {
		ktest_skip(t, "needs two harts");
		return;
	}
	p[0] = vzalloc(PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, p[0] != NULL);
	smp_call_on(1, read_byte, &p[0]);
	vfree(p[0]);
	vm_unmap_aliases();
	p[1] = p[0];
	smp_call_on(1, probe_byte, p);
	KTEST_EXPECT_TRUE(t, p[1] == NULL);
}

/* Expect mmap'd memory to read zero, cost nothing until touched and be
 * followed by a guard page. */
static void mmap_demand_zero(struct ktest *t)
{
	unsigned long anon = nr_anon_pages();
	char *p = mmap(NULL, 64 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	KTEST_ASSERT_TRUE(t, p != MAP_FAILED);
	KTEST_EXPECT_EQ(t, nr_anon_pages(), anon);
	KTEST_EXPECT_EQ(t, p[5 * PAGE_SIZE], 0);
	p[5 * PAGE_SIZE] = 'x';
	KTEST_EXPECT_EQ(t, nr_anon_pages(), anon + 1);
	KTEST_EXPECT_TRUE(t, !readable(p + 64 * PAGE_SIZE));
	KTEST_EXPECT_EQ(t, munmap(p, 64 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, nr_anon_pages(), anon);
	KTEST_EXPECT_TRUE(t, !readable(p));
}

#define MANY_REGIONS	10000
#define REGION_4M	(4UL << 20)

static long elapsed_us(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000L +
	       (b->tv_nsec - a->tv_nsec) / 1000;
}

/*
 * Expect munmap to cost what is mapped, not the size of the range:
 * 10,000 regions of 4 MiB (40 GiB of addresses), every 1,000th with one
 * page touched, all unmapped well within the test's time; then every
 * region gone and AnonPages, Committed_AS and PageTables as before.
 */
static void munmap_many_untouched(struct ktest *t)
{
	static char *regions[MANY_REGIONS];
	unsigned long anon = nr_anon_pages(), tables = nr_pagetable_pages;
	unsigned long committed = vm_committed_pages;
	unsigned int i, failed = 0, gone = 0;
	struct timespec a, b;

	for (i = 0; i < MANY_REGIONS; i++) {
		regions[i] = mmap(NULL, REGION_4M, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		KTEST_ASSERT_TRUE(t, regions[i] != MAP_FAILED);
		if (i % 1000 == 0)
			regions[i][i * PAGE_SIZE % REGION_4M] = 1;
	}
	KTEST_EXPECT_EQ(t, nr_anon_pages(), anon + MANY_REGIONS / 1000);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < MANY_REGIONS; i++)
		failed += munmap(regions[i], REGION_4M) != 0;
	clock_gettime(CLOCK_MONOTONIC, &b);
	printk("        # munmap: %ld us for %u regions of 4 MiB\n",
	       elapsed_us(&a, &b), MANY_REGIONS);
	for (i = 0; i < MANY_REGIONS; i++)
		gone += !readable(regions[i]) &&
			!readable(regions[i] + REGION_4M - 1);
	KTEST_EXPECT_EQ(t, failed, 0);
	KTEST_EXPECT_EQ(t, gone, MANY_REGIONS);
	KTEST_EXPECT_EQ(t, nr_anon_pages(), anon);
	KTEST_EXPECT_EQ(t, vm_committed_pages, committed);
	KTEST_EXPECT_EQ(t, nr_pagetable_pages, tables);
}

/* Expect a partial munmap to leave both ends mapped with their data. */
static void munmap_partial_splits(struct ktest *t)
{
	char *p = mmap(NULL, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	KTEST_ASSERT_TRUE(t, p != MAP_FAILED);
	memset(p, 7, 8 * PAGE_SIZE);
	KTEST_EXPECT_EQ(t, munmap(p + 2 * PAGE_SIZE, 3 * PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, p[PAGE_SIZE], 7);
	KTEST_EXPECT_EQ(t, p[6 * PAGE_SIZE], 7);
	KTEST_EXPECT_TRUE(t, !readable(p + 3 * PAGE_SIZE));
	KTEST_EXPECT_EQ(t, munmap(p, 8 * PAGE_SIZE), 0);
	KTEST_EXPECT_TRUE(t, !readable(p));
	KTEST_EXPECT_TRUE(t, !readable(p + 7 * PAGE_SIZE));
}

/* Expect mprotect to make a page read-only and back; PROT_NONE to deny
 * reads; and mprotect over a hole to fail with ENOMEM. */
static void mprotect_changes_access(struct ktest *t)
{
	char *p = mmap(NULL, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	KTEST_ASSERT_TRUE(t, p != MAP_FAILED);
	KTEST_EXPECT_EQ(t, mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
	KTEST_EXPECT_TRUE(t, writable(p));
	KTEST_EXPECT_TRUE(t, !writable(p + PAGE_SIZE));
	KTEST_EXPECT_TRUE(t, readable(p + PAGE_SIZE));
	KTEST_EXPECT_EQ(t, mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_NONE), 0);
	KTEST_EXPECT_TRUE(t, !readable(p + PAGE_SIZE));
	KTEST_EXPECT_EQ(t, mprotect(p, 4 * PAGE_SIZE,
				    PROT_READ | PROT_WRITE), 0);
	KTEST_EXPECT_TRUE(t, writable(p + PAGE_SIZE));
	munmap(p + 2 * PAGE_SIZE, PAGE_SIZE);
	errno = 0;
	KTEST_EXPECT_EQ(t, mprotect(p, 4 * PAGE_SIZE, PROT_READ), -1);
	KTEST_EXPECT_EQ(t, errno, ENOMEM);
	munmap(p, 4 * PAGE_SIZE);
}

/* Expect MADV_DONTNEED to free the pages and the next touch to read 0. */
static void madvise_dontneed_rezeroes(struct ktest *t)
{
	char *p = mmap(NULL, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	unsigned long anon;

	KTEST_ASSERT_TRUE(t, p != MAP_FAILED);
	memset(p, 9, 4 * PAGE_SIZE);
	anon = nr_anon_pages();
	KTEST_EXPECT_EQ(t, madvise(p, 4 * PAGE_SIZE, MADV_DONTNEED), 0);
	KTEST_EXPECT_EQ(t, nr_anon_pages(), anon - 4);
	KTEST_EXPECT_EQ(t, p[PAGE_SIZE + 3], 0);
	munmap(p, 4 * PAGE_SIZE);
}

/* Expect MAP_FIXED to replace what was there, and refuse the lower half. */
static void mmap_fixed_replaces(struct ktest *t)
{
	char *p = mmap(NULL, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;

	KTEST_ASSERT_TRUE(t, p != MAP_FAILED);
	p[PAGE_SIZE] = 5;
	q = mmap(p + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	KTEST_EXPECT_TRUE(t, q == p + PAGE_SIZE);
	KTEST_EXPECT_EQ(t, q[0], 0);
	errno = 0;
	KTEST_EXPECT_TRUE(t, mmap((void *)0x80000000UL, PAGE_SIZE,
				  PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
				  MAP_FIXED, -1, 0) == MAP_FAILED);
	KTEST_EXPECT_EQ(t, errno, EINVAL);
	munmap(p, 4 * PAGE_SIZE);
}

/* Expect bad arguments to fail with POSIX errors. */
static void mmap_rejects_bad_arguments(struct ktest *t)
{
	errno = 0;
	KTEST_EXPECT_TRUE(t, mmap(NULL, 0, PROT_READ, MAP_PRIVATE |
				  MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
	KTEST_EXPECT_EQ(t, errno, EINVAL);
	errno = 0;
	KTEST_EXPECT_TRUE(t, mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE,
				  3, 0) == MAP_FAILED);
	KTEST_EXPECT_EQ(t, errno, ENODEV);
	errno = 0;
	KTEST_EXPECT_EQ(t, munmap((void *)(MMAP_START + 1), PAGE_SIZE), -1);
	KTEST_EXPECT_EQ(t, errno, EINVAL);
}

/* Expect the break to move, the heap to be demand zero, and shrinking
 * to give pages back. */
static void brk_grows_and_shrinks(struct ktest *t)
{
	char *old = sbrk(0), *p;
	unsigned long anon;

	p = sbrk(3 * PAGE_SIZE);
	KTEST_ASSERT_TRUE(t, p == old);
	KTEST_EXPECT_EQ(t, p[2 * PAGE_SIZE], 0);
	p[2 * PAGE_SIZE] = 1;
	anon = nr_anon_pages();
	KTEST_EXPECT_TRUE(t, sbrk(-3 * (long)PAGE_SIZE) == p + 3 * PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, nr_anon_pages() < anon);
	KTEST_EXPECT_TRUE(t, sbrk(0) == old);
}

/*
 * Check the NAPOT group mapping @va (64 KiB-aligned): its 16 entries
 * identical, each page translating to the group's frame plus its offset.
 * Return: the group's first frame, or 0 after a failure report.
 */
static phys_addr_t check_napot_group(struct ktest *t, unsigned long va)
{
	pte_t first = pgtable_walk(&kernel_pgtable, va, NULL);
	phys_addr_t base = pte_leaf_pa(first, 0, 0), pa;
	unsigned long i;

	KTEST_EXPECT_TRUE(t, IS_ALIGNED(base, NAPOT_SIZE));
	for (i = 0; i < NAPOT_PTES; i++) {
		unsigned long at = va + i * PAGE_SIZE;

		if (pgtable_walk(&kernel_pgtable, at, NULL) != first ||
		    !pgtable_translate(&kernel_pgtable, at + 8, &pa) ||
		    pa != base + i * PAGE_SIZE + 8) {
			ktest_fail(t, __FILE__, __LINE__, "%#lx: not entry "
				   "%lu of the NAPOT group at %#lx", at, i,
				   va);
			return 0;
		}
	}
	return base;
}

/*
 * Expect the direct map to use 64 KiB NAPOT leaves where it has 4 KiB
 * ones (the 2 MiB around the kernel image) if and only if the hart has
 * Svnapot, and every such leaf to map its 64 KiB to itself.
 */
static void napot_direct_map(struct ktest *t)
{
	unsigned long groups = 0, va, i;
	unsigned int level;

	for (i = 0; i < boot_info.nr_mem; i++) {
		unsigned long end = boot_info.mem[i].base +
				    boot_info.mem[i].size;

		for (va = boot_info.mem[i].base; va < end;
		     va = (va | (level_size(level) - 1)) + 1) {
			pte_t pte = pgtable_walk(&kernel_pgtable, va, &level);

			if (!pte)
				level = 0;	/* no-map firmware */
			else if (pte_napot(pte) && IS_ALIGNED(va, NAPOT_SIZE)) {
				KTEST_EXPECT_EQ(t, check_napot_group(t, va),
						va);
				groups++;
			}
		}
	}
	KTEST_EXPECT_EQ(t, groups != 0, kernel_pgtable.napot);
	KTEST_EXPECT_EQ(t, riscv_has_extension(RISCV_ISA_EXT_SVNAPOT),
			kernel_pgtable.napot);
}

/*
 * Write each page of @nr at @p through its vmalloc address; expect every
 * 64 KiB stretch of it to be a NAPOT leaf where the tree has them, and
 * every page to read back through the direct map at the frame the walk
 * gives, the frame vmalloc_to_page() names.
 */
static void check_vmalloc_napot(struct ktest *t, u8 *p, unsigned long nr)
{
	unsigned long i, groups = 0;
	phys_addr_t pa;

	for (i = 0; i < nr; i++)
		p[i * PAGE_SIZE + 7] = (u8)(i + 1);
	for (i = 0; i + NAPOT_PTES <= nr; i += NAPOT_PTES) {
		unsigned long va = (unsigned long)p + i * PAGE_SIZE;

		if (pte_napot(pgtable_walk(&kernel_pgtable, va, NULL)) &&
		    check_napot_group(t, va))
			groups++;
	}
	for (i = 0; i < nr; i++) {
		u8 *at = p + i * PAGE_SIZE;

		KTEST_ASSERT_TRUE(t, pgtable_translate(&kernel_pgtable,
						       (unsigned long)at, &pa));
		KTEST_EXPECT_EQ(t, pa, page_to_phys(vmalloc_to_page(at)));
		KTEST_EXPECT_EQ(t, ((u8 *)__va(pa))[7], (u8)(i + 1));
	}
	KTEST_EXPECT_EQ(t, groups, kernel_pgtable.napot ? nr / NAPOT_PTES : 0);
	KTEST_EXPECT_EQ(t, pgtable_napot_leaves(&kernel_pgtable,
						(unsigned long)p,
						nr * PAGE_SIZE), groups);
}

/*
 * Expect vmalloc pieces (16, 32 pages) and areas (48, 300 pages) at
 * 64 KiB-aligned addresses, mapped with NAPOT leaves under Svnapot, and
 * every page translating right either way.
 */
static void napot_vmalloc_translations(struct ktest *t)
{
	static const unsigned long pages[] = { 16, 32, 48, 300 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		u8 *p = vmalloc(pages[i] * PAGE_SIZE);

		KTEST_ASSERT_TRUE(t, p != NULL);
		if (kernel_pgtable.napot)
			KTEST_EXPECT_TRUE(t, IS_ALIGNED((unsigned long)p,
							NAPOT_SIZE));
		check_vmalloc_napot(t, p, pages[i]);
		vfree(p);
	}
}

/*
 * Expect an mprotect of one 4 KiB page inside a NAPOT leaf to split that
 * leaf into 16 plain entries that map the same frames, to make only that
 * page read-only, and to leave the next leaf whole.
 */
static void napot_split_protect(struct ktest *t)
{
	const unsigned long nr = 48;
	u8 *p = vmalloc(nr * PAGE_SIZE), *ro;
	phys_addr_t before[16], pa;
	unsigned long i;

	KTEST_ASSERT_TRUE(t, p != NULL);
	check_vmalloc_napot(t, p, nr);
	ro = p + 21 * PAGE_SIZE;
	for (i = 0; i < 16; i++)
		pgtable_translate(&kernel_pgtable, (unsigned long)p +
				  (16 + i) * PAGE_SIZE, &before[i]);
	KTEST_ASSERT_EQ(t, pgtable_protect(&kernel_pgtable, (unsigned long)ro,
					   PAGE_SIZE, PAGE_KERNEL_RO), 0);
	flush_tlb_kernel_range((unsigned long)ro, (unsigned long)ro +
			       PAGE_SIZE);
	for (i = 0; i < 16; i++) {
		u8 *at = p + (16 + i) * PAGE_SIZE;

		KTEST_EXPECT_TRUE(t, !pte_napot(pgtable_walk(&kernel_pgtable,
						(unsigned long)at, NULL)));
		KTEST_EXPECT_TRUE(t, pgtable_translate(&kernel_pgtable,
						       (unsigned long)at, &pa));
		KTEST_EXPECT_EQ(t, pa, before[i]);
		KTEST_EXPECT_EQ(t, at[7], (u8)(16 + i + 1));
		KTEST_EXPECT_EQ(t, writable(at), at != ro);
	}
	KTEST_EXPECT_EQ(t, pgtable_napot_leaves(&kernel_pgtable,
						(unsigned long)p,
						nr * PAGE_SIZE),
			kernel_pgtable.napot ? 2 : 0);
	pgtable_protect(&kernel_pgtable, (unsigned long)ro, PAGE_SIZE,
			PAGE_KERNEL);
	flush_tlb_kernel_range((unsigned long)ro, (unsigned long)ro +
			       PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, writable(ro));
	vfree(p);
}

/*
 * Expect an unmap of one 4 KiB page inside a NAPOT leaf to split it, to
 * take only that page away (the others keep their frames and data), and
 * to hand back that page's own frame.
 */
static void napot_split_unmap(struct ktest *t)
{
	const unsigned long nr = 48;
	u8 *p = vmalloc(nr * PAGE_SIZE), *hole;
	struct page *expect;
	LIST_HEAD(pages);
	unsigned long i;

	KTEST_ASSERT_TRUE(t, p != NULL);
	check_vmalloc_napot(t, p, nr);
	hole = p + 37 * PAGE_SIZE;
	expect = vmalloc_to_page(hole);
	KTEST_ASSERT_EQ(t, pgtable_unmap_gather(&kernel_pgtable,
						(unsigned long)hole,
						PAGE_SIZE, &pages), 1);
	flush_tlb_kernel_range((unsigned long)hole, (unsigned long)hole +
			       PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, pages.next == &expect->lru);
	KTEST_EXPECT_TRUE(t, !readable(hole));
	for (i = 32; i < 48; i++) {
		u8 *at = p + i * PAGE_SIZE;

		if (at == hole)
			continue;
		KTEST_EXPECT_TRUE(t, !pte_napot(pgtable_walk(&kernel_pgtable,
						(unsigned long)at, NULL)));
		KTEST_EXPECT_EQ(t, at[7], (u8)(i + 1));
	}
	KTEST_EXPECT_EQ(t, pgtable_napot_leaves(&kernel_pgtable,
						(unsigned long)p,
						nr * PAGE_SIZE),
			kernel_pgtable.napot ? 2 : 0);
	__free_page(expect);	/* vfree() frees the pages still mapped */
	vfree(p);
}

static const struct ktest_case vm_cases[] = {
	KTEST_CASE(paging_kernel_permissions),
	KTEST_CASE(paging_mode_and_leaves),
	KTEST_CASE(vmemmap_window_mirrors_mem_map),
	KTEST_CASE(vmalloc_sizes_and_guard),
	KTEST_CASE(vmalloc_returns_memory),
	KTEST_CASE(vmap_aliases_pages),
	KTEST_CASE(ioremap_uart),
	KTEST_CASE(ioremap_memory_type),
	KTEST_CASE(stacks_have_guard_pages),
	KTEST_CASE(main_stack_demand_paged),
	KTEST_CASE(tlb_shootdown_reaches_other_hart),
	KTEST_CASE(tlb_flush_range_remaps),
	KTEST_CASE(mmap_demand_zero),
	KTEST_CASE(munmap_many_untouched),
	KTEST_CASE(munmap_partial_splits),
	KTEST_CASE(mprotect_changes_access),
	KTEST_CASE(madvise_dontneed_rezeroes),
	KTEST_CASE(mmap_fixed_replaces),
	KTEST_CASE(mmap_rejects_bad_arguments),
	KTEST_CASE(napot_direct_map),
	KTEST_CASE(napot_vmalloc_translations),
	KTEST_CASE(napot_split_protect),
	KTEST_CASE(napot_split_unmap),
	KTEST_CASE(brk_grows_and_shrinks),
	{}
};

KTEST_SUITE(vm_suite) = {
	.name = "vm",
	.cases = vm_cases,
};
