// SPDX-License-Identifier: MIT
/*
 * Virtual address ranges in an augmented AVL tree (see vm_space.h).
 *
 * Invariant: for each busy range r in address order, r->gap equals
 * r->start minus the previous range's end + guard (or minus the window's
 * start for the first); r->max_gap is the largest gap in r's subtree.
 */
#include <errno.h>
#include <asm/page.h>
#include <rvmem/vm_space.h>

#define to_range(n)	avl_entry(n, struct vm_range, node)

static unsigned long range_top(const struct vm_range *r)
{
	return r->end + r->guard;
}

static void augment(struct avl_node *n)
{
	struct vm_range *r = to_range(n);
	unsigned long m = r->gap;

	if (n->left)
		m = max(m, to_range(n->left)->max_gap);
	if (n->right)
		m = max(m, to_range(n->right)->max_gap);
	r->max_gap = m;
}

static bool range_less(const struct avl_node *a, const struct avl_node *b)
{
	return to_range(a)->start < to_range(b)->start;
}

/* The end of whatever comes before @r (the window start for the first). */
static unsigned long prev_top(const struct vm_space *s,
			      const struct vm_range *r)
{
	struct avl_node *p = avl_prev(&r->node);

	return p ? range_top(to_range(p)) : s->start;
}

static void set_gap(const struct vm_space *s, struct vm_range *r)
{
	r->gap = r->start - prev_top(s, r);
	avl_propagate(&r->node, augment);
}

void vm_space_init(struct vm_space *s, unsigned long start, unsigned long end)
{
	s->start = start;
	s->end = end;
	s->tree.node = NULL;
	s->nr_ranges = 0;
	s->sentinel = (struct vm_range){ .start = end, .end = end };
	s->sentinel.gap = end - start;
	avl_insert(&s->tree, &s->sentinel.node, range_less, augment);
}

static void link_range(struct vm_space *s, struct vm_range *r)
{
	struct avl_node *next;

	r->gap = r->max_gap = 0;	/* set below, once linked */
	avl_insert(&s->tree, &r->node, range_less, augment);
	set_gap(s, r);
	next = avl_next(&r->node);
	set_gap(s, to_range(next));	/* the sentinel at least follows */
	s->nr_ranges++;
}

/*
 * The lowest range whose gap holds @need bytes: prefer the left subtree,
 * then the node itself, then the right subtree.
 */
static struct vm_range *lowest_gap(const struct vm_space *s,
				   unsigned long need)
{
	struct avl_node *n = s->tree.node;

	if (!n || to_range(n)->max_gap < need)
		return NULL;
	for (;;) {
		if (n->left && to_range(n->left)->max_gap >= need)
			n = n->left;
		else if (to_range(n)->gap >= need)
			return to_range(n);
		else
			n = n->right;
	}
}

int vm_space_alloc(struct vm_space *s, struct vm_range *r,
		   unsigned long size, unsigned long align)
{
	/* Page-aligned gaps waste at most align - PAGE_SIZE to alignment. */
	unsigned long need = size + r->guard + align - PAGE_SIZE;
	struct vm_range *above;

	if (!size || need < size)
		return -ENOMEM;
	above = lowest_gap(s, need);
	if (!above)
		return -ENOMEM;
	r->start = ALIGN(above->start - above->gap, align);
	r->end = r->start + size;
	/*
	 * @r becomes @above's predecessor, so it lands in @above's left
	 * subtree: the insert's walk to the root passes @above and
	 * recomputes every max_gap the two new gaps change.
	 */
	r->gap = r->start - (above->start - above->gap);
	above->gap = above->start - range_top(r);
	avl_insert(&s->tree, &r->node, range_less, augment);
	s->nr_ranges++;
	return 0;
}

struct vm_range *vm_space_first_overlap(const struct vm_space *s,
					unsigned long start, unsigned long end)
{
	struct avl_node *n = s->tree.node;
	struct vm_range *best = NULL;

	/* The lowest range whose top lies above @start... */
	while (n) {
		struct vm_range *r = to_range(n);

		if (range_top(r) > start) {
			best = r;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	/* ...overlaps if it begins below @end. */
	if (!best || best == &s->sentinel || best->start >= end)
		return NULL;
	return best;
}

int vm_space_insert(struct vm_space *s, struct vm_range *r)
{
	if (!IS_ALIGNED(r->start | r->end | r->guard, PAGE_SIZE) ||
	    r->start < s->start || r->start >= r->end ||
	    range_top(r) > s->end || range_top(r) < r->end)
		return -EINVAL;
	if (vm_space_first_overlap(s, r->start, range_top(r)))
		return -EEXIST;
	link_range(s, r);
	return 0;
}

void vm_space_remove(struct vm_space *s, struct vm_range *r)
{
	struct vm_range *next = to_range(avl_next(&r->node));

	/*
	 * @next's gap takes in @r and the gap below it. The erase's walk to
	 * the root recomputes @next's max_gap and all above it: @next is an
	 * ancestor of @r, or takes @r's place, or else is @r's only child,
	 * a leaf, whose own max_gap is all that needs setting first.
	 */
	next->gap += range_top(r) - r->start + r->gap;
	augment(&next->node);
	avl_erase(&s->tree, &r->node, augment);
	s->nr_ranges--;
}

struct vm_range *vm_space_find(const struct vm_space *s, unsigned long addr)
{
	struct vm_range *r = vm_space_first_overlap(s, addr, addr + 1);

	return r && r->start <= addr ? r : NULL;
}

struct vm_range *vm_space_first(const struct vm_space *s)
{
	struct vm_range *r = to_range(avl_first(&s->tree));

	return r == &s->sentinel ? NULL : r;
}

struct vm_range *vm_space_next(const struct vm_space *s,
			       const struct vm_range *r)
{
	struct vm_range *next = to_range(avl_next(&r->node));

	return next == &s->sentinel ? NULL : next;
}
