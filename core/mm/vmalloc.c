// SPDX-License-Identifier: MIT
/*
 * vmalloc, vmap and ioremap areas in [VMALLOC_START, VMALLOC_END).
 *
 * Small vmalloc() areas (up to VMAP_MAX_PAGES, page-aligned) are pieces
 * of per-hart blocks, as Linux's vmap_block. A block is 2 MiB, aligned,
 * so it owns one last-level page table whole, found once when the block
 * is made: mapping a piece fills its entries under the block's own lock,
 * with no walk and no global lock. A hart hands out its block's slots in
 * order, each piece followed by a guard slot; slots are never handed out
 * twice in a block's life. Freeing a piece clears its entries and marks
 * its slots dirty. A hart whose block has no room retires it (the slots
 * left count as dirty) and takes another; a retired block whose slots
 * are all dirty goes on the lazy list and is recycled at the next purge.
 *
 * Where the harts have Svnapot (kernel_pgtable.napot), every 16 pages of
 * an area at a 64 KiB-aligned address are one order-4 allocation, split
 * into pages, so they map as one 64 KiB NAPOT leaf: pieces of 16 pages
 * or more start at a 16-aligned slot, and other areas of 64 KiB or more
 * are 64 KiB-aligned. What counts is the address the pages are mapped
 * from: a stack's guard page comes first, so its mapped part takes groups
 * only from where a leaf table's share of it starts on a 64 KiB boundary.
 * The pages stay order-0 ones for everything else (freeing, pools); a
 * group whose order-4 allocation fails is made of single pages, mapped
 * plain. vmallocinfo counts an area's NAPOT leaves (napot=N).
 *
 * Every other area (larger, aligned, vmap, ioremap, stack) is a struct
 * vm_struct with a range of its own in vmap_space, which always reserves
 * a guard page after the mapped part (stacks also one before). Blocks
 * are such ranges too (kind VM_BLOCK). Backing pages are found through
 * the page table, so no area needs a page array.
 *
 * Two trees answer two questions, as Linux's busy and free vmap_area
 * trees do. vmap_space (vm_space: augmented with the gap below each
 * range) answers "where is a free gap": it holds every range that must
 * not be handed out, live areas, blocks and lazily freed areas alike.
 * vmap_busy, a plain AVL tree by start, answers "who owns this address"
 * for vfree(), vmallocinfo and the fault reports: it holds live areas
 * and blocks only. A vfree()'d area leaves vmap_busy at once and keeps
 * only its reservation in vmap_space until the purge has flushed it.
 * Lookups so never step over dead areas, and placing an area costs one
 * more insert, into a tree with no augmented value. (Linux's free tree
 * of extents would need a node allocated per extent, and frees that can
 * fail for want of one.) A lookup that misses vmap_busy, an error or a
 * report, asks vmap_space, which still names a lazily freed area: a
 * double vfree() and a fault in a freed area are reported as such.
 *
 * Freeing is lazy, as in Linux: vfree() clears the entries at once (any
 * later access faults, on this hart for certain) and parks the pages, on
 * the block or the area, and the area on the lazy list. When
 * lazy_max_pages have piled up, or on vm_unmap_aliases(), one TLB flush
 * on every hart covers them all, and only then are the pages freed, the
 * ranges released and the dead blocks recycled. So no hart can reach a
 * freed page, or a new area, through a stale translation, and a burst of
 * frees costs one SBI RFENCE rather than one each.
 *
 * The pages a purge makes safe go to a per-hart pool (the pool of the
 * hart that allocated them), where that hart's next vmalloc()s find
 * them: a purge hands back as many pages as the next stretch of
 * allocations takes, which would otherwise go down to the buddy
 * allocator and straight back up (merging and splitting each page). The
 * next purge frees what a pool did not use; vm_unmap_aliases() frees it
 * all. Parked and pooled pages stay within 2 * lazy_max_pages (32 MiB at
 * most, 1/8 of the free RAM on small boots).
 *
 * Lock order: purge_lock -> vmap_lock -> vb->lock -> kernel_pgtable.lock
 * -> zone->lock.
 * - purge_lock: one purge at a time, held across its flush.
 * - vmap_lock: vmap_space, vmap_busy, the lazy list, the lists of blocks
 *   and the block index.
 * - pool->lock: a hart's pool; its hart takes pages, a purge refills it.
 * - vb->lock: a block's slots, pieces and parked pages, and the entries
 *   of its page table (so they need no kernel_pgtable.lock).
 * - vb_cur[cpu]: its hart's alone, used with interrupts off.
 */
#define pr_fmt(fmt) "vmalloc: " fmt

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <asm/barrier.h>
#include <asm/tlbflush.h>
#include <rvmem/avl.h>
#include <rvmem/memlayout.h>
#include <rvmem/mm.h>
#include <rvmem/panic.h>
#include <rvmem/internal/mm.h>
#include <rvmem/internal/pgtable.h>
#include <rvmem/printk.h>
#include <rvmem/ratelimit.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>
#include <rvmem/vm_space.h>
#include <rvmem/vmalloc.h>
#include <rvmem/vmstat.h>

/* A vmalloc() failing in a loop must not flood the console. */
static DEFINE_RATELIMIT_STATE(vmalloc_warn_rs, "vmalloc: allocation failures",
			      DEFAULT_RATELIMIT_INTERVAL_US,
			      DEFAULT_RATELIMIT_BURST);

/*
 * Parked pages that start a purge; pools then hold up to as many. At
 * most 16 MiB, and at most 1/16 of the free RAM at boot: on a 16 MiB
 * boot, 16 MiB parked would be all the memory there is.
 */
#define LAZY_MAX_PAGES	(16UL << (20 - PAGE_SHIFT))	/* 16 MiB */
#define LAZY_RAM_SHIFT	4

#define VMAP_BLOCK_PAGES	PTRS_PER_TABLE	/* one last-level table */
#define VMAP_BLOCK_SIZE		(VMAP_BLOCK_PAGES * PAGE_SIZE)
#define VMAP_FREE_BLOCKS	16	/* empty blocks kept for reuse */
#define PIECE_FREED		0x8000	/* in vb->nr[]: vfree'd */
/* The block index: a table of VMAP_BLOCK_PAGES blocks per 1 GiB. */
#define INDEX_SPAN		(VMAP_BLOCK_SIZE * VMAP_BLOCK_PAGES)

enum vm_kind {
	VM_ALLOC,		/* vmalloc(): pages owned by the area */
	VM_MAP,			/* vmap(): pages owned by the caller */
	VM_IOREMAP,		/* ioremap(): device memory */
	VM_STACK,		/* vmalloc_stack(): guard page below too */
	VM_BLOCK,		/* a vmap_block: small vmalloc() pieces */
};

static const char *const kind_names[] = {
	[VM_ALLOC] = "vmalloc", [VM_MAP] = "vmap",
	[VM_IOREMAP] = "ioremap", [VM_STACK] = "stack",
	[VM_BLOCK] = "block",
};

/**
 * struct vm_struct - one area
 * @range: [start, end) mapped (from start + PAGE_SIZE for stacks), then
 *         the guard page; in vmap_space until the purge after its free
 * @busy: in vmap_busy while live (a block: for its life)
 * @kind: what made it
 * @nr_pages: pages mapped
 * @phys: ioremap's physical base
 * @caller: return address of the allocating call, or the hart for stacks
 * @cpu: the hart whose pool gets the pages back
 * @freed: vfree'd, out of vmap_busy or about to be, waiting on the lazy
 *         list for the next purge
 * @lazy: link on the lazy list (or, for a block, the free blocks)
 * @dead_pages: pages unmapped and freed at the next purge (linked by lru)
 */
struct vm_struct {
	struct vm_range range;
	struct avl_node busy;
	enum vm_kind kind;
	unsigned long nr_pages;
	phys_addr_t phys;
	unsigned long caller;
	unsigned int cpu;
	bool freed;
	struct list_head lazy;
	struct list_head dead_pages;
};

/**
 * struct vmap_block - VMAP_BLOCK_PAGES slots that small areas come from
 * @lock: covers the fields below and the entries at @ptes
 * @next: the first slot never handed out; VMAP_BLOCK_PAGES once the
 *        block is retired (then it is no hart's, and dies when @dirty
 *        reaches it too)
 * @dirty: slots freed, or given up when the block was retired
 * @ptes: the entries of the block's own page table
 * @area: the block's range (no guard: each piece has its own inside);
 *        @area.dead_pages holds the pages of freed pieces
 * @list: on vmap_blocks
 * @nr: at a piece's first slot its pages (| PIECE_FREED once freed), 0
 *      at every other slot
 * @caller: at a piece's first slot, who allocated it
 */
struct vmap_block {
	spinlock_t lock;
	unsigned int next;
	unsigned int dirty;
	pte_t *ptes;
	struct vm_struct area;
	struct list_head list;
	u16 nr[VMAP_BLOCK_PAGES];
	unsigned long caller[VMAP_BLOCK_PAGES];
};

/**
 * struct vmap_pool - pages a purge made safe, for one hart's vmalloc()s
 * @lock: taken by the hart and by a purge refilling it
 * @pages: linked by lru
 */
struct vmap_pool {
	spinlock_t lock;
	struct list_head pages;
} ____cacheline_aligned;

static struct vm_space vmap_space;
static struct avl_root vmap_busy;
static DEFINE_SPINLOCK(purge_lock);
static DEFINE_SPINLOCK(vmap_lock);
static LIST_HEAD(lazy_areas);
static LIST_HEAD(vmap_blocks);
static LIST_HEAD(free_blocks);
static unsigned int nr_free_blocks;
static struct vmap_block **block_index[(VMALLOC_END - VMALLOC_START) /
				       INDEX_SPAN];
static struct vmap_block *vb_cur[NR_CPUS];
static struct vmap_pool vmap_pools[NR_CPUS];
static unsigned long lazy_nr_pages;	/* parked pages */
static unsigned long lazy_max_pages = LAZY_MAX_PAGES;
static struct kmem_cache *vm_struct_cache;
unsigned long nr_vmalloc_pages;

/* From scratch, every list and table: the host tests boot many times. */
void vmalloc_init(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		INIT_LIST_HEAD(&vmap_pools[cpu].pages);
	INIT_LIST_HEAD(&lazy_areas);
	INIT_LIST_HEAD(&vmap_blocks);
	INIT_LIST_HEAD(&free_blocks);
	nr_free_blocks = 0;
	memset(block_index, 0, sizeof(block_index));
	memset(vb_cur, 0, sizeof(vb_cur));
	lazy_nr_pages = nr_vmalloc_pages = 0;
	lazy_max_pages = min(LAZY_MAX_PAGES,
			     nr_free_pages() >> LAZY_RAM_SHIFT);
	vm_space_init(&vmap_space, VMALLOC_START, VMALLOC_END);
	vmap_busy.node = NULL;
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

/* This hart stops seeing stale entries for [@va, @va + @nr pages). */
static void local_flush_area(unsigned long va, unsigned long nr)
{
	if (nr > VMAP_MAX_PAGES) {
		local_flush_tlb_all();
		return;
	}
	local_flush_tlb_pages(va, nr);
}

/* Move every entry of @from to the tail of @to. */
static void list_move_all(struct list_head *from, struct list_head *to)
{
	if (list_empty(from))
		return;
	from->next->prev = to->prev;
	to->prev->next = from->next;
	from->prev->next = to;
	to->prev = from->prev;
	INIT_LIST_HEAD(from);
}

/* Pooled pages hold old data: zero them where @gfp asks. */
static void zero_pages(struct page **pages, unsigned long nr, gfp_t gfp)
{
	if (gfp & __GFP_ZERO)
		while (nr--)
			memset(page_address(pages[nr]), 0, PAGE_SIZE);
}

/* Take up to @nr pages from this hart's pool into @pages. */
static unsigned long take_pooled(struct page **pages, unsigned long nr,
				 gfp_t gfp)
{
	struct vmap_pool *pool = &vmap_pools[smp_processor_id()];
	unsigned long flags = spin_lock_irqsave(&pool->lock), i;

	for (i = 0; i < nr && !list_empty(&pool->pages); i++) {
		pages[i] = list_first_entry(&pool->pages, struct page, lru);
		list_del(&pages[i]->lru);
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	zero_pages(pages, i, gfp);
	return i;
}

/*
 * Take the first NAPOT_PTES pages of this hart's pool if they make a
 * 64 KiB group (aligned, in frame order), as a vfree'd group's pages
 * come back: then a NAPOT area reuses them as the pool's single pages
 * are reused. Return: whether it did.
 */
static bool take_pooled_group(struct page **pages, gfp_t gfp)
{
	struct vmap_pool *pool = &vmap_pools[smp_processor_id()];
	unsigned long flags = spin_lock_irqsave(&pool->lock), i = 0;
	struct list_head *pos;
	bool group;

	for (pos = pool->pages.next; i < NAPOT_PTES && pos != &pool->pages;
	     pos = pos->next, i++) {
		pages[i] = list_entry(pos, struct page, lru);
		if (pages[i] != pages[0] + i)	/* mem_map: one array */
			break;
	}
	group = i == NAPOT_PTES && IS_ALIGNED(page_to_pfn(pages[0]),
					      NAPOT_PTES);
	for (i = 0; group && i < NAPOT_PTES; i++)
		list_del(&pages[i]->lru);
	spin_unlock_irqrestore(&pool->lock, flags);
	if (group)
		zero_pages(pages, NAPOT_PTES, gfp);
	return group;
}

/* Does an area of @nr pages at a 64 KiB-aligned address take NAPOT groups. */
static bool napot_area(unsigned long nr)
{
	return kernel_pgtable.napot && nr >= NAPOT_PTES;
}

/*
 * Fill @pages with 64 KiB groups, each 16 pages of one order-4 block
 * (a pooled group, or a new one), while whole groups fit in @nr.
 * Return: pages filled.
 */
static unsigned long alloc_napot_groups(struct page **pages, unsigned long nr,
					gfp_t gfp)
{
	unsigned long i, j;

	for (i = 0; i + NAPOT_PTES <= nr; i += NAPOT_PTES) {
		void *block;

		if (!(gfp & __GFP_DMA32) && take_pooled_group(pages + i, gfp))
			continue;
		block = alloc_pages_exact(NAPOT_SIZE, gfp | __GFP_NOWARN);
		if (!block)
			break;	/* fragmented: single pages, mapped plain */
		for (j = 0; j < NAPOT_PTES; j++)
			pages[i + j] = virt_to_page(block) + j;
	}
	return i;
}

/* Fill @pages[0..@nr) with pages, pooled ones first: all, or none. */
static int alloc_fresh_pages(struct page **pages, unsigned long nr, gfp_t gfp)
{
	unsigned long i = gfp & __GFP_DMA32 ? 0 : take_pooled(pages, nr, gfp);

	for (; i < nr; i++) {
		pages[i] = alloc_page(gfp | __GFP_NOWARN);
		if (!pages[i]) {
			while (i--)
				__free_page(pages[i]);
			return -ENOMEM;
		}
	}
	return 0;
}

/* alloc_fresh_pages() with NAPOT groups first; out of the plain path. */
static noinline int alloc_napot_pages(struct page **pages, unsigned long nr,
				      gfp_t gfp)
{
	unsigned long i = alloc_napot_groups(pages, nr, gfp);

	if (!alloc_fresh_pages(pages + i, nr - i, gfp))
		return 0;
	while (i--)
		__free_page(pages[i]);
	return -ENOMEM;
}

/*
 * Pages for @nr entries from a 64 KiB-aligned address: in NAPOT groups
 * where @napot.
 */
static int alloc_area_pages(struct page **pages, unsigned long nr, gfp_t gfp,
			    bool napot)
{
	if (unlikely(napot))
		return alloc_napot_pages(pages, nr, gfp);
	return alloc_fresh_pages(pages, nr, gfp);
}

#define busy_entry(n)	avl_entry(n, struct vm_struct, busy)

static bool busy_less(const struct avl_node *a, const struct avl_node *b)
{
	return busy_entry(a)->range.start < busy_entry(b)->range.start;
}

/*
 * The live area or block whose range (guards included) holds @addr.
 * Called under vmap_lock.
 */
static struct vm_struct *busy_find(unsigned long addr)
{
	struct avl_node *n = vmap_busy.node;
	struct vm_struct *vm = NULL;

	while (n) {	/* the last one starting at or below @addr */
		if (busy_entry(n)->range.start <= addr) {
			vm = busy_entry(n);
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return vm && addr < vm->range.end + vm->range.guard ? vm : NULL;
}

/*
 * The area or block at @addr: a live one, or else a lazily freed area
 * whose range the purge has not released yet (a report's slow path).
 * Called under vmap_lock.
 */
static struct vm_struct *area_at(unsigned long addr)
{
	struct vm_struct *vm = busy_find(addr);
	struct vm_range *r;

	if (vm)
		return vm;
	r = vm_space_find(&vmap_space, addr);
	return r ? container_of(r, struct vm_struct, range) : NULL;
}

bool vmalloc_area_busy(unsigned long addr)
{
	unsigned long flags = spin_lock_irqsave(&vmap_lock);
	bool busy = busy_find(addr);

	spin_unlock_irqrestore(&vmap_lock, flags);
	return busy;
}

/* Give @vm a range of @size bytes, and its guard, in vmap_space. */
static int place_area(struct vm_struct *vm, unsigned long size,
		      unsigned long align)
{
	unsigned long flags = spin_lock_irqsave(&vmap_lock);
	int err = vm_space_alloc(&vmap_space, &vm->range, size, align);

	if (!err)
		avl_insert(&vmap_busy, &vm->busy, busy_less, NULL);
	spin_unlock_irqrestore(&vmap_lock, flags);
	return err;
}

/* Take a block's range out of both trees. Called under vmap_lock. */
static void unplace_block(struct vmap_block *vb)
{
	avl_erase(&vmap_busy, &vb->area.busy, NULL);
	vm_space_remove(&vmap_space, &vb->area.range);
}

/*
 * Park @vm for the next purge. An area leaves vmap_busy here, its range
 * still reserved in vmap_space; a dead block stays in both, as its
 * pieces' owner, until the purge recycles it.
 */
static void queue_lazy(struct vm_struct *vm)
{
	unsigned long flags = spin_lock_irqsave(&vmap_lock);

	if (vm->kind != VM_BLOCK) {
		vm->freed = true;
		avl_erase(&vmap_busy, &vm->busy, NULL);
	}
	list_add_tail(&vm->lazy, &lazy_areas);
	spin_unlock_irqrestore(&vmap_lock, flags);
}

static void purge_lazy(bool keep);

/* Count @nr more pages waiting for a purge; purge if too many wait. */
static void add_lazy(unsigned long nr)
{
	if (__atomic_add_fetch(&lazy_nr_pages, nr, __ATOMIC_RELAXED) <=
	    lazy_max_pages || !spin_trylock(&purge_lock))
		return;		/* or another hart is purging already */
	purge_lazy(true);
	spin_unlock(&purge_lock);
}

static void __noreturn bad_free(const void *addr, enum vm_kind kind,
				unsigned long caller, const char *why)
{
	char sym[64];

	format_symbol(sym, sizeof(sym), caller);
	panic("vmalloc: bad %s(%p) by %s: %s", kind == VM_ALLOC ? "vfree" :
	      kind == VM_MAP ? "vunmap" : "iounmap", addr, sym, why);
}

/* The block that holds @addr, if any; lock-free. */
static struct vmap_block *addr_to_block(unsigned long addr)
{
	unsigned long off = addr - VMALLOC_START;
	struct vmap_block **table;

	if (off >= VMALLOC_END - VMALLOC_START)
		return NULL;
	table = READ_ONCE(block_index[off / INDEX_SPAN]);
	return table ? READ_ONCE(table[off / VMAP_BLOCK_SIZE %
				       VMAP_BLOCK_PAGES]) : NULL;
}

/* Point the index entry for the block at @start to @vb (or NULL). */
static int set_block_index(unsigned long start, struct vmap_block *vb)
{
	unsigned long off = start - VMALLOC_START;
	struct vmap_block ***table = &block_index[off / INDEX_SPAN];

	if (!*table) {
		struct vmap_block **t = (void *)get_zeroed_page(GFP_KERNEL);

		if (!t)
			return -ENOMEM;
		smp_store_release(table, t);
	}
	smp_store_release(&(*table)[off / VMAP_BLOCK_SIZE % VMAP_BLOCK_PAGES],
			  vb);
	return 0;
}

/* A new block: its range, its page table, its index entry. */
static struct vmap_block *create_block(void)
{
	struct vmap_block *vb = kzalloc(sizeof(*vb), GFP_KERNEL |
					__GFP_NOWARN);
	unsigned long flags;

	if (!vb)
		return NULL;
	vb->area.kind = VM_BLOCK;
	INIT_LIST_HEAD(&vb->area.dead_pages);
	if (place_area(&vb->area, VMAP_BLOCK_SIZE, VMAP_BLOCK_SIZE)) {
		kfree(vb);
		return NULL;
	}
	vb->ptes = pgtable_leaf_entry(&kernel_pgtable, vb->area.range.start);
	flags = spin_lock_irqsave(&vmap_lock);
	if (vb->ptes && !set_block_index(vb->area.range.start, vb)) {
		list_add(&vb->list, &vmap_blocks);
		spin_unlock_irqrestore(&vmap_lock, flags);
		return vb;
	}
	unplace_block(vb);
	spin_unlock_irqrestore(&vmap_lock, flags);
	kfree(vb);
	return NULL;
}

/* An empty block: one kept for reuse, or a new one. */
static struct vmap_block *get_block(void)
{
	struct vmap_block *vb = NULL;
	unsigned long flags = spin_lock_irqsave(&vmap_lock);

	if (!list_empty(&free_blocks)) {
		vb = list_first_entry(&free_blocks, struct vmap_block,
				      area.lazy);
		list_del(&vb->area.lazy);
		nr_free_blocks--;
	}
	spin_unlock_irqrestore(&vmap_lock, flags);
	return vb ? vb : create_block();
}

/* After the purge's flush: empty a dead block for reuse, or free it. */
static void recycle_block(struct vmap_block *vb)
{
	unsigned long flags = spin_lock_irqsave(&vb->lock);

	vb->next = vb->dirty = 0;
	memset(vb->nr, 0, sizeof(vb->nr));
	spin_unlock(&vb->lock);
	spin_lock(&vmap_lock);
	if (nr_free_blocks < VMAP_FREE_BLOCKS) {
		list_add(&vb->area.lazy, &free_blocks);
		nr_free_blocks++;
		vb = NULL;
	} else {
		set_block_index(vb->area.range.start, NULL);
		list_del(&vb->list);
		unplace_block(vb);
	}
	spin_unlock_irqrestore(&vmap_lock, flags);
	kfree(vb);
}

/* Mark @nr slots of @vb dirty; true if that made all of them dirty. */
static bool dirty_slots(struct vmap_block *vb, unsigned int nr)
{
	vb->dirty += nr;
	return vb->dirty == VMAP_BLOCK_PAGES;
}

/*
 * Retire @old (locked, or NULL): it hands out no more slots, and dies
 * once its pieces are freed. Return a new block for this hart, locked,
 * or NULL. Context: interrupts off.
 */
static struct vmap_block *replace_block(struct vmap_block **cur,
					struct vmap_block *old)
{
	struct vmap_block *vb;

	*cur = NULL;
	if (old) {
		bool dead = dirty_slots(old, VMAP_BLOCK_PAGES - old->next);

		old->next = VMAP_BLOCK_PAGES;
		spin_unlock(&old->lock);
		if (dead)
			queue_lazy(&old->area);
	}
	vb = get_block();
	if (vb) {
		spin_lock(&vb->lock);
		vb->area.cpu = smp_processor_id();
	}
	*cur = vb;
	return vb;
}

/* Map @pages at the next free slots of this hart's block. */
static unsigned long vb_map(struct page *const *pages, unsigned int nr,
			    unsigned long caller)
{
	unsigned long flags = local_irq_save();
	struct vmap_block **cur = &vb_cur[smp_processor_id()];
	struct vmap_block *vb = *cur;
	unsigned int slot = VMAP_BLOCK_PAGES;	/* no block: as if full */

	if (vb) {
		spin_lock(&vb->lock);
		slot = vb->next;
	}
	if (unlikely(napot_area(nr)))
		slot = ALIGN(slot, NAPOT_PTES);
	if (unlikely(slot + nr + 1 > VMAP_BLOCK_PAGES)) {
		vb = replace_block(cur, vb);
		if (!vb) {
			local_irq_restore(flags);
			return 0;
		}
		slot = 0;
	}
	/* The slots a NAPOT piece skips to align are never handed out. */
	if (unlikely(slot != vb->next))
		dirty_slots(vb, slot - vb->next);
	vb->next = slot + nr + 1;
	vb->nr[slot] = nr;
	vb->caller[slot] = caller;
	pgtable_set_leaves(&kernel_pgtable, vb->ptes + slot, pages, nr,
			   PAGE_KERNEL);
	if (vb->next == VMAP_BLOCK_PAGES)
		*cur = NULL;	/* full: retired as it stands */
	spin_unlock(&vb->lock);
	local_irq_restore(flags);
	return vb->area.range.start + slot * PAGE_SIZE;
}

/* A small vmalloc(): @nr fresh pages in a block. */
static void *vb_alloc(unsigned int nr, gfp_t gfp, unsigned long caller)
{
	struct page *pages[VMAP_MAX_PAGES];
	unsigned long va;
	unsigned int i;

	if (alloc_area_pages(pages, nr, gfp, napot_area(nr)))
		return NULL;
	va = vb_map(pages, nr, caller);
	if (!va) {
		for (i = 0; i < nr; i++)
			__free_page(pages[i]);
		return NULL;
	}
	local_flush_area(va, nr);
	return (void *)va;
}

/* vfree() of the piece of @vb at @addr. */
static void vb_free(struct vmap_block *vb, unsigned long addr,
		    unsigned long caller)
{
	unsigned int slot = (addr - vb->area.range.start) >> PAGE_SHIFT;
	unsigned long flags = spin_lock_irqsave(&vb->lock);
	unsigned int nr = vb->nr[slot];
	bool dead;

	if (unlikely(!nr || (nr & PIECE_FREED) || (addr & (PAGE_SIZE - 1)))) {
		bool unused = slot >= vb->next;

		spin_unlock_irqrestore(&vb->lock, flags);
		bad_free((void *)addr, VM_ALLOC, caller,
			 nr & PIECE_FREED ? "double free" : unused ?
			 "no area there" : "not the start of its area");
	}
	vb->nr[slot] = nr | PIECE_FREED;
	pgtable_clear_leaves(vb->ptes + slot, nr, &vb->area.dead_pages);
	dead = dirty_slots(vb, nr + 1);
	spin_unlock_irqrestore(&vb->lock, flags);
	local_flush_area(addr, nr);
	__atomic_sub_fetch(&nr_vmalloc_pages, nr, __ATOMIC_RELAXED);
	if (dead)
		queue_lazy(&vb->area);
	add_lazy(nr);
}

static struct vm_struct *alloc_area(unsigned long size, unsigned long align,
				    enum vm_kind kind, unsigned long caller)
{
	struct vm_struct *vm = kmem_cache_zalloc(vm_struct_cache, GFP_KERNEL);

	if (!vm)
		return NULL;
	vm->kind = kind;
	vm->caller = caller;
	vm->cpu = smp_processor_id();
	vm->nr_pages = size >> PAGE_SHIFT;
	vm->range.guard = GUARD_SIZE;
	INIT_LIST_HEAD(&vm->dead_pages);
	if (kind == VM_STACK)
		size += PAGE_SIZE;
	else if (napot_area(vm->nr_pages))
		align = max(align, NAPOT_SIZE);
	if (place_area(vm, size, align)) {
		kmem_cache_free(vm_struct_cache, vm);
		return NULL;
	}
	return vm;
}

/* After the purge's flush: @vm's range may be handed out again. */
static void release_area(struct vm_struct *vm)
{
	unsigned long flags = spin_lock_irqsave(&vmap_lock);

	vm_space_remove(&vmap_space, &vm->range);
	spin_unlock_irqrestore(&vmap_lock, flags);
	kmem_cache_free(vm_struct_cache, vm);
}

/*
 * Clear @vm's entries, keep the pages it owns aside, and park it for the
 * next purge: vfree() and friends, and the undoing of a failed mapping.
 */
static void unmap_area_lazy(struct vm_struct *vm)
{
	unsigned long va = area_map_start(vm);
	unsigned long nr = pgtable_clear_pages(&kernel_pgtable, va,
					       vm->nr_pages,
					       vm->kind == VM_ALLOC ?
					       &vm->dead_pages : NULL);

	local_flush_area(va, vm->nr_pages);
	queue_lazy(vm);
	add_lazy(nr);
}

/* Back @vm with fresh pages, one walk per leaf table. */
static int map_area_pages(struct vm_struct *vm, gfp_t gfp)
{
	unsigned long va = area_map_start(vm), done, n;
	/* A page holds one leaf table's worth of page pointers. */
	struct page **pages = (void *)__get_free_page(GFP_KERNEL |
						      __GFP_NOWARN);
	int err = pages ? 0 : -ENOMEM;

	for (done = 0; !err && done < vm->nr_pages; done += n) {
		unsigned long at = va + done * PAGE_SIZE;

		n = min(vm->nr_pages - done,
			(unsigned long)(PTRS_PER_TABLE - PX(0, at)));
		/*
		 * Groups need 'at' on a 64 KiB boundary. Areas alloc_area()
		 * aligned have it; a stack's guard page comes first, so its
		 * first leaf table's share may lack it, later ones have it.
		 */
		err = alloc_area_pages(pages, n, gfp, napot_area(n) &&
				       IS_ALIGNED(at, NAPOT_SIZE));
		if (!err && pgtable_map_pages(&kernel_pgtable, at, pages, n,
					      PAGE_KERNEL)) {
			/* Some may be mapped: they go with the purge. */
			pgtable_clear_pages(&kernel_pgtable, at, n, NULL);
			while (n--)
				list_add(&pages[n]->lru, &vm->dead_pages);
			err = -ENOMEM;
		}
	}
	free_page((unsigned long)pages);
	local_flush_area(va, vm->nr_pages);
	return err;
}

/* A vmalloc() area of its own. */
static void *area_alloc(unsigned long size, unsigned long align, gfp_t gfp,
			enum vm_kind kind, unsigned long caller)
{
	struct vm_struct *vm = alloc_area(size, align, kind, caller);

	if (!vm)
		return NULL;
	if (map_area_pages(vm, gfp)) {
		unmap_area_lazy(vm);
		return NULL;
	}
	return (void *)area_map_start(vm);
}

static void *__vmalloc_caller(unsigned long size, unsigned long align,
			      gfp_t gfp, enum vm_kind kind,
			      unsigned long caller)
{
	void *addr;

	size = PAGE_ALIGN(size);
	align = max(align, PAGE_SIZE);
	if (!size || size > VMALLOC_END - VMALLOC_START ||
	    (align & (align - 1))) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("allocation of %lu bytes refused (caller "
				"%#lx)\n", size, caller);
		return NULL;
	}
	if (kind == VM_ALLOC && align == PAGE_SIZE &&
	    size <= VMAP_MAX_PAGES * PAGE_SIZE)
		addr = vb_alloc(size >> PAGE_SHIFT, gfp, caller);
	else
		addr = area_alloc(size, align, gfp, kind, caller);
	if (addr) {
		__atomic_add_fetch(&nr_vmalloc_pages, size >> PAGE_SHIFT,
				   __ATOMIC_RELAXED);
		return addr;
	}
	if (!(gfp & __GFP_NOWARN) && __ratelimit(&vmalloc_warn_rs))
		pr_warn("allocation failure: %lu bytes, out of memory or "
			"address space (caller %#lx)\n", size, caller);
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

/* The area starting at @addr, marked freed; or a report. */
static struct vm_struct *take_area(const void *addr, enum vm_kind kind,
				   unsigned long caller)
{
	unsigned long flags = spin_lock_irqsave(&vmap_lock);
	struct vm_struct *vm = area_at((unsigned long)addr);

	if (vm && !vm->freed && area_map_start(vm) == (unsigned long)addr &&
	    vm->kind == kind) {
		vm->freed = true;
		spin_unlock_irqrestore(&vmap_lock, flags);
		return vm;
	}
	spin_unlock_irqrestore(&vmap_lock, flags);
	bad_free(addr, kind, caller, !vm ? "no area there" :
		 vm->freed ? "double free" :
		 vm->kind != kind ? "area of another kind" :
		 "not the start of its area");
}

/* Free the pages on @pages. */
static void free_page_list(struct list_head *pages)
{
	while (!list_empty(pages)) {
		struct page *page = list_first_entry(pages, struct page, lru);

		list_del(&page->lru);
		__free_page(page);
	}
}

/*
 * Free what @cpu's pool held and put the flushed @clean in its place,
 * or, unless @keep, free that too.
 */
static void refill_pool(unsigned int cpu, struct list_head *clean, bool keep)
{
	struct vmap_pool *pool = &vmap_pools[cpu];
	struct list_head stale;
	unsigned long flags;

	INIT_LIST_HEAD(&stale);
	if (!keep)
		list_move_all(clean, &stale);
	flags = spin_lock_irqsave(&pool->lock);
	list_move_all(&pool->pages, &stale);
	list_move_all(clean, &pool->pages);
	spin_unlock_irqrestore(&pool->lock, flags);
	free_page_list(&stale);
}

/*
 * Take every parked page and area, sorted by the pool they go back to.
 * Return: whether there was any.
 */
static bool collect_lazy(struct list_head *areas, struct list_head *clean)
{
	struct list_head *pos;
	unsigned long flags = spin_lock_irqsave(&vmap_lock);
	bool any;

	WRITE_ONCE(lazy_nr_pages, 0);
	list_move_all(&lazy_areas, areas);
	any = !list_empty(areas);
	list_for_each(pos, &vmap_blocks) {
		struct vmap_block *vb = list_entry(pos, struct vmap_block,
						   list);

		spin_lock(&vb->lock);
		any |= !list_empty(&vb->area.dead_pages);
		list_move_all(&vb->area.dead_pages, &clean[vb->area.cpu]);
		spin_unlock(&vb->lock);
	}
	spin_unlock_irqrestore(&vmap_lock, flags);
	list_for_each(pos, areas) {
		struct vm_struct *vm = list_entry(pos, struct vm_struct, lazy);

		list_move_all(&vm->dead_pages, &clean[vm->cpu]);
	}
	return any;
}

/*
 * Flush every hart once for everything vfree() parked, then refill the
 * pools with its pages (or, unless @keep, free them and the pools'),
 * release the areas and recycle the dead blocks. Called under purge_lock.
 */
static void purge_lazy(bool keep)
{
	struct list_head areas, clean[NR_CPUS];
	unsigned int cpu;

	count_vm_event(VMALLOC_PURGE);
	INIT_LIST_HEAD(&areas);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		INIT_LIST_HEAD(&clean[cpu]);
	if (collect_lazy(&areas, clean))
		flush_tlb_kernel_range(VMALLOC_START, VMALLOC_END);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		refill_pool(cpu, &clean[cpu], keep);
	while (!list_empty(&areas)) {
		struct vm_struct *vm = list_first_entry(&areas,
							struct vm_struct,
							lazy);

		list_del(&vm->lazy);
		if (vm->kind == VM_BLOCK)
			recycle_block(container_of(vm, struct vmap_block,
						   area));
		else
			release_area(vm);
	}
}

void vm_unmap_aliases(void)
{
	spin_lock(&purge_lock);
	purge_lazy(false);
	spin_unlock(&purge_lock);
}

static void free_area(const void *addr, enum vm_kind kind,
		      unsigned long caller)
{
	struct vm_struct *vm = take_area(addr, kind, caller);

	if (kind == VM_ALLOC)
		__atomic_sub_fetch(&nr_vmalloc_pages, vm->nr_pages,
				   __ATOMIC_RELAXED);
	unmap_area_lazy(vm);
}

void vfree(const void *addr)
{
	struct vmap_block *vb = addr_to_block((unsigned long)addr);

	if (vb)
		vb_free(vb, (unsigned long)addr, _RET_IP_);
	else if (addr)
		free_area(addr, VM_ALLOC, _RET_IP_);
}

void *vmap(struct page **pages, unsigned int count, pgprot_t prot)
{
	struct vm_struct *vm = alloc_area((unsigned long)count << PAGE_SHIFT,
					  PAGE_SIZE, VM_MAP, _RET_IP_);

	if (!vm)
		return NULL;
	if (pgtable_map_pages(&kernel_pgtable, vm->range.start, pages, count,
			      prot)) {
		unmap_area_lazy(vm);
		return NULL;
	}
	local_flush_area(vm->range.start, count);
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
			PAGE_KERNEL_IO, 0)) {
		unmap_area_lazy(vm);
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
	return virt_to_page_or_null(__va(pa));
}

/*
 * Fill @view with the piece of @vb whose slots (its guard's included)
 * hold @addr. Return: @view, or NULL for slots no piece has.
 * Called under vb->lock.
 */
static struct vm_struct *piece_at(const struct vmap_block *vb,
				  unsigned long addr, struct vm_struct *view)
{
	unsigned int slot = (addr - vb->area.range.start) >> PAGE_SHIFT;
	unsigned int first = slot, nr;

	while (first && !vb->nr[first])
		first--;
	nr = vb->nr[first] & ~PIECE_FREED;
	if (!nr || slot >= vb->next || slot > first + nr)
		return NULL;
	*view = (struct vm_struct){
		.range.start = vb->area.range.start + first * PAGE_SIZE,
		.range.guard = GUARD_SIZE,
		.kind = VM_ALLOC,
		.nr_pages = nr,
		.caller = vb->caller[first],
		.freed = vb->nr[first] & PIECE_FREED,
	};
	view->range.end = view->range.start + nr * PAGE_SIZE;
	return view;
}

/* Copy the area at @addr to @view; false if none. Under vmap_lock. */
static bool find_area(unsigned long addr, struct vm_struct *view)
{
	struct vm_struct *vm = area_at(addr);
	struct vmap_block *vb;
	bool found;

	if (!vm)
		return false;
	if (vm->kind != VM_BLOCK) {
		*view = *vm;
		return true;
	}
	vb = container_of(vm, struct vmap_block, area);
	spin_lock(&vb->lock);
	found = piece_at(vb, addr, view);
	spin_unlock(&vb->lock);
	return found;
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
	struct vm_struct vm;
	char owner[160];
	unsigned long flags;
	bool found;

	if (!is_vmalloc_addr((void *)addr))
		return false;
	flags = spin_lock_irqsave(&vmap_lock);
	found = find_area(addr, &vm);
	spin_unlock_irqrestore(&vmap_lock, flags);
	if (found)
		describe_owner(&vm, owner, sizeof(owner));
	if (!found)
		snprintf(buf, len, "unused vmalloc space");
	else if (vm.freed)
		snprintf(buf, len, "%s, already freed (use after free)", owner);
	else if (addr >= vm.range.end)
		snprintf(buf, len, "the guard page after %s", owner);
	else if (addr < area_map_start(&vm))
		snprintf(buf, len, "the guard page below %s", owner);
	else
		snprintf(buf, len, "%s", owner);
	return true;
}

static void print_area(const struct vm_struct *vm)
{
	unsigned long napot;
	char sym[64];

	if (vm->freed)
		return;
	format_symbol(sym, sizeof(sym), vm->caller);
	printk("%#lx-%#lx %8lu %s pages=%lu %s", area_map_start(vm),
	       vm->range.end, vm->range.end - area_map_start(vm),
	       vm->kind == VM_STACK ? "stack" : sym, vm->nr_pages,
	       kind_names[vm->kind]);
	if (vm->kind == VM_IOREMAP)
		printk(" phys=%#llx", (unsigned long long)vm->phys);
	napot = pgtable_napot_leaves(&kernel_pgtable, area_map_start(vm),
				     vm->nr_pages << PAGE_SHIFT);
	if (napot)
		printk(" napot=%lu", napot);
	printk("\n");
}

/* Print the live pieces of @vb. Called under vmap_lock. */
static void print_block(struct vmap_block *vb)
{
	struct vm_struct view;
	unsigned int slot;

	spin_lock(&vb->lock);
	/* Slots skipped to align a piece have no piece: nr is 0 there. */
	for (slot = 0; slot < vb->next; slot++)
		if (vb->nr[slot])
			print_area(piece_at(vb, vb->area.range.start +
					    slot * PAGE_SIZE, &view));
	spin_unlock(&vb->lock);
}

void show_vmallocinfo(void)
{
	struct avl_node *n;
	unsigned long flags = spin_lock_irqsave(&vmap_lock);

	for (n = avl_first(&vmap_busy); n; n = avl_next(n)) {
		struct vm_struct *vm = busy_entry(n);

		if (vm->kind == VM_BLOCK)
			print_block(container_of(vm, struct vmap_block, area));
		else
			print_area(vm);
	}
	spin_unlock_irqrestore(&vmap_lock, flags);
}
