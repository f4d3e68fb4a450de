// SPDX-License-Identifier: MIT
/*
 * Sv39/Sv48/Sv57 page tables: map, unmap, protect and walk, with 4 KiB, 2 MiB
 * and 1 GiB leaves.
 *
 * One recursive walker serves unmap and protect: it visits the entries of
 * a range level by level, splits a huge leaf the range covers only in
 * part, applies the operation to covered leaves and frees a table whose
 * last entry went away. Table pages count their valid entries in
 * page->counters. Invariant: a table page is in the tree iff its count is
 * nonzero or it is a root, except that pgtable_clear() and the vmalloc runs
 * below leave empty tables: the vmalloc window keeps its tables for good.
 */
#define pr_fmt(fmt) "pgtable: " fmt

#include <errno.h>
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
	__atomic_store_n(entry, val, __ATOMIC_RELEASE);
}

static pte_t *next_table(pte_t entry)
{
	return __va(pte_to_pa(entry));
}

int pgtable_init(struct pgtable *pt, unsigned int levels)
{
	if (levels < PGTABLE_MIN_LEVELS || levels > PGTABLE_MAX_LEVELS)
		return -EINVAL;
	pt->root = alloc_table();
	if (!pt->root)
		return -ENOMEM;
	pt->levels = levels;
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
		pte_t *entry = walk_alloc(pt, va + done, level);

		if (!entry || entry == ERR_EXISTS || pte_present(*entry)) {
			err = entry ? -EEXIST : -ENOMEM;
			/* Out of memory: tables made for this piece go too. */
			undo = done + (entry ? 0 : level_size(level));
			break;
		}
		set_entry(entry, pa_to_pte(pa + done, prot));
		done += level_size(level);
	}
	if (undo)
		unmap_locked(pt, va, va + undo - 1);
	spin_unlock_irqrestore(&pt->lock, flags);
	return err;
}

pte_t *pgtable_pte_slot(struct pgtable *pt, unsigned long va)
{
	pte_t *table = pt->root;
	unsigned int l;

	for (l = pt->levels - 1; l > 0; l--) {
		pte_t entry = READ_ONCE(table[PX(l, va)]);

		if ((entry & (_PAGE_VALID | _PAGE_LEAF)) != _PAGE_VALID)
			return NULL;	/* no table here: absent, or a leaf */
		table = next_table(entry);
	}
	return &table[PX(0, va)];
}

/* The slot pgtable_pte_slot() did not find: make its tables (rare). */
static noinline pte_t *pte_slot_alloc(struct pgtable *pt, unsigned long va)
{
	unsigned long flags = spin_lock_irqsave(&pt->lock);
	pte_t *slot = walk_alloc(pt, va, 0);

	if (!slot)	/* out of memory: tables made on the way go too */
		unmap_locked(pt, va, va + PAGE_SIZE - 1);
	spin_unlock_irqrestore(&pt->lock, flags);
	return slot;
}

int pgtable_pte_fill(struct pgtable *pt, pte_t *slot, unsigned long va,
		     pte_t pte)
{
	pte_t empty = 0;

	if (!slot) {
		slot = pte_slot_alloc(pt, va);
		if (!slot || slot == ERR_EXISTS)
			return slot ? -EEXIST : -ENOMEM;
	}
	/* Release: whatever the page holds before the entry that maps it. */
	if (!__atomic_compare_exchange_n(slot, &empty, pte, false,
					 __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return -EEXIST;
	__atomic_add_fetch(&table_page(slot)->counters, 1, __ATOMIC_RELAXED);
	return 0;
}

/* Replace a huge leaf by a table of 512 leaves one level down. */
static int split_leaf(pte_t *entry, unsigned int level)
{
	pte_t *table = alloc_table();
	phys_addr_t pa = pte_to_pa(*entry);
	pgprot_t prot = pte_prot(*entry);
	unsigned int i;

	if (!table)
		return -ENOMEM;
	for (i = 0; i < PTRS_PER_TABLE; i++)
		set_entry(&table[i], pa_to_pte(pa + i * level_size(level - 1),
					       prot));
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

/* Unmap or re-protect one leaf. */
static void leaf_op(pte_t *entry, const struct walk_op *op)
{
	phys_addr_t pa = pte_to_pa(*entry);

	if (!op->unmap) {
		set_entry(entry, pa_to_pte(pa, op->prot));
		return;
	}
	if (op->pages)
		list_add_tail(&pfn_to_page(pa >> PAGE_SHIFT)->lru, op->pages);
	if (op->removed)
		(*op->removed)++;
	set_entry(entry, 0);
}

/*
 * Visit [va, last] at @level (inclusive: a range may end at the top of the
 * address space, where an exclusive end would wrap to 0).
 */
static int walk_range(pte_t *table, unsigned int level, unsigned long va,
		      unsigned long last, const struct walk_op *op)
{
	for (;;) {
		pte_t *entry = &table[PX(level, va)];
		unsigned long entry_last = (va | (level_size(level) - 1));
		bool whole = IS_ALIGNED(va, level_size(level)) &&
			     entry_last <= last;
		int err = 0;

		if (pte_present(*entry) && pte_leaf(*entry) && whole) {
			leaf_op(entry, op);
		} else if (pte_present(*entry)) {
			/* A leaf that did not split stays as it was. */
			if (pte_leaf(*entry) && split_leaf(entry, level))
				return -ENOMEM;
			err = walk_range(next_table(*entry), level - 1, va,
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

static int unmap_locked(struct pgtable *pt, unsigned long va,
			unsigned long last)
{
	const struct walk_op op = { .unmap = true };

	return walk_range(pt->root, pt->levels - 1, va, last, &op);
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
	err = walk_range(pt->root, pt->levels - 1, va, va + size - 1, op);
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
	unsigned long flags;
	int err;

	if (!range_valid(pt, va, size))
		return -EINVAL;
	flags = spin_lock_irqsave(&pt->lock);
	err = unmap_locked(pt, va, va + size - 1);
	spin_unlock_irqrestore(&pt->lock, flags);
	return err;
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
	*pa = pte_to_pa(entry) + (va & (level_size(level) - 1));
	return true;
}

/*
 * Runs of last-level entries, for vmalloc: one walk finds a leaf table,
 * then up to PTRS_PER_TABLE entries are written in a row.
 */

/* The last-level table entry for @va, or NULL where there is none. */
static pte_t *find_leaf_entry(struct pgtable *pt, unsigned long va)
{
	pte_t *table = pt->root;
	unsigned int l;

	for (l = pt->levels - 1; l > 0; l--) {
		pte_t entry = table[PX(l, va)];

		if (!pte_present(entry) || pte_leaf(entry))
			return NULL;
		table = next_table(entry);
	}
	return &table[PX(0, va)];
}

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

void pgtable_set_leaves(pte_t *entry, struct page *const *pages,
			unsigned long nr, pgprot_t prot)
{
	unsigned long i;

	for (i = 0; i < nr; i++)
		WRITE_ONCE(entry[i], pa_to_pte(page_to_phys(pages[i]), prot));
	table_page(entry)->counters += nr;
}

unsigned long pgtable_clear_leaves(pte_t *entry, unsigned long nr,
				   struct list_head *pages)
{
	unsigned long i, cleared = 0;

	for (i = 0; i < nr; i++) {
		pte_t old = entry[i];

		if (!pte_present(old))
			continue;
		WRITE_ONCE(entry[i], 0);
		cleared++;
		if (pages)
			list_add_tail(&pfn_to_page(pte_to_pa(old) >>
						   PAGE_SHIFT)->lru, pages);
	}
	table_page(entry)->counters -= cleared;
	return cleared;
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
		pgtable_set_leaves(entry, pages + done, n, prot);
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
		pte_t *entry = find_leaf_entry(pt, at);

		n = leaf_run(at, nr - done);
		if (entry)
			cleared += pgtable_clear_leaves(entry, n, pages);
	}
	spin_unlock_irqrestore(&pt->lock, flags);
	return cleared;
}
