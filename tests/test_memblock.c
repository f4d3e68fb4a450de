// SPDX-License-Identifier: MIT
/*
 * Host tests of memblock (core/mm/memblock.c): the memory and reserved
 * tables, early allocations and the free-range iterator, in the spirit of
 * Linux tools/testing/memblock.
 *
 * Every case starts from empty tables on a fresh 256 MiB arena at
 * MM_VIRT_BASE (only memblock_alloc() touches it). In the diagrams, "M" is
 * memory, "R" reserved, "N" no-map and "." a hole; one column is 1 MiB
 * unless the comment says otherwise.
 */
#include <errno.h>
#include <string.h>
#include <rvmem/ktest.h>
#include <rvmem/internal/memblock.h>

#include "mm_fixture.h"

#define A		MM_VIRT_BASE
#define ARENA_SIZE	MiB(256)

static void reset(void)
{
	mm_fixture_arena(A, ARENA_SIZE);
	memblock_set_bottom_up(false);
}

static void expect_region(struct ktest *t, const struct memblock_type *type,
			  unsigned long idx, u64 base, u64 size)
{
	KTEST_EXPECT_TRUE(t, idx < type->cnt);
	if (idx >= type->cnt)
		return;
	KTEST_EXPECT_EQ(t, type->regions[idx].base, base);
	KTEST_EXPECT_EQ(t, type->regions[idx].size, size);
}

/*
 * |MM|: expect one region with that base and size, counted in total_size.
 */
static void memblock_add_simple(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(2)), 0);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 1);
	expect_region(t, &memblock.memory, 0, A, MiB(2));
	KTEST_EXPECT_EQ(t, memblock.memory.total_size, MiB(2));
	KTEST_EXPECT_EQ(t, memblock.memory.regions[0].flags, MEMBLOCK_NONE);
}

/*
 * |MM..MM| added right one first: expect two regions, sorted by base.
 */
static void memblock_add_disjoint(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(4), MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(2)), 0);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 2);
	expect_region(t, &memblock.memory, 0, A, MiB(2));
	expect_region(t, &memblock.memory, 1, A + MiB(4), MiB(2));
	KTEST_EXPECT_EQ(t, memblock.memory.total_size, MiB(4));
}

/*
 * |r1|r2| touching: expect them merged into one region |MMMM|.
 */
static void memblock_add_adjacent_merge(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(2), MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(2)), 0);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 1);
	expect_region(t, &memblock.memory, 0, A, MiB(4));
	KTEST_EXPECT_EQ(t, memblock.memory.total_size, MiB(4));
}

/*
 * |r1 r1|        r1 = [0, 2)
 * |  r2 r2 r2|   r2 = [1, 4)
 * expect one region [0, 4), counted once in total_size.
 */
static void memblock_add_overlap_merge(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(1), MiB(3)), 0);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 1);
	expect_region(t, &memblock.memory, 0, A, MiB(4));
	KTEST_EXPECT_EQ(t, memblock.memory.total_size, MiB(4));
}

/*
 * |MMMMMMMM| then | MM | inside it: expect the table unchanged.
 */
static void memblock_add_within(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(8)), 0);
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(2), MiB(2)), 0);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 1);
	expect_region(t, &memblock.memory, 0, A, MiB(8));
	KTEST_EXPECT_EQ(t, memblock.memory.total_size, MiB(8));
}

/*
 * |MM..MM..MM| then one range covering both gaps and touching all three:
 * expect a single region |MMMMMMMMMM|.
 */
static void memblock_add_bridge(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(4), MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(8), MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock.memory.cnt, 3);
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(1), MiB(8)), 0);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 1);
	expect_region(t, &memblock.memory, 0, A, MiB(10));
	KTEST_EXPECT_EQ(t, memblock.memory.total_size, MiB(10));
}

/*
 * Three "nodes": 64 MiB at 2 GiB, 32 MiB at 4 GiB, 16 MiB at 8 GiB, with
 * holes between them: expect three regions, DRAM from the first base to
 * the last end, and the memory size not counting the holes.
 */
static void memblock_add_nodes_with_holes(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(GiB(8), MiB(16)), 0);
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(64)), 0);
	KTEST_ASSERT_EQ(t, memblock_add(GiB(4), MiB(32)), 0);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 3);
	expect_region(t, &memblock.memory, 0, A, MiB(64));
	expect_region(t, &memblock.memory, 1, GiB(4), MiB(32));
	expect_region(t, &memblock.memory, 2, GiB(8), MiB(16));
	KTEST_EXPECT_EQ(t, memblock_start_of_DRAM(), A);
	KTEST_EXPECT_EQ(t, memblock_end_of_DRAM(), GiB(8) + MiB(16));
	KTEST_EXPECT_EQ(t, memblock_phys_mem_size(), MiB(112));
}

/*
 * A range whose end passes the top of the address space: expect -EINVAL
 * and nothing recorded.
 */
static void memblock_add_wraps(struct ktest *t)
{
	reset();
	KTEST_EXPECT_EQ(t, memblock_add(~(phys_addr_t)0 - 0xfff, 0x2000),
			-EINVAL);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 0);
	KTEST_EXPECT_EQ(t, memblock_phys_mem_size(), 0);
}

/*
 * |MMMMMMMM| remove |  xx    |: expect |MM  MMMM|, two regions.
 */
static void memblock_remove_middle_split(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(8)), 0);
	KTEST_ASSERT_EQ(t, memblock_remove(A + MiB(2), MiB(2)), 0);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 2);
	expect_region(t, &memblock.memory, 0, A, MiB(2));
	expect_region(t, &memblock.memory, 1, A + MiB(4), MiB(4));
	KTEST_EXPECT_EQ(t, memblock.memory.total_size, MiB(6));
}

/*
 * |MMMMMMMM| remove |x      x|, the first also reaching below memory:
 * expect | MMMMMM |.
 */
static void memblock_remove_edges(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(1), MiB(8)), 0);
	KTEST_ASSERT_EQ(t, memblock_remove(A, MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock_remove(A + MiB(8), MiB(1)), 0);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 1);
	expect_region(t, &memblock.memory, 0, A + MiB(2), MiB(6));
	KTEST_EXPECT_EQ(t, memblock.memory.total_size, MiB(6));
}

/*
 * |MM..MM| remove | xxxx | across the hole: expect |M....M|.
 */
static void memblock_remove_across_hole(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(4), MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock_remove(A + MiB(1), MiB(4)), 0);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 2);
	expect_region(t, &memblock.memory, 0, A, MiB(1));
	expect_region(t, &memblock.memory, 1, A + MiB(5), MiB(1));
	KTEST_EXPECT_EQ(t, memblock.memory.total_size, MiB(2));
}

/*
 * | MM..MM | remove |xxxxxxxx| covering everything: expect empty tables.
 */
static void memblock_remove_whole(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(1), MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(5), MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock_remove(A, MiB(8)), 0);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 0);
	KTEST_EXPECT_EQ(t, memblock.memory.total_size, 0);
	KTEST_EXPECT_EQ(t, memblock_start_of_DRAM(), 0);
	KTEST_EXPECT_EQ(t, memblock_end_of_DRAM(), 0);
}

/* A removal that wraps: expect -EINVAL and memory untouched. */
static void memblock_remove_wraps(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(2)), 0);
	KTEST_EXPECT_EQ(t, memblock_remove(~(phys_addr_t)0 - 0xfff, 0x2000),
			-EINVAL);
	expect_region(t, &memblock.memory, 0, A, MiB(2));
}

/*
 * |MMMMMMMM| reserve |RR| and |  RR| (touching): expect one reserved
 * region |RRRR|.
 */
static void memblock_reserve_merge(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(8)), 0);
	KTEST_ASSERT_EQ(t, memblock_reserve(A + MiB(2), MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock_reserve(A, MiB(2)), 0);
	KTEST_EXPECT_EQ(t, memblock.reserved.cnt, 1);
	expect_region(t, &memblock.reserved, 0, A, MiB(4));
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), MiB(4));
}

/*
 * |MMMMMMMM| reserve | RRR  | and |  RRR | (overlapping): expect one
 * region | RRRR |, its overlap counted once.
 */
static void memblock_reserve_overlap(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(8)), 0);
	KTEST_ASSERT_EQ(t, memblock_reserve(A + MiB(1), MiB(3)), 0);
	KTEST_ASSERT_EQ(t, memblock_reserve(A + MiB(2), MiB(3)), 0);
	KTEST_EXPECT_EQ(t, memblock.reserved.cnt, 1);
	expect_region(t, &memblock.reserved, 0, A + MiB(1), MiB(4));
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), MiB(4));
}

/*
 * |MMMM....| reserve |     RR | in the hole: it protects nothing, so
 * expect -EINVAL and no reservation recorded.
 */
static void memblock_reserve_no_memory(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(4)), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(A + MiB(5), MiB(2)), -EINVAL);
	KTEST_EXPECT_EQ(t, memblock.reserved.cnt, 0);
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), 0);
	KTEST_EXPECT_TRUE(t, !memblock_is_reserved(A + MiB(5), MiB(2)));
}

/*
 * |MMMM....| reserve |   RR   | half in memory: expect it accepted and
 * the part in memory reserved.
 */
static void memblock_reserve_partial_overlap(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(4)), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(A + MiB(3), MiB(2)), 0);
	KTEST_EXPECT_EQ(t, memblock.reserved.cnt, 1);
	KTEST_EXPECT_TRUE(t, memblock_is_reserved(A + MiB(3), MiB(1)));
	KTEST_EXPECT_TRUE(t, memblock_reserved_size() >= MiB(1));
}

/* A reservation that wraps: expect -EINVAL and nothing recorded. */
static void memblock_reserve_wraps(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(4)), 0);
	KTEST_EXPECT_EQ(t, memblock_reserve(~(phys_addr_t)0 - 0xfff, 0x2000),
			-EINVAL);
	KTEST_EXPECT_EQ(t, memblock.reserved.cnt, 0);
}

/*
 * |RRRRRR| free |  xx  |: expect |RR  RR|, two reserved regions.
 */
static void memblock_free_split(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(8)), 0);
	KTEST_ASSERT_EQ(t, memblock_reserve(A, MiB(6)), 0);
	KTEST_ASSERT_EQ(t, memblock_free(A + MiB(2), MiB(2)), 0);
	KTEST_EXPECT_EQ(t, memblock.reserved.cnt, 2);
	expect_region(t, &memblock.reserved, 0, A, MiB(2));
	expect_region(t, &memblock.reserved, 1, A + MiB(4), MiB(2));
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), MiB(4));
	KTEST_EXPECT_TRUE(t, !memblock_is_reserved(A + MiB(2), MiB(2)));
}

/*
 * |RR..RR| free all of it at once, hole included: expect no reservation.
 */
static void memblock_free_whole(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(8)), 0);
	KTEST_ASSERT_EQ(t, memblock_reserve(A, MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock_reserve(A + MiB(4), MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock_free(A, MiB(6)), 0);
	KTEST_EXPECT_EQ(t, memblock.reserved.cnt, 0);
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), 0);
}

/*
 * |MMMMMMMM| mark |  N     | no-map: expect memory split into three
 * regions, the middle one flagged MEMBLOCK_NOMAP, the range reserved, the
 * memory size unchanged and the range absent from the free ranges, even
 * after its reservation is freed.
 */
static void memblock_mark_nomap_reserved_and_excluded(struct ktest *t)
{
	phys_addr_t start, end;
	u64 i;
	int n = 0;

	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(8)), 0);
	KTEST_ASSERT_EQ(t, memblock_mark_nomap(A + MiB(2), MiB(1)), 0);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 3);
	expect_region(t, &memblock.memory, 1, A + MiB(2), MiB(1));
	KTEST_EXPECT_EQ(t, memblock.memory.regions[1].flags, MEMBLOCK_NOMAP);
	KTEST_EXPECT_EQ(t, memblock.memory.regions[0].flags, MEMBLOCK_NONE);
	KTEST_EXPECT_EQ(t, memblock_phys_mem_size(), MiB(8));
	KTEST_EXPECT_TRUE(t, memblock_is_reserved(A + MiB(2), MiB(1)));
	KTEST_ASSERT_EQ(t, memblock_free(A + MiB(2), MiB(1)), 0);
	for_each_free_mem_range(i, &start, &end) {
		KTEST_EXPECT_TRUE(t, end <= A + MiB(2) || start >= A + MiB(3));
		n++;
	}
	KTEST_EXPECT_EQ(t, n, 2);
}

/* No-map of a range outside memory: expect -EINVAL as memblock_reserve(). */
static void memblock_mark_nomap_no_memory(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(4)), 0);
	KTEST_EXPECT_EQ(t, memblock_mark_nomap(A + MiB(8), MiB(1)), -EINVAL);
	KTEST_EXPECT_EQ(t, memblock.reserved.cnt, 0);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, 1);
}

/* 16 MiB of memory at A with its first 2 MiB reserved. */
static void reset_16m(void)
{
	reset();
	memblock_add(A, MiB(16));
	memblock_reserve(A, MiB(2));
}

/*
 * |RR..............| allocate 4 KiB twice, top-down (the default): expect
 * the last page, then the one below it, both reserved.
 */
static void memblock_phys_alloc_range_top_down(struct ktest *t)
{
	phys_addr_t end = A + MiB(16);

	reset_16m();
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(SZ_4K, SZ_4K, 0,
						     MEMBLOCK_ALLOC_ANYWHERE),
			end - SZ_4K);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(SZ_4K, SZ_4K, 0,
						     MEMBLOCK_ALLOC_ANYWHERE),
			end - 2 * SZ_4K);
	KTEST_EXPECT_TRUE(t, memblock_is_reserved(end - 2 * SZ_4K, 2 * SZ_4K));
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), MiB(2) + 2 * SZ_4K);
}

/*
 * |RR..............| bottom-up: expect the first free page above the
 * reservation, merged into it.
 */
static void memblock_phys_alloc_range_bottom_up(struct ktest *t)
{
	reset_16m();
	memblock_set_bottom_up(true);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(SZ_4K, SZ_4K, 0,
						     MEMBLOCK_ALLOC_ANYWHERE),
			A + MiB(2));
	KTEST_EXPECT_EQ(t, memblock.reserved.cnt, 1);
	memblock_set_bottom_up(false);
}

/*
 * |RR.............R| (the last page taken) allocate 4 KiB aligned to
 * 1 MiB: expect the highest 1 MiB boundary with room, A + 15 MiB; and
 * bottom-up, A + 2 MiB after taking another page there.
 */
static void memblock_phys_alloc_range_align(struct ktest *t)
{
	phys_addr_t end = A + MiB(16);

	reset_16m();
	KTEST_ASSERT_EQ(t, memblock_reserve(end - SZ_4K, SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(SZ_4K, SZ_1M, 0,
						     MEMBLOCK_ALLOC_ANYWHERE),
			A + MiB(15));
	memblock_set_bottom_up(true);
	KTEST_ASSERT_EQ(t, memblock_reserve(A + MiB(2), SZ_4K), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(SZ_4K, SZ_1M, 0,
						     MEMBLOCK_ALLOC_ANYWHERE),
			A + MiB(3));
	memblock_set_bottom_up(false);
}

/*
 * |RR..[....)......| allocate 1 MiB within [4 MiB, 8 MiB): expect
 * A + 7 MiB top-down and A + 4 MiB bottom-up.
 */
static void memblock_phys_alloc_range_window(struct ktest *t)
{
	reset_16m();
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(MiB(1), SZ_4K,
						     A + MiB(4), A + MiB(8)),
			A + MiB(7));
	memblock_set_bottom_up(true);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(MiB(1), SZ_4K,
						     A + MiB(4), A + MiB(8)),
			A + MiB(4));
	memblock_set_bottom_up(false);
}

/*
 * |MMMMMMMM..MMRRRR| (two ranges, the upper one half reserved) allocate
 * 4 MiB top-down: the hole and the reservation leave no room above 8 MiB,
 * expect A + 4 MiB. Then 1 MiB, which both free ranges could hold:
 * expect the highest, A + 11 MiB.
 */
static void memblock_phys_alloc_range_skips_holes(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(8)), 0);
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(10), MiB(6)), 0);
	KTEST_ASSERT_EQ(t, memblock_reserve(A + MiB(12), MiB(4)), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(MiB(4), SZ_4K, 0,
						     MEMBLOCK_ALLOC_ANYWHERE),
			A + MiB(4));
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(MiB(1), SZ_4K, 0,
						     MEMBLOCK_ALLOC_ANYWHERE),
			A + MiB(11));
}

/*
 * Requests that cannot be met: larger than any free range, a window with
 * no room, and a window wholly in a reservation. Expect 0 each time and
 * no new reservation.
 */
static void memblock_phys_alloc_range_no_fit(struct ktest *t)
{
	reset_16m();
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(MiB(15), SZ_4K, 0,
						     MEMBLOCK_ALLOC_ANYWHERE),
			0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(MiB(2), SZ_4K,
						     A + MiB(4), A + MiB(5)),
			0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(SZ_4K, SZ_4K, A,
						     A + MiB(2)),
			0);
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), MiB(2));
}

/* @align 0 and an @align that is no power of two: expect 0, nothing taken. */
static void memblock_phys_alloc_range_bad_align(struct ktest *t)
{
	reset_16m();
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(SZ_4K, 0, 0,
						     MEMBLOCK_ALLOC_ANYWHERE),
			0);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(SZ_4K, 3 * SZ_4K, 0,
						     MEMBLOCK_ALLOC_ANYWHERE),
			0);
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), MiB(2));
}

/*
 * Dirty the top of memory, then memblock_alloc(5000, 8): expect the
 * highest fit (end - 5000), reserved, returned as its kernel address and
 * reading as zeros.
 */
static void memblock_alloc_zeroed(struct ktest *t)
{
	phys_addr_t end = A + MiB(16);
	unsigned char *p;
	size_t i, dirty = 0;

	reset_16m();
	memset(__va(end - MiB(1)), 0xa5, MiB(1));
	p = memblock_alloc(5000, 8);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, __pa(p), end - 5000);
	KTEST_EXPECT_TRUE(t, memblock_is_reserved(__pa(p), 5000));
	for (i = 0; i < 5000; i++)
		dirty += p[i] != 0;
	KTEST_EXPECT_EQ(t, dirty, 0);
}

/* memblock_alloc() larger than free memory: expect NULL. */
static void memblock_alloc_no_fit(struct ktest *t)
{
	reset_16m();
	KTEST_EXPECT_TRUE(t, memblock_alloc(MiB(15), SZ_4K) == NULL);
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), MiB(2));
}

/*
 * Empty tables: expect DRAM start, end and sizes all 0. Then
 * |MMMM....MMMM| with |RR..R.......|: expect start, end, the memory size
 * without the hole and the reserved size.
 */
static void memblock_sizes_and_bounds(struct ktest *t)
{
	reset();
	KTEST_EXPECT_EQ(t, memblock_start_of_DRAM(), 0);
	KTEST_EXPECT_EQ(t, memblock_end_of_DRAM(), 0);
	KTEST_EXPECT_EQ(t, memblock_phys_mem_size(), 0);
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), 0);
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(8), MiB(4)), 0);
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(4)), 0);
	KTEST_ASSERT_EQ(t, memblock_reserve(A, MiB(2)), 0);
	KTEST_ASSERT_EQ(t, memblock_reserve(A + MiB(8), MiB(1)), 0);
	KTEST_EXPECT_EQ(t, memblock_start_of_DRAM(), A);
	KTEST_EXPECT_EQ(t, memblock_end_of_DRAM(), A + MiB(12));
	KTEST_EXPECT_EQ(t, memblock_phys_mem_size(), MiB(8));
	KTEST_EXPECT_EQ(t, memblock_reserved_size(), MiB(3));
}

/*
 * |MMMM| with | R  |: expect ranges touching the reservation to count,
 * ranges merely adjacent to it not to.
 */
static void memblock_is_reserved_touching(struct ktest *t)
{
	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(4)), 0);
	KTEST_ASSERT_EQ(t, memblock_reserve(A + MiB(1), MiB(1)), 0);
	KTEST_EXPECT_TRUE(t, !memblock_is_reserved(A, MiB(1)));
	KTEST_EXPECT_TRUE(t, !memblock_is_reserved(A + MiB(2), SZ_4K));
	KTEST_EXPECT_TRUE(t, memblock_is_reserved(A + MiB(1), SZ_4K));
	KTEST_EXPECT_TRUE(t, memblock_is_reserved(A + MiB(2) - SZ_4K,
						  2 * SZ_4K));
	KTEST_EXPECT_TRUE(t, memblock_is_reserved(A, MiB(4)));
}

/*
 * Memory  |MMMMMMMM........MMMMMMMM........MMMMMMMM|
 * Taken   |R      RRRRRRRRRRR   R            N     |
 * (reservations added out of order, one spanning a hole): expect the
 * free ranges in ascending order, without holes, reserved or no-map
 * memory:
 *         | ffffff          fff ffff         ffff fff|
 */
static void for_each_free_mem_range_order_and_exclusions(struct ktest *t)
{
	static const u64 want[][2] = {
		{ 1, 7 }, { 17, 20 }, { 21, 24 }, { 32, 36 }, { 37, 40 },
	};
	phys_addr_t start, end;
	unsigned int n = 0;
	u64 i;

	reset();
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(32), MiB(8)), 0);
	KTEST_ASSERT_EQ(t, memblock_add(A, MiB(8)), 0);
	KTEST_ASSERT_EQ(t, memblock_add(A + MiB(16), MiB(8)), 0);
	KTEST_ASSERT_EQ(t, memblock_reserve(A + MiB(20), MiB(1)), 0);
	KTEST_ASSERT_EQ(t, memblock_reserve(A + MiB(7), MiB(10)), 0);
	KTEST_ASSERT_EQ(t, memblock_reserve(A, MiB(1)), 0);
	KTEST_ASSERT_EQ(t, memblock_mark_nomap(A + MiB(36), MiB(1)), 0);
	for_each_free_mem_range(i, &start, &end) {
		KTEST_ASSERT_TRUE(t, n < ARRAY_SIZE(want));
		KTEST_EXPECT_EQ(t, start, A + MiB(want[n][0]));
		KTEST_EXPECT_EQ(t, end, A + MiB(want[n][1]));
		n++;
	}
	KTEST_EXPECT_EQ(t, n, ARRAY_SIZE(want));
}

/* No memory at all: expect the iterator not to run once. */
static void for_each_free_mem_range_empty(struct ktest *t)
{
	phys_addr_t start, end;
	unsigned int n = 0;
	u64 i;

	reset();
	for_each_free_mem_range(i, &start, &end)
		n++;
	KTEST_EXPECT_EQ(t, n, 0);
}

/* Fill @type's table with one-page regions two pages apart. */
static int fill_table(struct memblock_type *type, bool reserve)
{
	unsigned long i;
	int err = 0;

	for (i = 0; i < type->max && !err; i++) {
		phys_addr_t base = A + i * 2 * SZ_4K;

		err = reserve ? memblock_reserve(base, SZ_4K) :
				memblock_add(base, SZ_4K);
	}
	return err;
}

/*
 * |M.M.M. ... M.| with every slot of the memory table used: expect one
 * more disjoint range to fail with -ENOMEM and change nothing, and a split
 * by memblock_remove() to fail too.
 */
static void memblock_add_table_full(struct ktest *t)
{
	unsigned long max;
	phys_addr_t top;

	reset();
	max = memblock.memory.max;
	top = A + max * 2 * SZ_4K;
	KTEST_ASSERT_EQ(t, fill_table(&memblock.memory, false), 0);
	KTEST_ASSERT_EQ(t, memblock.memory.cnt, max);
	KTEST_EXPECT_EQ(t, memblock_add(top, SZ_4K), -ENOMEM);
	KTEST_EXPECT_EQ(t, memblock.memory.cnt, max);
	KTEST_EXPECT_EQ(t, memblock_phys_mem_size(), max * SZ_4K);
	KTEST_EXPECT_EQ(t, memblock_remove(A + 1024, 1024), -ENOMEM);
	KTEST_EXPECT_TRUE(t, memblock.memory.cnt <= max);
}

/*
 * Memory |MMMM ... M| with every slot of the reserved table used by
 * |R.R.R. ... R.|: expect one more disjoint reservation to fail with
 * -ENOMEM and a split by memblock_free() to fail too.
 */
static void memblock_reserve_table_full(struct ktest *t)
{
	unsigned long max;
	phys_addr_t top;

	reset();
	max = memblock.reserved.max;
	top = A + max * 2 * SZ_4K;
	KTEST_ASSERT_EQ(t, memblock_add(A, top + SZ_1M - A), 0);
	KTEST_ASSERT_EQ(t, fill_table(&memblock.reserved, true), 0);
	KTEST_ASSERT_EQ(t, memblock.reserved.cnt, max);
	KTEST_EXPECT_EQ(t, memblock_reserve(top, SZ_4K), -ENOMEM);
	KTEST_EXPECT_EQ(t, memblock.reserved.cnt, max);
	KTEST_EXPECT_EQ(t, memblock_free(A + 1024, 1024), -ENOMEM);
	KTEST_EXPECT_TRUE(t, memblock.reserved.cnt <= max);
}

/*
 * After memblock_free_all() the buddy owns the free memory: expect
 * memblock allocations refused (0 and NULL), and a memblock_reset() to
 * make memblock usable again.
 */
static void memblock_alloc_after_free_all(struct ktest *t)
{
	KTEST_ASSERT_TRUE(t, mm_fixture_boot_small(MiB(16)) != 0);
	KTEST_EXPECT_TRUE(t, memblock.frozen);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(SZ_4K, SZ_4K, 0,
						     MEMBLOCK_ALLOC_ANYWHERE),
			0);
	KTEST_EXPECT_TRUE(t, memblock_alloc(SZ_4K, SZ_4K) == NULL);
	reset_16m();
	KTEST_EXPECT_TRUE(t, !memblock.frozen);
	KTEST_EXPECT_EQ(t, memblock_phys_alloc_range(SZ_4K, SZ_4K, 0,
						     MEMBLOCK_ALLOC_ANYWHERE),
			A + MiB(16) - SZ_4K);
}

static const struct ktest_case memblock_cases[] = {
	KTEST_CASE(memblock_add_simple),
	KTEST_CASE(memblock_add_disjoint),
	KTEST_CASE(memblock_add_adjacent_merge),
	KTEST_CASE(memblock_add_overlap_merge),
	KTEST_CASE(memblock_add_within),
	KTEST_CASE(memblock_add_bridge),
	KTEST_CASE(memblock_add_nodes_with_holes),
	KTEST_CASE(memblock_add_wraps),
	KTEST_CASE(memblock_remove_middle_split),
	KTEST_CASE(memblock_remove_edges),
	KTEST_CASE(memblock_remove_across_hole),
	KTEST_CASE(memblock_remove_whole),
	KTEST_CASE(memblock_remove_wraps),
	KTEST_CASE(memblock_reserve_merge),
	KTEST_CASE(memblock_reserve_overlap),
	KTEST_CASE(memblock_reserve_no_memory),
	KTEST_CASE(memblock_reserve_partial_overlap),
	KTEST_CASE(memblock_reserve_wraps),
	KTEST_CASE(memblock_free_split),
	KTEST_CASE(memblock_free_whole),
	KTEST_CASE(memblock_mark_nomap_reserved_and_excluded),
	KTEST_CASE(memblock_mark_nomap_no_memory),
	KTEST_CASE(memblock_phys_alloc_range_top_down),
	KTEST_CASE(memblock_phys_alloc_range_bottom_up),
	KTEST_CASE(memblock_phys_alloc_range_align),
	KTEST_CASE(memblock_phys_alloc_range_window),
	KTEST_CASE(memblock_phys_alloc_range_skips_holes),
	KTEST_CASE(memblock_phys_alloc_range_no_fit),
	KTEST_CASE(memblock_phys_alloc_range_bad_align),
	KTEST_CASE(memblock_alloc_zeroed),
	KTEST_CASE(memblock_alloc_no_fit),
	KTEST_CASE(memblock_sizes_and_bounds),
	KTEST_CASE(memblock_is_reserved_touching),
	KTEST_CASE(for_each_free_mem_range_order_and_exclusions),
	KTEST_CASE(for_each_free_mem_range_empty),
	KTEST_CASE(memblock_add_table_full),
	KTEST_CASE(memblock_reserve_table_full),
	KTEST_CASE(memblock_alloc_after_free_all),
	{}
};

KTEST_SUITE(memblock_suite) = {
	.name = "memblock",
	.cases = memblock_cases,
};
