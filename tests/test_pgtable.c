// SPDX-License-Identifier: MIT
/*
 * Host tests of the Sv39/Sv48/Sv57 page tables (core/mm/pgtable.c) on tables
 * in simulated RAM: table pages come from the page allocator booted by
 * mm_fixture_boot_small(). Nothing is ever accessed through the tables,
 * so mapped physical addresses are just numbers.
 *
 * Each case runs for levels 3 (Sv39), 4 (Sv48) and 5 (Sv57). Addresses:
 *   LO  = 0x40000000       (1 GiB, lower half)
 *   HI  = 0xffffffc000000000 (lowest upper-half address of Sv39)
 *   PA0 = 0x2000000000     (1 GiB aligned "physical" base)
 * Leaf levels: 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB; a tree with napot set
 * also has 64 KiB NAPOT groups of level-0 entries.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <asm/page.h>
#include <rvmem/gfp.h>
#include <rvmem/ktest.h>
#include <rvmem/list.h>
#include <rvmem/mm.h>
#include <rvmem/internal/pgtable.h>

#include "mm_fixture.h"

#define P		PAGE_SIZE
#define LO		0x40000000UL
#define HI		0xffffffc000000000UL
#define PA0		0x2000000000UL

static const unsigned int modes[] = { 3, 4, 5 };

/* A tree on a fresh allocator; remembers what to come back to. */
struct env {
	struct pgtable pt;
	unsigned long tables0;	/* nr_pagetable_pages before init */
	unsigned long free0;	/* mm_free_total() before init */
};

static bool env_init(struct ktest *t, struct env *e, unsigned int levels)
{
	if (!mm_fixture_boot_small(MiB(32))) {
		ktest_fail(t, __FILE__, __LINE__, "boot failed");
		return false;
	}
	e->tables0 = nr_pagetable_pages;
	e->free0 = mm_free_total();
	if (pgtable_init(&e->pt, levels)) {
		ktest_fail(t, __FILE__, __LINE__, "pgtable_init(%u) failed",
			   levels);
		return false;
	}
	return true;
}

/* Tables in use besides the root. */
static long extra_tables(const struct env *e)
{
	return (long)(nr_pagetable_pages - e->tables0) - 1;
}

/* Destroy and check every table page went back. */
static void env_done(struct ktest *t, struct env *e)
{
	pgtable_destroy(&e->pt);
	KTEST_EXPECT_EQ(t, nr_pagetable_pages, e->tables0);
	KTEST_EXPECT_EQ(t, mm_free_total(), e->free0);
}

/* NAPOT entries counted by count_tables() since the last reset. */
static unsigned long napot_seen;

/*
 * Is @table[@i] (level 0, N set) the first of an aligned group of 16
 * identical entries whose PPN[3:0] says 64 KiB, or one of the other 15.
 */
static bool napot_group_ok(struct ktest *t, const pte_t *table,
			   unsigned int i)
{
	const pte_t *first = table + ALIGN_DOWN(i, NAPOT_PTES);
	unsigned int j;

	for (j = 0; j < NAPOT_PTES; j++)
		if (first[j] != table[i])
			break;
	if (j < NAPOT_PTES || (pte_to_pa(table[i]) >> PAGE_SHIFT) %
			      NAPOT_PTES != NAPOT_PPN_BITS) {
		ktest_fail(t, __FILE__, __LINE__, "entry %u: NAPOT group "
			   "not 16 identical 64 KiB entries", i);
		return false;
	}
	napot_seen++;
	return true;
}

/*
 * Walk the tree itself: every table page's counters must equal its valid
 * entries, no table but the root may be empty, no leaf may sit at a level
 * above 2 (max_level never exceeds 2 here), an entry with N set must be
 * a level-0 leaf in a whole NAPOT group.
 * Return: the number of table pages, or -1 (after a failure report).
 */
static long count_tables(struct ktest *t, pte_t *table, int level,
			 bool root)
{
	unsigned int i, valid = 0;
	long n = 1;

	for (i = 0; i < PTRS_PER_TABLE; i++) {
		pte_t e = table[i];
		long sub;

		if (!pte_present(e))
			continue;
		valid++;
		if (pte_napot(e) && (level || !napot_group_ok(t, table, i)))
			return -1;
		if (pte_leaf(e)) {
			if (level > 2) {
				ktest_fail(t, __FILE__, __LINE__,
					   "leaf at level %d", level);
				return -1;
			}
			continue;
		}
		if (level == 0) {
			ktest_fail(t, __FILE__, __LINE__,
				   "table pointer at level 0");
			return -1;
		}
		sub = count_tables(t, __va(pte_to_pa(e)), level - 1, false);
		if (sub < 0)
			return -1;
		n += sub;
	}
	if (virt_to_page(table)->counters != valid || (!root && !valid)) {
		ktest_fail(t, __FILE__, __LINE__,
			   "table at level %d: counters %u, %u valid", level,
			   virt_to_page(table)->counters, valid);
		return -1;
	}
	return n;
}

/* The tree's shape agrees with nr_pagetable_pages. */
static bool tables_ok(struct ktest *t, const struct env *e)
{
	long n = count_tables(t, e->pt.root, e->pt.levels - 1, true);

	if (n < 0)
		return false;
	if (n != (long)(nr_pagetable_pages - e->tables0)) {
		ktest_fail(t, __FILE__, __LINE__,
			   "%ld tables in the tree, %lu counted", n,
			   nr_pagetable_pages - e->tables0);
		return false;
	}
	return true;
}

/*
 * Walk [@va, @va + @size) leaf by leaf and check it maps @pa + offset
 * with @prot; count leaves per level into @count (may be NULL).
 * Return: true if every page was mapped as expected.
 */
static bool mapped_as(struct ktest *t, struct pgtable *pt, unsigned long va,
		      unsigned long size, phys_addr_t pa, pgprot_t prot,
		      unsigned long count[3])
{
	unsigned long v = va, end = va + size;

	while (v - va < size) {
		unsigned int level = 99;
		pte_t e = pgtable_walk(pt, v, &level);
		unsigned long lsize, lstart;
		phys_addr_t got;

		if (!e || level > 2) {
			ktest_fail(t, __FILE__, __LINE__,
				   "%#lx not mapped (level %u)", v, level);
			return false;
		}
		lsize = level_size(level);
		lstart = ALIGN_DOWN(v, lsize);
		if (pte_leaf_pa(e, level, v) != pa + (v - va) ||
		    pte_prot(e) != prot) {
			ktest_fail(t, __FILE__, __LINE__,
				   "%#lx: pa %#lx prot %#lx, expected %#lx "
				   "%#lx", v, pte_leaf_pa(e, level, v),
				   pte_prot(e), pa + (v - va), prot);
			return false;
		}
		if (!pgtable_translate(pt, v + 0x123, &got) ||
		    got != pa + (v - va) + 0x123) {
			ktest_fail(t, __FILE__, __LINE__,
				   "translate(%#lx) wrong", v + 0x123);
			return false;
		}
		if (count && lstart >= va && lstart + lsize <= end)
			count[level]++;
		v = lstart + lsize;
		if (!v)
			break;		/* the last leaf of the address space */
	}
	return true;
}

/* No page of [@va, @va + @size) is mapped (checked page by page). */
static bool unmapped(struct ktest *t, struct pgtable *pt, unsigned long va,
		     unsigned long size)
{
	unsigned long off;
	phys_addr_t pa;

	for (off = 0; off < size; off += P) {
		if (pgtable_walk(pt, va + off, NULL) ||
		    pgtable_translate(pt, va + off, &pa)) {
			ktest_fail(t, __FILE__, __LINE__,
				   "%#lx still mapped", va + off);
			return false;
		}
	}
	return true;
}

/*
 * pgtable_init(): expect -EINVAL for 2 and 6 levels; 3 to 5 take one
 * table page, an empty tree maps nothing, and destroy gives it back.
 */
static void pgtable_init_levels(struct ktest *t)
{
	struct env e;
	struct pgtable bad;
	unsigned int m;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_EXPECT_EQ(t, pgtable_init(&bad, 2), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_init(&bad, 6), -EINVAL);
		KTEST_EXPECT_EQ(t, nr_pagetable_pages, e.tables0 + 1);
		KTEST_EXPECT_EQ(t, pgtable_walk(&e.pt, LO, NULL), 0);
		KTEST_EXPECT_EQ(t, pgtable_walk(&e.pt, HI, NULL), 0);
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		env_done(t, &e);
	}
}

/*
 *   LO      LO+2M      LO+1G              LO+2G
 *   [4K]....[2M]........[1 GiB leaf      ]
 * Expect walk levels 0, 1, 2 with the prot given, translate pa + offset,
 * the neighbours unmapped, and tables: Sv39 1 + 1 (L1 and L0 under the
 * first GiB), Sv48 one more (the L2 table).
 */
static void pgtable_map_leaf_sizes(struct ktest *t)
{
	struct env e;
	unsigned int m, level;
	phys_addr_t pa;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, LO, PA0 + P, P,
					       PAGE_KERNEL_RO, 2), 0);
		KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, LO + MiB(2), PA0 + MiB(2),
					       MiB(2), PAGE_KERNEL_EXEC, 2), 0);
		KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, LO + GiB(1), PA0 + GiB(1),
					       GiB(1), PAGE_KERNEL, 2), 0);
		KTEST_EXPECT_EQ(t, pgtable_walk(&e.pt, LO, &level),
				pa_to_pte(PA0 + P, PAGE_KERNEL_RO));
		KTEST_EXPECT_EQ(t, level, 0);
		KTEST_EXPECT_EQ(t, pgtable_walk(&e.pt, LO + MiB(3), &level),
				pa_to_pte(PA0 + MiB(2), PAGE_KERNEL_EXEC));
		KTEST_EXPECT_EQ(t, level, 1);
		KTEST_EXPECT_EQ(t, pgtable_walk(&e.pt, LO + GiB(2) - 1, &level),
				pa_to_pte(PA0 + GiB(1), PAGE_KERNEL));
		KTEST_EXPECT_EQ(t, level, 2);
		KTEST_EXPECT_TRUE(t, pgtable_translate(&e.pt, LO + 0xabc, &pa));
		KTEST_EXPECT_EQ(t, pa, PA0 + P + 0xabc);
		KTEST_EXPECT_TRUE(t, pgtable_translate(&e.pt,
						       LO + GiB(1) + 0x12345678,
						       &pa));
		KTEST_EXPECT_EQ(t, pa, PA0 + GiB(1) + 0x12345678);
		KTEST_EXPECT_TRUE(t, !pgtable_translate(&e.pt, LO + P, &pa));
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, LO - P, P));
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, LO + MiB(4), P));
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, LO + GiB(2), P));
		KTEST_EXPECT_EQ(t, extra_tables(&e), modes[m] - 1);
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		env_done(t, &e);
	}
}

/*
 * One aligned GiB at LO mapped with max_level 0, 1 and 2 (and 7, which
 * must act as 2). Expect 262144 4 KiB leaves (512 + 1 tables besides
 * the root in Sv39), 512 2 MiB leaves (1 table) and one 1 GiB leaf.
 */
static void pgtable_map_max_level(struct ktest *t)
{
	static const unsigned int maxl[] = { 0, 1, 2, 7 };
	static const unsigned long leaves[][3] = {
		{ 262144, 0, 0 }, { 0, 512, 0 }, { 0, 0, 1 }, { 0, 0, 1 },
	};
	static const long tables[] = { 513, 1, 0, 0 };
	unsigned long count[3];
	unsigned int m, i, l;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		for (i = 0; i < ARRAY_SIZE(maxl); i++) {
			KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
			KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, LO, PA0, GiB(1),
						       PAGE_KERNEL, maxl[i]),
					0);
			memset(count, 0, sizeof(count));
			KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, LO, GiB(1),
						       PA0, PAGE_KERNEL,
						       count));
			for (l = 0; l < 3; l++)
				KTEST_EXPECT_EQ(t, count[l], leaves[i][l]);
			KTEST_EXPECT_EQ(t, extra_tables(&e),
					tables[i] + modes[m] - 3);
			KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
			env_done(t, &e);
		}
	}
}

/*
 *   G = LO + 1 GiB
 *   G-2M-3P   G-2M      G              G+1G     G+1G+2M   +5P
 *   [3 x 4K  ][ 2 MiB  ][ 1 GiB       ][ 2 MiB  ][5 x 4K]
 * pa congruent to va modulo 1 GiB.
 * Expect 8 4 KiB, 2 2 MiB and 1 1 GiB leaves. With pa off by one page
 * (congruent only modulo 4 KiB): expect only 4 KiB leaves.
 * With pa congruent modulo 2 MiB only: expect no 1 GiB leaf.
 */
static void pgtable_map_largest_leaves(struct ktest *t)
{
	const unsigned long g = LO + GiB(1);
	const unsigned long va = g - MiB(2) - 3 * P;
	const unsigned long size = GiB(1) + MiB(4) + 8 * P;
	const phys_addr_t pa = PA0 + GiB(1) - MiB(2) - 3 * P;
	unsigned long count[3];
	unsigned int m;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, va, pa, size,
					       PAGE_KERNEL, 2), 0);
		memset(count, 0, sizeof(count));
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, va, size, pa,
					       PAGE_KERNEL, count));
		KTEST_EXPECT_EQ(t, count[0], 8);
		KTEST_EXPECT_EQ(t, count[1], 2);
		KTEST_EXPECT_EQ(t, count[2], 1);
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, va - P, P));
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, va + size, P));
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_EQ(t, pgtable_unmap(&e.pt, va, size), 0);
		KTEST_EXPECT_EQ(t, extra_tables(&e), 0);

		/* Misaligned pa: 4 KiB leaves only (a smaller range). */
		KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, g, PA0 + P, MiB(4),
					       PAGE_KERNEL, 2), 0);
		memset(count, 0, sizeof(count));
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, g, MiB(4), PA0 + P,
					       PAGE_KERNEL, count));
		KTEST_EXPECT_EQ(t, count[0], 1024);
		KTEST_EXPECT_EQ(t, count[1] + count[2], 0);
		KTEST_EXPECT_EQ(t, pgtable_unmap(&e.pt, g, MiB(4)), 0);

		/* pa aligned to 2 MiB but not 1 GiB: 2 MiB leaves. */
		KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, g, PA0 + MiB(2), GiB(1),
					       PAGE_KERNEL, 2), 0);
		memset(count, 0, sizeof(count));
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, g, GiB(1),
					       PA0 + MiB(2), PAGE_KERNEL,
					       count));
		KTEST_EXPECT_EQ(t, count[1], 512);
		KTEST_EXPECT_EQ(t, count[0] + count[2], 0);
		env_done(t, &e);
	}
}

/*
 *   LO        LO+2M      LO+4M      LO+6M
 *   .......................[A 2M]....          A mapped first
 *   [B ........................... ]           B = [LO, LO+6M): -EEXIST
 *   .........[C 4K at LO+2M+P]                 C, then D = [LO+2M, LO+4M)
 *   [E 2M leaf at LO] then F = one page at LO+P: -EEXIST
 * Expect every overlapping map to fail with -EEXIST, the part of B
 * mapped before the collision to be gone again with its tables, and A,
 * C and E unchanged.
 */
static void pgtable_map_eexist(struct ktest *t)
{
	unsigned long tables;
	unsigned int m;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, LO + MiB(4), PA0, MiB(2),
					       PAGE_KERNEL, 2), 0);
		tables = nr_pagetable_pages;
		KTEST_EXPECT_EQ(t, pgtable_map(&e.pt, LO, PA0 + GiB(1), MiB(6),
					       PAGE_KERNEL_RO, 2), -EEXIST);
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, LO, MiB(4)));
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, LO + MiB(4), MiB(2),
					       PA0, PAGE_KERNEL, NULL));
		KTEST_EXPECT_EQ(t, nr_pagetable_pages, tables);
		/* A 4 KiB mapping splits the range a 2 MiB leaf wants. */
		KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, LO + MiB(2) + P, PA0 + P,
					       P, PAGE_KERNEL, 2), 0);
		tables = nr_pagetable_pages;
		KTEST_EXPECT_EQ(t, pgtable_map(&e.pt, LO + MiB(2), PA0 + MiB(2),
					       MiB(2), PAGE_KERNEL, 2),
				-EEXIST);
		KTEST_EXPECT_EQ(t, pgtable_map(&e.pt, LO + MiB(2), PA0 + MiB(2),
					       MiB(2), PAGE_KERNEL, 0),
				-EEXIST);
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, LO + MiB(2), P));
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, LO + MiB(2) + 2 * P,
					      MiB(2) - 2 * P));
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, LO + MiB(2) + P, P,
					       PA0 + P, PAGE_KERNEL, NULL));
		KTEST_EXPECT_EQ(t, nr_pagetable_pages, tables);
		/* A huge leaf in the way of a 4 KiB one. */
		KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, LO, PA0 + MiB(8), MiB(2),
					       PAGE_KERNEL, 2), 0);
		KTEST_EXPECT_EQ(t, pgtable_map(&e.pt, LO + P, PA0, P,
					       PAGE_KERNEL, 0), -EEXIST);
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, LO, MiB(2),
					       PA0 + MiB(8), PAGE_KERNEL,
					       NULL));
		/* Mapping the same range again. */
		KTEST_EXPECT_EQ(t, pgtable_map(&e.pt, LO + MiB(4), PA0, MiB(2),
					       PAGE_KERNEL, 2), -EEXIST);
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		env_done(t, &e);
	}
}

/*
 * Bad arguments: expect -EINVAL and nothing mapped or allocated for an
 * unaligned va, pa or size, a zero size, a prot without R/W/X, a range
 * that wraps, the mode's lowest non-canonical address (0x0000004000000000,
 * 0x0000800000000000, 0x0100000000000000) or a range running into it
 * from below. Sv48 and Sv57 map 0x0000004000000000. Unmap and protect reject unaligned or empty
 * ranges, protect a prot without R/W/X.
 */
static void pgtable_map_einval(struct ktest *t)
{
	const unsigned long nc39 = 0x0000004000000000UL;
	unsigned long tables;
	unsigned int m;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		const unsigned long nc = 1UL << (va_bits(modes[m]) - 1);
		bool sv48 = modes[m] >= 4;
		struct pgtable *pt = &e.pt;

		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		tables = nr_pagetable_pages;
		KTEST_EXPECT_EQ(t, pgtable_map(pt, LO + 1, PA0, P,
					       PAGE_KERNEL, 2), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_map(pt, LO, PA0 + 8, P,
					       PAGE_KERNEL, 2), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_map(pt, LO, PA0, P + 1,
					       PAGE_KERNEL, 2), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_map(pt, LO, PA0, 0,
					       PAGE_KERNEL, 2), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_map(pt, LO, PA0, P,
					       _PAGE_VALID | _PAGE_GLOBAL, 2),
				-EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_map(pt, ~0UL - P + 1, PA0, 2 * P,
					       PAGE_KERNEL, 2), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_map(pt, nc, PA0, P,
					       PAGE_KERNEL, 2), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_map(pt, nc - P, PA0, 2 * P,
					       PAGE_KERNEL, 2), -EINVAL);
		KTEST_EXPECT_TRUE(t, !pgtable_va_valid(pt, nc));
		KTEST_EXPECT_TRUE(t, pgtable_va_valid(pt, nc39 - 1));
		KTEST_EXPECT_TRUE(t, pgtable_va_valid(pt, HI));
		KTEST_EXPECT_TRUE(t, pgtable_va_valid(pt, ~0UL));
		KTEST_EXPECT_EQ(t, pgtable_va_valid(pt, nc39), sv48);
		KTEST_EXPECT_EQ(t, pgtable_va_valid(pt, 0xffff800000000000UL),
				sv48);
		KTEST_EXPECT_EQ(t, pgtable_map(pt, nc39, PA0, P,
					       PAGE_KERNEL, 2),
				sv48 ? 0 : -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_map(pt, nc39 - P, PA0, 2 * P,
					       PAGE_KERNEL, 2),
				sv48 ? -EEXIST : -EINVAL);
		if (sv48)
			KTEST_EXPECT_EQ(t, pgtable_unmap(pt, nc39, P), 0);
		KTEST_EXPECT_EQ(t, nr_pagetable_pages, tables);
		KTEST_EXPECT_EQ(t, pgtable_walk(pt, nc, NULL), 0);
		KTEST_EXPECT_EQ(t, pgtable_walk(pt, LO, NULL), 0);
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, LO + 1, P), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, LO, P + 1), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, LO, 0), -EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_protect(pt, LO + 1, P, PAGE_KERNEL),
				-EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_protect(pt, LO, 0, PAGE_KERNEL),
				-EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_protect(pt, LO, P, _PAGE_VALID),
				-EINVAL);
		env_done(t, &e);
	}
}

/*
 *   LO: [4K x 3][2M][1G]   LO+5G: [4K]   HI: [2M x 2]   HI+300M: [4K]
 * Mapped, then unmapped piece by piece (each range as mapped, and one
 * unmap spanning holes). Expect only the root left after the last
 * unmap, every counter right on the way, and pgtable_destroy() to give
 * every page back to the allocator.
 */
static void pgtable_unmap_frees_tables(struct ktest *t)
{
	unsigned int m;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		struct pgtable *pt = &e.pt;

		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_ASSERT_EQ(t, pgtable_map(pt, LO, PA0, 3 * P,
					       PAGE_KERNEL, 2), 0);
		KTEST_ASSERT_EQ(t, pgtable_map(pt, LO + MiB(2), PA0, MiB(2),
					       PAGE_KERNEL, 2), 0);
		KTEST_ASSERT_EQ(t, pgtable_map(pt, LO + GiB(1), PA0, GiB(1),
					       PAGE_KERNEL, 2), 0);
		KTEST_ASSERT_EQ(t, pgtable_map(pt, LO + GiB(5), PA0, P,
					       PAGE_KERNEL, 2), 0);
		KTEST_ASSERT_EQ(t, pgtable_map(pt, HI, PA0, MiB(4),
					       PAGE_KERNEL, 2), 0);
		KTEST_ASSERT_EQ(t, pgtable_map(pt, HI + MiB(300), PA0, P,
					       PAGE_KERNEL, 2), 0);
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, LO + P, P), 0);
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, LO, GiB(2)), 0);
		KTEST_EXPECT_TRUE(t, unmapped(t, pt, LO, 3 * P));
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, LO + GiB(5), P), 0);
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, HI, GiB(1)), 0);
		KTEST_EXPECT_EQ(t, extra_tables(&e), 0);
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		/* Unmapping nothing allocates nothing. */
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, LO, GiB(8)), 0);
		KTEST_EXPECT_EQ(t, extra_tables(&e), 0);
		env_done(t, &e);
	}
}

/*
 *   LO          LO+1M   LO+1M+P          LO+2M
 *   [ 2 MiB leaf  ...  x  ...          ]      unmap one page x
 * Expect a table of 511 4 KiB leaves with the leaf's pa and prot, the
 * page at x gone; then unmapping the rest frees that table.
 */
static void pgtable_unmap_splits_2m(struct ktest *t)
{
	const unsigned long x = LO + MiB(1);
	unsigned long count[3] = { 0 };
	unsigned int m;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		long before;

		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, LO, PA0, MiB(2),
					       PAGE_KERNEL_EXEC, 2), 0);
		before = extra_tables(&e);
		KTEST_EXPECT_EQ(t, pgtable_unmap(&e.pt, x, P), 0);
		KTEST_EXPECT_EQ(t, extra_tables(&e), before + 1);
		memset(count, 0, sizeof(count));
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, LO, x - LO, PA0,
					       PAGE_KERNEL_EXEC, count));
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, x + P,
					       LO + MiB(2) - x - P,
					       PA0 + (x + P - LO),
					       PAGE_KERNEL_EXEC, count));
		KTEST_EXPECT_EQ(t, count[0], 511);
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, x, P));
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_EQ(t, pgtable_unmap(&e.pt, LO, x - LO), 0);
		KTEST_EXPECT_EQ(t, pgtable_unmap(&e.pt, x + P,
						 LO + MiB(2) - x - P), 0);
		KTEST_EXPECT_EQ(t, extra_tables(&e), 0);
		env_done(t, &e);
	}
}

/*
 *   G = LO + 1 GiB
 *   G     G+2M  G+2M+P              G+4M                 G+1G
 *   [2M ][4K ][ unmapped .......  ][ 2M x 510 ............]
 * Unmap [G+2M+P, G+4M) from a 1 GiB leaf.
 * Expect 511 2 MiB leaves and one 4 KiB leaf, all with the GiB's pa and
 * prot, two new tables; then unmap of the rest leaves none.
 */
static void pgtable_unmap_splits_1g(struct ktest *t)
{
	const unsigned long g = LO + GiB(1);
	unsigned long count[3];
	unsigned int m;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		long before;

		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, g, PA0, GiB(1),
					       PAGE_KERNEL_RO, 2), 0);
		before = extra_tables(&e);
		KTEST_EXPECT_EQ(t, pgtable_unmap(&e.pt, g + MiB(2) + P,
						 MiB(2) - P), 0);
		KTEST_EXPECT_EQ(t, extra_tables(&e), before + 2);
		memset(count, 0, sizeof(count));
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, g, MiB(2) + P, PA0,
					       PAGE_KERNEL_RO, count));
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, g + MiB(4),
					       GiB(1) - MiB(4), PA0 + MiB(4),
					       PAGE_KERNEL_RO, count));
		KTEST_EXPECT_EQ(t, count[0], 1);
		KTEST_EXPECT_EQ(t, count[1], 511);
		KTEST_EXPECT_EQ(t, count[2], 0);
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, g + MiB(2) + P,
					      MiB(2) - P));
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_EQ(t, pgtable_unmap(&e.pt, g, GiB(1)), 0);
		KTEST_EXPECT_EQ(t, extra_tables(&e), 0);
		env_done(t, &e);
	}
}

/*
 *   G = LO + 1 GiB, one 1 GiB leaf RW
 *   G      G+2M-P  G+2M     G+4M  G+4M+P               G+1G
 *   [RW ..][RO  ][RO 2M leaf   ][RO][RW .................]
 * protect [G+2M-P, G+4M+P) read-only.
 * Expect exactly those pages RO with unchanged pa, the 2 MiB block in
 * the middle still one leaf, 1024 4 KiB leaves from the two split edge
 * blocks, 510 2 MiB leaves; protect over unmapped space a no-op that
 * allocates nothing; a second protect back to RW restores every prot.
 */
static void pgtable_protect_range(struct ktest *t)
{
	const unsigned long g = LO + GiB(1);
	const unsigned long lo = g + MiB(2) - P, hi = g + MiB(4) + P;
	unsigned long count[3];
	unsigned int m, level;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		long tables;

		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, g, PA0, GiB(1),
					       PAGE_KERNEL, 2), 0);
		KTEST_EXPECT_EQ(t, pgtable_protect(&e.pt, lo, hi - lo,
						   PAGE_KERNEL_RO), 0);
		memset(count, 0, sizeof(count));
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, g, lo - g, PA0,
					       PAGE_KERNEL, count));
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, lo, hi - lo,
					       PA0 + (lo - g), PAGE_KERNEL_RO,
					       count));
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, hi, g + GiB(1) - hi,
					       PA0 + (hi - g), PAGE_KERNEL,
					       count));
		KTEST_EXPECT_EQ(t, count[0], 1024);
		KTEST_EXPECT_EQ(t, count[1], 510);
		KTEST_EXPECT_EQ(t, count[2], 0);
		KTEST_EXPECT_NE(t, pgtable_walk(&e.pt, g + MiB(3), &level), 0);
		KTEST_EXPECT_EQ(t, level, 1);
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		tables = extra_tables(&e);
		KTEST_EXPECT_EQ(t, pgtable_protect(&e.pt, LO + GiB(4), GiB(2),
						   PAGE_KERNEL_RO), 0);
		KTEST_EXPECT_EQ(t, pgtable_protect(&e.pt, HI, MiB(4),
						   PAGE_KERNEL_RO), 0);
		KTEST_EXPECT_EQ(t, extra_tables(&e), tables);
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, HI, MiB(4)));
		KTEST_EXPECT_EQ(t, pgtable_protect(&e.pt, g, GiB(1),
						   PAGE_KERNEL), 0);
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, g, GiB(1), PA0,
					       PAGE_KERNEL, NULL));
		KTEST_EXPECT_EQ(t, extra_tables(&e), tables);
		env_done(t, &e);
	}
}

/*
 * A busy tree (4 KiB pages in many tables, 2 MiB and 1 GiB leaves, a
 * split leaf, both halves of the address space) destroyed without any
 * unmap. Expect nr_pagetable_pages and the allocator's free count back
 * to their values before pgtable_init().
 */
static void pgtable_destroy_frees_all(struct ktest *t)
{
	unsigned int m, i;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		struct pgtable *pt = &e.pt;

		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		for (i = 0; i < 64; i++)
			KTEST_ASSERT_EQ(t, pgtable_map(pt, LO + i * MiB(2) + P,
						       PA0, P, PAGE_KERNEL, 2),
					0);
		KTEST_ASSERT_EQ(t, pgtable_map(pt, LO + GiB(1), PA0, GiB(1),
					       PAGE_KERNEL, 2), 0);
		KTEST_ASSERT_EQ(t, pgtable_unmap(pt, LO + GiB(1) + MiB(2), P),
				0);
		KTEST_ASSERT_EQ(t, pgtable_map(pt, HI, PA0, MiB(6),
					       PAGE_KERNEL_EXEC, 2), 0);
		KTEST_ASSERT_EQ(t, pgtable_map(pt, ~0UL - MiB(2) + 1, PA0,
					       MiB(2), PAGE_KERNEL, 2), 0);
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_TRUE(t, extra_tables(&e) > 64);
		env_done(t, &e);
		KTEST_EXPECT_TRUE(t, e.pt.root == NULL);
	}
}

/*
 * Upper half: HI (every mode), the mode's lowest upper-half address
 * (0xffff800000000000 in Sv48, 0xff00000000000000 in Sv57) and the last
 * 2 MiB and last page below 2^64.
 * Expect each to map, walk and translate like the lower half, the
 * lower half's same index to stay unmapped, and unmap to remove them.
 */
static void pgtable_map_upper_half(struct ktest *t)
{
	const unsigned long top2m = ~0UL - MiB(2) + 1;
	unsigned int m, level;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		const unsigned long lo = ~0UL << (va_bits(modes[m]) - 1);
		struct pgtable *pt = &e.pt;

		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_ASSERT_EQ(t, pgtable_map(pt, HI, PA0, GiB(1) + P,
					       PAGE_KERNEL, 2), 0);
		KTEST_EXPECT_TRUE(t, mapped_as(t, pt, HI, GiB(1) + P, PA0,
					       PAGE_KERNEL, NULL));
		KTEST_EXPECT_NE(t, pgtable_walk(pt, HI, &level), 0);
		KTEST_EXPECT_EQ(t, level, 2);
		KTEST_EXPECT_TRUE(t, unmapped(t, pt, HI & ((1UL << 39) - 1),
					      P));
		KTEST_ASSERT_EQ(t, pgtable_map(pt, top2m, PA0 + GiB(4), MiB(2),
					       PAGE_KERNEL_RO, 2), 0);
		KTEST_EXPECT_TRUE(t, mapped_as(t, pt, top2m, MiB(2),
					       PA0 + GiB(4), PAGE_KERNEL_RO,
					       NULL));
		if (lo != HI) {
			KTEST_ASSERT_EQ(t, pgtable_map(pt, lo, PA0, MiB(2),
						       PAGE_KERNEL, 2), 0);
			KTEST_EXPECT_TRUE(t, mapped_as(t, pt, lo, MiB(2),
						       PA0, PAGE_KERNEL,
						       NULL));
			KTEST_EXPECT_EQ(t, pgtable_unmap(pt, lo, MiB(2)), 0);
			KTEST_EXPECT_TRUE(t, unmapped(t, pt, lo, MiB(2)));
		}
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, HI, GiB(1) + P), 0);
		KTEST_EXPECT_TRUE(t, unmapped(t, pt, HI, P));
		KTEST_EXPECT_TRUE(t, unmapped(t, pt, HI + GiB(1), P));
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		env_done(t, &e);
	}
}

/*
 *   ... ][ last 2 MiB of the address space ]2^64
 * Unmap and protect of a range that ends exactly at 2^64 (va + size
 * wraps to 0): the last page, then the rest of the last 2 MiB.
 * Expect protect to change the page and unmap to remove it, every table
 * freed at the end.
 */
static void pgtable_unmap_top_of_address_space(struct ktest *t)
{
	const unsigned long top2m = ~0UL - MiB(2) + 1, last = ~0UL - P + 1;
	unsigned int m;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		struct pgtable *pt = &e.pt;

		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_ASSERT_EQ(t, pgtable_map(pt, top2m, PA0, MiB(2),
					       PAGE_KERNEL, 0), 0);
		KTEST_EXPECT_EQ(t, pgtable_protect(pt, last, P,
						   PAGE_KERNEL_RO), 0);
		KTEST_EXPECT_TRUE(t, mapped_as(t, pt, last, P,
					       PA0 + MiB(2) - P,
					       PAGE_KERNEL_RO, NULL));
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, last, P), 0);
		KTEST_EXPECT_TRUE(t, unmapped(t, pt, last, P));
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, top2m, MiB(2)), 0);
		KTEST_EXPECT_TRUE(t, unmapped(t, pt, top2m, MiB(2)));
		KTEST_EXPECT_EQ(t, extra_tables(&e), 0);
		env_done(t, &e);
	}
}

/*
 * Sv39: HI .. HI+4M mapped; protect [nc, nc+2M) and unmap
 * [nc+2M, nc+4M) for nc = 0x0000004000000000, which is not canonical in
 * Sv39 and whose table indices equal HI's.
 * Expect HI's mapping untouched: same prot in the first 2 MiB, still
 * mapped in the second (the calls may fail with -EINVAL or do nothing,
 * but must not act on another address).
 */
static void pgtable_unmap_non_canonical(struct ktest *t)
{
	const unsigned long nc39 = 0x0000004000000000UL;
	struct env e;

	KTEST_ASSERT_TRUE(t, env_init(t, &e, 3));
	KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, HI, PA0, MiB(4), PAGE_KERNEL, 2),
			0);
	pgtable_protect(&e.pt, nc39, MiB(2), PAGE_KERNEL_RO);
	pgtable_unmap(&e.pt, nc39 + MiB(2), MiB(2));
	KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, HI, MiB(2), PA0, PAGE_KERNEL,
				       NULL));
	KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, HI + MiB(2), MiB(2),
				       PA0 + MiB(2), PAGE_KERNEL, NULL));
	env_done(t, &e);
}

/* Take every free page onto @held but @leave; Return: how many taken. */
static unsigned long hold_pages(struct list_head *held, unsigned long leave)
{
	struct page *page;
	unsigned long n = 0;

	INIT_LIST_HEAD(held);
	while ((page = alloc_page(GFP_KERNEL | __GFP_NOWARN))) {
		list_add(&page->lru, held);
		n++;
	}
	for (; leave && !list_empty(held); leave--, n--) {
		page = list_first_entry(held, struct page, lru);
		list_del(&page->lru);
		__free_page(page);
	}
	return n;
}

static void release_pages(struct list_head *held)
{
	while (!list_empty(held)) {
		struct page *page = list_first_entry(held, struct page, lru);

		list_del(&page->lru);
		__free_page(page);
	}
}

/*
 * Sv48, the allocator drained but for one page; map one page at LO,
 * which needs three new tables (L2, L1, L0).
 * Expect -ENOMEM, nothing mapped, and no table left in the tree empty
 * (nr_pagetable_pages as before the call); after giving the pages back
 * the same map succeeds and destroy returns every page.
 */
static void pgtable_map_enomem(struct ktest *t)
{
	struct list_head held;
	unsigned long tables;
	struct env e;

	KTEST_ASSERT_TRUE(t, env_init(t, &e, 4));
	KTEST_EXPECT_TRUE(t, hold_pages(&held, 1) > 1000);
	tables = nr_pagetable_pages;
	KTEST_EXPECT_EQ(t, pgtable_map(&e.pt, LO, PA0, P, PAGE_KERNEL, 2),
			-ENOMEM);
	KTEST_EXPECT_EQ(t, pgtable_walk(&e.pt, LO, NULL), 0);
	KTEST_EXPECT_EQ(t, nr_pagetable_pages, tables);
	KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
	release_pages(&held);
	KTEST_EXPECT_EQ(t, pgtable_map(&e.pt, LO, PA0, P, PAGE_KERNEL, 2), 0);
	KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
	env_done(t, &e);
}

/*
 *   LO          LO+1M   LO+1M+P          LO+2M
 *   [ 2 MiB leaf on frames of RAM  x   ]      unmap one page x
 * with no page free for the table the split needs.
 * Expect -ENOMEM and the 2 MiB leaf untouched (same pa, prot and level),
 * no table added or freed, and the mapped frames still allocated: the
 * walker must not take a leaf it failed to split for a table.
 */
static void pgtable_unmap_split_enomem(struct ktest *t)
{
	unsigned long count[3], tables;
	struct list_head held;
	struct page *frames;
	phys_addr_t pa;
	unsigned int m;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		frames = alloc_pages(GFP_KERNEL, 9);
		KTEST_ASSERT_TRUE(t, frames != NULL);
		pa = page_to_phys(frames);
		KTEST_ASSERT_EQ(t, pgtable_map(&e.pt, LO, pa, MiB(2),
					       PAGE_KERNEL, 2), 0);
		hold_pages(&held, 0);
		tables = nr_pagetable_pages;
		KTEST_EXPECT_EQ(t, pgtable_unmap(&e.pt, LO + MiB(1), P),
				-ENOMEM);
		memset(count, 0, sizeof(count));
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, LO, MiB(2), pa,
					       PAGE_KERNEL, count));
		KTEST_EXPECT_EQ(t, count[1], 1);
		KTEST_EXPECT_EQ(t, nr_pagetable_pages, tables);
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_EQ(t, alloc_page(GFP_KERNEL | __GFP_NOWARN), NULL);
		release_pages(&held);
		__free_pages(frames, 9);
		env_done(t, &e);
	}
}

/* ---- random map/unmap/protect against a shadow of every page ---- */

#define RND_PAGES	(GiB(2) / P)	/* the window: 2 GiB */

struct shadow {
	phys_addr_t *pa;	/* per page; 0 if unmapped (PA0 > 0) */
	u8 *prot;
};

static const pgprot_t rnd_prots[] = {
	PAGE_KERNEL, PAGE_KERNEL_RO, PAGE_KERNEL_EXEC, PAGE_KERNEL_RWX,
};

static u8 prot_id(pgprot_t prot)
{
	u8 i;

	for (i = 0; i < ARRAY_SIZE(rnd_prots); i++)
		if (rnd_prots[i] == prot)
			return i;
	return 0xff;
}

/*
 * Compare pages [@first, @first + @n) of the window at @base with the
 * shadow by walking. Return: true if they agree.
 */
static bool shadow_ok(struct ktest *t, struct pgtable *pt, unsigned long base,
		      const struct shadow *sh, unsigned long first,
		      unsigned long n, unsigned long op)
{
	unsigned long i = first;

	while (i < first + n) {
		unsigned long va = base + i * P, lsize, j, last;
		unsigned int level;
		pte_t e = pgtable_walk(pt, va, &level);

		if (!e) {
			if (sh->pa[i]) {
				ktest_fail(t, __FILE__, __LINE__,
					   "op %lu: %#lx unmapped, shadow "
					   "has pa %#lx", op, va, sh->pa[i]);
				return false;
			}
			i++;
			continue;
		}
		lsize = level_size(level);
		/* Every page of this leaf inside the window and range. */
		j = (ALIGN_DOWN(va, lsize) - base) / P;
		last = min(j + lsize / P, first + n);
		for (j = i; j < last; j++) {
			phys_addr_t pa = pte_leaf_pa(e, level, base + j * P);

			if (sh->pa[j] != pa ||
			    sh->prot[j] != prot_id(pte_prot(e))) {
				ktest_fail(t, __FILE__, __LINE__,
					   "op %lu: %#lx level %u pa %#lx "
					   "prot %#lx, shadow %#lx %u", op,
					   base + j * P, level, pa,
					   pte_prot(e), sh->pa[j],
					   sh->prot[j]);
				return false;
			}
		}
		i = last;
	}
	return true;
}

/* A random page range in the window, biased to huge-leaf sizes. */
static void rnd_range(u64 *rng, unsigned long *first, unsigned long *n)
{
	switch (mm_rand(rng) % 8) {
	case 0:		/* a whole GiB, sometimes with ragged ends */
		*first = (mm_rand(rng) % 2) * 262144;
		*n = 262144;
		if (mm_rand(rng) % 2) {
			*first += mm_rand(rng) % 600;
			*n -= mm_rand(rng) % 600 + *first % 262144;
		}
		break;
	case 1:
	case 2:		/* 2 MiB aligned blocks plus a tail */
		*first = (mm_rand(rng) % (RND_PAGES / 512)) * 512;
		*n = (1 + mm_rand(rng) % 4) * 512 + mm_rand(rng) % 3;
		break;
	default:	/* a few pages anywhere */
		*first = mm_rand(rng) % RND_PAGES;
		*n = 1 + mm_rand(rng) % 700;
		break;
	}
	if (*first + *n > RND_PAGES)
		*n = RND_PAGES - *first;
}

/*
 * For each mode, without and with NAPOT groups, 4,000 seeded ops on a
 * 2 GiB window (at LO in Sv39's
 * lower half, at HI in Sv48's upper half): map (pa congruent to va
 * modulo 1 GiB mostly, else modulo a page), unmap and protect of random
 * ranges shaped to hit 1 GiB, 2 MiB and 4 KiB leaves and their edges.
 * Expect map to succeed iff no page of its range is in the shadow (else
 * -EEXIST with nothing changed), the pages at each op's edges and 32
 * inside it to agree with the shadow after it, the whole window and
 * every table counter every 250 ops (every NAPOT group whole), and only
 * the root left after unmapping everything; with NAPOT, groups made.
 */
static void pgtable_random_vs_shadow(struct ktest *t)
{
	const unsigned long ops = 4000;
	struct shadow sh;
	unsigned int m;
	struct env e;
	u64 rng = 0xfeed;

	sh.pa = calloc(RND_PAGES, sizeof(sh.pa[0]));
	sh.prot = calloc(RND_PAGES, 1);
	if (!sh.pa || !sh.prot)
		goto out;
	for (m = 0; m < 2 * ARRAY_SIZE(modes); m++) {
		const unsigned int levels = modes[m % ARRAY_SIZE(modes)];
		const unsigned long base = levels == 3 ? LO : HI;
		unsigned long i, j, maps = 0, eexist = 0;

		memset(sh.pa, 0, RND_PAGES * sizeof(sh.pa[0]));
		if (!env_init(t, &e, levels))
			goto out;
		e.pt.napot = m >= ARRAY_SIZE(modes);
		napot_seen = 0;
		for (i = 0; i < ops; i++) {
			unsigned long first, n, op = mm_rand(&rng) % 10;
			pgprot_t prot = rnd_prots[mm_rand(&rng) % 4];
			int err, expect = 0;

			rnd_range(&rng, &first, &n);
			if (!n)
				continue;
			if (op < 5) {
				phys_addr_t pa = PA0 + first * P;

				if (op == 0)
					pa += (1 + mm_rand(&rng) % 511) * P;
				for (j = first; j < first + n; j++)
					if (sh.pa[j])
						expect = -EEXIST;
				err = pgtable_map(&e.pt, base + first * P, pa,
						  n * P, prot, 2);
				if (!err)
					for (j = 0; j < n; j++) {
						sh.pa[first + j] = pa + j * P;
						sh.prot[first + j] =
							prot_id(prot);
					}
				maps += !err;
				eexist += err == -EEXIST;
			} else if (op < 8) {
				err = pgtable_unmap(&e.pt, base + first * P,
						    n * P);
				memset(&sh.pa[first], 0, n * sizeof(sh.pa[0]));
			} else {
				err = pgtable_protect(&e.pt, base + first * P,
						      n * P, prot);
				for (j = first; j < first + n; j++)
					if (sh.pa[j])
						sh.prot[j] = prot_id(prot);
			}
			if (err != expect) {
				ktest_fail(t, __FILE__, __LINE__,
					   "op %lu (%lu) pages %lu+%lu: %d, "
					   "expected %d", i, op, first, n,
					   err, expect);
				goto done;
			}
			/* The op's edges and a sample of its inside. */
			if (!shadow_ok(t, &e.pt, base, &sh,
				       first ? first - 1 : 0,
				       min(3UL, RND_PAGES - first), i) ||
			    !shadow_ok(t, &e.pt, base, &sh, first + n - 1,
				       min(2UL, RND_PAGES - (first + n - 1)),
				       i))
				goto done;
			for (j = 0; j < 32; j++)
				if (!shadow_ok(t, &e.pt, base, &sh,
					       first + mm_rand(&rng) % n, 1, i))
					goto done;
			if (i % 250 == 249 &&
			    (!shadow_ok(t, &e.pt, base, &sh, 0, RND_PAGES, i) ||
			     !tables_ok(t, &e)))
				goto done;
		}
		KTEST_EXPECT_TRUE(t, maps > 100);
		KTEST_EXPECT_TRUE(t, eexist > 100);
		KTEST_EXPECT_EQ(t, napot_seen != 0, e.pt.napot);
		KTEST_EXPECT_EQ(t, pgtable_unmap(&e.pt, base, GiB(2)), 0);
		KTEST_EXPECT_EQ(t, extra_tables(&e), 0);
done:
		env_done(t, &e);
		if (t->failures)
			break;
	}
out:
	KTEST_EXPECT_TRUE(t, sh.pa && sh.prot);
	free(sh.pa);
	free(sh.prot);
}

/*
 *   HI             HI+4K
 *   [pte_fill     ][pte_fill, slot from pgtable_pte_slot()]
 * The demand-fill pair on an empty tree: expect no slot at first, a fill
 * with none to make the tables (Sv39 2, Sv48 3) and map, the neighbour's
 * slot then found empty, a second fill of a slot -EEXIST, counters
 * right, and unmap to free every table again.
 */
static void pgtable_pte_fill_slots(struct ktest *t)
{
	pte_t leaf = pa_to_pte(PA0, PAGE_KERNEL);
	unsigned int m;
	struct env e;
	pte_t *slot;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_EXPECT_TRUE(t, pgtable_pte_slot(&e.pt, HI) == NULL);
		KTEST_EXPECT_EQ(t, pgtable_pte_fill(&e.pt, NULL, HI, leaf), 0);
		KTEST_EXPECT_EQ(t, extra_tables(&e), modes[m] - 1);
		slot = pgtable_pte_slot(&e.pt, HI + P);
		KTEST_ASSERT_TRUE(t, slot != NULL);
		KTEST_EXPECT_EQ(t, *slot, 0);
		KTEST_EXPECT_EQ(t, pgtable_pte_fill(&e.pt, slot, HI + P,
						    leaf + (1 << PTE_PPN_SHIFT)),
				0);
		KTEST_EXPECT_EQ(t, pgtable_pte_fill(&e.pt, slot, HI + P, leaf),
				-EEXIST);
		KTEST_EXPECT_EQ(t, pgtable_pte_fill(&e.pt, NULL, HI, leaf),
				-EEXIST);
		KTEST_EXPECT_TRUE(t, mapped_as(t, &e.pt, HI, 2 * P, PA0,
					       PAGE_KERNEL, NULL));
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_EQ(t, pgtable_unmap(&e.pt, HI, 2 * P), 0);
		KTEST_EXPECT_EQ(t, extra_tables(&e), 0);
		env_done(t, &e);
	}
}

/*
 * pgtable_pte_fill() with no slot and one free page (Sv48 needs three
 * tables): expect -ENOMEM, the table it made freed again, nothing mapped.
 */
static void pgtable_pte_fill_enomem(struct ktest *t)
{
	struct list_head held;
	struct page *page;
	struct env e;

	KTEST_ASSERT_TRUE(t, env_init(t, &e, 4));
	INIT_LIST_HEAD(&held);
	while ((page = alloc_page(GFP_KERNEL | __GFP_NOWARN)))
		list_add(&page->lru, &held);
	page = list_first_entry(&held, struct page, lru);
	list_del(&page->lru);
	__free_page(page);
	KTEST_EXPECT_EQ(t, pgtable_pte_fill(&e.pt, NULL, HI,
					    pa_to_pte(PA0, PAGE_KERNEL)),
			-ENOMEM);
	KTEST_EXPECT_EQ(t, pgtable_walk(&e.pt, HI, NULL), 0);
	KTEST_EXPECT_EQ(t, extra_tables(&e), 0);
	KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
	while (!list_empty(&held)) {
		page = list_first_entry(&held, struct page, lru);
		list_del(&page->lru);
		__free_page(page);
	}
	env_done(t, &e);
}

/*
 *   HI        HI+4K  HI+8K     HI+1G          HI+2G
 *   [page 0]  [hole] [page 2] ... nothing ... ]
 * pgtable_unmap_gather() over 2 GiB: expect the two leaves counted and
 * their pages gathered in order, every table freed, and 0 (nothing to
 * flush) for the same range again.
 */
static void pgtable_unmap_gather_pages(struct ktest *t)
{
	struct page *pages[2];
	unsigned int m, i;
	struct env e;
	LIST_HEAD(gathered);

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		for (i = 0; i < 2; i++) {
			pages[i] = alloc_page(GFP_KERNEL);
			KTEST_ASSERT_TRUE(t, pages[i] != NULL);
			KTEST_EXPECT_EQ(t, pgtable_map(&e.pt, HI + 2 * i * P,
						       page_to_phys(pages[i]),
						       P, PAGE_KERNEL, 0), 0);
		}
		KTEST_EXPECT_EQ(t, pgtable_unmap_gather(&e.pt, HI, GiB(2),
							&gathered), 2);
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, HI, 4 * P));
		KTEST_EXPECT_EQ(t, extra_tables(&e), 0);
		for (i = 0; i < 2; i++) {
			KTEST_ASSERT_TRUE(t, !list_empty(&gathered));
			KTEST_EXPECT_TRUE(t, list_first_entry(&gathered,
							      struct page,
							      lru) == pages[i]);
			list_del(&pages[i]->lru);
			__free_page(pages[i]);
		}
		KTEST_EXPECT_TRUE(t, list_empty(&gathered));
		KTEST_EXPECT_EQ(t, pgtable_unmap_gather(&e.pt, HI, GiB(2),
							&gathered), 0);
		env_done(t, &e);
	}
}

/* Fill @pages[0..@n) with fresh pages; false if the fixture ran out. */
static bool take_pages(struct page **pages, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		if (!(pages[i] = alloc_page(GFP_KERNEL)))
			return false;
	return true;
}

static void put_pages(struct page **pages, unsigned long n)
{
	while (n--)
		__free_page(pages[n]);
}

/* Does [@va, @va + @n pages) map @pages[0..@n) in order? */
static bool maps_pages(struct ktest *t, struct pgtable *pt, unsigned long va,
		       struct page *const *pages, unsigned long n)
{
	unsigned long i;
	phys_addr_t pa;

	for (i = 0; i < n; i++) {
		if (!pgtable_translate(pt, va + i * P, &pa) ||
		    pa != page_to_phys(pages[i])) {
			ktest_fail(t, __FILE__, __LINE__,
				   "page %lu at %#lx not mapped to its page",
				   i, va + i * P);
			return false;
		}
	}
	return true;
}

/* Is @list exactly @pages[0..@n), in order (linked by lru)? */
static bool list_is(const struct list_head *list, struct page *const *pages,
		    unsigned long n)
{
	const struct list_head *pos;
	unsigned long i = 0;

	list_for_each(pos, list)
		if (i >= n || list_entry(pos, struct page, lru) != pages[i++])
			return false;
	return i == n;
}

/*
 *   HI+2M-100P      HI+2M               HI+4M          HI+4M+88P
 *   [ 100 pages    |  512 pages         |  88 pages    ]
 * pgtable_map_pages() of 700 pages across three leaf tables: expect each
 * page at its place, every table's count right; pgtable_clear_pages()
 * then clears all 700 and hands back the pages in address order, keeping
 * the (now empty) tables.
 */
static void pgtable_map_pages_runs(struct ktest *t)
{
	static struct page *pages[700];
	const unsigned long va = HI + MiB(2) - 100 * P, n = 700;
	unsigned int m;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		struct pgtable *pt = &e.pt;
		struct list_head got = LIST_HEAD_INIT(got);

		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_ASSERT_TRUE(t, take_pages(pages, n));
		KTEST_ASSERT_EQ(t, pgtable_map_pages(pt, va, pages, n,
						     PAGE_KERNEL), 0);
		KTEST_EXPECT_TRUE(t, maps_pages(t, pt, va, pages, n));
		KTEST_EXPECT_TRUE(t, unmapped(t, pt, va - P, P));
		KTEST_EXPECT_TRUE(t, unmapped(t, pt, va + n * P, P));
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_EQ(t, extra_tables(&e), modes[m] - 1 + 2);
		KTEST_EXPECT_EQ(t, pgtable_clear_pages(pt, va, n, &got), n);
		KTEST_EXPECT_TRUE(t, list_is(&got, pages, n));
		KTEST_EXPECT_TRUE(t, unmapped(t, pt, va, n * P));
		KTEST_EXPECT_EQ(t, extra_tables(&e), modes[m] - 1 + 2);
		/* Clearing it again finds nothing. */
		KTEST_EXPECT_EQ(t, pgtable_clear_pages(pt, va, n, NULL), 0);
		KTEST_EXPECT_EQ(t, pgtable_map_pages(pt, va, pages, 0,
						     PAGE_KERNEL), -EINVAL);
		put_pages(pages, n);
		env_done(t, &e);
	}
}

/*
 *   LO             LO+2M
 *   [ 2 MiB leaf  ]       HI+5P: [a][b][c].[.]
 * pgtable_leaf_entry() at HI+5P, then pgtable_set_leaves() of a, b, c:
 * expect them mapped and the table counting 3. pgtable_clear_leaves()
 * of HI+6P..HI+9P: expect b and c back, the count 1. Under the 2 MiB
 * leaf expect no leaf entry, and pgtable_map_pages() to refuse.
 */
static void pgtable_leaf_entries(struct ktest *t)
{
	struct page *pages[3];
	unsigned int m;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		struct pgtable *pt = &e.pt;
		struct list_head got = LIST_HEAD_INIT(got);
		pte_t *entry;

		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_ASSERT_TRUE(t, take_pages(pages, 3));
		entry = pgtable_leaf_entry(pt, HI + 5 * P);
		KTEST_ASSERT_TRUE(t, entry != NULL);
		pgtable_set_leaves(&e.pt, entry, pages, 3, PAGE_KERNEL);
		KTEST_EXPECT_TRUE(t, maps_pages(t, pt, HI + 5 * P, pages, 3));
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_EQ(t, virt_to_page(entry)->counters, 3);
		KTEST_EXPECT_EQ(t, pgtable_clear_leaves(entry + 1, 4, &got), 2);
		KTEST_EXPECT_TRUE(t, list_is(&got, pages + 1, 2));
		KTEST_EXPECT_EQ(t, virt_to_page(entry)->counters, 1);
		KTEST_EXPECT_TRUE(t, unmapped(t, pt, HI + 6 * P, 2 * P));
		KTEST_ASSERT_EQ(t, pgtable_map(pt, LO, PA0, MiB(2),
					       PAGE_KERNEL, 1), 0);
		KTEST_EXPECT_TRUE(t, pgtable_leaf_entry(pt, LO + P) == NULL);
		KTEST_EXPECT_EQ(t, pgtable_map_pages(pt, LO, pages, 1,
						     PAGE_KERNEL), -EEXIST);
		put_pages(pages, 3);
		env_done(t, &e);
	}
}

/*
 *   LO            LO+64K    LO+128K-P LO+128K LO+2M-64K LO+2M
 *   [ group      ][ group  ...       ][4K x 15 ...     ][4K]
 * With napot, map [LO, LO+2M-4K) at PA0 with max_level 0: expect 31
 * NAPOT groups and 15 plain 4 KiB leaves, each page at its pa and every
 * translation inside a group right; a map 64 KiB-aligned in va but not
 * in pa gets no group; a tree without napot none at all.
 */
static void pgtable_napot_map_lookup(struct ktest *t)
{
	const unsigned long size = MiB(2) - P;
	unsigned int m;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		struct pgtable *pt = &e.pt;
		unsigned int level = 99;
		phys_addr_t pa;
		pte_t pte;

		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		pt->napot = true;
		KTEST_ASSERT_EQ(t, pgtable_map(pt, LO, PA0, size, PAGE_KERNEL,
					       0), 0);
		KTEST_EXPECT_TRUE(t, mapped_as(t, pt, LO, size, PA0,
					       PAGE_KERNEL, NULL));
		KTEST_EXPECT_EQ(t, pgtable_napot_leaves(pt, LO, size), 31);
		pte = pgtable_walk(pt, LO + 3 * P, &level);
		KTEST_EXPECT_TRUE(t, pte_napot(pte));
		KTEST_EXPECT_EQ(t, level, 0);
		KTEST_EXPECT_EQ(t, pte, pgtable_walk(pt, LO + 15 * P, NULL));
		KTEST_EXPECT_TRUE(t, pgtable_translate(pt, LO + 0xabcd, &pa));
		KTEST_EXPECT_EQ(t, pa, PA0 + 0xabcd);
		KTEST_EXPECT_TRUE(t, !pte_napot(pgtable_walk(pt, LO + size - P,
							     NULL)));
		napot_seen = 0;
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_EQ(t, napot_seen, 31 * NAPOT_PTES);
		KTEST_ASSERT_EQ(t, pgtable_map(pt, HI, PA0 + P, MiB(1),
					       PAGE_KERNEL, 0), 0);
		KTEST_EXPECT_EQ(t, pgtable_napot_leaves(pt, HI, MiB(1)), 0);
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, HI, MiB(1)), 0);
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, LO, size), 0);
		pt->napot = false;
		KTEST_ASSERT_EQ(t, pgtable_map(pt, LO, PA0, size, PAGE_KERNEL,
					       0), 0);
		KTEST_EXPECT_EQ(t, pgtable_napot_leaves(pt, LO, size), 0);
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, LO, size), 0);
		KTEST_EXPECT_EQ(t, extra_tables(&e), 0);
		env_done(t, &e);
	}
}

/*
 *   LO      LO+64K  LO+64K+5P          LO+128K          LO+192K
 *   [ group ][ 5 x 4K ][RO][ 10 x 4K  ][ group         ]
 * Protect one page of the middle of three groups read-only: expect only
 * that group split, into 16 plain leaves with its frames, that page RO
 * and the rest as they were; protecting the whole split group back keeps
 * it plain, protecting whole groups keeps them groups. Then unmap one
 * page of the last group: expect it split, that page gone and its
 * neighbours mapped.
 */
static void pgtable_napot_split(struct ktest *t)
{
	const unsigned long x = LO + NAPOT_SIZE + 5 * P;
	unsigned int m;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		struct pgtable *pt = &e.pt;

		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		pt->napot = true;
		KTEST_ASSERT_EQ(t, pgtable_map(pt, LO, PA0, 3 * NAPOT_SIZE,
					       PAGE_KERNEL, 0), 0);
		KTEST_EXPECT_EQ(t, pgtable_protect(pt, x, P, PAGE_KERNEL_RO),
				0);
		KTEST_EXPECT_EQ(t, pgtable_napot_leaves(pt, LO,
							3 * NAPOT_SIZE), 2);
		KTEST_EXPECT_TRUE(t, mapped_as(t, pt, LO, x - LO, PA0,
					       PAGE_KERNEL, NULL));
		KTEST_EXPECT_TRUE(t, mapped_as(t, pt, x, P, PA0 + (x - LO),
					       PAGE_KERNEL_RO, NULL));
		KTEST_EXPECT_TRUE(t, mapped_as(t, pt, x + P,
					       LO + 3 * NAPOT_SIZE - x - P,
					       PA0 + (x + P - LO), PAGE_KERNEL,
					       NULL));
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_EQ(t, pgtable_protect(pt, LO, 3 * NAPOT_SIZE,
						   PAGE_KERNEL_RO), 0);
		KTEST_EXPECT_EQ(t, pgtable_napot_leaves(pt, LO,
							3 * NAPOT_SIZE), 2);
		KTEST_EXPECT_TRUE(t, mapped_as(t, pt, LO, 3 * NAPOT_SIZE, PA0,
					       PAGE_KERNEL_RO, NULL));
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, LO + 2 * NAPOT_SIZE +
						 9 * P, P), 0);
		KTEST_EXPECT_TRUE(t, unmapped(t, pt, LO + 2 * NAPOT_SIZE +
					      9 * P, P));
		KTEST_EXPECT_EQ(t, pgtable_napot_leaves(pt, LO,
							3 * NAPOT_SIZE), 1);
		KTEST_EXPECT_TRUE(t, mapped_as(t, pt, LO + 2 * NAPOT_SIZE,
					       9 * P, PA0 + 2 * NAPOT_SIZE,
					       PAGE_KERNEL_RO, NULL));
		KTEST_EXPECT_TRUE(t, mapped_as(t, pt, LO + 2 * NAPOT_SIZE +
					       10 * P, 6 * P, PA0 + 2 *
					       NAPOT_SIZE + 10 * P,
					       PAGE_KERNEL_RO, NULL));
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, LO, 3 * NAPOT_SIZE), 0);
		KTEST_EXPECT_EQ(t, extra_tables(&e), 0);
		env_done(t, &e);
	}
}

/*
 * With napot, unmap one page of a 2 MiB leaf: expect the split table to
 * hold 31 NAPOT groups and the 15 plain leaves left of the group that
 * page was in.
 */
static void pgtable_napot_split_2m(struct ktest *t)
{
	const unsigned long x = LO + MiB(1) + 3 * P;
	unsigned int m;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		struct pgtable *pt = &e.pt;

		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		pt->napot = true;
		KTEST_ASSERT_EQ(t, pgtable_map(pt, LO, PA0, MiB(2),
					       PAGE_KERNEL_EXEC, 2), 0);
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, x, P), 0);
		KTEST_EXPECT_EQ(t, pgtable_napot_leaves(pt, LO, MiB(2)), 31);
		KTEST_EXPECT_TRUE(t, mapped_as(t, pt, LO, x - LO, PA0,
					       PAGE_KERNEL_EXEC, NULL));
		KTEST_EXPECT_TRUE(t, unmapped(t, pt, x, P));
		KTEST_EXPECT_TRUE(t, mapped_as(t, pt, x + P,
					       LO + MiB(2) - x - P,
					       PA0 + (x + P - LO),
					       PAGE_KERNEL_EXEC, NULL));
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, LO, MiB(2)), 0);
		KTEST_EXPECT_EQ(t, extra_tables(&e), 0);
		env_done(t, &e);
	}
}

/*
 * With napot, pgtable_map_pages() of 40 pages at HI: an order-4 block
 * (16 pages in frame order), 16 single pages, then 8 of another block:
 * expect one NAPOT group, for the block only; clearing 20 pages from
 * HI+10P (part of the group, then singles) to split the group first and
 * hand back each page's own frame, in order. The block mapped again at
 * HI+64P: expect an unmap of its fourth page to gather that page.
 */
static void pgtable_napot_map_pages(struct ktest *t)
{
	static struct page *pages[40];
	unsigned int m;
	struct env e;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		struct pgtable *pt = &e.pt;
		struct page *block, *tail;
		LIST_HEAD(got);
		unsigned long i;

		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		pt->napot = true;
		block = alloc_pages(GFP_KERNEL, NAPOT_ORDER);
		tail = alloc_pages(GFP_KERNEL, NAPOT_ORDER);
		KTEST_ASSERT_TRUE(t, block && tail);
		for (i = 0; i < 16; i++)
			pages[i] = block + i;
		KTEST_ASSERT_TRUE(t, take_pages(pages + 16, 16));
		for (i = 0; i < 8; i++)
			pages[32 + i] = tail + i;
		KTEST_ASSERT_EQ(t, pgtable_map_pages(pt, HI, pages, 40,
						     PAGE_KERNEL), 0);
		KTEST_EXPECT_TRUE(t, maps_pages(t, pt, HI, pages, 40));
		KTEST_EXPECT_EQ(t, pgtable_napot_leaves(pt, HI, 40 * P), 1);
		KTEST_EXPECT_TRUE(t, pte_napot(pgtable_walk(pt, HI + 9 * P,
							    NULL)));
		KTEST_EXPECT_EQ(t, pgtable_clear_pages(pt, HI + 10 * P, 20,
						       &got), 20);
		KTEST_EXPECT_TRUE(t, list_is(&got, pages + 10, 20));
		KTEST_EXPECT_EQ(t, pgtable_napot_leaves(pt, HI, 40 * P), 0);
		KTEST_EXPECT_TRUE(t, maps_pages(t, pt, HI, pages, 10));
		KTEST_EXPECT_TRUE(t, maps_pages(t, pt, HI + 30 * P, pages + 30,
						10));
		KTEST_EXPECT_TRUE(t, tables_ok(t, &e));
		INIT_LIST_HEAD(&got);
		KTEST_ASSERT_EQ(t, pgtable_map_pages(pt, HI + 64 * P, pages, 16,
						     PAGE_KERNEL), 0);
		KTEST_EXPECT_EQ(t, pgtable_unmap_gather(pt, HI + 67 * P, P,
							&got), 1);
		KTEST_EXPECT_TRUE(t, list_is(&got, pages + 3, 1));
		KTEST_EXPECT_TRUE(t, maps_pages(t, pt, HI + 68 * P, pages + 4,
						12));
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, HI + 64 * P, 16 * P), 0);
		KTEST_EXPECT_EQ(t, pgtable_clear_pages(pt, HI, 40, NULL), 20);
		__free_pages(block, NAPOT_ORDER);
		__free_pages(tail, NAPOT_ORDER);
		put_pages(pages + 16, 16);
		KTEST_EXPECT_EQ(t, pgtable_unmap(pt, HI, 40 * P), 0);
		env_done(t, &e);
	}
}

/*
 * pgtable_map_repeat() over 3 pages, a whole aligned GiB, 4 MiB and 2
 * pages: every page reads the one frame, read-only, at level 0, and
 * the GiB costs one shared table per level below the top, not 512
 * tables (Sv39: its 2 MiB entries share one last-level table). Expect
 * levels + 3 tables besides the root in every mode. Nothing may be
 * mapped there already, and the frame must be aligned. The tree is not
 * destroyed: the shared tables have many parents.
 */
static void pgtable_map_repeat_shares_tables(struct ktest *t)
{
	unsigned long va = LO - 3 * P, size = 3 * P + GiB(1) + MiB(4) + 2 * P;
	static const unsigned long probe[] = {
		0, 2 * P, 3 * P, 3 * P + MiB(513) + 0x123, 3 * P + GiB(1) - 8,
		3 * P + GiB(1) + MiB(3), 3 * P + GiB(1) + MiB(4) + P,
	};
	unsigned int m, i, level;
	struct env e;
	phys_addr_t pa;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_ASSERT_EQ(t, pgtable_map_repeat(&e.pt, va, size, PA0 + 1,
						      PAGE_KERNEL_RO, 4), -EINVAL);
		KTEST_ASSERT_EQ(t, pgtable_map_repeat(&e.pt, va, size, PA0,
						      PAGE_KERNEL_RO, 4), 0);
		for (i = 0; i < ARRAY_SIZE(probe); i++) {
			KTEST_EXPECT_TRUE(t, pgtable_translate(&e.pt,
							va + probe[i], &pa));
			KTEST_EXPECT_EQ(t, pa, PA0 + (probe[i] & (P - 1)));
			KTEST_EXPECT_EQ(t, pgtable_walk(&e.pt, va + probe[i],
							&level),
					pa_to_pte(PA0, PAGE_KERNEL_RO));
			KTEST_EXPECT_EQ(t, level, 0);
		}
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, va - P, P));
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, va + size, P));
		KTEST_EXPECT_EQ(t, extra_tables(&e), modes[m] + 3);
		KTEST_EXPECT_EQ(t, pgtable_map_repeat(&e.pt, va + size - P,
						      2 * P, PA0,
						      PAGE_KERNEL_RO, 4), -EEXIST);
	}
}

/*
 * The same range under Sv48, which needs 7 new tables (the edges' L2, L1
 * and L0, the shared L0 and L1, the last edges' L1 and L0), with 0 to 7
 * pages free. Expect -ENOMEM until 7 are, whether a walk or a shared
 * table runs out, then 0.
 */
static void pgtable_map_repeat_enomem(struct ktest *t)
{
	unsigned long va = LO - 3 * P, size = 3 * P + GiB(1) + MiB(4) + 2 * P;
	struct list_head held;
	unsigned long left;
	struct env e;

	for (left = 0; left <= 7; left++) {
		KTEST_ASSERT_TRUE(t, env_init(t, &e, 4));
		KTEST_EXPECT_TRUE(t, hold_pages(&held, left) > 1000);
		KTEST_EXPECT_EQ(t, pgtable_map_repeat(&e.pt, va, size, PA0,
						      PAGE_KERNEL_RO, 4),
				left < 7 ? -ENOMEM : 0);
		release_pages(&held);
	}
}

/* Does @va translate to @pa through a leaf at @level? */
static bool maps_at(struct pgtable *pt, unsigned long va, phys_addr_t pa,
		    unsigned int level)
{
	unsigned int got = ~0U;
	phys_addr_t out;

	return pgtable_translate(pt, va, &out) && out == pa &&
	       pgtable_walk(pt, va, &got) && got == level;
}

/*
 * pgtable_map_repeat() with @max_level 1 over 8 MiB and 3 pages, then
 * pgtable_remap_repeat() of its second 2 MiB to a block elsewhere, and
 * of its last 2 pages (level-0 leaves in a table of their own) to pages
 * elsewhere. Expect one shared last-level table under the 2 MiB entries
 * and one for the 3 pages (levels tables besides the root), the block
 * mapped by one level-1 leaf and the pages by level-0 ones after the
 * remap, every other page still on the one frame (the shared table
 * stays), and no table more or less. Expect -EINVAL, with nothing
 * changed, for the same block again (a leaf now), a misaligned address
 * or frame, and ranges running past the repeated one.
 */
static void pgtable_remap_repeat_blocks(struct ktest *t)
{
	const phys_addr_t block = PA0 + GiB(1);
	unsigned int m;
	struct env e;
	long tables;

	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		KTEST_ASSERT_TRUE(t, env_init(t, &e, modes[m]));
		KTEST_ASSERT_EQ(t, pgtable_map_repeat(&e.pt, LO,
						      MiB(8) + 3 * P, PA0,
						      PAGE_KERNEL_RO, 1), 0);
		tables = extra_tables(&e);
		KTEST_EXPECT_EQ(t, tables, modes[m]);
		KTEST_EXPECT_TRUE(t, maps_at(&e.pt, LO + MiB(2) + 8, PA0 + 8,
					     0));
		KTEST_ASSERT_EQ(t, pgtable_remap_repeat(&e.pt, LO + MiB(2),
							block, MiB(2),
							PAGE_KERNEL_RO, 1), 0);
		KTEST_EXPECT_TRUE(t, maps_at(&e.pt, LO + MiB(2), block, 1));
		KTEST_EXPECT_TRUE(t, maps_at(&e.pt, LO + MiB(4) - 8,
					     block + MiB(2) - 8, 1));
		KTEST_EXPECT_TRUE(t, maps_at(&e.pt, LO + MiB(2) - 8,
					     PA0 + P - 8, 0));
		KTEST_EXPECT_TRUE(t, maps_at(&e.pt, LO + MiB(4), PA0, 0));
		KTEST_EXPECT_TRUE(t, maps_at(&e.pt, LO + MiB(8) - P, PA0, 0));
		KTEST_ASSERT_EQ(t, pgtable_remap_repeat(&e.pt, LO + MiB(8) + P,
							block + P, 2 * P,
							PAGE_KERNEL_RO, 0), 0);
		KTEST_EXPECT_TRUE(t, maps_at(&e.pt, LO + MiB(8), PA0, 0));
		KTEST_EXPECT_TRUE(t, maps_at(&e.pt, LO + MiB(8) + P, block + P,
					     0));
		KTEST_EXPECT_TRUE(t, maps_at(&e.pt, LO + MiB(8) + 3 * P - 8,
					     block + 3 * P - 8, 0));
		KTEST_EXPECT_EQ(t, extra_tables(&e), tables);
		KTEST_EXPECT_EQ(t, pgtable_remap_repeat(&e.pt, LO + MiB(2),
							block, MiB(2),
							PAGE_KERNEL_RO, 1),
				-EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_remap_repeat(&e.pt, LO + MiB(8),
							block, 4 * P,
							PAGE_KERNEL_RO, 0),
				-EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_remap_repeat(&e.pt, LO + P, block,
							MiB(2),
							PAGE_KERNEL_RO, 1),
				-EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_remap_repeat(&e.pt, LO, block + P,
							MiB(2),
							PAGE_KERNEL_RO, 1),
				-EINVAL);
		KTEST_EXPECT_EQ(t, pgtable_remap_repeat(&e.pt, LO + MiB(6),
							block, MiB(6),
							PAGE_KERNEL_RO, 1),
				-EINVAL);
		KTEST_EXPECT_TRUE(t, maps_at(&e.pt, LO + MiB(6), PA0, 0));
		KTEST_EXPECT_TRUE(t, maps_at(&e.pt, LO + MiB(8), PA0, 0));
		KTEST_EXPECT_TRUE(t, unmapped(t, &e.pt, LO + MiB(8) + 3 * P, P));
		KTEST_EXPECT_EQ(t, extra_tables(&e), tables);
	}
}

static const struct ktest_case pgtable_cases[] = {
	KTEST_CASE(pgtable_init_levels),
	KTEST_CASE(pgtable_map_leaf_sizes),
	KTEST_CASE(pgtable_map_max_level),
	KTEST_CASE(pgtable_map_largest_leaves),
	KTEST_CASE(pgtable_map_eexist),
	KTEST_CASE(pgtable_map_einval),
	KTEST_CASE(pgtable_unmap_frees_tables),
	KTEST_CASE(pgtable_unmap_splits_2m),
	KTEST_CASE(pgtable_unmap_splits_1g),
	KTEST_CASE(pgtable_protect_range),
	KTEST_CASE(pgtable_destroy_frees_all),
	KTEST_CASE(pgtable_map_upper_half),
	KTEST_CASE(pgtable_unmap_top_of_address_space),
	KTEST_CASE(pgtable_unmap_non_canonical),
	KTEST_CASE(pgtable_map_enomem),
	KTEST_CASE(pgtable_unmap_split_enomem),
	KTEST_CASE(pgtable_random_vs_shadow),
	KTEST_CASE(pgtable_pte_fill_slots),
	KTEST_CASE(pgtable_pte_fill_enomem),
	KTEST_CASE(pgtable_unmap_gather_pages),
	KTEST_CASE(pgtable_map_pages_runs),
	KTEST_CASE(pgtable_leaf_entries),
	KTEST_CASE(pgtable_napot_map_lookup),
	KTEST_CASE(pgtable_napot_split),
	KTEST_CASE(pgtable_napot_split_2m),
	KTEST_CASE(pgtable_napot_map_pages),
	KTEST_CASE(pgtable_map_repeat_shares_tables),
	KTEST_CASE(pgtable_map_repeat_enomem),
	KTEST_CASE(pgtable_remap_repeat_blocks),
	{}
};

KTEST_SUITE(pgtable_suite) = {
	.name = "pgtable",
	.cases = pgtable_cases,
};
