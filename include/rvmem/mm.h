/* SPDX-License-Identifier: MIT */
/*
 * Pages: struct page, page frame numbers and kernel addresses, and the
 * page allocator's statistics.
 *
 * Every frame of RAM between memblock_start_of_DRAM() and
 * memblock_end_of_DRAM() has a struct page in one flat array, mem_map
 * (holes too: their pages stay PageReserved). pfn_to_page() is a
 * subtraction, a shift and an add; the free fast paths read the same
 * struct pages through the vmemmap window instead (virt_to_page_fast()),
 * which needs no subtraction. page_address() is the identity mapping.
 */
#ifndef RVMEM_MM_H
#define RVMEM_MM_H

#include <asm/page.h>
#include <rvmem/gfp.h>
#include <rvmem/list.h>
#include <rvmem/memlayout.h>
#include <rvmem/types.h>

/* page->flags bits; the zone id (node and zone) lives in the top byte */
enum pageflags {
	PG_reserved,	/* never handed to the buddy (hole, kernel, firmware) */
	PG_buddy,	/* first page of a free buddy block of page->order */
	PG_head,	/* first page of an allocated block (checked at free) */
	PG_slab,	/* owned by the slab allocator */
	PG_pcp,		/* free block of page->order on a per-hart list */
	NR_PAGEFLAGS,
};

#define ZONE_SHIFT	56
#define ZONES_SHIFT	1	/* zone types a node has, log2 (mmzone.h) */

struct kmem_cache;

/**
 * struct page - the state of one physical page frame
 * @flags: PG_* bits and the zone id (nid * MAX_NR_ZONES + zone type)
 * @lru: buddy free list while free; the owner's list (slab: partial
 *       slabs) while allocated
 * @pcp_next: the next block on a per-hart list (PG_pcp)
 * @order: block order while PG_buddy, PG_pcp or PG_head
 * @counters: owner's use (slab: objects in use)
 * @large_kind: a large kmalloc() block's head: kmalloc's or the C heap's
 * @slab_cache: the kmem_cache of a slab's page, written by the slab
 *       allocator alone and NULL on every other page, so kfree() tells a
 *       slab object from anything else with one load
 * @freelist: owner's use (slab: first free object)
 * @alloc_caller: --debug builds: who allocated the block (return address)
 *
 * One per cache line (64 bytes, as Linux's): a pfn and its struct page
 * convert by a shift and an add (kfree() saves the multiply by 48), and
 * no two frames' state shares a line between harts. It costs 1.6% of RAM;
 * the padding is never written (memmap_init_pages() sets each field, so
 * a new field is initialised there).
 */
struct page {
	unsigned long flags;
	union {
		struct list_head lru;
		struct page *pcp_next;
	};
	unsigned int order;
	union {
		unsigned int counters;		/* slab: objects out */
		unsigned int large_kind;	/* large kmalloc block: whose */
	};
	struct kmem_cache *slab_cache;
	void *freelist;
#ifdef CONFIG_DEBUG
	unsigned long alloc_caller;
#endif
} ____cacheline_aligned;
_Static_assert(sizeof(struct page) == L1_CACHE_BYTES,
	       "struct page outgrew its cache line");

extern struct page *mem_map;
extern unsigned long memmap_base_pfn;	/* pfn of mem_map[0] */
extern unsigned long max_pfn;		/* one past the last pfn */
extern unsigned long memmap_pages;	/* max_pfn - memmap_base_pfn */

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn - memmap_base_pfn < memmap_pages;	/* wraps below */
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + (pfn - memmap_base_pfn);
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map) + memmap_base_pfn;
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;
}

/** page_address() - the kernel address of a page's first byte */
static inline void *page_address(const struct page *page)
{
	return __va(page_to_phys(page));
}

/**
 * clear_page() - zero one page
 * @page: its kernel address, page-aligned
 *
 * Faster than memset() for the one case it serves: no edges to align.
 */
void clear_page(void *page);

/** virt_to_page() - the page holding a kernel address in RAM */
static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(__pa(addr) >> PAGE_SHIFT);
}

/*
 * The lowest pfn whose struct page boot left uninitialised (ULONG_MAX
 * when none is): below it no lookup needs pfn_deferred().
 */
extern unsigned long deferred_low_pfn;

bool __pfn_deferred(unsigned long pfn);	/* the zone lookup */

/**
 * pfn_deferred() - is a RAM page's struct page still uninitialised
 * @pfn: a valid pfn (pfn_valid())
 *
 * Such a page was never allocated, and its struct page holds whatever the
 * RAM under mem_map held at boot.
 * Return: true if boot deferred it and no zone growth has reached it.
 */
static __always_inline bool pfn_deferred(unsigned long pfn)
{
	return unlikely(pfn >= READ_ONCE(deferred_low_pfn)) &&
	       __pfn_deferred(pfn);
}

/**
 * virt_to_page_or_null() - the page holding @addr, if it is in RAM
 * @addr: any address
 *
 * For pointers from callers (frees, ksize), which may be anything: a page
 * whose struct page is not initialised yet counts as not in RAM.
 * Return: the page, or NULL if @addr is not in RAM (nor are NULL and
 * ZERO_SIZE_PTR, unless RAM starts at 0) or its struct page is not
 * initialised.
 */
static __always_inline struct page *virt_to_page_or_null(const void *addr)
{
	unsigned long pfn = __pa(addr) >> PAGE_SHIFT;
	struct page *page;

	if (unlikely(!pfn_valid(pfn) || pfn_deferred(pfn)))
		return NULL;
	page = pfn_to_page(pfn);
	if (!page)
		__builtin_unreachable();	/* callers need no NULL test */
	return page;
}

#ifdef ARCH_HAS_VMEMMAP_WINDOW
/*
 * Kernel addresses below this have a struct page in the vmemmap window
 * (rvmem/memlayout.h): 0 until paging_init() maps the window.
 */
extern unsigned long vmemmap_limit;

/**
 * virt_to_page_fast() - a struct page to read for any kernel address
 * @addr: any address, NULL and garbage included
 *
 * For the free fast paths: one bound check, a shift and an add, with no
 * base pfn to load or subtract. Below the window's limit, the window maps
 * mem_map read-only, and a shared zeroed page under every pfn below RAM
 * and every pfn whose struct page is not initialised yet, so the page
 * returned may be read (its slab_cache says whether @addr is a slab's)
 * but not written.
 * Return: @addr's struct page if @addr is in RAM and it is initialised;
 * a zeroed one if not but @addr lies below vmemmap_limit; else NULL.
 */
static __always_inline const struct page *virt_to_page_fast(const void *addr)
{
	unsigned long pa = __pa(addr);

	if (unlikely(pa >= vmemmap_limit))
		return NULL;
	return (const struct page *)VMEMMAP_START + (pa >> PAGE_SHIFT);
}
#else
/*
 * No window (the host build): mem_map itself, bound-checked. Deferred
 * struct pages read as zeroed, as in the window: the host clears
 * mem_map at boot.
 */
static __always_inline const struct page *virt_to_page_fast(const void *addr)
{
	unsigned long pfn = __pa(addr) >> PAGE_SHIFT;

	return pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;
}
#endif

/*
 * page->flags has one writer at a time: the block's owner while it is
 * allocated, the zone-lock holder while it is free. Other harts may read
 * it meanwhile (a buddy check looks at a neighbour), hence the relaxed
 * atomic accesses: plain loads and stores, no read-modify-write.
 */
static inline bool page_test_flag(const struct page *page, enum pageflags f)
{
	return READ_ONCE(page->flags) & (1UL << f);
}

static inline void page_set_flag(struct page *page, enum pageflags f)
{
	WRITE_ONCE(page->flags, page->flags | (1UL << f));
}

static inline void page_clear_flag(struct page *page, enum pageflags f)
{
	WRITE_ONCE(page->flags, page->flags & ~(1UL << f));
}

#define PageReserved(p)	page_test_flag(p, PG_reserved)
#define PageBuddy(p)	page_test_flag(p, PG_buddy)
#define PageHead(p)	page_test_flag(p, PG_head)
#define PageSlab(p)	page_test_flag(p, PG_slab)
#define PagePcp(p)	page_test_flag(p, PG_pcp)

/** page_zone_id() - the index in zones[] of the page's zone */
static inline unsigned int page_zone_id(const struct page *page)
{
	return READ_ONCE(page->flags) >> ZONE_SHIFT;
}

/** page_zonenum() - the page's zone type (ZONE_DMA32 or ZONE_NORMAL) */
static inline unsigned int page_zonenum(const struct page *page)
{
	return page_zone_id(page) & ((1U << ZONES_SHIFT) - 1);
}

/** page_to_nid() - the NUMA node the page's RAM is on */
static inline int page_to_nid(const struct page *page)
{
	return page_zone_id(page) >> ZONES_SHIFT;
}

/**
 * deferred_init_all() - initialise every struct page still deferred and
 * put its free pages on the free lists
 *
 * Context: interrupts enabled or not, no zone lock held; takes each zone
 * lock for as long as its chunks take (about 9 instructions a page).
 */
void deferred_init_all(void);

/** nr_free_pages() - pages free in the buddy lists of all zones */
unsigned long nr_free_pages(void);

/**
 * nr_page_tables() - pages holding page tables, all trees (PageTables)
 *
 * Return: the count now; another hart may change it at once.
 */
unsigned long nr_page_tables(void);

/**
 * struct sysinfo - the memory part of Linux's sysinfo(2), in pages
 * @totalram: pages managed by the page allocator
 * @freeram: pages free in the buddy lists
 * @mem_unit: bytes per unit (PAGE_SIZE)
 */
struct sysinfo {
	unsigned long totalram;
	unsigned long freeram;
	unsigned long mem_unit;
};

/** si_meminfo() - fill @val with total and free memory */
void si_meminfo(struct sysinfo *val);

/**
 * si_meminfo_node() - si_meminfo() for one NUMA node
 * @val: filled with the node's managed and free pages
 * @nid: the node, or NUMA_NO_NODE (-1) for all of them
 */
void si_meminfo_node(struct sysinfo *val, int nid);

/** show_free_areas() - print each zone's free blocks per order (buddyinfo) */
void show_free_areas(void);

/** show_meminfo() - print MemTotal, MemFree and the mm's own overhead */
void show_meminfo(void);

struct zone;

/**
 * drain_local_pages() - return this hart's per-hart lists to the buddy
 * @zone: only this zone's list, or NULL for every zone
 *
 * Context: any; touches only the calling hart's lists, interrupts off.
 */
void drain_local_pages(struct zone *zone);

/**
 * drain_all_pages() - return every hart's per-hart lists to the buddy
 *
 * Runs drain_local_pages() on each online hart through a cross-call.
 * Context: interrupts enabled, no locks held.
 */
void drain_all_pages(void);

#endif /* RVMEM_MM_H */
