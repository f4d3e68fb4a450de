// SPDX-License-Identifier: MIT
/*
 * Anonymous memory: mmap regions in [MMAP_START, MMAP_END) and the brk
 * heap in [HEAP_START, HEAP_END), both demand-zero.
 *
 * A region is a range of addresses with a protection; it owns no pages
 * until they are touched. The page-fault trap (core/mm/fault.c) calls
 * anon_handle_fault(), which finds the region, checks the access against
 * its protection, and maps a fresh zeroed page: bounds, round down, an
 * already-present page is not ours (another hart raced us), allocate,
 * zero, map, undo on failure. It walks the page table once, to the leaf
 * slot, and fills it lock-free (pgtable_pte_slot()/pgtable_pte_fill()).
 * vm_munmap(), do_mprotect() and do_madvise() split regions at their
 * edges (walk_regions()); pages leave through unmap_free_pages(). These
 * are the kernel's names (Linux's) with -errno returns; the POSIX calls
 * (mmap, munmap, mprotect, madvise, brk, sbrk) are thin wrappers in
 * core/libc/mman.c, so this file builds on the host too.
 *
 * Overcommit is Linux's vm.overcommit_memory: 0 refuses a single mapping
 * larger than RAM, 1 never refuses, 2 refuses when the commit charge of
 * writable private mappings and the heap would pass CommitLimit
 * (vm.overcommit_ratio percent of RAM); then mmap and brk fail with
 * ENOMEM up front, instead of the fault path running out of pages later.
 *
 * Locking: the regions lock is one spinlock per hart (Linux's old
 * lglock). The fault path reads: it takes only its own hart's, so
 * concurrent faults write nothing shared. Everything that changes the
 * regions, the break, the commit charge or the page tables under them
 * (mmap, munmap, mprotect, madvise, brk) writes: it takes every hart's,
 * in hart order. Holding any of them keeps the regions and their page
 * tables from going away, which is what the lock-free page-table fill
 * needs. Interrupts are off while one is held (the fault path runs with
 * them off). Lock order: regions lock -> kernel_pgtable.lock ->
 * zone->lock.
 *
 * Counters: each hart counts the anonymous pages it mapped less those it
 * freed in its own struct anon_hart (nr_anon_pages() adds them up), and
 * the faults it served as the vmstat event pgfault.
 */
#define pr_fmt(fmt) "anon: " fmt

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <asm/tlbflush.h>
#include <rvmem/anon.h>
#include <rvmem/memlayout.h>
#include <rvmem/mm.h>
#include <rvmem/param.h>
#include <rvmem/internal/pgtable.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>
#include <rvmem/vm_space.h>
#include <rvmem/vmstat.h>
#include "internal.h"

#define PROT_ALL	(PROT_READ | PROT_WRITE | PROT_EXEC)

/**
 * struct anon_region - one mapping
 * @range: [start, end) and the guard after it
 * @prot: PROT_* bits
 * @accounted: its pages are charged to the commit total
 * @stack_tid: 0, or the thread whose stack this is: then its lowest page
 *             is a guard page, outside the region for faults
 */
struct anon_region {
	struct vm_range range;
	int prot;
	bool accounted;
	unsigned int stack_tid;
};

static struct vm_space mmap_space;
static struct anon_region heap = {
	.prot = PROT_READ | PROT_WRITE, .accounted = true,
};
static unsigned long heap_brk;
static struct kmem_cache *region_cache;

/**
 * struct anon_hart - one hart's share of the regions lock and counters
 * @lock: this hart's part of the regions lock
 * @last: the region this hart last faulted in (a fault's neighbour is
 *        likely in it too); forgotten whenever the regions change
 * @pages: anonymous pages mapped less pages freed on this hart
 */
struct anon_hart {
	spinlock_t lock;
	const struct anon_region *last;
	long pages;
} ____cacheline_aligned;

static struct anon_hart anon_harts[NR_CPUS];

unsigned long vm_committed_pages;
static unsigned long overcommit_memory, overcommit_ratio = 50;

static int set_overcommit_memory(const char *val)
{
	return param_parse_uint_range(val, 0, 2, &overcommit_memory);
}
KERNEL_PARAM(param_overcommit, "vm.overcommit_memory", set_overcommit_memory,
	     "vm.overcommit_memory=0|1|2: heuristic, always, strict");

static int set_overcommit_ratio(const char *val)
{
	return param_parse_uint(val, &overcommit_ratio);
}
KERNEL_PARAM(param_overcommit_ratio, "vm.overcommit_ratio",
	     set_overcommit_ratio,
	     "vm.overcommit_ratio=N: CommitLimit is N% of RAM (mode 2)");

static struct anon_hart *this_anon_hart(void)
{
	return &anon_harts[smp_processor_id()];
}

/* Keep the regions as they are: this hart's lock only. */
static struct anon_hart *anon_read_lock(unsigned long *flags)
{
	struct anon_hart *ah;

	*flags = local_irq_save();
	ah = this_anon_hart();
	spin_lock(&ah->lock);
	return ah;
}

static void anon_read_unlock(struct anon_hart *ah, unsigned long flags)
{
	spin_unlock(&ah->lock);
	local_irq_restore(flags);
}

/* Change the regions: every hart's lock, in order; forget their last. */
static unsigned long anon_write_lock(void)
{
	unsigned long flags = local_irq_save();
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		spin_lock(&anon_harts[cpu].lock);
	return flags;
}

static void anon_write_unlock(unsigned long flags)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		anon_harts[cpu].last = NULL;
		spin_unlock(&anon_harts[cpu].lock);
	}
	local_irq_restore(flags);
}

unsigned long nr_anon_pages(void)
{
	unsigned int cpu;
	long sum = 0;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		sum += READ_ONCE(anon_harts[cpu].pages);
	return sum;
}

/* From scratch, every field: the host tests boot many times over. */
void anon_init(void)
{
	vm_space_init(&mmap_space, MMAP_START, MMAP_END);
	heap.range.start = heap.range.end = HEAP_START;
	heap_brk = HEAP_START;
	memset(anon_harts, 0, sizeof(anon_harts));
	vm_committed_pages = 0;
	region_cache = kmem_cache_create("anon_region",
					 sizeof(struct anon_region), 0,
					 SLAB_PANIC, NULL);
}

static unsigned long region_pages(const struct anon_region *r)
{
	return (r->range.end - r->range.start) >> PAGE_SHIFT;
}

unsigned long vm_commit_limit(void)
{
	struct sysinfo si;

	si_meminfo(&si);
	return si.totalram * overcommit_ratio / 100;
}

/*
 * Charge @pages to the commit total, or say no. @freed pages are about
 * to be uncharged (what a fixed mapping replaces): strict mode counts
 * them gone already, as Linux's mmap_region() does. Write lock held.
 */
static int vm_acct_charge(unsigned long pages, unsigned long freed)
{
	struct sysinfo si;

	if (overcommit_memory == 2 &&
	    vm_committed_pages - freed + pages > vm_commit_limit())
		goto refuse;
	if (overcommit_memory == 0) {
		si_meminfo(&si);
		if (pages > si.totalram)
			goto refuse;
	}
	WRITE_ONCE(vm_committed_pages, vm_committed_pages + pages);
	return 0;
refuse:
	count_vm_event(OVERCOMMIT_REFUSED);
	return -ENOMEM;
}

static void vm_acct_uncharge(unsigned long pages)
{
	WRITE_ONCE(vm_committed_pages, vm_committed_pages - pages);
}

/* Linux charges writable private mappings; strict mode ignores NORESERVE. */
static bool needs_accounting(int prot, int flags)
{
	if (!(prot & PROT_WRITE))
		return false;
	return !(flags & MAP_NORESERVE) || overcommit_memory == 2;
}

/* PROT_* to leaf bits, as Linux's protection_map: write implies read. */
static const pgprot_t protection_map[PROT_ALL + 1] = {
	[PROT_NONE] = PAGE_NONE,
	[PROT_READ] = PAGE_KERNEL_RO,
	[PROT_WRITE] = PAGE_KERNEL,
	[PROT_READ | PROT_WRITE] = PAGE_KERNEL,
	[PROT_EXEC] = PAGE_KERNEL_EXEC,
	[PROT_READ | PROT_EXEC] = PAGE_KERNEL_EXEC,
	[PROT_WRITE | PROT_EXEC] = PAGE_KERNEL_RWX,
	[PROT_READ | PROT_WRITE | PROT_EXEC] = PAGE_KERNEL_RWX,
};

static pgprot_t region_pgprot(int prot)
{
	return protection_map[prot & PROT_ALL];
}

static bool prot_allows(int prot, enum fault_access access)
{
	static const int need[] = {
		[FAULT_READ] = PROT_READ | PROT_WRITE | PROT_EXEC,
		[FAULT_WRITE] = PROT_WRITE, [FAULT_EXEC] = PROT_EXEC,
	};

	return prot & need[access];
}

/* Where a stack's guard page ends, or the start of any other region. */
static unsigned long stack_guard_end(const struct vm_range *vr)
{
	const struct anon_region *r = container_of(vr, struct anon_region,
						   range);

	return r->stack_tid ? vr->start + GUARD_SIZE : vr->start;
}

/* The region holding @addr (not a guard), or NULL. Lock held. */
static struct anon_region *find_region(unsigned long addr)
{
	struct vm_range *r;

	if (addr >= heap.range.start && addr < heap.range.end)
		return &heap;
	r = vm_space_find(&mmap_space, addr);
	if (!r || addr >= r->end || addr < stack_guard_end(r))
		return NULL;
	return container_of(r, struct anon_region, range);
}

/* find_region(), trying the region of this hart's last fault first. */
static const struct anon_region *find_region_cached(struct anon_hart *ah,
						    unsigned long addr)
{
	const struct anon_region *r = ah->last;

	if (r && addr >= stack_guard_end(&r->range) && addr < r->range.end)
		return r;
	r = find_region(addr);
	ah->last = r;
	return r;
}

static const char *prot_name(int prot)
{
	static const char *const names[] = {
		"PROT_NONE", "read-only", "write-only", "read-write",
		"exec-only", "read-exec", "write-exec", "read-write-exec",
	};

	return names[prot & PROT_ALL];
}

static void describe_stack_guard(const struct vm_range *vr, char *what,
				 size_t len)
{
	const struct anon_region *r = container_of(vr, struct anon_region,
						   range);

	if (r->stack_tid == ANON_MAIN_TID)
		snprintf(what, len, "the guard page below the stack of main()");
	else
		snprintf(what, len, "the guard page below the stack of "
			 "thread %u", r->stack_tid);
}

static void describe_miss(unsigned long addr, char *what, size_t len)
{
	struct vm_range *r = vm_space_find(&mmap_space, addr);

	if (r && addr < stack_guard_end(r))
		describe_stack_guard(r, what, len);
	else if (r)
		snprintf(what, len, "the guard page after mmap region "
			 "[%#lx-%#lx]", r->start, r->end - 1);
	else if (addr >= HEAP_START && addr < HEAP_END)
		snprintf(what, len, "beyond the heap's break (brk %#lx)",
			 heap_brk);
	else if (addr >= MMAP_START && addr < MMAP_END)
		snprintf(what, len, "unmapped address in the mmap area");
	else
		snprintf(what, len, "unmapped address");
}

/* Map a zeroed page at @va for @r. Read lock held. */
static int fault_in_page(struct anon_hart *ah, const struct anon_region *r,
			 unsigned long va)
{
	pte_t *slot = pgtable_pte_slot(&kernel_pgtable, va);
	struct page *page;
	phys_addr_t pa;
	int err;

	if (slot && pte_present(READ_ONCE(*slot)))
		return 0;	/* another hart mapped it first */
	page = alloc_page(GFP_KERNEL | __GFP_NOWARN);
	if (!page)
		return -ENOMEM;
	pa = page_to_phys(page);
	clear_page(__va(pa));
	err = pgtable_pte_fill(&kernel_pgtable, slot, va,
			       pa_to_pte(pa, region_pgprot(r->prot)));
	if (likely(!err)) {
		ah->pages++;	/* per hart: no atomic needed */
		return 0;
	}
	__free_page(page);
	return err == -EEXIST ? 0 : err;	/* a hart raced us there */
}

int anon_handle_fault(unsigned long addr, enum fault_access access)
{
	unsigned long flags;
	struct anon_hart *ah = anon_read_lock(&flags);
	const struct anon_region *r = find_region_cached(ah, addr);
	int err = -EFAULT;

	if (r)
		err = prot_allows(r->prot, access) ?
		      fault_in_page(ah, r, addr & PAGE_MASK) : -EACCES;
	if (!err)
		count_vm_event(PGFAULT);
	anon_read_unlock(ah, flags);
	if (!err)
		local_flush_tlb_page(addr & PAGE_MASK);
	return err;
}

void anon_describe_fault(unsigned long addr, int err, char *what,
			 size_t len)
{
	unsigned long flags;
	struct anon_hart *ah = anon_read_lock(&flags);
	const struct anon_region *r = find_region(addr);
	const char *kind = r == &heap ? "heap" : "mmap";

	if (r && err == -ENOMEM)
		snprintf(what, len, "out of memory: no free page for %s "
			 "region [%#lx-%#lx] (%lu KiB free)", kind,
			 r->range.start, r->range.end - 1,
			 nr_free_pages() << 2);
	else if (r)
		snprintf(what, len, "%s region [%#lx-%#lx] is %s", kind,
			 r->range.start, r->range.end - 1, prot_name(r->prot));
	else
		describe_miss(addr, what, len);
	anon_read_unlock(ah, flags);
}

/* Spare region structs, allocated before the write lock is taken. */
struct spares {
	struct anon_region *r[2];
};

static int get_spares(struct spares *sp)
{
	sp->r[0] = kmem_cache_alloc(region_cache, GFP_KERNEL);
	sp->r[1] = kmem_cache_alloc(region_cache, GFP_KERNEL);
	return sp->r[0] && sp->r[1] ? 0 : -ENOMEM;
}

static void put_spares(struct spares *sp)
{
	if (sp->r[0])
		kmem_cache_free(region_cache, sp->r[0]);
	if (sp->r[1])
		kmem_cache_free(region_cache, sp->r[1]);
}

static struct anon_region *take_spare(struct spares *sp)
{
	struct anon_region *r = sp->r[0] ? sp->r[0] : sp->r[1];

	if (r == sp->r[0])
		sp->r[0] = NULL;
	else
		sp->r[1] = NULL;
	return r;
}

/* Move @r's bounds: out of the tree and back, so gaps stay right. */
static void reshape(struct anon_region *r, unsigned long start,
		    unsigned long end, unsigned long guard)
{
	vm_space_remove(&mmap_space, &r->range);
	r->range.start = start;
	r->range.end = end;
	r->range.guard = guard;
	vm_space_insert(&mmap_space, &r->range);
}

/*
 * Split @r at @at: @r keeps [start, at) with no guard (its neighbour is
 * right there), a spare takes [at, end) and the guard. Write lock held.
 */
static struct anon_region *split_region(struct anon_region *r,
					unsigned long at, struct spares *sp)
{
	struct anon_region *hi = take_spare(sp);

	*hi = *r;
	hi->range.start = at;
	hi->stack_tid = 0;	/* a stack's guard stays below */
	reshape(r, r->range.start, at, 0);
	vm_space_insert(&mmap_space, &hi->range);
	return hi;
}

/* Free the anonymous pages of [@start, @start + @pages), counting them. */
static void drop_pages(unsigned long start, unsigned long pages)
{
	struct anon_hart *ah = this_anon_hart();

	WRITE_ONCE(ah->pages,
		   ah->pages - (long)unmap_free_pages(start, pages, true));
}

static void remove_region(struct anon_region *r)
{
	unsigned long pages = region_pages(r);

	vm_space_remove(&mmap_space, &r->range);
	drop_pages(r->range.start, pages);
	if (r->accounted)
		vm_acct_uncharge(pages);
	kmem_cache_free(region_cache, r);
}

/*
 * Split the regions [start, end) meets at its edges, then call @fn on
 * each region inside, in address order, until one fails (@fn may free
 * its region). At most the first and the last region split, so two
 * spares are enough. Write lock held. Return: 0, or @fn's error.
 */
static int walk_regions(unsigned long start, unsigned long end,
			struct spares *sp,
			int (*fn)(struct anon_region *r, void *arg), void *arg)
{
	struct vm_range *vr = vm_space_first_overlap(&mmap_space, start, end);
	int err = 0;

	while (!err && vr && vr->start < end) {
		struct anon_region *r = container_of(vr, struct anon_region,
						     range);

		if (vr->end <= start) {		/* only its guard overlaps */
			vr = vm_space_next(&mmap_space, vr);
			continue;
		}
		if (r->range.start < start)	/* keep the part below */
			r = split_region(r, start, sp);
		if (r->range.end > end)		/* keep the part above */
			split_region(r, end, sp);
		vr = vm_space_next(&mmap_space, &r->range);
		err = fn(r, arg);
	}
	return err;
}

static int unmap_region(struct anon_region *r, void *arg)
{
	remove_region(r);
	return 0;
}

/* Cut [start, end) out of every region. Write lock held. */
static void unmap_range_locked(unsigned long start, unsigned long end,
			       struct spares *sp)
{
	walk_regions(start, end, sp, unmap_region, NULL);
}

/*
 * The region after @vr (NULL: the first) that shares pages with
 * [start, end), the pages shared in [*s, *e). Lock held.
 */
static struct vm_range *next_overlap(struct vm_range *vr, unsigned long start,
				     unsigned long end, unsigned long *s,
				     unsigned long *e)
{
	vr = vr ? vm_space_next(&mmap_space, vr) :
		  vm_space_first_overlap(&mmap_space, start, end);
	for (; vr && vr->start < end; vr = vm_space_next(&mmap_space, vr)) {
		*s = max(vr->start, start);
		*e = min(vr->end, end);
		if (*s < *e)
			return vr;
	}
	return NULL;
}

/* Pages of accounted regions in [start, end). Write lock held. */
static unsigned long accounted_in(unsigned long start, unsigned long end)
{
	struct vm_range *vr = NULL;
	unsigned long s, e, pages = 0;

	while ((vr = next_overlap(vr, start, end, &s, &e)))
		if (container_of(vr, struct anon_region, range)->accounted)
			pages += (e - s) >> PAGE_SHIFT;
	return pages;
}

static bool range_in_window(unsigned long start, unsigned long len)
{
	return start >= MMAP_START && start + len > start &&
	       start + len <= MMAP_END;
}

/*
 * A fixed mapping at @addr takes the guard page there, if any: the
 * region just below loses its guard. Else it would fail where nothing
 * is mapped, after unmapping what was. Write lock held.
 */
static void take_guard(unsigned long addr)
{
	struct vm_range *vr = vm_space_find(&mmap_space, addr);

	if (vr && vr->end <= addr)
		reshape(container_of(vr, struct anon_region, range),
			vr->start, vr->end, 0);
}

/* Place @r: at a fixed address, at the hint if free, else anywhere. */
static int place_region(struct anon_region *r, unsigned long addr,
			unsigned long len, int flags, struct spares *sp)
{
	if (flags & MAP_FIXED) {
		unmap_range_locked(addr, addr + len, sp);
		take_guard(addr);
		r->range = (struct vm_range){ .start = addr,
					      .end = addr + len };
		return vm_space_insert(&mmap_space, &r->range);
	}
	r->range.guard = GUARD_SIZE;
	if (addr && IS_ALIGNED(addr, PAGE_SIZE) &&
	    range_in_window(addr, len + GUARD_SIZE)) {
		r->range.start = addr;
		r->range.end = addr + len;
		if (!vm_space_insert(&mmap_space, &r->range))
			return 0;
	}
	return vm_space_alloc(&mmap_space, &r->range, len, PAGE_SIZE);
}

/* Charge new region @r; a fixed one frees the charge of what it replaces. */
static int charge_region(const struct anon_region *r, unsigned long addr,
			 unsigned long len, int flags)
{
	unsigned long freed = 0;

	if (!r->accounted)
		return 0;
	if (flags & MAP_FIXED)
		freed = accounted_in(addr, addr + len);
	return vm_acct_charge(len >> PAGE_SHIFT, freed);
}

static int check_mmap(unsigned long addr, unsigned long len, int prot,
		      int flags, int fd, unsigned long offset)
{
	if (!(flags & MAP_ANONYMOUS))
		return fd < 0 ? -EBADF : -ENODEV;	/* no files here */
	if (!(flags & (MAP_PRIVATE | MAP_SHARED)) || !len || offset ||
	    (prot & ~PROT_ALL) || PAGE_ALIGN(len) < len)
		return -EINVAL;
	if ((flags & MAP_FIXED) && (!IS_ALIGNED(addr, PAGE_SIZE) ||
				    !range_in_window(addr, PAGE_ALIGN(len))))
		return -EINVAL;
	return 0;
}

static void populate(unsigned long start, unsigned long end, int prot)
{
	unsigned long va;

	if (prot == PROT_NONE)
		return;
	for (va = start; va < end; va += PAGE_SIZE)
		if (anon_handle_fault(va, FAULT_READ))
			break;	/* as Linux: the mapping stands regardless */
}

static unsigned long mmap_fail(int err, struct anon_region *r,
			       struct spares *sp)
{
	if (r)
		kmem_cache_free(region_cache, r);
	put_spares(sp);
	return (unsigned long)err;
}

unsigned long vm_mmap(unsigned long addr, unsigned long len, int prot,
		      int flags, int fd, unsigned long offset)
{
	struct spares sp = { 0 };
	struct anon_region *r;
	unsigned long lock_flags;
	int err = check_mmap(addr, len, prot, flags, fd, offset);

	if (err)
		return mmap_fail(err, NULL, &sp);
	len = PAGE_ALIGN(len);
	r = kmem_cache_zalloc(region_cache, GFP_KERNEL);
	if (!r || get_spares(&sp))
		return mmap_fail(-ENOMEM, r, &sp);
	r->prot = prot;
	r->accounted = needs_accounting(prot, flags);
	lock_flags = anon_write_lock();
	err = charge_region(r, addr, len, flags);
	if (!err) {
		err = place_region(r, addr, len, flags, &sp);
		if (err && r->accounted)
			vm_acct_uncharge(len >> PAGE_SHIFT);
	}
	anon_write_unlock(lock_flags);
	if (err)
		return mmap_fail(err == -EEXIST ? -ENOMEM : err, r, &sp);
	put_spares(&sp);
	if (flags & MAP_POPULATE)
		populate(r->range.start, r->range.end, prot);
	return r->range.start;
}

unsigned long anon_map_stack(size_t size, unsigned int tid)
{
	size_t len = PAGE_ALIGN(size) + GUARD_SIZE;
	unsigned long base = vm_mmap(0, len, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long flags;

	if (IS_ERR_VALUE(base))
		return 0;
	flags = anon_write_lock();
	find_region(base)->stack_tid = tid;
	anon_write_unlock(flags);
	return base + len;
}

void anon_unmap_stack(unsigned long top, size_t size)
{
	size_t len = PAGE_ALIGN(size) + GUARD_SIZE;

	vm_munmap(top - len, len);
}

static int check_range(unsigned long start, unsigned long len)
{
	if (!IS_ALIGNED(start, PAGE_SIZE) || !len ||
	    !range_in_window(start, PAGE_ALIGN(len)))
		return -EINVAL;
	return 0;
}

int vm_munmap(unsigned long start, unsigned long len)
{
	struct spares sp = { 0 };
	unsigned long flags;
	int err = check_range(start, len);

	if (!err)
		err = get_spares(&sp);
	if (!err) {
		flags = anon_write_lock();
		unmap_range_locked(start, start + PAGE_ALIGN(len), &sp);
		anon_write_unlock(flags);
	}
	put_spares(&sp);
	return err;
}

/* Does the union of regions cover [start, end) without a hole? */
static bool range_covered(unsigned long start, unsigned long end)
{
	struct vm_range *vr = NULL;
	unsigned long s, e, covered = start;

	while ((vr = next_overlap(vr, start, end, &s, &e))) {
		if (s > covered)
			return false;
		covered = e;
	}
	return covered >= end;
}

/* Give region @r protection *@arg, charging or uncharging its pages. */
static int protect_region(struct anon_region *r, void *arg)
{
	int prot = *(int *)arg;
	bool acct = needs_accounting(prot, 0);

	if (acct && !r->accounted && vm_acct_charge(region_pages(r), 0))
		return -ENOMEM;
	if (!acct && r->accounted)
		vm_acct_uncharge(region_pages(r));
	r->accounted = acct;
	r->prot = prot;
	pgtable_protect(&kernel_pgtable, r->range.start,
			r->range.end - r->range.start, region_pgprot(prot));
	flush_tlb_kernel_range(r->range.start, r->range.end);
	return 0;
}

int do_mprotect(unsigned long start, unsigned long len, int prot)
{
	struct spares sp = { 0 };
	unsigned long end, flags;
	int err = check_range(start, len);

	if (!err && (prot & ~PROT_ALL))
		err = -EINVAL;
	if (!err)
		err = get_spares(&sp);
	if (!err) {
		end = start + PAGE_ALIGN(len);
		flags = anon_write_lock();
		err = range_covered(start, end) ?
		      walk_regions(start, end, &sp, protect_region, &prot) :
		      -ENOMEM;
		anon_write_unlock(flags);
	}
	put_spares(&sp);
	return err;
}

/* MADV_DONTNEED: drop the pages; the next touch reads zeroes. */
static void dontneed_locked(unsigned long start, unsigned long end)
{
	struct vm_range *vr = NULL;
	unsigned long s, e;

	while ((vr = next_overlap(vr, start, end, &s, &e)))
		drop_pages(s, (e - s) >> PAGE_SHIFT);
}

int do_madvise(unsigned long start, unsigned long len, int advice)
{
	unsigned long end, flags;
	int err = check_range(start, len);

	if (err)
		return err;
	end = start + PAGE_ALIGN(len);
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED:
		return 0;	/* hints with nothing to act on here */
	case MADV_DONTNEED:
	case MADV_FREE:
		flags = anon_write_lock();
		err = range_covered(start, end) ? 0 : -ENOMEM;
		if (!err)
			dontneed_locked(start, end);
		anon_write_unlock(flags);
		return err;
	default:
		return -EINVAL;
	}
}

/* Move the break to @new; pages above the new top are freed. */
static int set_brk_locked(unsigned long new)
{
	unsigned long old_top = heap.range.end, new_top = PAGE_ALIGN(new);

	if (new < HEAP_START || new > HEAP_END - GUARD_SIZE)
		return -ENOMEM;
	if (new_top > old_top &&
	    vm_acct_charge((new_top - old_top) >> PAGE_SHIFT, 0))
		return -ENOMEM;
	if (new_top < old_top) {
		drop_pages(new_top, (old_top - new_top) >> PAGE_SHIFT);
		vm_acct_uncharge((old_top - new_top) >> PAGE_SHIFT);
	}
	heap.range.end = new_top;
	heap_brk = new;
	return 0;
}

int do_brk(unsigned long brk)
{
	unsigned long flags = anon_write_lock();
	int err = set_brk_locked(brk);

	anon_write_unlock(flags);
	return err;
}

unsigned long do_sbrk(long incr)
{
	unsigned long flags = anon_write_lock();
	unsigned long old = heap_brk;
	int err = set_brk_locked(old + incr);

	anon_write_unlock(flags);
	return err ? (unsigned long)err : old;
}

void show_anon_regions(void)
{
	unsigned long flags;
	struct anon_hart *ah = anon_read_lock(&flags);
	const struct vm_range *vr;

	printk("heap   %#lx-%#lx %s brk=%#lx\n", heap.range.start,
	       heap.range.end, prot_name(heap.prot), heap_brk);
	for (vr = vm_space_first(&mmap_space); vr;
	     vr = vm_space_next(&mmap_space, vr)) {
		const struct anon_region *r = container_of(vr,
							   struct anon_region,
							   range);

		printk("mmap   %#lx-%#lx %s%s\n", vr->start, vr->end,
		       prot_name(r->prot), r->accounted ? " accounted" : "");
	}
	anon_read_unlock(ah, flags);
}
