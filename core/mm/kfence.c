// SPDX-License-Identifier: MIT
/*
 * KFENCE: sampled guarded allocations, as Linux's mm/kfence.
 *
 * Every kfence.sample_interval milliseconds one slab allocation is served
 * from the pool at [KFENCE_POOL_START, KFENCE_POOL_END) instead of its
 * cache. The pool is one 2 MiB window, one last-level page table, laid
 * out as in Linux:
 *
 *	| guard | guard | object 0 | guard | object 1 | guard | ... | guard |
 *	0       1       2          3       4          5
 *
 * Object i has page 2i + 2 to itself (a page of RAM kept for it since
 * boot), mapped only while it is allocated. It sits at the end of that
 * page, as far right as its cache's alignment allows, so an access past
 * its end hits the guard page after it at once; the bytes before it and
 * any slack after it hold a canary pattern, checked when it is freed (an
 * underflow, or a small overflow into the slack, is reported then).
 * Freeing unmaps the page and flushes every hart's TLB, so a use after
 * free faults. The page-fault path hands any fault in the pool to
 * kfence_handle_page_fault(), which reports it with the object, its
 * cache and the call chains that allocated (and freed) it; die() adds
 * the registers and the call trace and ends the boot.
 *
 * Sampling costs the fast paths nothing. The deadline kfence_next is
 * read on the slab's slow path only (__slab_alloc(), entered when a
 * hart's main sheaf ran empty, before it is refilled; the next
 * allocation refills it): the first slow-path allocation on any hart
 * past the deadline claims it with one compare-and-swap, moves it a
 * sample interval on, and is served here, with interrupts on. An
 * allocation a sheaf serves is never sampled; sheaves run empty every
 * few dozen to few hundred allocations of a cache, so every cache in use
 * is reached. Debug caches (slub_debug) have no sheaves: every
 * allocation of theirs enters __slab_alloc(). Objects up to a page are
 * sampled, and with them the C malloc(), which kmalloc() serves;
 * kmalloc-8k's are not, nor the slab's own sheaves (SLAB_NO_SHEAVES).
 *
 * Free slots are kept in LRU order: a freed object goes to the tail and
 * an allocation takes the head, so a freed object stays unmapped, and a
 * use after free of it caught, for as long as the pool allows.
 *
 * Locking: kfence_lock (a leaf, taken with interrupts off) protects the
 * free list, the counters, every object's metadata and the pool's page
 * table entries, which are KFENCE's alone. Reports read the metadata
 * without it: they end the boot.
 */
#define pr_fmt(fmt) fmt	/* reports are Linux's text, unprefixed */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <asm/tlbflush.h>
#include <rvmem/kfence.h>
#include <rvmem/list.h>
#include <rvmem/mm.h>
#include <rvmem/panic.h>
#include <rvmem/param.h>
#include <rvmem/internal/pgtable.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>
#include <rvmem/trap.h>
#include "internal.h"

/* Linux's default pool: (255 + 1) * 2 pages fill the 2 MiB window. */
#define KFENCE_MAX_OBJECTS	255
#define KFENCE_RAM_SHIFT	6	/* object pages: at most 1/64 of RAM */
#define KFENCE_STACK_DEPTH	8
#define KFENCE_DEFAULT_MS	100

/* Linux's canary: 0xaa, with the address's low three bits mixed in. */
#define KFENCE_CANARY(addr)	((u8)(0xaa ^ ((unsigned long)(addr) & 7)))
#define KFENCE_CANARY_WORD	0xadacafaea9a8abaaUL	/* 8 of them, LE */

_Static_assert(KFENCE_POOL_END - KFENCE_POOL_START ==
	       (KFENCE_MAX_OBJECTS + 1) * 2 * PAGE_SIZE,
	       "the pool window holds the largest pool");

enum kfence_object_state {
	KFENCE_OBJECT_UNUSED,		/* never handed out */
	KFENCE_OBJECT_ALLOCATED,	/* mapped, in use */
	KFENCE_OBJECT_FREED,		/* unmapped, waiting on the free list */
};

/**
 * struct kfence_track - who allocated or freed an object
 * @cpu: the hart
 * @nr: entries in @stack
 * @stack: return addresses, the allocating (freeing) call first
 */
struct kfence_track {
	unsigned int cpu;
	unsigned int nr;
	unsigned long stack[KFENCE_STACK_DEPTH];
};

/**
 * struct kfence_metadata - one object slot of the pool
 * @list: on kfence_freelist while not allocated
 * @addr: the object's address, while allocated or freed
 * @page: the page of RAM that backs the slot, for good
 * @cache: the cache it was allocated from (NULL once that is destroyed)
 * @size: bytes in use: asked for, or as __ksize() was told since
 * @state: enum kfence_object_state
 * @alloc_track: the allocation
 * @free_track: the free (while @state is KFENCE_OBJECT_FREED)
 */
struct kfence_metadata {
	struct list_head list;
	unsigned long addr;
	struct page *page;
	struct kmem_cache *cache;
	unsigned int size;
	enum kfence_object_state state;
	struct kfence_track alloc_track;
	struct kfence_track free_track;
};

u64 kfence_next = ~0ULL;	/* no sample until kfence_init() */
static unsigned long kfence_sample_interval = KFENCE_DEFAULT_MS;
static u64 kfence_interval_ticks;
static struct kfence_metadata *kfence_metadata;
static unsigned int kfence_nr_objects;
static pte_t *kfence_ptes;	/* the pool's page-table entries */
static LIST_HEAD(kfence_freelist);
static DEFINE_SPINLOCK(kfence_lock);
static unsigned long kfence_allocated, kfence_allocs, kfence_frees;

static int set_sample_interval(const char *val)
{
	return param_parse_uint_range(val, 0, 1000UL * 3600,
				      &kfence_sample_interval);
}
KERNEL_PARAM(param_kfence_sample_interval, "kfence.sample_interval",
	     set_sample_interval,
	     "kfence.sample_interval=<ms>: serve one slab allocation from "
	     "the guarded KFENCE pool every <ms> milliseconds (default 100; "
	     "0: off)");

static unsigned long slot_page(unsigned int i)
{
	return KFENCE_POOL_START + (2UL * i + 2) * PAGE_SIZE;
}

/* The slot whose object page holds @addr, or NULL (a guard page). */
static struct kfence_metadata *addr_to_metadata(unsigned long addr)
{
	unsigned long page = (addr - KFENCE_POOL_START) >> PAGE_SHIFT;

	if (!is_kfence_address((void *)addr) || page < 2 || (page & 1) ||
	    page / 2 - 1 >= kfence_nr_objects)
		return NULL;
	return &kfence_metadata[page / 2 - 1];
}

static unsigned int meta_index(const struct kfence_metadata *meta)
{
	return meta - kfence_metadata;
}

static pte_t *slot_pte(const struct kfence_metadata *meta)
{
	return kfence_ptes + ((slot_page(meta_index(meta)) -
			       KFENCE_POOL_START) >> PAGE_SHIFT);
}

/*
 * Record the call chain from @caller up. The walk starts in this file;
 * the frames below @caller (KFENCE's and the slab's own) are dropped.
 */
static void save_track(struct kfence_track *t, unsigned long caller)
{
	unsigned long stack[KFENCE_STACK_DEPTH + 4];
	unsigned int n = stack_trace_save(stack, ARRAY_SIZE(stack), 0);
	unsigned int i = 0;

	while (i < n && stack[i] != caller)
		i++;
	t->stack[0] = caller;
	for (t->nr = 1, i++; i < n && t->nr < KFENCE_STACK_DEPTH; i++)
		t->stack[t->nr++] = stack[i];
	t->cpu = smp_processor_id();
}

/* Fill [@start, @end) with the canary; @end is 8-aligned. */
static void canary_fill(unsigned long start, unsigned long end)
{
	for (; start < end && !IS_ALIGNED(start, 8); start++)
		*(u8 *)start = KFENCE_CANARY(start);
	for (; start < end; start += 8)
		*(unsigned long *)start = KFENCE_CANARY_WORD;
}

/* The first byte of [@start, @end) that is not the canary, or 0. */
static unsigned long canary_check(unsigned long start, unsigned long end)
{
	for (; start < end && !IS_ALIGNED(start, 8); start++)
		if (*(u8 *)start != KFENCE_CANARY(start))
			return start;
	for (; start < end; start += 8)
		if (*(unsigned long *)start != KFENCE_CANARY_WORD)
			break;
	for (; start < end; start++)
		if (*(u8 *)start != KFENCE_CANARY(start))
			return start;
	return 0;
}

/*
 * Hand out the least recently freed slot for @size bytes of @s. Its
 * object ends at its page's end, rounded down to the cache's alignment.
 * kfence_lock held.
 */
static struct kfence_metadata *take_slot(struct kmem_cache *s,
					 unsigned int size,
					 unsigned long caller)
{
	struct kfence_metadata *meta;
	unsigned long page;

	if (list_empty(&kfence_freelist))
		return NULL;
	meta = list_first_entry(&kfence_freelist, struct kfence_metadata,
				list);
	list_del(&meta->list);
	page = slot_page(meta_index(meta));
	meta->addr = ALIGN_DOWN(page + PAGE_SIZE - size, s->align);
	meta->cache = s;
	meta->size = size;
	meta->state = KFENCE_OBJECT_ALLOCATED;
	save_track(&meta->alloc_track, caller);
	pgtable_set_leaves(&kernel_pgtable, slot_pte(meta), &meta->page, 1,
			   PAGE_KERNEL);
	kfence_allocated++;
	kfence_allocs++;
	if (s->flags & SLAB_C_HEAP)
		c_heap_count_object(s, true);
	return meta;
}

void *kfence_alloc(struct kmem_cache *s, size_t size, gfp_t gfp,
		   unsigned long caller)
{
	u64 now = timer_read(), next = READ_ONCE(kfence_next);
	struct kfence_metadata *meta;
	unsigned long flags, page;
	void *object;

	if (!size)
		size = s->object_size;
	if (now < next ||
	    !__atomic_compare_exchange_n(&kfence_next, &next,
					 now + kfence_interval_ticks, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return NULL;	/* another hart's sample */
	flags = spin_lock_irqsave(&kfence_lock);
	meta = take_slot(s, size, caller);
	spin_unlock_irqrestore(&kfence_lock, flags);
	if (!meta)
		return NULL;		/* every slot in use */
	object = (void *)meta->addr;
	page = ALIGN_DOWN(meta->addr, PAGE_SIZE);
	/* a hart may cache the entry's absence: make this one see it */
	local_flush_tlb_page(page);
	canary_fill(page, meta->addr);
	canary_fill(meta->addr + size, page + PAGE_SIZE);
	if (gfp & __GFP_ZERO)
		memset(object, 0, size);
	if (s->ctor)
		s->ctor(object);
	return object;
}

static void print_track(const char *what, const struct kfence_track *t)
{
	char sym[64];
	unsigned int i;

	pr_err("%s by cpu %u:\n", what, t->cpu);
	for (i = 0; i < t->nr; i++) {
		format_symbol(sym, sizeof(sym), t->stack[i]);
		pr_err(" %s\n", sym);
	}
}

/* The object's line, its allocation and its free. */
static void print_object(const struct kfence_metadata *meta)
{
	pr_err("kfence-#%u: %#lx-%#lx, size=%u, cache=%s\n\n",
	       meta_index(meta), meta->addr, meta->addr + meta->size - 1,
	       meta->size, meta->cache ? meta->cache->name : "(destroyed)");
	print_track("allocated", &meta->alloc_track);
	if (meta->state == KFENCE_OBJECT_FREED) {
		pr_err("\n");
		print_track("freed", &meta->free_track);
	}
}

/* The report's head: the rule line and "BUG: KFENCE: @what in @where". */
static void report_start(const char *what, unsigned long where)
{
	char sym[64];

	panic_enter();
	format_symbol(sym, sizeof(sym), where);
	pr_err("=================================================="
	       "================\n");
	pr_err("BUG: KFENCE: %s in %s\n\n", what, sym);
}

static void report_end(void)
{
	pr_err("=================================================="
	       "================\n");
}

/* A bad free of @addr (in @meta's page, or NULL) by @caller: panics. */
static void __noreturn report_invalid_free(const struct kfence_metadata *meta,
					   unsigned long addr,
					   const char *why,
					   unsigned long caller)
{
	report_start("invalid free", caller);
	pr_err("Invalid free of %#lx (%s):\n", addr, why);
	if (meta && meta->state != KFENCE_OBJECT_UNUSED)
		print_object(meta);
	report_end();
	panic("kfence: invalid free of %#lx", addr);
}

/* A canary byte at @bad changed: the object was overrun. Panics. */
static void __noreturn report_corruption(const struct kfence_metadata *meta,
					 unsigned long bad,
					 unsigned long caller)
{
	bool left = bad < meta->addr;
	unsigned long end = left ? meta->addr :
			    ALIGN_DOWN(meta->addr, PAGE_SIZE) + PAGE_SIZE;
	char bytes[64];
	unsigned int n = 0;
	unsigned long p;

	/* up to 8 canary bytes from the first bad one: '.' if intact */
	for (p = bad; p < end && p < bad + 8; p++) {
		u8 b = *(u8 *)p;

		if (b == KFENCE_CANARY(p))
			n += snprintf(bytes + n, sizeof(bytes) - n, " .");
		else
			n += snprintf(bytes + n, sizeof(bytes) - n, " %#x", b);
	}
	report_start("memory corruption", caller);
	pr_err("Corrupted memory at %#lx [%s ] (%luB %s of kfence-#%u):\n",
	       bad, bytes, left ? meta->addr - bad :
	       bad - (meta->addr + meta->size) + 1, left ? "left" : "right",
	       meta_index(meta));
	print_object(meta);
	report_end();
	panic("kfence: memory corruption at %#lx", bad);
}

/* Both sides of @meta's object still hold the canary? */
static void check_canary(const struct kfence_metadata *meta,
			 unsigned long caller)
{
	unsigned long page = ALIGN_DOWN(meta->addr, PAGE_SIZE);
	unsigned long bad = canary_check(page, meta->addr);

	if (!bad)
		bad = canary_check(meta->addr + meta->size, page + PAGE_SIZE);
	if (bad)
		report_corruption(meta, bad, caller);
}

/* What is wrong with freeing @addr (of @meta's page) to @s, or NULL. */
static const char *free_error(const struct kfence_metadata *meta,
			      const struct kmem_cache *s, unsigned long addr)
{
	if (!meta || meta->state == KFENCE_OBJECT_UNUSED)
		return "not allocated";
	if (meta->state == KFENCE_OBJECT_FREED)
		return "freed already";
	if (meta->addr != addr)
		return "not the object's start";
	if (s && s != meta->cache)
		return "freed to another cache";
	return NULL;
}

#define SAMPLE_BURST	256

void *kfence_alloc_until_sampled(void *(*alloc)(size_t),
				 void (*free)(void *), size_t size,
				 unsigned int max_bursts, unsigned int *bursts)
{
	void *burst[SAMPLE_BURST], *found = NULL;
	unsigned int i, n, round;

	for (round = 0; round < max_bursts && !found; round++) {
		for (n = 0; n < SAMPLE_BURST; n++) {
			burst[n] = alloc(size);
			if (is_kfence_address(burst[n])) {
				found = burst[n];
				break;
			}
		}
		for (i = 0; i < n; i++)
			free(burst[i]);
	}
	if (bursts)
		*bursts = round;
	return found;
}

void kfence_free(struct kmem_cache *s, void *addr, unsigned long caller)
{
	struct kfence_metadata *meta = addr_to_metadata((unsigned long)addr);
	unsigned long page = ALIGN_DOWN((unsigned long)addr, PAGE_SIZE);
	unsigned long flags = spin_lock_irqsave(&kfence_lock);
	const char *why = free_error(meta, s, (unsigned long)addr);

	/* reports end the boot with the lock held: nothing runs after */
	if (why)
		report_invalid_free(meta, (unsigned long)addr, why, caller);
	check_canary(meta, caller);
	save_track(&meta->free_track, caller);
	meta->state = KFENCE_OBJECT_FREED;
	pgtable_clear_leaves(slot_pte(meta), 1, NULL);
	list_add_tail(&meta->list, &kfence_freelist);
	kfence_allocated--;
	kfence_frees++;
	if (meta->cache && (meta->cache->flags & SLAB_C_HEAP))
		c_heap_count_object(meta->cache, false);
	spin_unlock_irqrestore(&kfence_lock, flags);
	flush_tlb_kernel_range(page, page + PAGE_SIZE);
}

size_t kfence_ksize(const void *addr, size_t size)
{
	struct kfence_metadata *meta = addr_to_metadata((unsigned long)addr);
	unsigned long end = ALIGN_DOWN((unsigned long)addr, PAGE_SIZE) +
			    PAGE_SIZE;
	size_t room;

	if (!meta || READ_ONCE(meta->state) != KFENCE_OBJECT_ALLOCATED ||
	    meta->addr != (unsigned long)addr)
		return 0;
	room = min(end - meta->addr, (unsigned long)meta->cache->object_size);
	if (size < meta->size)	/* what it gives up is canary again */
		canary_fill(meta->addr + size, end);
	meta->size = min(size, room);
	return room;
}

unsigned int kfence_shutdown_cache(struct kmem_cache *s)
{
	unsigned long flags = spin_lock_irqsave(&kfence_lock);
	unsigned int i, live = 0;

	for (i = 0; i < kfence_nr_objects; i++)
		if (kfence_metadata[i].cache == s &&
		    kfence_metadata[i].state == KFENCE_OBJECT_ALLOCATED)
			live++;
	for (i = 0; i < kfence_nr_objects && !live; i++)
		if (kfence_metadata[i].cache == s)
			kfence_metadata[i].cache = NULL;
	spin_unlock_irqrestore(&kfence_lock, flags);
	return live;
}

/*
 * The object a guard-page access at @addr most likely overran: an
 * allocated neighbour before a freed one, the nearer of two alike.
 */
static struct kfence_metadata *guard_owner(unsigned long addr)
{
	unsigned long page = ALIGN_DOWN(addr, PAGE_SIZE);
	struct kfence_metadata *left = addr_to_metadata(page - PAGE_SIZE);
	struct kfence_metadata *right = addr_to_metadata(page + PAGE_SIZE);

	if (left && left->state == KFENCE_OBJECT_UNUSED)
		left = NULL;
	if (right && right->state == KFENCE_OBJECT_UNUSED)
		right = NULL;
	if (!left || !right)
		return left ? left : right;
	if (left->state != right->state)
		return left->state == KFENCE_OBJECT_ALLOCATED ? left : right;
	return addr - (left->addr + left->size) <= right->addr - addr ?
	       left : right;
}

/* An access at @addr outside @meta's object, in a guard page. */
static void report_oob(const struct kfence_metadata *meta,
		       unsigned long addr, const char *access,
		       unsigned long pc, char *what, size_t len)
{
	bool left = addr < meta->addr;
	unsigned long dist = left ? meta->addr - addr :
			     addr - (meta->addr + meta->size) + 1;
	char bug[40];

	snprintf(bug, sizeof(bug), "out-of-bounds %s", access);
	report_start(bug, pc);
	pr_err("Out-of-bounds %s at %#lx (%luB %s of kfence-#%u):\n", access,
	       addr, dist, left ? "left" : "right", meta_index(meta));
	print_object(meta);
	snprintf(what, len, "the KFENCE guard page %s kfence-#%u (%s, "
		 "%u bytes)", left ? "below" : "after", meta_index(meta),
		 meta->cache ? meta->cache->name : "a destroyed cache",
		 meta->size);
}

static void report_uaf(const struct kfence_metadata *meta,
		       unsigned long addr, const char *access,
		       unsigned long pc, char *what, size_t len)
{
	char bug[40];

	snprintf(bug, sizeof(bug), "use-after-free %s", access);
	report_start(bug, pc);
	pr_err("Use-after-free %s at %#lx (in kfence-#%u):\n", access, addr,
	       meta_index(meta));
	print_object(meta);
	snprintf(what, len, "freed KFENCE object kfence-#%u (use after "
		 "free)", meta_index(meta));
}

bool kfence_handle_page_fault(unsigned long addr, const char *access,
			      unsigned long pc, char *what, size_t len)
{
	struct kfence_metadata *meta = addr_to_metadata(addr);

	bool live = meta &&
		    READ_ONCE(meta->state) == KFENCE_OBJECT_ALLOCATED;

	/* a live object's page is mapped, but never executable: a read or
	 * write fault there met a stale absent entry, so flush and retry */
	if (live && strcmp(access, "execute")) {
		local_flush_tlb_page(addr);
		return false;
	}
	if (meta && meta->state == KFENCE_OBJECT_FREED) {
		report_uaf(meta, addr, access, pc, what, len);
	} else if (!meta && (meta = guard_owner(addr))) {
		report_oob(meta, addr, access, pc, what, len);
	} else {
		char bug[40];

		snprintf(bug, sizeof(bug), "invalid %s", access);
		report_start(bug, pc);
		pr_err("Invalid %s at %#lx (%s)\n", access, addr,
		       live ? "a KFENCE object, not code" :
		       "no KFENCE object there");
		snprintf(what, len, "the KFENCE pool, %s",
			 live ? "an object, not code" : "no object there");
	}
	report_end();
	return true;
}

/* Bytes KFENCE holds: object pages and metadata (its one page-table page
 * counts with the page tables). */
static unsigned long kfence_bytes(void)
{
	return kfence_nr_objects * PAGE_SIZE +
	       PAGE_ALIGN(kfence_nr_objects * sizeof(struct kfence_metadata));
}

unsigned long kfence_nr_kbytes(void)
{
	return kfence_bytes() >> 10;
}

void kfence_vm_events(unsigned long *frees, unsigned long *active)
{
	unsigned long flags = spin_lock_irqsave(&kfence_lock);

	*frees += kfence_frees;
	*active += kfence_allocated;
	spin_unlock_irqrestore(&kfence_lock, flags);
}

void show_kfence(void)
{
	if (!kfence_nr_objects) {
		printk("kfence: off\n");
		return;
	}
	printk("kfence: %u objects, %lu in use, %lu allocated and %lu freed "
	       "since boot, one every %lu ms, %luK\n", kfence_nr_objects,
	       READ_ONCE(kfence_allocated), READ_ONCE(kfence_allocs),
	       READ_ONCE(kfence_frees), kfence_sample_interval,
	       kfence_nr_kbytes());
}

/* The pool's pages and metadata; 0 or -ENOMEM (nothing kept). */
static int kfence_alloc_pool(unsigned int nr)
{
	size_t meta_size = nr * sizeof(struct kfence_metadata);
	char *pages = alloc_pages_exact(nr * PAGE_SIZE, GFP_KERNEL);
	unsigned int i;

	kfence_metadata = alloc_pages_exact(meta_size, GFP_KERNEL);
	kfence_ptes = pgtable_leaf_entry(&kernel_pgtable, KFENCE_POOL_START);
	if (!pages || !kfence_metadata || !kfence_ptes) {
		if (pages)
			free_pages_exact(pages, nr * PAGE_SIZE);
		if (kfence_metadata)
			free_pages_exact(kfence_metadata, meta_size);
		kfence_metadata = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++) {
		struct kfence_metadata *meta = &kfence_metadata[i];

		meta->page = virt_to_page(pages + i * PAGE_SIZE);
		meta->cache = NULL;
		meta->state = KFENCE_OBJECT_UNUSED;
		list_add_tail(&meta->list, &kfence_freelist);
	}
	return 0;
}

void kfence_init(void)
{
	unsigned long nr = min(nr_free_pages() >> KFENCE_RAM_SHIFT,
			       (unsigned long)KFENCE_MAX_OBJECTS);

	if (!kfence_sample_interval || !nr)
		return;
	if (kfence_alloc_pool(nr)) {
		pr_warn("kfence: no memory for %lu objects: off\n", nr);
		return;
	}
	kfence_nr_objects = nr;
	kfence_interval_ticks = kfence_sample_interval * 1000 *
				timer_ticks_per_us();
	WRITE_ONCE(kfence_next, timer_read() + kfence_interval_ticks);
}
