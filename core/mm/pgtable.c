// SPDX-License-Identifier: MIT
/*
 * Sv39/Sv48/Sv57 page tables: map, unmap, protect and walk, with 4 KiB, 2 MiB
 * and 1 GiB leaves, and 64 KiB NAPOT groups (Svnapot) in trees that allow
 * them.
 *
 * One recursive walker serves unmap and protect: it visits the entries of
 * a range level by level, splits a huge leaf the range covers only in
 * part, applies the operation to covered leaves and frees a table whose
 * last entry went away. Table pages count their valid entries in
 * page->counters. Invariant: a table page is in the tree iff its count is
 * nonzero or it is a root, except that pgtable_clear() and the vmalloc runs
 * below leave empty tables: the vmalloc window keeps its tables for good.
 *
 * NAPOT groups: 16 last-level entries that map 64 KiB of aligned frames
 * as one (asm/pgtable-bits.h). They are made wherever a mapping's virtual
 * and physical addresses are 64 KiB-aligned for 64 KiB (pgtable_map(), a
 * 2 MiB leaf split, pgtable_set_leaves() given 16 frames in order), and
 * taken apart into 16 plain entries before anything changes part of one:
 * the 16 entries must stay identical, or a hart could cache the group
 * from one entry and reach a page another entry no longer maps. The
 * split changes no translation, so it needs no flush of its own.
 */
#define pr_fmt(fmt) "pgtable: " fmt

#include <errno.h>
#include <asm/barrier.h>
#include <rvmem/gfp.h>
#include <rvmem/mm.h>
#include <rvmem/internal/pgtable.h>

struct pgtable kernel_pgtable;
unsigned long nr_pagetable_pages;

/* walk_alloc()'s answer when a huge leaf is in the way. */
#define ERR_EXISTS	((pte_t *)1)

static pte_t *alloc_table(void)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!page)
		return NULL;
	page->counters = 0;
	WRITE_ONCE(nr_pagetable_pages, nr_pagetable_pages + 1);
	return page_address(page);
}

static void free_table(pte_t *table)
{
	WRITE_ONCE(nr_pagetable_pages, nr_pagetable_pages - 1);
	free_page((unsigned long)table);
}

static struct page *table_page(const pte_t *entry)
{
	return virt_to_page(entry);
}

static void set_entry(pte_t *entry, pte_t val)
{
	if (!pte_present(*entry) && pte_present(val))
		table_page(entry)->counters++;
	else if (pte_present(*entry) && !pte_present(val))
		table_page(entry)->counters--;
	/* Release: lock-free walkers see a new table's zeroes first. */
	smp_store_release(entry, val);
}

/*
 * The table a table entry (valid, not a leaf) points to. The spec
 * reserves PBMT and N in such entries and they are written zero here,
 * so the frame number is all the bits above the flags: two shifts, one
 * fewer than pte_to_pa() needs for a leaf.
 */
static pte_t *next_table(pte_t entry)
{
	return __va((entry >> PTE_PPN_SHIFT) << PAGE_SHIFT);
}

/* @entry's index in its table (tables are page-aligned). */
static unsigned long entry_index(const pte_t *entry)
{
	return ((unsigned long)entry / sizeof(pte_t)) % PTRS_PER_TABLE;
}

/*
 * Map @pa with @nr entries from @entry: one leaf, or (@nr NAPOT_PTES) a
 * NAPOT group.
 */
static void set_leaf_entries(pte_t *entry, unsigned long nr, phys_addr_t pa,
			     pgprot_t prot)
{
	pte_t val = nr > 1 ? napot_pte(pa, prot) : pa_to_pte(pa, prot);
	unsigned long i;

	for (i = 0; i < nr; i++)
		set_entry(&entry[i], val);
}

/* Turn the NAPOT group @entry is in into 16 plain entries, same frames. */
static noinline void split_napot(pte_t *entry)
{
	pte_t *first = entry - entry_index(entry) % NAPOT_PTES;
	phys_addr_t base = pte_leaf_pa(*first, 0, 0);
	pgprot_t prot = pte_prot(*first);
	unsigned long i;

	for (i = 0; i < NAPOT_PTES; i++)
		WRITE_ONCE(first[i], pa_to_pte(base + i * PAGE_SIZE, prot));
}

int pgtable_init(struct pgtable *pt, unsigned int levels)
{
	if (levels < PGTABLE_MIN_LEVELS || levels > PGTABLE_MAX_LEVELS)
		return -EINVAL;
	pt->root = alloc_table();
	if (!pt->root)
		return -ENOMEM;
	pt->levels = levels;
	pt->napot = false;
	pt->lock = (spinlock_t)SPINLOCK_INIT;
	return 0;
}

static void destroy_level(pte_t *table, unsigned int level)
{
	unsigned int i;

	for (i = 0; level && i < PTRS_PER_TABLE; i++)
		if (pte_present(table[i]) && !pte_leaf(table[i]))
			destroy_level(next_table(table[i]), level - 1);
	free_table(table);
}

void pgtable_destroy(struct pgtable *pt)
{
	destroy_level(pt->root, pt->levels - 1);
	pt->root = NULL;
}

bool pgtable_va_valid(const struct pgtable *pt, unsigned long va)
{
	unsigned int bits = va_bits(pt->levels);

	/* Bits 63..bits-1 must all equal bit bits-1. */
	return ((long)(va << (64 - bits)) >> (64 - bits)) == (long)va;
}

/* The entry for @va at @level, creating tables on the way down. */
static pte_t *walk_alloc(struct pgtable *pt, unsigned long va,
			 unsigned int level)
{
	pte_t *table = pt->root;
	unsigned int l;

	for (l = pt->levels - 1; l > level; l--) {
		pte_t *entry = &table[PX(l, va)];

		if (!pte_present(*entry)) {
			pte_t *next = alloc_table();

			if (!next)
				return NULL;
			set_entry(entry, pa_to_pte(__pa(next), _PAGE_VALID));
		} else if (pte_leaf(*entry)) {
			return ERR_EXISTS;
		}
		table = next_table(*entry);
	}
	return &table[PX(level, va)];
}

/*
 * The table entry at @level for @va, or NULL where there is none. Inlined:
 * vmalloc's runs walk to level 0, a constant there.
 */
static __always_inline pte_t *find_entry(const struct pgtable *pt,
					  unsigned long va, unsigned int level)
{
	pte_t *table = pt->root;
	unsigned int l;

	for (l = pt->levels - 1; l > level; l--) {
		pte_t entry = table[PX(l, va)];

		if (!pte_present(entry) || pte_leaf(entry))
			return NULL;
		table = next_table(entry);
	}
	return &table[PX(level, va)];
}

/* The largest leaf level for the next piece of a mapping. */
static unsigned int pick_level(unsigned long va, phys_addr_t pa,
			       unsigned long left, unsigned int max_level)
{
	unsigned int level = max_level;

	while (level && (!IS_ALIGNED(va | pa, level_size(level)) ||
			 left < level_size(level)))
		level--;
	return level;
}

/* Entries the piece at @level takes: a NAPOT group where it fits, or 1. */
static unsigned long piece_entries(const struct pgtable *pt,
				   unsigned int level, unsigned long va,
				   phys_addr_t pa, unsigned long left)
{
	if (!level && pt->napot && IS_ALIGNED(va | pa, NAPOT_SIZE) &&
	    left >= NAPOT_SIZE)
		return NAPOT_PTES;
	return 1;
}

/* Is none of @entry[0..@nr) present. */
static bool entries_empty(const pte_t *entry, unsigned long nr)
{
	unsigned long i;

	for (i = 0; i < nr; i++)
		if (pte_present(entry[i]))
			return false;
	return true;
}

static int unmap_locked(struct pgtable *pt, unsigned long va,
			unsigned long last);
static bool range_valid(const struct pgtable *pt, unsigned long va,
			unsigned long size);

int pgtable_map(struct pgtable *pt, unsigned long va, phys_addr_t pa,
		unsigned long size, pgprot_t prot, unsigned int max_level)
{
	unsigned long done = 0, flags, undo = 0;
	int err = 0;

	if (!range_valid(pt, va, size) || !IS_ALIGNED(pa, PAGE_SIZE) ||
	    !(prot & _PAGE_LEAF))
		return -EINVAL;
	max_level = min(max_level, pt->levels - 1);
	flags = spin_lock_irqsave(&pt->lock);
	while (done < size) {
		unsigned int level = pick_level(va + done, pa + done,
						size - done, max_level);
		unsigned long nr = piece_entries(pt, level, va + done,
						 pa + done, size - done);
		pte_t *entry = walk_alloc(pt, va + done, level);

		if (!entry || entry == ERR_EXISTS ||
		    !entries_empty(entry, nr)) {
			err = entry ? -EEXIST : -ENOMEM;
			/* Out of memory: tables made for this piece go too. */
			undo = done + (entry ? 0 : level_size(level));
			break;
		}
		set_leaf_entries(entry, nr, pa + done, prot);
		done += nr * level_size(level);
	}
	if (undo)
		unmap_locked(pt, va, va + undo - 1);
	spin_unlock_irqrestore(&pt->lock, flags);
	return err;
}

int pgtable_map_repeat(struct pgtable *pt, unsigned long va,
		       unsigned long size, phys_addr_t pa, pgprot_t prot,
		       unsigned int max_level)
{
	pte_t block[PGTABLE_MAX_LEVELS];	/* maps a level-l block */
	unsigned int built = 0, level, i;
	unsigned long done = 0, flags;
	pte_t *entry, *table;
	int err = 0;

	if (!range_valid(pt, va, size) || !IS_ALIGNED(pa, PAGE_SIZE) ||
	    !(prot & _PAGE_LEAF))
		return -EINVAL;
	block[0] = pa_to_pte(pa, prot);
	max_level = min(max_level, pt->levels - 2);
	flags = spin_lock_irqsave(&pt->lock);
	while (!err && done < size) {
		level = pick_level(va + done, 0, size - done, max_level);
		/* A level's first block makes its table; the rest share it. */
		for (; built < level; built++) {
			table = alloc_table();
			if (!table)
				break;
			for (i = 0; i < PTRS_PER_TABLE; i++)
				table[i] = block[built];
			table_page(table)->counters = PTRS_PER_TABLE;
			block[built + 1] = pa_to_pte(__pa(table), _PAGE_VALID);
		}
		entry = built < level ? NULL : walk_alloc(pt, va + done, level);
		if (!entry || entry == ERR_EXISTS || pte_present(*entry)) {
			err = entry ? -EEXIST : -ENOMEM;
			break;
		}
		set_entry(entry, block[level]);
		done += level_size(level);
	}
	spin_unlock_irqrestore(&pt->lock, flags);
	return err;
}

/*
 * Is the @level entry for @va as pgtable_map_repeat() leaves it: a table
 * it may share, or at level 0 a leaf.
 */
static bool repeat_entry_at(const struct pgtable *pt, unsigned long va,
			    unsigned int level)
{
	pte_t *entry = find_entry(pt, va, level);

	return entry && pte_present(*entry) && pte_leaf(*entry) == !level;
}

/*
 * No lock: a repeated range is mapped for good, so its tables stay, and
 * each entry changes once, present to present (the table's count stays;
 * a shared table is not freed, its other parents still point to it).
 * The page allocator calls this while it grows a zone, under the zone
 * lock, maybe for a caller that holds @pt->lock and needed a table page.
 */
int pgtable_remap_repeat(struct pgtable *pt, unsigned long va,
			 phys_addr_t pa, unsigned long size, pgprot_t prot,
			 unsigned int level)
{
	unsigned long block = level_size(level), done;

	if (level > pt->levels - 2 || !range_valid(pt, va, size) ||
	    !IS_ALIGNED(va | pa | size, block) || !(prot & _PAGE_LEAF))
		return -EINVAL;
	for (done = 0; done < size; done += block)
		if (!repeat_entry_at(pt, va + done, level))
			return -EINVAL;
	for (done = 0; done < size; done += block)
		smp_store_release(find_entry(pt, va + done, level),
				  pa_to_pte(pa + done, prot));
	return 0;
}

/*
 * The demand-zero fault's walk: a leaf function, so no frame record, and
 * a tree has at least three levels (Sv39), so the loop runs at least
 * twice and its test can come last.
 */
pte_t *__frameless pgtable_pte_slot(struct pgtable *pt, unsigned long va)
{
	unsigned int shift = PAGE_SHIFT + LEVEL_BITS * (pt->levels - 1);
	pte_t *table = pt->root;

	do {
		pte_t entry = READ_ONCE(table[(va >> shift) &
					      (PTRS_PER_TABLE - 1)]);

		if ((entry & (_PAGE_VALID | _PAGE_LEAF)) != _PAGE_VALID)
			return NULL;	/* no table here: absent, or a leaf */
		table = next_table(entry);
		shift -= LEVEL_BITS;
	} while (shift > PAGE_SHIFT);
	return &table[PX(0, va)];
}

/* Put @pte in the empty @slot; -EEXIST if another hart filled it first. */
static __always_inline int pte_install(pte_t *slot, pte_t pte)
{
	pte_t empty = 0;

	/* Release: whatever the page holds before the entry that maps it. */
	if (!__atomic_compare_exchange_n(slot, &empty, pte, false,
					 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return -EEXIST;
	__atomic_add_fetch(&table_page(slot)->counters, 1, __ATOMIC_RELAXED);
	return 0;
}

/* pgtable_pte_fill() where pgtable_pte_slot() found no slot: make the
 * tables first (rare; out of line, so the fill needs no frame). */
static noinline int pte_fill_alloc(struct pgtable *pt, unsigned long va,
				   pte_t pte)
{
	unsigned long flags = spin_lock_irqsave(&pt->lock);
	pte_t *slot = walk_alloc(pt, va, 0);

	if (!slot)	/* out of memory: tables made on the way go too */
		unmap_locked(pt, va, va + PAGE_SIZE - 1);
	spin_unlock_irqrestore(&pt->lock, flags);
	if (!slot || slot == ERR_EXISTS)
		return slot ? -EEXIST : -ENOMEM;
	return pte_install(slot, pte);
}

int __frameless pgtable_pte_fill(struct pgtable *pt, pte_t *slot,
				 unsigned long va, pte_t pte)
{
	if (unlikely(!slot))
		return pte_fill_alloc(pt, va, pte);
	return pte_install(slot, pte);
}

/*
 * Replace a huge leaf by a table of 512 leaves one level down: 4 KiB
 * ones in NAPOT groups where the tree allows them.
 */
static int split_leaf(const struct pgtable *pt, pte_t *entry,
		      unsigned int level)
{
	pte_t *table = alloc_table();
	phys_addr_t pa = pte_to_pa(*entry);
	pgprot_t prot = pte_prot(*entry);
	unsigned long i, nr = level == 1 && pt->napot ? NAPOT_PTES : 1;

	if (!table)
		return -ENOMEM;
	for (i = 0; i < PTRS_PER_TABLE; i += nr)
		set_leaf_entries(&table[i], nr, pa + i * level_size(level - 1),
				 prot);
	WRITE_ONCE(*entry, pa_to_pte(__pa(table), _PAGE_VALID));
	return 0;
}

/* What the walker does to a leaf the range covers whole. */
struct walk_op {
	bool unmap;
	bool keep_tables;	/* unmap: leave emptied tables in place */
	pgprot_t prot;
	struct list_head *pages;	/* unmap: gather the leaves' pages */
	unsigned long *removed;		/* unmap: count the leaves */
};

/*
 * Unmap or re-protect the leaf at @level that maps @va: @nr entries, 16
 * for a whole NAPOT group (which stays one when re-protected).
 */
static void leaf_op(pte_t *entry, unsigned long nr, unsigned int level,
		    unsigned long va, const struct walk_op *op)
{
	unsigned long i;

	for (i = 0; i < nr; i++, va += PAGE_SIZE) {
		phys_addr_t pa = pte_leaf_pa(entry[i], level, va);

		if (!op->unmap) {
			set_entry(&entry[i], (entry[i] & ~pte_prot(entry[i])) |
					     op->prot);
			continue;
		}
		if (op->pages)
			list_add_tail(&pfn_to_page(pa >> PAGE_SHIFT)->lru,
				      op->pages);
		if (op->removed)
			(*op->removed)++;
		set_entry(&entry[i], 0);
	}
}

/*
 * Entries the walker takes as one leaf at @entry: a NAPOT group that
 * [@va, @last] covers whole, or one entry (after splitting a group it
 * covers only in part).
 */
static unsigned long walk_entries(pte_t *entry, unsigned int level,
				  unsigned long va, unsigned long last)
{
	if (level || !pte_napot(*entry))
		return 1;
	if (IS_ALIGNED(va, NAPOT_SIZE) && (va | (NAPOT_SIZE - 1)) <= last)
		return NAPOT_PTES;
	split_napot(entry);
	return 1;
}

/*
 * Visit [va, last] at @level (inclusive: a range may end at the top of the
 * address space, where an exclusive end would wrap to 0).
 */
static int walk_range(const struct pgtable *pt, pte_t *table,
		      unsigned int level, unsigned long va, unsigned long last,
		      const struct walk_op *op)
{
	for (;;) {
		pte_t *entry = &table[PX(level, va)];
		unsigned long nr = walk_entries(entry, level, va, last);
		unsigned long size = nr * level_size(level);
		unsigned long entry_last = va | (size - 1);
		bool whole = IS_ALIGNED(va, size) && entry_last <= last;
		int err = 0;

		if (pte_present(*entry) && pte_leaf(*entry) && whole) {
			leaf_op(entry, nr, level, va, op);
		} else if (pte_present(*entry)) {
			/* A leaf that did not split stays as it was. */
			if (pte_leaf(*entry) && split_leaf(pt, entry, level))
				return -ENOMEM;
			err = walk_range(pt, next_table(*entry), level - 1, va,
					 min(entry_last, last), op);
			if (!op->keep_tables &&
			    table_page(next_table(*entry))->counters == 0) {
				free_table(next_table(*entry));
				set_entry(entry, 0);
			}
			if (err)
				return err;
		}
		if (entry_last >= last)
			return 0;
		va = entry_last + 1;
	}
}

/* Plain unmap: leaves go, emptied tables are freed. */
static const struct walk_op unmap_op = { .unmap = true };

static int unmap_locked(struct pgtable *pt, unsigned long va,
			unsigned long last)
{
	return walk_range(pt, pt->root, pt->levels - 1, va, last, &unmap_op);
}

/* A page-aligned, non-empty, non-wrapping, canonical [va, va + size). */
static bool range_valid(const struct pgtable *pt, unsigned long va,
			unsigned long size)
{
	return IS_ALIGNED(va | size, PAGE_SIZE) && size &&
	       va + size - 1 >= va && pgtable_va_valid(pt, va) &&
	       pgtable_va_valid(pt, va + size - 1);
}

/* Check [va, va + size), then walk it with @op under the lock. */
static int walk_locked(struct pgtable *pt, unsigned long va,
		       unsigned long size, const struct walk_op *op)
{
	unsigned long flags;
	int err;

	if (!range_valid(pt, va, size))
		return -EINVAL;
	flags = spin_lock_irqsave(&pt->lock);
	err = walk_range(pt, pt->root, pt->levels - 1, va, va + size - 1, op);
	spin_unlock_irqrestore(&pt->lock, flags);
	return err;
}

int pgtable_clear(struct pgtable *pt, unsigned long va, unsigned long size)
{
	const struct walk_op op = { .unmap = true, .keep_tables = true };

	return walk_locked(pt, va, size, &op);
}

int pgtable_unmap(struct pgtable *pt, unsigned long va, unsigned long size)
{
	return walk_locked(pt, va, size, &unmap_op);
}

long pgtable_unmap_gather(struct pgtable *pt, unsigned long va,
			  unsigned long size, struct list_head *pages)
{
	unsigned long removed = 0;
	const struct walk_op op = {
		.unmap = true, .pages = pages, .removed = &removed,
	};
	int err = walk_locked(pt, va, size, &op);

	return err ? err : (long)removed;
}

int pgtable_protect(struct pgtable *pt, unsigned long va, unsigned long size,
		    pgprot_t prot)
{
	const struct walk_op op = { .prot = prot };

	if (!(prot & _PAGE_LEAF))
		return -EINVAL;
	return walk_locked(pt, va, size, &op);
}

pte_t pgtable_walk(struct pgtable *pt, unsigned long va, unsigned int *level)
{
	pte_t *table = pt->root, entry = 0;
	unsigned long flags;
	int l;

	if (!pgtable_va_valid(pt, va))
		return 0;
	flags = spin_lock_irqsave(&pt->lock);
	for (l = pt->levels - 1; l >= 0; l--) {
		entry = table[PX(l, va)];
		if (!pte_present(entry) || pte_leaf(entry))
			break;
		table = next_table(entry);
	}
	spin_unlock_irqrestore(&pt->lock, flags);
	if (!pte_present(entry) || !pte_leaf(entry))
		return 0;
	if (level)
		*level = l;
	return entry;
}

bool pgtable_translate(struct pgtable *pt, unsigned long va, phys_addr_t *pa)
{
	unsigned int level;
	pte_t entry = pgtable_walk(pt, va, &level);

	if (!entry)
		return false;
	*pa = pte_leaf_pa(entry, level, va);
	return true;
}

unsigned long pgtable_napot_leaves(struct pgtable *pt, unsigned long va,
				   unsigned long size)
{
	unsigned long off, n = 0;

	/* By offset: an end at the top of the address space cannot wrap. */
	for (off = ALIGN(va, NAPOT_SIZE) - va; off + NAPOT_SIZE <= size;
	     off += NAPOT_SIZE)
		n += pte_napot(pgtable_walk(pt, va + off, NULL));
	return n;
}

/*
 * Runs of last-level entries, for vmalloc: one walk finds a leaf table,
 * then up to PTRS_PER_TABLE entries are written in a row.
 */

/* Entries from @va to the end of its leaf table, at most @left. */
static unsigned long leaf_run(unsigned long va, unsigned long left)
{
	return min(left, (unsigned long)(PTRS_PER_TABLE - PX(0, va)));
}

pte_t *pgtable_leaf_entry(struct pgtable *pt, unsigned long va)
{
	unsigned long flags = spin_lock_irqsave(&pt->lock);
	pte_t *entry = walk_alloc(pt, va, 0);

	spin_unlock_irqrestore(&pt->lock, flags);
	return entry == ERR_EXISTS ? NULL : entry;
}

static void set_plain_leaves(pte_t *entry, struct page *const *pages,
			     unsigned long nr, pgprot_t prot)
{
	unsigned long i;

	for (i = 0; i < nr; i++)
		WRITE_ONCE(entry[i], pa_to_pte(page_to_phys(pages[i]), prot));
}

/*
 * Do @pages[0..@left) start with 64 KiB of aligned frames in order, and
 * @entry with a group's first slot.
 */
static bool napot_run(const pte_t *entry, struct page *const *pages,
		      unsigned long left)
{
	unsigned long i;

	if (left < NAPOT_PTES || entry_index(entry) % NAPOT_PTES ||
	    page_to_pfn(pages[0]) % NAPOT_PTES)
		return false;
	/* mem_map is one array: frames in order have struct pages in order. */
	for (i = 1; i < NAPOT_PTES; i++)
		if (pages[i] != pages[0] + i)
			return false;
	return true;
}

/*
 * pgtable_set_leaves() where the tree has NAPOT groups: a group wherever
 * napot_run() finds one, single entries elsewhere. Out of line, so runs
 * in a tree without them pay nothing for it.
 */
static noinline void set_leaves_napot(pte_t *entry, struct page *const *pages,
				      unsigned long nr, pgprot_t prot)
{
	unsigned long i, j;

	for (i = 0; i < nr; i++) {
		if (!napot_run(&entry[i], &pages[i], nr - i)) {
			set_plain_leaves(&entry[i], &pages[i], 1, prot);
			continue;
		}
		for (j = 0; j < NAPOT_PTES; j++)
			WRITE_ONCE(entry[i + j],
				   napot_pte(page_to_phys(pages[i]), prot));
		i += NAPOT_PTES - 1;
	}
}

void pgtable_set_leaves(const struct pgtable *pt, pte_t *entry,
			struct page *const *pages, unsigned long nr,
			pgprot_t prot)
{
	table_page(entry)->counters += nr;
	if (pt->napot)
		set_leaves_napot(entry, pages, nr, prot);
	else
		set_plain_leaves(entry, pages, nr, prot);
}

static unsigned long clear_leaves_napot(pte_t *entry, unsigned long nr,
					struct list_head *pages);

unsigned long pgtable_clear_leaves(pte_t *entry, unsigned long nr,
				   struct list_head *pages)
{
	unsigned long i, cleared = 0;

	for (i = 0; i < nr; i++) {
		pte_t old = entry[i];

		if (!pte_present(old))
			continue;
		if (unlikely(pte_napot(old)))
			break;
		WRITE_ONCE(entry[i], 0);
		cleared++;
		if (pages)
			list_add_tail(&pfn_to_page(pte_to_pa(old) >>
						   PAGE_SHIFT)->lru, pages);
	}
	table_page(entry)->counters -= cleared;
	if (unlikely(i < nr))
		cleared += clear_leaves_napot(&entry[i], nr - i, pages);
	return cleared;
}

/*
 * pgtable_clear_leaves() from a NAPOT entry on: split every group the
 * run touches (those it takes in part too) into plain entries for the
 * same frames, then clear them as plain ones.
 */
static noinline unsigned long clear_leaves_napot(pte_t *entry,
						 unsigned long nr,
						 struct list_head *pages)
{
	unsigned long i;

	for (i = 0; i < nr; i++)
		if (pte_napot(entry[i]))
			split_napot(&entry[i]);
	return pgtable_clear_leaves(entry, nr, pages);
}

int pgtable_map_pages(struct pgtable *pt, unsigned long va,
		      struct page *const *pages, unsigned long nr,
		      pgprot_t prot)
{
	unsigned long done, n, flags;
	int err = 0;

	if (!nr || !range_valid(pt, va, nr << PAGE_SHIFT) ||
	    !(prot & _PAGE_LEAF))
		return -EINVAL;
	flags = spin_lock_irqsave(&pt->lock);
	for (done = 0; done < nr; done += n) {
		unsigned long at = va + (done << PAGE_SHIFT);
		pte_t *entry = walk_alloc(pt, at, 0);

		if (!entry || entry == ERR_EXISTS) {
			err = entry ? -EEXIST : -ENOMEM;
			break;
		}
		n = leaf_run(at, nr - done);
		pgtable_set_leaves(pt, entry, pages + done, n, prot);
	}
	spin_unlock_irqrestore(&pt->lock, flags);
	return err;
}

unsigned long pgtable_clear_pages(struct pgtable *pt, unsigned long va,
				  unsigned long nr, struct list_head *pages)
{
	unsigned long done, n, flags, cleared = 0;

	if (!nr || !range_valid(pt, va, nr << PAGE_SHIFT))
		return 0;
	flags = spin_lock_irqsave(&pt->lock);
	for (done = 0; done < nr; done += n) {
		unsigned long at = va + (done << PAGE_SHIFT);
		pte_t *entry = find_entry(pt, at, 0);

		n = leaf_run(at, nr - done);
		if (entry)
			cleared += pgtable_clear_leaves(entry, n, pages);
	}
	spin_unlock_irqrestore(&pt->lock, flags);
	return cleared;
}
