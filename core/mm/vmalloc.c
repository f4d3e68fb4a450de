// SPDX-License-Identifier: MIT
/*
 * vmalloc, vmap and ioremap areas in [VMALLOC_START, VMALLOC_END).
 *
 * Each area is a struct vm_struct from a slab cache with its range in
 * vmap_space; the range always reserves a guard page after the mapped
 * part (stacks also one before). Backing pages are found through the page
 * table, so an area needs no page array.
 *
 * Freeing is lazy, as in Linux: vfree() clears the area's entries at once
 * (any later access faults, on this hart for certain) and parks the area
 * and its pages; when LAZY_MAX_PAGES have piled up, or on
 * vm_unmap_aliases(), one TLB flush on every hart covers them all, and
 * only then are the pages freed and the addresses reused. So no hart can
 * reach a freed page, or a new area, through a stale translation, and a
 * burst of frees costs one SBI RFENCE rather than one each.
 *
 * Lock order: vmap_lock -> kernel_pgtable.lock -> zone->lock. vmap_lock
 * covers the tree and the lazy list; mapping and freeing pages happen
 * outside it.
 */
#define pr_fmt(fmt) "vmalloc: " fmt

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <asm/tlbflush.h>
#include <rvmem/memlayout.h>
#include <rvmem/mm.h>
#include <rvmem/panic.h>
#include <rvmem/pgtable.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/vm_space.h>
#include <rvmem/vmalloc.h>
#include "internal.h"

#define LAZY_MAX_PAGES	(32UL << (20 - PAGE_SHIFT))	/* 32 MiB */

enum vm_kind {
	VM_ALLOC,		/* vmalloc(): pages owned by the area */
	VM_MAP,			/* vmap(): pages owned by the caller */
	VM_IOREMAP,		/* ioremap(): device memory */
	VM_STACK,		/* vmalloc_stack(): guard page below too */
};

static const char *const kind_names[] = {
	[VM_ALLOC] = "vmalloc", [VM_MAP] = "vmap",
	[VM_IOREMAP] = "ioremap", [VM_STACK] = "stack",
};

/**
 * struct vm_struct - one area
 * @range: [start, end) mapped (from start + PAGE_SIZE for stacks), then
 *         the guard page
 * @kind: what made it
 * @nr_pages: pages mapped
 * @phys: ioremap's physical base
 * @caller: return address of the allocating call, or the hart for stacks
 * @freed: vfree'd, waiting on the lazy list for the next purge
 * @lazy: link on the lazy list
 * @dead_pages: the pages it had, freed at the purge (linked by lru)
 */
struct vm_struct {
	struct vm_range range;
	enum vm_kind kind;
	unsigned long nr_pages;
	phys_addr_t phys;
	unsigned long caller;
	bool freed;
	struct list_head lazy;
	struct list_head dead_pages;
};

static struct vm_space vmap_space;
static DEFINE_SPINLOCK(vmap_lock);
static LIST_HEAD(lazy_areas);
static unsigned long lazy_nr_pages;
static struct kmem_cache *vm_struct_cache;
unsigned long nr_vmalloc_pages;

void vmalloc_init(void)
{
	vm_space_init(&vmap_space, VMALLOC_START, VMALLOC_END);
	vm_struct_cache = kmem_cache_create("vm_struct",
					    sizeof(struct vm_struct), 0,
					    SLAB_PANIC, NULL);
}

bool is_vmalloc_addr(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	return a >= VMALLOC_START && a < VMALLOC_END;
}

/* Map start: a stack's first page is its guard. */
static unsigned long area_map_start(const struct vm_struct *vm)
{
	return vm->range.start + (vm->kind == VM_STACK ? PAGE_SIZE : 0);
}

static struct vm_struct *alloc_area(unsigned long size, unsigned long align,
				    enum vm_kind kind, unsigned long caller)
{
	struct vm_struct *vm = kmem_cache_zalloc(vm_struct_cache, GFP_KERNEL);
	unsigned long flags;
	int err;

	if (!vm)
		return NULL;
	vm->kind = kind;
	vm->caller = caller;
	vm->nr_pages = size >> PAGE_SHIFT;
	vm->range.guard = GUARD_SIZE;
	if (kind == VM_STACK)
		size += PAGE_SIZE;
	flags = spin_lock_irqsave(&vmap_lock);
	err = vm_space_alloc(&vmap_space, &vm->range, size, align);
	spin_unlock_irqrestore(&vmap_lock, flags);
	if (err) {
		kmem_cache_free(vm_struct_cache, vm);
		return NULL;
	}
	return vm;
}

static void release_area(struct vm_struct *vm)
{
	unsigned long flags = spin_lock_irqsave(&vmap_lock);

	vm_space_remove(&vmap_space, &vm->range);
	spin_unlock_irqrestore(&vmap_lock, flags);
	kmem_cache_free(vm_struct_cache, vm);
}

/* Back [start, start + nr pages) with fresh pages; undo on failure. */
static int map_fresh_pages(unsigned long start, unsigned long nr, gfp_t gfp)
{
	unsigned long i;

	for (i = 0; i < nr; i++) {
		unsigned long va = start + (i << PAGE_SHIFT);
		struct page *page = alloc_page(gfp | __GFP_NOWARN);

		if (!page || pgtable_map(&kernel_pgtable, va,
					 page_to_phys(page), PAGE_SIZE,
					 PAGE_KERNEL, 0)) {
			if (page)
				__free_page(page);
			unmap_free_pages(start, i, true);
			return -ENOMEM;
		}
	}
	local_flush_tlb_all();	/* no hart may cache the old "invalid" */
	return 0;
}

static void *__vmalloc_caller(unsigned long size, unsigned long align,
			      gfp_t gfp, enum vm_kind kind,
			      unsigned long caller)
{
	struct vm_struct *vm;

	size = PAGE_ALIGN(size);
	align = max(align, PAGE_SIZE);
	if (!size || size > VMALLOC_END - VMALLOC_START ||
	    (align & (align - 1))) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("allocation of %lu bytes refused (caller "
				"%#lx)\n", size, caller);
		return NULL;
	}
	vm = alloc_area(size, align, kind, caller);
	if (vm && !map_fresh_pages(area_map_start(vm), vm->nr_pages, gfp)) {
		__atomic_add_fetch(&nr_vmalloc_pages, vm->nr_pages,
				   __ATOMIC_RELAXED);
		return (void *)area_map_start(vm);
	}
	if (vm)
		release_area(vm);
	if (!(gfp & __GFP_NOWARN))
		pr_warn("allocation failure: %lu bytes, out of %s (caller "
			"%#lx)\n", size, vm ? "memory" : "address space",
			caller);
	return NULL;
}

void *vmalloc(unsigned long size)
{
	return __vmalloc_caller(size, PAGE_SIZE, GFP_KERNEL, VM_ALLOC,
				_RET_IP_);
}

void *vzalloc(unsigned long size)
{
	return __vmalloc_caller(size, PAGE_SIZE, GFP_KERNEL | __GFP_ZERO,
				VM_ALLOC, _RET_IP_);
}

void *__vmalloc(unsigned long size, gfp_t gfp)
{
	return __vmalloc_caller(size, PAGE_SIZE, gfp, VM_ALLOC, _RET_IP_);
}

void *__vmalloc_align(unsigned long size, unsigned long align, gfp_t gfp)
{
	return __vmalloc_caller(size, align, gfp, VM_ALLOC, _RET_IP_);
}

void *vmalloc_stack(unsigned long size, unsigned int cpu)
{
	return __vmalloc_caller(size, PAGE_SIZE, GFP_KERNEL, VM_STACK, cpu);
}

/* The area starting at @addr, taken out of the tree; or a report. */
static struct vm_struct *take_area(const void *addr, enum vm_kind kind,
				   unsigned long caller)
{
	struct vm_struct *vm = NULL;
	struct vm_range *r;
	unsigned long flags = spin_lock_irqsave(&vmap_lock);
	char sym[64];

	r = vm_space_find(&vmap_space, (unsigned long)addr);
	if (r)
		vm = container_of(r, struct vm_struct, range);
	if (vm && !vm->freed && area_map_start(vm) == (unsigned long)addr &&
	    vm->kind == kind) {
		vm->freed = true;
		spin_unlock_irqrestore(&vmap_lock, flags);
		return vm;
	}
	spin_unlock_irqrestore(&vmap_lock, flags);
	format_symbol(sym, sizeof(sym), caller);
	panic("vmalloc: bad %s(%p) by %s: %s", kind == VM_ALLOC ? "vfree" :
	      kind == VM_MAP ? "vunmap" : "iounmap", addr, sym,
	      !vm ? "no area there" : vm->freed ? "double free" :
	      vm->kind != kind ? "area of another kind" :
	      "not the start of its area");
}

/* Flush every hart once for all parked areas, then let them go. */
static void purge_lazy_areas(void)
{
	unsigned long flags = spin_lock_irqsave(&vmap_lock);
	unsigned long start = ~0UL, end = 0;
	struct list_head list;
	struct vm_struct *vm;

	INIT_LIST_HEAD(&list);
	while (!list_empty(&lazy_areas)) {
		vm = list_first_entry(&lazy_areas, struct vm_struct, lazy);
		list_del(&vm->lazy);
		list_add(&vm->lazy, &list);
		start = min(start, vm->range.start);
		end = max(end, vm->range.end);
	}
	lazy_nr_pages = 0;
	spin_unlock_irqrestore(&vmap_lock, flags);
	if (start >= end)
		return;
	flush_tlb_kernel_range(start, end);
	while (!list_empty(&list)) {
		vm = list_first_entry(&list, struct vm_struct, lazy);
		list_del(&vm->lazy);
		while (!list_empty(&vm->dead_pages)) {
			struct page *page = list_first_entry(&vm->dead_pages,
							     struct page, lru);

			list_del(&page->lru);
			__free_page(page);
		}
		release_area(vm);
	}
}

void vm_unmap_aliases(void)
{
	purge_lazy_areas();
}

/* Clear an area's entries, keeping its pages (if it owns them) aside. */
static void unmap_area_lazy(struct vm_struct *vm)
{
	unsigned long va = area_map_start(vm), i;
	phys_addr_t pa;

	INIT_LIST_HEAD(&vm->dead_pages);
	for (i = 0; vm->kind == VM_ALLOC && i < vm->nr_pages; i++)
		if (pgtable_translate(&kernel_pgtable, va + (i << PAGE_SHIFT),
				      &pa))
			list_add_tail(&pfn_to_page(pa >> PAGE_SHIFT)->lru,
				      &vm->dead_pages);
	pgtable_clear(&kernel_pgtable, va, vm->nr_pages << PAGE_SHIFT);
	local_flush_tlb_all();	/* this hart stops seeing it at once */
}

static void free_area(const void *addr, enum vm_kind kind,
		      unsigned long caller)
{
	struct vm_struct *vm = take_area(addr, kind, caller);
	unsigned long flags;
	bool purge;

	unmap_area_lazy(vm);
	if (kind == VM_ALLOC)
		__atomic_sub_fetch(&nr_vmalloc_pages, vm->nr_pages,
				   __ATOMIC_RELAXED);
	flags = spin_lock_irqsave(&vmap_lock);
	list_add_tail(&vm->lazy, &lazy_areas);
	lazy_nr_pages += vm->nr_pages;
	purge = lazy_nr_pages > LAZY_MAX_PAGES;
	spin_unlock_irqrestore(&vmap_lock, flags);
	if (purge)
		purge_lazy_areas();
}

void vfree(const void *addr)
{
	if (addr)
		free_area(addr, VM_ALLOC, _RET_IP_);
}

void *vmap(struct page **pages, unsigned int count, pgprot_t prot)
{
	struct vm_struct *vm = alloc_area((unsigned long)count << PAGE_SHIFT,
					  PAGE_SIZE, VM_MAP, _RET_IP_);
	unsigned int i;

	if (!vm)
		return NULL;
	for (i = 0; i < count; i++) {
		unsigned long va = vm->range.start + ((unsigned long)i <<
						      PAGE_SHIFT);

		if (pgtable_map(&kernel_pgtable, va, page_to_phys(pages[i]),
				PAGE_SIZE, prot, 0)) {
			unmap_free_pages(vm->range.start, i, false);
			release_area(vm);
			return NULL;
		}
	}
	local_flush_tlb_all();
	return (void *)vm->range.start;
}

void vunmap(const void *addr)
{
	free_area(addr, VM_MAP, _RET_IP_);
}

void *ioremap(phys_addr_t phys, unsigned long size)
{
	phys_addr_t base = ALIGN_DOWN(phys, PAGE_SIZE);
	unsigned long len = PAGE_ALIGN(phys + size) - base;
	struct vm_struct *vm;

	if (!size || phys + size < phys)
		return NULL;
	vm = alloc_area(len, PAGE_SIZE, VM_IOREMAP, _RET_IP_);
	if (!vm)
		return NULL;
	vm->phys = base;
	if (pgtable_map(&kernel_pgtable, vm->range.start, base, len,
			PAGE_KERNEL, 0)) {
		release_area(vm);
		return NULL;
	}
	local_flush_tlb_all();
	return (void *)(vm->range.start + (phys - base));
}

void iounmap(void *addr)
{
	free_area((void *)ALIGN_DOWN((unsigned long)addr, PAGE_SIZE),
		  VM_IOREMAP, _RET_IP_);
}

struct page *vmalloc_to_page(const void *addr)
{
	phys_addr_t pa;

	if (!is_vmalloc_addr(addr) ||
	    !pgtable_translate(&kernel_pgtable, (unsigned long)addr, &pa))
		return NULL;
	return pfn_valid(pa >> PAGE_SHIFT) ? pfn_to_page(pa >> PAGE_SHIFT) :
					     NULL;
}

static void describe_owner(const struct vm_struct *vm, char *buf, size_t len)
{
	char sym[64];

	if (vm->kind == VM_STACK) {
		snprintf(buf, len, "the stack of cpu %lu", vm->caller);
		return;
	}
	format_symbol(sym, sizeof(sym), vm->caller);
	snprintf(buf, len, "%s area [%#lx-%#lx] (%lu pages, from %s)",
		 kind_names[vm->kind], area_map_start(vm), vm->range.end - 1,
		 vm->nr_pages, sym);
}

bool vmalloc_describe(unsigned long addr, char *buf, size_t len)
{
	const struct vm_struct *vm = NULL;
	struct vm_range *r;
	char owner[160];
	unsigned long flags;

	if (!is_vmalloc_addr((void *)addr))
		return false;
	flags = spin_lock_irqsave(&vmap_lock);
	r = vm_space_find(&vmap_space, addr);
	if (r)
		vm = container_of(r, struct vm_struct, range);
	if (vm)
		describe_owner(vm, owner, sizeof(owner));
	spin_unlock_irqrestore(&vmap_lock, flags);
	if (!vm)
		snprintf(buf, len, "unused vmalloc space");
	else if (vm->freed)
		snprintf(buf, len, "%s, already freed (use after free)", owner);
	else if (addr >= vm->range.end)
		snprintf(buf, len, "the guard page after %s", owner);
	else if (addr < area_map_start(vm))
		snprintf(buf, len, "the guard page below %s", owner);
	else
		snprintf(buf, len, "%s", owner);
	return true;
}

void show_vmallocinfo(void)
{
	const struct vm_range *r;
	unsigned long flags = spin_lock_irqsave(&vmap_lock);

	for (r = vm_space_first(&vmap_space); r;
	     r = vm_space_next(&vmap_space, r)) {
		const struct vm_struct *vm = container_of(r, struct vm_struct,
							  range);
		char sym[64];

		format_symbol(sym, sizeof(sym), vm->caller);
		printk("%#lx-%#lx %8lu %s pages=%lu %s", area_map_start(vm),
		       vm->range.end, vm->range.end - area_map_start(vm),
		       vm->kind == VM_STACK ? "stack" : sym, vm->nr_pages,
		       kind_names[vm->kind]);
		if (vm->kind == VM_IOREMAP)
			printk(" phys=%#llx", (unsigned long long)vm->phys);
		printk("\n");
	}
	spin_unlock_irqrestore(&vmap_lock, flags);
}
