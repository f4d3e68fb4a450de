/* SPDX-License-Identifier: MIT */
/*
 * Page tables: Sv39 (3 levels), Sv48 (4 levels) and Sv57 (5 levels) with
 * 4 KiB, 2 MiB and 1 GiB leaves, and, in a tree with @napot set, 64 KiB
 * NAPOT groups of 4 KiB entries (Svnapot) wherever a mapping's virtual
 * and physical addresses are both 64 KiB-aligned for 64 KiB. Every
 * function here takes a group as the 16 pages it maps: an unmap or
 * protect of part of one turns it into 16 plain entries first.
 *
 * Table pages come from the page allocator and are counted
 * (nr_pagetable_pages, meminfo PageTables). Each table page's struct page
 * counts its valid entries (page->counters), so a table emptied by an
 * unmap is freed at once. The functions change the tables only; callers
 * flush the TLB (flush_tlb_kernel_range()) for what they changed.
 *
 * Locking: pt->lock protects the whole tree; every function here takes
 * it, except the demand-fill pair (pgtable_pte_slot(), pgtable_pte_fill())
 * when the tables are there, which works lock-free, and
 * pgtable_set_leaves() and pgtable_clear_leaves() on a table the caller
 * owns (see pgtable_leaf_entry()). Lock order: region locks (vmalloc,
 * anon) -> pt->lock -> zone->lock.
 */
#ifndef RVMEM_INTERNAL_PGTABLE_H
#define RVMEM_INTERNAL_PGTABLE_H

#include <asm/pgtable-bits.h>
#include <rvmem/list.h>
#include <rvmem/spinlock.h>
#include <rvmem/types.h>

struct list_head;
struct page;

#define PGTABLE_MIN_LEVELS	3
#define PGTABLE_MAX_LEVELS	5

/**
 * struct pgtable - one page-table tree
 * @root: the top-level table (kernel address)
 * @levels: 3 for Sv39, 4 for Sv48, 5 for Sv57
 * @napot: map with NAPOT groups where they fit; false after
 *         pgtable_init(), set by the owner only where the harts that use
 *         the tree have Svnapot (the N bit is reserved without it)
 * @lock: protects every table of the tree
 */
struct pgtable {
	pte_t *root;
	unsigned int levels;
	bool napot;
	spinlock_t lock;
};

/** kernel_pgtable - the one address space everything runs in */
extern struct pgtable kernel_pgtable;

/** nr_pagetable_pages - page-table pages in use, all trees (PageTables) */
extern unsigned long nr_pagetable_pages;

/**
 * pgtable_init() - allocate an empty tree
 * @pt: the tree
 * @levels: PGTABLE_MIN_LEVELS to PGTABLE_MAX_LEVELS
 *
 * Return: 0, -EINVAL for another @levels, -ENOMEM.
 */
int pgtable_init(struct pgtable *pt, unsigned int levels);

/** pgtable_destroy() - free every table page (not the pages mapped) */
void pgtable_destroy(struct pgtable *pt);

/** pgtable_va_valid() - is @va canonical (sign-extended) for @pt's mode */
bool pgtable_va_valid(const struct pgtable *pt, unsigned long va);

/**
 * pgtable_map() - map [@va, @va + @size) to [@pa, @pa + @size)
 * @pt: the tree
 * @va: page-aligned, canonical
 * @pa: page-aligned
 * @size: page multiple
 * @prot: PAGE_KERNEL, PAGE_KERNEL_RO, ... (leaf bits)
 * @max_level: largest leaf: 0 for 4 KiB only, 1 for 2 MiB, 2 for 1 GiB
 *             (3, 512 GiB, under Sv48 and Sv57; 4, 256 TiB, under
 *             Sv57); clamped to the tree's levels
 *
 * Uses the largest leaves that alignment and size allow (at level 0,
 * NAPOT groups where @pt->napot and 64 KiB alignment allow).
 * Return: 0; -EINVAL for bad arguments; -EEXIST if something is mapped in
 * the range; -ENOMEM. On error nothing of the range stays mapped.
 */
int pgtable_map(struct pgtable *pt, unsigned long va, phys_addr_t pa,
		unsigned long size, pgprot_t prot, unsigned int max_level);

/**
 * pgtable_map_repeat() - map every page of [@va, @va + @size) to one frame
 * @pt: the tree
 * @va: page-aligned, canonical
 * @size: page multiple
 * @pa: the frame, page-aligned
 * @prot: leaf bits; not writable, or every page writes the one frame
 * @max_level: the highest level whose entries may point to a shared
 *             table (1: only last-level tables are shared); clamped to
 *             the level below the root
 *
 * Whole aligned blocks of 2 MiB and up share one table per level, so the
 * tables cost the same for any @size: a few edge tables and one per
 * level. The range is for good: unmapping any of it would free the
 * shared tables once per user; pgtable_remap_repeat() maps over it.
 * Return: 0; -EINVAL for bad arguments; -EEXIST if something is mapped in
 * the range; -ENOMEM. On error what was mapped stays mapped (for boot,
 * which gives up).
 */
int pgtable_map_repeat(struct pgtable *pt, unsigned long va,
		       unsigned long size, phys_addr_t pa, pgprot_t prot,
		       unsigned int max_level);

/**
 * pgtable_remap_repeat() - map leaves over blocks of a repeated range
 * @pt: the tree
 * @va: aligned to level_size(@level)
 * @pa: likewise
 * @size: a multiple of it
 * @prot: leaf bits
 * @level: 0 up to the level below the root: the level at which
 *         pgtable_map_repeat() mapped the blocks of [@va, @va + @size)
 *         (1 for whole 2 MiB blocks of a range repeated with @max_level
 *         1: each entry points to a shared table; 0 for the pages of a
 *         part block: leaves in a table of the range's own). The caller
 *         must know: an entry of a shared table looks like any other
 *
 * Points each entry at a leaf of [@pa, @pa + @size) instead; a shared
 * table stays for its other users. The caller flushes the TLB.
 * Context: takes no lock (so it may run under any, @pt->lock included);
 * no one else may change these entries meanwhile.
 * Return: 0; -EINVAL for bad arguments, or if an entry at @level is not
 * as pgtable_map_repeat() left it (nothing is changed then).
 */
int pgtable_remap_repeat(struct pgtable *pt, unsigned long va,
			 phys_addr_t pa, unsigned long size, pgprot_t prot,
			 unsigned int level);

/**
 * pgtable_pte_slot() - the 4 KiB entry for @va, without the lock
 * @pt: the tree
 * @va: canonical
 *
 * The first half of a demand fill: one walk finds the slot, the caller
 * checks it is empty, gets a page and hands the slot to
 * pgtable_pte_fill(). Neither takes @pt->lock when the tables are there,
 * so the caller must keep them alive: nothing may unmap around @va
 * meanwhile (the anon regions' lock excludes their unmaps), and tables
 * above the caller's own are never freed (the root, and under Sv48 and
 * Sv57 the tables over the top 512 GiB, which the hart stacks keep in
 * use).
 *
 * Return: the slot, or NULL if a table on the way is missing (or a huge
 * leaf maps @va).
 */
pte_t *pgtable_pte_slot(struct pgtable *pt, unsigned long va);

/**
 * pgtable_pte_fill() - map one 4 KiB page into an empty slot
 * @pt: the tree
 * @slot: from pgtable_pte_slot(), or NULL to make the tables (under
 *        @pt->lock) first
 * @va: the address @slot maps
 * @pte: the new leaf, pa_to_pte(pa, prot)
 *
 * The slot is filled with one compare-and-swap: of two harts filling
 * it, one wins and the other gets -EEXIST. Same rules as
 * pgtable_pte_slot(). Return: 0, -EEXIST if something is mapped there,
 * or -ENOMEM if a table could not be allocated (nothing made is left).
 */
int pgtable_pte_fill(struct pgtable *pt, pte_t *slot, unsigned long va,
		     pte_t pte);

/**
 * pgtable_unmap() - remove whatever is mapped in [@va, @va + @size)
 *
 * A huge leaf the range covers only partly is split first. Tables left
 * empty are freed. Return: 0, -EINVAL for an unaligned or non-canonical
 * range, or -ENOMEM if a split could not allocate (the range is then
 * partly unmapped; the leaf that did not split still maps all it did).
 */
int pgtable_unmap(struct pgtable *pt, unsigned long va, unsigned long size);

/**
 * pgtable_unmap_gather() - pgtable_unmap(), saying what it removed
 * @pages: if not NULL, the struct page of every leaf removed is added
 *         (page->lru), for the caller to free once the TLB is flushed
 *
 * Absent tables are skipped whole, so the cost follows what is mapped,
 * not the size of the range.
 * Return: leaves removed (0: nothing was mapped, no flush is needed);
 * -EINVAL as pgtable_unmap(); -ENOMEM if a split failed (what came
 * before it is removed, and gathered).
 */
long pgtable_unmap_gather(struct pgtable *pt, unsigned long va,
			  unsigned long size, struct list_head *pages);

/**
 * pgtable_clear() - pgtable_unmap(), but keep tables that become empty
 *
 * For ranges that are mapped and unmapped over and over (vmalloc), where
 * freeing a table only to allocate and zero it again at the next mapping
 * would cost more than the page it frees.
 */
int pgtable_clear(struct pgtable *pt, unsigned long va, unsigned long size);

/**
 * pgtable_protect() - change the leaf bits of every mapped page in range
 * @prot: new PAGE_* protection
 *
 * Return: 0, -EINVAL as pgtable_unmap(), or -ENOMEM if a huge leaf
 * could not be split.
 */
int pgtable_protect(struct pgtable *pt, unsigned long va, unsigned long size,
		    pgprot_t prot);

/**
 * pgtable_walk() - find the leaf that maps @va
 * @level: if not NULL, set to the leaf's level
 *
 * Return: the leaf's value (pte_napot() says if it is in a NAPOT group:
 * then pte_leaf_pa() finds the frame), or 0 if @va is not mapped.
 */
pte_t pgtable_walk(struct pgtable *pt, unsigned long va, unsigned int *level);

/**
 * pgtable_translate() - the physical address @va maps to
 *
 * Return: true and *@pa set, or false if unmapped.
 */
bool pgtable_translate(struct pgtable *pt, unsigned long va, phys_addr_t *pa);

/**
 * pgtable_napot_leaves() - NAPOT groups that map [@va, @va + @size)
 *
 * Return: how many of the 64 KiB-aligned stretches in the range a NAPOT
 * group maps (vmallocinfo's napot=).
 */
unsigned long pgtable_napot_leaves(struct pgtable *pt, unsigned long va,
				   unsigned long size);

/*
 * Runs of last-level entries (vmalloc's): one walk per leaf table, then
 * the entries of that table in a row. The entries must be 4 KiB ones,
 * empty before they are set; no huge leaf may cover the range. Where
 * @pt->napot, 16 pages in frame order at 64 KiB-aligned frames and a
 * 64 KiB-aligned address are mapped as a NAPOT group.
 */

/**
 * pgtable_map_pages() - map @nr pages at @va, @pages[i] at @va + i pages
 * @prot: PAGE_KERNEL, ...
 *
 * Return: 0, -EINVAL, -ENOMEM or -EEXIST (a huge leaf in the way). On
 * error a prefix of the range may stay mapped: pgtable_clear_pages() it.
 */
int pgtable_map_pages(struct pgtable *pt, unsigned long va,
		      struct page *const *pages, unsigned long nr,
		      pgprot_t prot);

/**
 * pgtable_clear_pages() - clear the entries of @nr pages from @va,
 * keeping the tables (as pgtable_clear())
 * @pages: if not NULL, the pages that were mapped are added to it (by
 *         page->lru), in address order
 *
 * Return: entries cleared.
 */
unsigned long pgtable_clear_pages(struct pgtable *pt, unsigned long va,
				  unsigned long nr, struct list_head *pages);

/**
 * pgtable_leaf_entry() - the last-level entry for @va, creating the
 * tables above it
 *
 * The rest of its table follows it. A caller that owns every address
 * the table maps (a vmalloc block) may then change its entries with
 * pgtable_set_leaves() and pgtable_clear_leaves() without pt->lock,
 * serialising them itself; the table is not freed while they are in use.
 * Return: the entry, or NULL (out of memory, or a huge leaf there).
 */
pte_t *pgtable_leaf_entry(struct pgtable *pt, unsigned long va);

/**
 * pgtable_set_leaves() - map @pages[0..@nr) at @entry[0..@nr), entries
 * of one table of @pt, and count them in the table's page
 */
void pgtable_set_leaves(const struct pgtable *pt, pte_t *entry,
			struct page *const *pages, unsigned long nr,
			pgprot_t prot);

/**
 * pgtable_clear_leaves() - clear @entry[0..@nr) of one table
 * @pages: as pgtable_clear_pages()
 *
 * Return: entries cleared.
 */
unsigned long pgtable_clear_leaves(pte_t *entry, unsigned long nr,
				   struct list_head *pages);

#endif /* RVMEM_INTERNAL_PGTABLE_H */
