// SPDX-License-Identifier: MIT
/*
 * Host tests of the virtual range allocator (core/mm/vm_space.c): where
 * vm_space_alloc() places ranges, alignment, guards, fixed inserts,
 * lookups, iteration, exhaustion, and a long random run against a sorted
 * array model that also checks every node's gap and max_gap.
 *
 * Window W = [0xffffffc000000000, 0xffffffd000000000), 64 GiB, 1 GiB
 * aligned. P = PAGE_SIZE. Diagrams: [A] busy, g guard, . free.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <asm/page.h>
#include <rvmem/ktest.h>
#include <rvmem/vm_space.h>

#include "mm_fixture.h"

#define W_START		0xffffffc000000000UL
#define W_END		0xffffffd000000000UL
#define P		PAGE_SIZE

#define to_range(n)	avl_entry(n, struct vm_range, node)

static unsigned long top(const struct vm_range *r)
{
	return r->end + r->guard;
}

static struct vm_range *new_range(unsigned long guard)
{
	struct vm_range *r = calloc(1, sizeof(*r));

	if (r)
		r->guard = guard;
	return r;
}

/* A fixed range [@start, @end) + @guard; not yet inserted. */
static struct vm_range fixed(unsigned long start, unsigned long end,
			     unsigned long guard)
{
	return (struct vm_range){ .start = start, .end = end, .guard = guard };
}

/* Largest gap under @n, recomputed; 0 for NULL. Sets *@bad on mismatch. */
static unsigned long max_gap_of(struct avl_node *n, bool *bad)
{
	unsigned long l, r, m;

	if (!n)
		return 0;
	l = max_gap_of(n->left, bad);
	r = max_gap_of(n->right, bad);
	m = max(to_range(n)->gap, max(l, r));
	if (to_range(n)->max_gap != m)
		*bad = true;
	return m;
}

/*
 * Check the whole space: ranges in address order inside the window, no
 * overlap (guards included), each gap (the sentinel's too) equal to start
 * minus the previous top, every max_gap, the count. If @model is not
 * NULL, the ranges must be exactly @model[0..@n). Return: true if so.
 */
static bool space_ok(struct ktest *t, const struct vm_space *s,
		     struct vm_range *const *model, unsigned long n)
{
	unsigned long prev = s->start, i = 0;
	struct vm_range *r;
	bool bad = false;

	for (r = vm_space_first(s); r; r = vm_space_next(s, r), i++) {
		if (r->start < prev || r->start >= r->end || top(r) < r->end ||
		    top(r) > s->end) {
			ktest_fail(t, __FILE__, __LINE__,
				   "range %lu [%#lx, %#lx)+%#lx misplaced "
				   "(previous top %#lx)", i, r->start,
				   r->end, r->guard, prev);
			return false;
		}
		if (r->gap != r->start - prev) {
			ktest_fail(t, __FILE__, __LINE__,
				   "range %lu at %#lx: gap %#lx, expected "
				   "%#lx", i, r->start, r->gap,
				   r->start - prev);
			return false;
		}
		if (model && (i >= n || model[i] != r)) {
			ktest_fail(t, __FILE__, __LINE__,
				   "range %lu at %#lx is not the model's", i,
				   r->start);
			return false;
		}
		prev = top(r);
	}
	if (s->sentinel.gap != s->end - prev) {
		ktest_fail(t, __FILE__, __LINE__,
			   "sentinel gap %#lx, expected %#lx",
			   s->sentinel.gap, s->end - prev);
		return false;
	}
	if (i != s->nr_ranges || (model && i != n)) {
		ktest_fail(t, __FILE__, __LINE__,
			   "walked %lu ranges, nr_ranges %lu, model %lu", i,
			   s->nr_ranges, n);
		return false;
	}
	max_gap_of(s->tree.node, &bad);
	if (bad) {
		ktest_fail(t, __FILE__, __LINE__, "a max_gap is stale");
		return false;
	}
	return true;
}

/* (empty window): expect no range, nothing found, one full-size gap. */
static void vm_space_init_empty(struct ktest *t)
{
	struct vm_space s;

	vm_space_init(&s, W_START, W_END);
	KTEST_EXPECT_TRUE(t, vm_space_first(&s) == NULL);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_START) == NULL);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_END) == NULL);
	KTEST_EXPECT_TRUE(t, vm_space_first_overlap(&s, 0, ~0UL) == NULL);
	KTEST_EXPECT_EQ(t, s.nr_ranges, 0);
	KTEST_EXPECT_EQ(t, s.sentinel.max_gap, W_END - W_START);
	KTEST_EXPECT_TRUE(t, space_ok(t, &s, NULL, 0));
}

/*
 *   W                                             W_END
 *   [A 4P][B 4P][C 4P]..........................|   alloc A, B, C
 *   [A 4P].4P...[C 4P]..........................|   remove B
 *   [A 4P][D]...[C 4P][E 8P]....................|   alloc D 2P, E 8P
 * Expect A, B, C back to back from W; D in B's old gap (lowest fit);
 * E, too big for the 2P left there, right after C.
 */
static void vm_space_alloc_lowest_gap(struct ktest *t)
{
	struct vm_range a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, e = { 0 };
	struct vm_space s;

	vm_space_init(&s, W_START, W_END);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &a, 4 * P, P), 0);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &b, 4 * P, P), 0);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &c, 4 * P, P), 0);
	KTEST_EXPECT_EQ(t, a.start, W_START);
	KTEST_EXPECT_EQ(t, a.end, W_START + 4 * P);
	KTEST_EXPECT_EQ(t, b.start, W_START + 4 * P);
	KTEST_EXPECT_EQ(t, c.start, W_START + 8 * P);
	vm_space_remove(&s, &b);
	KTEST_EXPECT_EQ(t, c.gap, 4 * P);
	KTEST_EXPECT_EQ(t, s.nr_ranges, 2);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &d, 2 * P, P), 0);
	KTEST_EXPECT_EQ(t, d.start, W_START + 4 * P);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &e, 8 * P, P), 0);
	KTEST_EXPECT_EQ(t, e.start, W_START + 12 * P);
	KTEST_EXPECT_EQ(t, c.gap, 2 * P);
	KTEST_EXPECT_TRUE(t, space_ok(t, &s, NULL, 0));
}

/*
 *   W          W+2M              W+4M
 *   [A P][C P].[B 2M aligned 2M ][D P aligned 2M]...
 * Expect B at W + 2 MiB (its gap is alignment waste), C in the lowest
 * gap below B, D at W + 4 MiB since the 2 MiB - 2P left below B cannot
 * hold a 2 MiB aligned page by the need rule. Then a 1 GiB aligned
 * range: expect W + 1 GiB.
 */
static void vm_space_alloc_alignment(struct ktest *t)
{
	struct vm_range a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 }, g = { 0 };
	struct vm_space s;

	vm_space_init(&s, W_START, W_END);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &a, P, P), 0);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &b, MiB(2), MiB(2)), 0);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &c, P, P), 0);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &d, P, MiB(2)), 0);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &g, P, GiB(1)), 0);
	KTEST_EXPECT_EQ(t, a.start, W_START);
	KTEST_EXPECT_EQ(t, b.start, W_START + MiB(2));
	KTEST_EXPECT_EQ(t, b.end, W_START + MiB(4));
	KTEST_EXPECT_EQ(t, c.start, W_START + P);
	KTEST_EXPECT_EQ(t, d.start, W_START + MiB(4));
	KTEST_EXPECT_EQ(t, g.start, W_START + GiB(1));
	KTEST_EXPECT_EQ(t, b.gap, MiB(2) - 2 * P);
	KTEST_EXPECT_EQ(t, g.gap, GiB(1) - MiB(4) - P);
	KTEST_EXPECT_TRUE(t, space_ok(t, &s, NULL, 0));
}

/*
 *   W        W+2M              W+4M
 *   ..........[X fixed 2M]..........
 *   (2 MiB free below X, exactly 2 MiB aligned)
 * alloc 2 MiB aligned 2 MiB: the allocator asks a gap for
 * size + guard + align - P = 4 MiB - P and skips the exact 2 MiB gap.
 * Expect the range at W + 4 MiB, not at W (the documented rule).
 * Then alloc 2 MiB - P aligned P: expect it at W.
 */
static void vm_space_alloc_need_rule(struct ktest *t)
{
	struct vm_range x = fixed(W_START + MiB(2), W_START + MiB(4), 0);
	struct vm_range a = { 0 }, b = { 0 };
	struct vm_space s;

	vm_space_init(&s, W_START, W_END);
	KTEST_ASSERT_EQ(t, vm_space_insert(&s, &x), 0);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &a, MiB(2), MiB(2)), 0);
	KTEST_EXPECT_EQ(t, a.start, W_START + MiB(4));
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &b, MiB(2) - P, P), 0);
	KTEST_EXPECT_EQ(t, b.start, W_START);
	KTEST_EXPECT_TRUE(t, space_ok(t, &s, NULL, 0));
}

/*
 *   W
 *   [A 2P]gg[B P]g[C P]....
 * A has a 2P guard, B a P guard, C none.
 * Expect B at A.end + 2P, C at B.end + P; find() inside a guard returns
 * its range; a fixed insert into a guard, or one whose own guard would
 * cover the next range, fails with -EEXIST.
 */
static void vm_space_alloc_guard(struct ktest *t)
{
	struct vm_range a = { .guard = 2 * P }, b = { .guard = P }, c = { 0 };
	struct vm_range in_guard = fixed(W_START + 3 * P, W_START + 4 * P, 0);
	struct vm_range guard_hits, d = { 0 };
	struct vm_space s;

	vm_space_init(&s, W_START, W_END);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &a, 2 * P, P), 0);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &b, P, P), 0);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &c, P, P), 0);
	KTEST_EXPECT_EQ(t, a.start, W_START);
	KTEST_EXPECT_EQ(t, b.start, a.end + 2 * P);
	KTEST_EXPECT_EQ(t, c.start, b.end + P);
	KTEST_EXPECT_EQ(t, b.gap, 0);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, a.end) == &a);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, a.end + 2 * P - 1) == &a);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, b.end) == &b);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, c.start) == &c);
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &in_guard), -EEXIST);
	/* Free space after C, then a fixed range whose guard reaches D. */
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &d, P, MiB(2)), 0);
	guard_hits = fixed(d.start - 2 * P, d.start - P, P + 1);
	/* An unaligned guard is refused before any overlap check. */
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &guard_hits), -EINVAL);
	guard_hits = fixed(d.start - 2 * P, d.start - P, 2 * P);
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &guard_hits), -EEXIST);
	guard_hits = fixed(d.start - 2 * P, d.start - P, P);
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &guard_hits), 0);
	KTEST_EXPECT_EQ(t, d.gap, 0);
	KTEST_EXPECT_TRUE(t, space_ok(t, &s, NULL, 0));
}

/*
 *   [A 4P][B 4P][C 4P]...   remove A, then C, then B
 * Expect the gaps to merge each time (B's gap 4P, then the sentinel's
 * covering everything after A's hole...), and a 12P alloc to land at W
 * once all three are gone.
 */
static void vm_space_remove_merges_gaps(struct ktest *t)
{
	struct vm_range a = { 0 }, b = { 0 }, c = { 0 }, big = { 0 };
	struct vm_space s;

	vm_space_init(&s, W_START, W_END);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &a, 4 * P, P), 0);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &b, 4 * P, P), 0);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &c, 4 * P, P), 0);
	vm_space_remove(&s, &a);
	KTEST_EXPECT_EQ(t, b.gap, 4 * P);
	KTEST_EXPECT_TRUE(t, vm_space_first(&s) == &b);
	vm_space_remove(&s, &c);
	KTEST_EXPECT_EQ(t, s.sentinel.gap, W_END - b.end);
	KTEST_EXPECT_TRUE(t, space_ok(t, &s, NULL, 0));
	vm_space_remove(&s, &b);
	KTEST_EXPECT_EQ(t, s.sentinel.gap, W_END - W_START);
	KTEST_EXPECT_EQ(t, s.sentinel.max_gap, W_END - W_START);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &big, 12 * P, P), 0);
	KTEST_EXPECT_EQ(t, big.start, W_START);
	KTEST_EXPECT_TRUE(t, space_ok(t, &s, NULL, 0));
}

/*
 *   W-P  W                                   W_END  W_END+P
 *    x   [A]..[B]g[C]...........................[Z]|
 * Fixed inserts: below the window, past it (end or guard), empty or
 * inverted, wrapping guard -> -EINVAL; overlapping a range or its guard
 * -> -EEXIST; touching a neighbour's top, and ending at W_END -> 0.
 * Expect each result, and no failed insert to change anything.
 */
static void vm_space_insert_fixed(struct ktest *t)
{
	struct vm_range a = fixed(W_START, W_START + P, 0);
	struct vm_range b = fixed(W_START + 4 * P, W_START + 6 * P, P);
	struct vm_range c = fixed(W_START + 7 * P, W_START + 8 * P, 0);
	struct vm_range z = fixed(W_END - 2 * P, W_END - P, P);
	struct vm_range x;
	struct vm_space s;

	vm_space_init(&s, W_START, W_END);
	KTEST_ASSERT_EQ(t, vm_space_insert(&s, &b), 0);
	KTEST_ASSERT_EQ(t, vm_space_insert(&s, &a), 0);
	KTEST_ASSERT_EQ(t, vm_space_insert(&s, &c), 0);	/* at B's top */
	KTEST_ASSERT_EQ(t, vm_space_insert(&s, &z), 0);	/* top == W_END */

	x = fixed(W_START - P, W_START + P, 0);
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EINVAL);
	x = fixed(W_END - P, W_END + P, 0);
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EINVAL);
	x = fixed(W_END - 4 * P, W_END - 3 * P, 4 * P);
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EINVAL);
	x = fixed(W_START + 20 * P, W_START + 20 * P, 0);
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EINVAL);
	x = fixed(W_START + 21 * P, W_START + 20 * P, 0);
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EINVAL);
	x = fixed(W_START + 20 * P, W_START + 21 * P, ~0UL - P);
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EINVAL);
	x = fixed(W_END, W_END + P, 0);
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EINVAL);

	x = fixed(W_START, W_START + P, 0);			/* A itself */
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EEXIST);
	x = fixed(W_START + 5 * P, W_START + 6 * P, 0);		/* inside B */
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EEXIST);
	x = fixed(W_START + 6 * P, W_START + 7 * P, 0);		/* B's guard */
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EEXIST);
	x = fixed(W_START + 2 * P, W_START + 3 * P, P + 1);	/* unaligned */
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EINVAL);
	x = fixed(W_START + 2 * P, W_START + 3 * P, 2 * P);	/* guard on B */
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EEXIST);
	x = fixed(W_START + 2 * P, W_START + 10 * P, 0);	/* spans B, C */
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EEXIST);
	x = fixed(W_END - 3 * P, W_END - 2 * P + 1, 0);		/* unaligned */
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EINVAL);
	x = fixed(W_END - 3 * P, W_END - P, 0);			/* Z's start */
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), -EEXIST);
	KTEST_EXPECT_EQ(t, s.nr_ranges, 4);

	x = fixed(W_START + P, W_START + 3 * P, P);	/* top == B.start */
	KTEST_EXPECT_EQ(t, vm_space_insert(&s, &x), 0);
	KTEST_EXPECT_EQ(t, b.gap, 0);
	KTEST_EXPECT_EQ(t, x.gap, 0);
	KTEST_EXPECT_EQ(t, s.sentinel.gap, 0);
	KTEST_EXPECT_TRUE(t, space_ok(t, &s, NULL, 0));
}

/*
 *   W   W+P     W+3P  W+4P           W_END-P  W_END
 *   [A P]gg.....[B P].........................[C P]|
 * Expect find() to return A for its first byte, last byte and guard,
 * NULL in the free gap and below the window, B for its bytes, C for its
 * last byte, and NULL (never the sentinel) at W_END and above.
 */
static void vm_space_find_cases(struct ktest *t)
{
	struct vm_range a = fixed(W_START, W_START + P, P);
	struct vm_range b = fixed(W_START + 3 * P, W_START + 4 * P, 0);
	struct vm_range c = fixed(W_END - P, W_END, 0);
	struct vm_space s;

	vm_space_init(&s, W_START, W_END);
	KTEST_ASSERT_EQ(t, vm_space_insert(&s, &a), 0);
	KTEST_ASSERT_EQ(t, vm_space_insert(&s, &b), 0);
	KTEST_ASSERT_EQ(t, vm_space_insert(&s, &c), 0);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_START) == &a);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_START + P - 1) == &a);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_START + P) == &a);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_START + 2 * P - 1) == &a);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_START + 2 * P) == NULL);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_START + 3 * P - 1) == NULL);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_START + 3 * P) == &b);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_START + 4 * P) == NULL);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_START - 1) == NULL);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, 0) == NULL);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_END - 1) == &c);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_END) == NULL);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_END + P) == NULL);
	vm_space_remove(&s, &c);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_END - 1) == NULL);
	KTEST_EXPECT_TRUE(t, vm_space_find(&s, W_END) == NULL);
}

/*
 *   W     W+2P  W+4P   W+6P  W+8P
 *   [A 2P]g.....[B 2P].......
 * first_overlap(lo, hi) for half-open queries.
 * Expect A for anything touching [W, W+3P) (guard included), B for
 * [W+3P, W+5P) and for a query spanning A's guard and B, NULL for the
 * pure gap [W+3P, W+4P), for [W+6P, W_END) and for an empty query.
 */
static void vm_space_first_overlap_cases(struct ktest *t)
{
	struct vm_range a = fixed(W_START, W_START + 2 * P, P);
	struct vm_range b = fixed(W_START + 4 * P, W_START + 6 * P, 0);
	struct vm_space s;

	vm_space_init(&s, W_START, W_END);
	KTEST_ASSERT_EQ(t, vm_space_insert(&s, &a), 0);
	KTEST_ASSERT_EQ(t, vm_space_insert(&s, &b), 0);
	KTEST_EXPECT_TRUE(t, vm_space_first_overlap(&s, 0, W_END) == &a);
	KTEST_EXPECT_TRUE(t, vm_space_first_overlap(&s, W_START + 2 * P,
						    W_START + 5 * P) == &a);
	KTEST_EXPECT_TRUE(t, vm_space_first_overlap(&s, W_START + 3 * P,
						    W_START + 5 * P) == &b);
	KTEST_EXPECT_TRUE(t, vm_space_first_overlap(&s, W_START + 3 * P,
						    W_START + 4 * P) == NULL);
	KTEST_EXPECT_TRUE(t, vm_space_first_overlap(&s, W_START + 5 * P,
						    W_START + 5 * P + 1) == &b);
	KTEST_EXPECT_TRUE(t, vm_space_first_overlap(&s, W_START + 6 * P,
						    W_END) == NULL);
	KTEST_EXPECT_TRUE(t, vm_space_first_overlap(&s, W_START - P,
						    W_START) == NULL);
	KTEST_EXPECT_TRUE(t, vm_space_first_overlap(&s, W_START + 6 * P,
						    ~0UL) == NULL);
}

/*
 * 64 fixed one-page ranges at W + 2kP for k in a shuffled order.
 * Expect first()/next() to visit them by address, ending in NULL (not
 * the sentinel), and the same after removing every third one.
 */
static void vm_space_first_next_order(struct ktest *t)
{
	struct vm_range r[64];
	struct vm_range *it;
	struct vm_space s;
	unsigned long k, prev;

	vm_space_init(&s, W_START, W_END);
	for (k = 0; k < 64; k++) {
		unsigned long slot = (k * 37) % 64;	/* 37 coprime to 64 */

		r[slot] = fixed(W_START + 2 * slot * P,
				W_START + (2 * slot + 1) * P, 0);
		KTEST_ASSERT_EQ(t, vm_space_insert(&s, &r[slot]), 0);
	}
	for (k = 0, it = vm_space_first(&s); it; it = vm_space_next(&s, it))
		KTEST_EXPECT_TRUE(t, it == &r[k++]);
	KTEST_EXPECT_EQ(t, k, 64);
	for (k = 0; k < 64; k += 3)
		vm_space_remove(&s, &r[k]);
	prev = 0;
	for (k = 0, it = vm_space_first(&s); it; it = vm_space_next(&s, it)) {
		KTEST_EXPECT_TRUE(t, it->start > prev);
		KTEST_EXPECT_TRUE(t, (it - r) % 3 != 0);
		prev = it->start;
		k++;
	}
	KTEST_EXPECT_EQ(t, k, 64 - 22);
	KTEST_EXPECT_TRUE(t, space_ok(t, &s, NULL, 0));
}

/*
 *   W                       W+16P
 *   [0][1][2] ... [15]|     a 16-page window
 * Expect 16 one-page allocs to fill it in order and the 17th to fail
 * with -ENOMEM; a zero size, a size above the window and a size whose
 * need overflows also -ENOMEM; after removing range 7, a one-page alloc
 * with a guard still fails, without one it lands in range 7's place.
 */
static void vm_space_alloc_exhaustion(struct ktest *t)
{
	struct vm_range r[16], x = { 0 }, y = { .guard = P };
	struct vm_space s;
	int i;

	memset(r, 0, sizeof(r));
	vm_space_init(&s, W_START, W_START + 16 * P);
	for (i = 0; i < 16; i++) {
		KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &r[i], P, P), 0);
		KTEST_EXPECT_EQ(t, r[i].start, W_START + i * P);
	}
	KTEST_EXPECT_EQ(t, vm_space_alloc(&s, &x, P, P), -ENOMEM);
	vm_space_remove(&s, &r[7]);
	KTEST_EXPECT_EQ(t, vm_space_alloc(&s, &x, 0, P), -ENOMEM);
	KTEST_EXPECT_EQ(t, vm_space_alloc(&s, &x, 2 * P, P), -ENOMEM);
	KTEST_EXPECT_EQ(t, vm_space_alloc(&s, &x, P, 2 * P), -ENOMEM);
	KTEST_EXPECT_EQ(t, vm_space_alloc(&s, &x, ~0UL & PAGE_MASK, P),
			-ENOMEM);
	KTEST_EXPECT_EQ(t, vm_space_alloc(&s, &x, P, 1UL << 63), -ENOMEM);
	KTEST_EXPECT_EQ(t, vm_space_alloc(&s, &y, P, P), -ENOMEM);
	KTEST_EXPECT_EQ(t, s.nr_ranges, 15);
	KTEST_ASSERT_EQ(t, vm_space_alloc(&s, &x, P, P), 0);
	KTEST_EXPECT_EQ(t, x.start, W_START + 7 * P);
	KTEST_EXPECT_TRUE(t, space_ok(t, &s, NULL, 0));
}

/* ---- the random run against a sorted-array model ---- */

struct model {
	struct vm_range **r;	/* by address */
	unsigned long n, cap;
};

/* Index of the first model range with start >= @addr. */
static unsigned long model_lower(const struct model *m, unsigned long addr)
{
	unsigned long lo = 0, hi = m->n;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (m->r[mid]->start < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void model_add(struct model *m, struct vm_range *r)
{
	unsigned long i = model_lower(m, r->start);

	memmove(&m->r[i + 1], &m->r[i], (m->n - i) * sizeof(m->r[0]));
	m->r[i] = r;
	m->n++;
}

static void model_del(struct model *m, unsigned long i)
{
	memmove(&m->r[i], &m->r[i + 1], (m->n - i - 1) * sizeof(m->r[0]));
	m->n--;
}

/*
 * Where vm_space_alloc() must put @size/@align/@guard: the lowest gap
 * (by address) of at least size + guard + align - P bytes, aligned up
 * from its base. Return: the start, or 0 for -ENOMEM.
 */
static unsigned long model_alloc(const struct model *m, unsigned long ws,
				 unsigned long we, unsigned long size,
				 unsigned long align, unsigned long guard)
{
	unsigned long need = size + guard + align - P, base = ws, i;

	if (!size || need < size)
		return 0;
	for (i = 0; i <= m->n; i++) {
		unsigned long next = i < m->n ? m->r[i]->start : we;

		if (next - base >= need)
			return ALIGN(base, align);
		if (i < m->n)
			base = top(m->r[i]);
	}
	return 0;
}

/* The model's answer to vm_space_first_overlap(). */
static struct vm_range *model_overlap(const struct model *m,
				      unsigned long lo, unsigned long hi)
{
	unsigned long i = model_lower(m, lo);

	/* The range before the first that starts at @lo may reach it. */
	if (i && top(m->r[i - 1]) > lo)
		i--;
	if (i < m->n && m->r[i]->start < hi && top(m->r[i]) > lo)
		return m->r[i];
	return NULL;
}

static unsigned long rand_pages(u64 *rng)
{
	switch (mm_rand(rng) % 16) {
	case 0:
		return (1 + mm_rand(rng) % 1024) * P;	/* up to 4 MiB */
	case 1:
		return (1 + mm_rand(rng) % 512) * MiB(2);	/* <= 1 GiB */
	default:
		return (1 + mm_rand(rng) % 16) * P;
	}
}

static unsigned long rand_align(u64 *rng)
{
	unsigned int r = mm_rand(rng) % 32;

	if (r < 20)
		return P;
	if (r < 30)
		return P << (mm_rand(rng) % 10);	/* up to 2 MiB */
	return r == 30 ? MiB(2) : GiB(1);
}

static unsigned long rand_guard(u64 *rng)
{
	return (mm_rand(rng) % 3) * P;
}

/*
 * 200,000 seeded ops on W, a few thousand ranges live: alloc with random
 * size (4 KiB .. 1 GiB), alignment (4 KiB .. 1 GiB) and guard (0..2P);
 * fixed inserts at random and at neighbour-touching addresses; removes;
 * find() and first_overlap() at random addresses. Phases push the live
 * count towards 6,000 and down towards 1,000 again, and the big sizes
 * make -ENOMEM happen when the window fills.
 * Expect each alloc at exactly the model's start (or -ENOMEM when the
 * model has no fit), each insert's result as the model predicts, each
 * lookup the model's range, and every 500 ops the whole tree equal to
 * the model with every gap and max_gap right.
 */
static void vm_space_alloc_random(struct ktest *t)
{
	const unsigned long ops = 200000;
	struct model m = { .cap = 1UL << 16 };
	unsigned long i, nomem = 0, eexist = 0, fixed_ok = 0;
	struct vm_space s;
	u64 rng = 0x7e57;

	m.r = calloc(m.cap, sizeof(m.r[0]));
	KTEST_ASSERT_TRUE(t, m.r != NULL);
	vm_space_init(&s, W_START, W_END);
	for (i = 0; i < ops; i++) {
		/* Grow towards 6000 live for 25k ops, then towards
		 * 1000, and again: 60% allocs or 30%. */
		unsigned long target = (i / 25000) % 2 ? 1000 : 6000;
		unsigned int bias = m.n < target ? 60 : 30;
		unsigned int op = mm_rand(&rng) % 100;
		unsigned long addr;

		if (op < bias && m.n < m.cap - 1) {
			struct vm_range *r = new_range(rand_guard(&rng));
			unsigned long size = rand_pages(&rng);
			unsigned long align = rand_align(&rng);
			unsigned long want = model_alloc(&m, W_START, W_END,
							 size, align,
							 r->guard);
			int err;

			KTEST_ASSERT_TRUE(t, r != NULL);
			if (op % 4 == 0) {
				/* A fixed insert instead: near a neighbour
				 * (its top, or ending at its start) or
				 * anywhere, sometimes outside W. */
				unsigned long base;
				struct vm_range *expect_hit;
				int expect;

				if (m.n && op % 8 == 0) {
					struct vm_range *nb =
						m.r[mm_rand(&rng) % m.n];
					long d = (long)(mm_rand(&rng) % 3) - 1;

					base = mm_rand(&rng) % 2 ?
					       top(nb) + d * P :
					       nb->start - size - r->guard +
					       d * P;
				} else {
					base = W_START - GiB(1) +
					       (mm_rand(&rng) % (W_END -
						W_START + GiB(2)) & PAGE_MASK);
				}
				r->start = base;
				r->end = base + size;
				expect_hit = model_overlap(&m, r->start,
							   top(r));
				if (r->start < W_START || top(r) > W_END ||
				    r->end <= r->start)
					expect = -EINVAL;
				else
					expect = expect_hit ? -EEXIST : 0;
				err = vm_space_insert(&s, r);
				if (err != expect) {
					ktest_fail(t, __FILE__, __LINE__,
						   "op %lu: insert [%#lx, "
						   "%#lx)+%#lx gave %d, "
						   "expected %d", i,
						   r->start, r->end,
						   r->guard, err, expect);
					free(r);
					goto out;
				}
				eexist += err == -EEXIST;
				fixed_ok += !err;
			} else {
				err = vm_space_alloc(&s, r, size, align);
				if (err != (want ? 0 : -ENOMEM) ||
				    (!err && r->start != want)) {
					ktest_fail(t, __FILE__, __LINE__,
						   "op %lu: alloc %#lx "
						   "align %#lx guard %#lx: "
						   "%d at %#lx, model %#lx",
						   i, size, align, r->guard,
						   err, r->start, want);
					if (err)
						free(r);
					else
						model_add(&m, r);
					goto out;
				}
				nomem += err == -ENOMEM;
			}
			if (err) {
				free(r);
			} else {
				KTEST_EXPECT_EQ(t, r->end, r->start + size);
				model_add(&m, r);
			}
		} else if (op < 90 && m.n) {
			unsigned long k = mm_rand(&rng) % m.n;
			struct vm_range *r = m.r[k];

			vm_space_remove(&s, r);
			model_del(&m, k);
			free(r);
		} else {
			/* Look up an address near a range or anywhere. */
			struct vm_range *want, *got;

			if (m.n && op % 2) {
				struct vm_range *nb = m.r[mm_rand(&rng) % m.n];

				addr = nb->start + mm_rand(&rng) %
				       (top(nb) - nb->start + 2 * P) - P;
			} else {
				addr = W_START - P + mm_rand(&rng) %
				       (W_END - W_START + 2 * P);
			}
			want = model_overlap(&m, addr, addr + 1);
			got = vm_space_find(&s, addr);
			if (got != want) {
				ktest_fail(t, __FILE__, __LINE__,
					   "op %lu: find(%#lx) wrong", i,
					   addr);
				goto out;
			}
			want = model_overlap(&m, addr, addr + MiB(1));
			got = vm_space_first_overlap(&s, addr, addr + MiB(1));
			if (got != want) {
				ktest_fail(t, __FILE__, __LINE__,
					   "op %lu: first_overlap(%#lx) "
					   "wrong", i, addr);
				goto out;
			}
		}
		if (i % 500 == 0 && !space_ok(t, &s, m.r, m.n))
			goto out;
	}
	KTEST_EXPECT_TRUE(t, space_ok(t, &s, m.r, m.n));
	/* The run must have met each outcome. */
	KTEST_EXPECT_TRUE(t, nomem > 0);
	KTEST_EXPECT_TRUE(t, eexist > 0);
	KTEST_EXPECT_TRUE(t, fixed_ok > 0);
out:
	while (m.n) {
		vm_space_remove(&s, m.r[m.n - 1]);
		free(m.r[--m.n]);
	}
	KTEST_EXPECT_EQ(t, s.sentinel.gap, W_END - W_START);
	free(m.r);
}

static const struct ktest_case vm_space_cases[] = {
	KTEST_CASE(vm_space_init_empty),
	KTEST_CASE(vm_space_alloc_lowest_gap),
	KTEST_CASE(vm_space_alloc_alignment),
	KTEST_CASE(vm_space_alloc_need_rule),
	KTEST_CASE(vm_space_alloc_guard),
	KTEST_CASE(vm_space_remove_merges_gaps),
	KTEST_CASE(vm_space_insert_fixed),
	KTEST_CASE(vm_space_find_cases),
	KTEST_CASE(vm_space_first_overlap_cases),
	KTEST_CASE(vm_space_first_next_order),
	KTEST_CASE(vm_space_alloc_exhaustion),
	KTEST_CASE(vm_space_alloc_random),
	{}
};

KTEST_SUITE(vm_space_suite) = {
	.name = "vm_space",
	.cases = vm_space_cases,
};
