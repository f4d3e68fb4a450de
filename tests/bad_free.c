// SPDX-License-Identifier: MIT
/*
 * bad_free: one deliberate misuse of the page allocator, which must end
 * the process with a report naming the caller ("BUG: Bad page state") or
 * the page written after free, and exit status 70 (EXIT_KERNEL_FAILURE);
 * or of vfree(), whose report names the caller too.
 * Built with CONFIG_DEBUG only (write-after-free needs its poisoning); the
 * test runner checks the status and the message.
 *
 *	bad_free double-free|free-unallocated|free-never-allocated|
 *		 wrong-order|free-reserved|free-deferred|write-after-free|
 *		 vfree-double-free
 *
 * Before the bad free it prints "bad_free: MODE from 0x..." with the
 * address of the function that makes the call, so the runner can check
 * that the report's "freed by 0x..." lies just after it. Exit status 1
 * means the misuse went unnoticed, 2 a usage or boot error.
 */
#include <stdio.h>
#include <string.h>
#include <rvmem/gfp.h>
#include <rvmem/mm.h>
#include <rvmem/vmalloc.h>
#include <rvmem/internal/mmzone.h>

#include "host.h"
#include "mm_fixture.h"

static void announce(const char *mode, void (*fn)(void))
{
	printf("bad_free: %s from %#lx\n", mode, (unsigned long)fn);
	fflush(stdout);
}

/* An order-0 page freed twice. */
static noinline void double_free(void)
{
	struct page *page = alloc_page(GFP_KERNEL);

	announce("double-free", double_free);
	__free_page(page);
	__free_page(page);
}

/* The second page of an allocated order-2 block freed on its own. */
static noinline void free_unallocated(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	announce("free-unallocated", free_unallocated);
	__free_page(page + 1);
}

/* A page inside a free order-10 block, never handed out. */
static noinline void free_never_allocated(void)
{
	struct free_area *area = &zones[ZONE_DMA32].free_area[MAX_PAGE_ORDER];
	struct page *block = list_first_entry(&area->free_list, struct page,
					      lru);

	announce("free-never-allocated", free_never_allocated);
	__free_page(block + 5);
}

/* An order-2 block freed as order 1. */
static noinline void wrong_order(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	announce("wrong-order", wrong_order);
	__free_pages(page, 1);
}

/* The first page of RAM, reserved at boot ("the firmware"). */
static noinline void free_reserved(void)
{
	announce("free-reserved", free_reserved);
	__free_page(pfn_to_page(MM_VIRT_BASE >> PAGE_SHIFT));
}

/*
 * A page whose struct page boot left uninitialised, made to look like an
 * allocated order-0 block, as stale RAM may after a warm reboot, freed
 * by address.
 */
static noinline void free_deferred(void)
{
	struct page *page = pfn_to_page(deferred_low_pfn);

	page->flags = 1UL << PG_head;	/* zone 0: DMA32 of node 0 */
	page->order = 0;
	announce("free-deferred", free_deferred);
	free_pages((unsigned long)page_address(page), 0);
}

/* A byte written to an order-0 page after it was freed. */
static noinline void write_after_free(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	char *p = page_address(page);

	announce("write-after-free", write_after_free);
	__free_page(page);
	p[100] = 1;
	drain_local_pages(NULL);	/* back to the buddy, then out again */
	while (alloc_page(GFP_KERNEL | __GFP_NOWARN))
		;
}

/*
 * An area too big for a block vfree()'d twice, before the purge: it has
 * left the busy tree, and its reserved range still names it as freed.
 */
static noinline void vfree_double_free(void)
{
	void *p = vmalloc((VMAP_MAX_PAGES + 1) * PAGE_SIZE);

	announce("vfree-double-free", vfree_double_free);
	vfree(p);
	vfree(p);
}

static const struct {
	const char *name;
	void (*fn)(void);
	bool vm;	/* boots slab and vmalloc too */
	unsigned int mib;	/* RAM */
} modes[] = {
	{ "double-free", double_free, false, 16 },
	{ "free-unallocated", free_unallocated, false, 16 },
	{ "free-never-allocated", free_never_allocated, false, 16 },
	{ "wrong-order", wrong_order, false, 16 },
	{ "free-reserved", free_reserved, false, 16 },
	{ "free-deferred", free_deferred, false, 256 },	/* defers 128 */
	{ "write-after-free", write_after_free, false, 16 },
	{ "vfree-double-free", vfree_double_free, true, 16 },
};

int main(int argc, char **argv)
{
	unsigned int i;

	host_platform_init(true);
	if (argc != 2)
		goto usage;
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		if (strcmp(argv[1], modes[i].name))
			continue;
		if (!(modes[i].vm ? mm_fixture_boot_vm(MiB(modes[i].mib), 3) :
		      mm_fixture_boot_small(MiB(modes[i].mib))))
			return 2;
		modes[i].fn();
		printf("bad_free: %s went unnoticed\n", argv[1]);
		return 1;
	}
usage:
	fprintf(stderr, "usage: bad_free double-free|free-unallocated|"
		"free-never-allocated|wrong-order|free-reserved|"
		"free-deferred|write-after-free|vfree-double-free\n");
	return 2;
}
