// SPDX-License-Identifier: MIT
/*
 * Host tests of the intrusive AVL tree (core/lib/avl.c): the balance
 * invariant, parent links, in-order walks and an augmented value after
 * inserts and erases in sequential, reverse and random orders.
 *
 * The test object carries a key, a value and two augmented fields: the
 * sum of the values in its subtree and the number of nodes in it. A
 * checker recomputes all of it from scratch and compares.
 */
#include <stdlib.h>
#include <rvmem/avl.h>
#include <rvmem/ktest.h>

#include "mm_fixture.h"

struct item {
	long key;
	long val;
	long sum;		/* augmented: sum of val in the subtree */
	long size;		/* augmented: nodes in the subtree */
	bool linked;
	struct avl_node node;
};

#define to_item(n)	avl_entry(n, struct item, node)

static bool item_less(const struct avl_node *a, const struct avl_node *b)
{
	return to_item(a)->key < to_item(b)->key;
}

static void item_aug(struct avl_node *n)
{
	struct item *it = to_item(n);

	it->sum = it->val;
	it->size = 1;
	if (n->left) {
		it->sum += to_item(n->left)->sum;
		it->size += to_item(n->left)->size;
	}
	if (n->right) {
		it->sum += to_item(n->right)->sum;
		it->size += to_item(n->right)->size;
	}
}

/* What the checker found wrong, first problem only. */
struct check {
	const char *what;
	long key;
	long nodes;
	long sum;
};

static int check_subtree(struct avl_node *n, struct avl_node *parent,
			 struct check *c, bool aug)
{
	int hl, hr;
	long sum_before = c->sum, nodes_before = c->nodes;

	if (!n)
		return 0;
	if (n->parent != parent && !c->what) {
		c->what = "parent pointer";
		c->key = to_item(n)->key;
	}
	hl = check_subtree(n->left, n, c, aug);
	c->nodes++;
	c->sum += to_item(n)->val;
	hr = check_subtree(n->right, n, c, aug);
	if (c->what)
		return 0;
	if (hl - hr > 1 || hr - hl > 1)
		c->what = "balance";
	else if (n->height != 1 + max(hl, hr))
		c->what = "height";
	else if (aug && to_item(n)->sum != c->sum - sum_before)
		c->what = "augmented sum";
	else if (aug && to_item(n)->size != c->nodes - nodes_before)
		c->what = "augmented size";
	if (c->what)
		c->key = to_item(n)->key;
	return n->height;
}

static struct avl_node *avl_last(const struct avl_root *root)
{
	struct avl_node *n = root->node;

	while (n && n->right)
		n = n->right;
	return n;
}

/*
 * Check every invariant of @root holding @expect_nodes items; report the
 * first problem as a test failure. Return: true if all held.
 */
static bool tree_ok(struct ktest *t, struct avl_root *root, long expect_nodes,
		    bool aug)
{
	struct check c = { 0 };
	struct avl_node *n, *prev = NULL;
	long fwd = 0, back = 0;

	if (root->node && root->node->parent)
		c.what = "root has a parent";
	check_subtree(root->node, NULL, &c, aug);
	if (c.what) {
		ktest_fail(t, __FILE__, __LINE__, "%s wrong at key %ld",
			   c.what, c.key);
		return false;
	}
	if (c.nodes != expect_nodes) {
		ktest_fail(t, __FILE__, __LINE__, "%ld nodes, expected %ld",
			   c.nodes, expect_nodes);
		return false;
	}
	for (n = avl_first(root); n; prev = n, n = avl_next(n), fwd++) {
		if (prev && to_item(n)->key < to_item(prev)->key) {
			ktest_fail(t, __FILE__, __LINE__,
				   "avl_next out of order at %ld",
				   to_item(n)->key);
			return false;
		}
		if (fwd > expect_nodes)
			break;
	}
	for (n = avl_last(root), prev = NULL; n;
	     prev = n, n = avl_prev(n), back++) {
		if (prev && to_item(n)->key > to_item(prev)->key) {
			ktest_fail(t, __FILE__, __LINE__,
				   "avl_prev out of order at %ld",
				   to_item(n)->key);
			return false;
		}
		if (back > expect_nodes)
			break;
	}
	if (fwd != expect_nodes || back != expect_nodes) {
		ktest_fail(t, __FILE__, __LINE__,
			   "walks saw %ld forward, %ld back, expected %ld",
			   fwd, back, expect_nodes);
		return false;
	}
	return true;
}

static struct item *items_new(long n)
{
	struct item *it = calloc(n, sizeof(*it));
	long i;

	for (i = 0; it && i < n; i++) {
		it[i].key = i;
		it[i].val = (i * 7919) % 1000 - 500;
	}
	return it;
}

static void put(struct avl_root *root, struct item *it, bool aug)
{
	avl_insert(root, &it->node, item_less, aug ? item_aug : NULL);
	it->linked = true;
}

static void take(struct avl_root *root, struct item *it, bool aug)
{
	avl_erase(root, &it->node, aug ? item_aug : NULL);
	it->linked = false;
}

/* (empty): expect avl_first() NULL and the checker to pass on 0 nodes. */
static void avl_first_empty(struct ktest *t)
{
	struct avl_root root = { NULL };

	KTEST_EXPECT_TRUE(t, avl_first(&root) == NULL);
	KTEST_EXPECT_TRUE(t, tree_ok(t, &root, 0, true));
}

/*
 *   [5]   insert one, then erase it
 * Expect a leaf of height 1, no neighbours, sum == val, then empty.
 */
static void avl_insert_single(struct ktest *t)
{
	struct avl_root root = { NULL };
	struct item it = { .key = 5, .val = 42 };

	put(&root, &it, true);
	KTEST_EXPECT_TRUE(t, root.node == &it.node);
	KTEST_EXPECT_EQ(t, it.node.height, 1);
	KTEST_EXPECT_TRUE(t, avl_first(&root) == &it.node);
	KTEST_EXPECT_TRUE(t, avl_next(&it.node) == NULL);
	KTEST_EXPECT_TRUE(t, avl_prev(&it.node) == NULL);
	KTEST_EXPECT_EQ(t, it.sum, 42);
	KTEST_EXPECT_TRUE(t, tree_ok(t, &root, 1, true));
	take(&root, &it, true);
	KTEST_EXPECT_TRUE(t, root.node == NULL);
	KTEST_EXPECT_TRUE(t, avl_first(&root) == NULL);
}

/*
 * keys 0, 1, 2, ... 4095 inserted in order (every insert on the right
 * spine rotates), then erased in order.
 * Expect every invariant after each op and height <= 1.44 log2(n) + 2.
 */
static void avl_insert_sequential(struct ktest *t)
{
	const long n = 4096;
	struct avl_root root = { NULL };
	struct item *it = items_new(n);
	long i;

	KTEST_ASSERT_TRUE(t, it != NULL);
	for (i = 0; i < n; i++) {
		put(&root, &it[i], true);
		if (!tree_ok(t, &root, i + 1, true))
			goto out;
	}
	/* A perfectly fed AVL tree of 4096 keys has height 13. */
	KTEST_EXPECT_EQ(t, root.node->height, 13);
	for (i = 0; i < n; i++) {
		take(&root, &it[i], true);
		if (!tree_ok(t, &root, n - i - 1, true))
			goto out;
	}
	KTEST_EXPECT_TRUE(t, root.node == NULL);
out:
	free(it);
}

/* keys 4095 .. 0 inserted (left spine), erased 4095 .. 0.
 * Expect every invariant after each op. */
static void avl_insert_reverse(struct ktest *t)
{
	const long n = 4096;
	struct avl_root root = { NULL };
	struct item *it = items_new(n);
	long i;

	KTEST_ASSERT_TRUE(t, it != NULL);
	for (i = n - 1; i >= 0; i--) {
		put(&root, &it[i], true);
		if (!tree_ok(t, &root, n - i, true))
			goto out;
	}
	KTEST_EXPECT_EQ(t, root.node->height, 13);
	for (i = n - 1; i >= 0; i--) {
		take(&root, &it[i], true);
		if (!tree_ok(t, &root, i, true))
			goto out;
	}
	KTEST_EXPECT_TRUE(t, root.node == NULL);
out:
	free(it);
}

/* Unaugmented (aug NULL): the same orders must keep the shape right.
 * Expect every invariant except the augmented fields, which stay 0. */
static void avl_insert_no_augment(struct ktest *t)
{
	const long n = 1000;
	struct avl_root root = { NULL };
	struct item *it = items_new(n);
	long i;

	KTEST_ASSERT_TRUE(t, it != NULL);
	for (i = 0; i < n; i++)
		put(&root, &it[(i * 389) % n], false);	/* coprime to n */
	KTEST_EXPECT_TRUE(t, tree_ok(t, &root, n, false));
	for (i = 0; i < n; i += 2)
		take(&root, &it[(i * 389) % n], false);
	KTEST_EXPECT_TRUE(t, tree_ok(t, &root, n / 2, false));
	KTEST_EXPECT_EQ(t, it[0].sum, 0);
	free(it);
}

/*
 *        2                 3
 *       / \     erase 2   /
 *      1   3    ------>  1
 * The successor 3 is the erased node's right child.
 * Expect 3 at the root with 1 on its left, parents and sums right.
 */
static void avl_erase_successor_is_right_child(struct ktest *t)
{
	struct avl_root root = { NULL };
	struct item *it = items_new(4);

	KTEST_ASSERT_TRUE(t, it != NULL);
	put(&root, &it[2], true);
	put(&root, &it[1], true);
	put(&root, &it[3], true);
	KTEST_ASSERT_TRUE(t, root.node == &it[2].node);
	take(&root, &it[2], true);
	KTEST_EXPECT_TRUE(t, root.node == &it[3].node);
	KTEST_EXPECT_TRUE(t, it[3].node.left == &it[1].node);
	KTEST_EXPECT_TRUE(t, it[3].node.right == NULL);
	KTEST_EXPECT_TRUE(t, it[1].node.parent == &it[3].node);
	KTEST_EXPECT_EQ(t, it[3].sum, it[1].val + it[3].val);
	KTEST_EXPECT_TRUE(t, tree_ok(t, &root, 2, true));
	free(it);
}

/*
 *          4                          5
 *        /   \                      /   \
 *       2     6      erase 4       2     6
 *      / \   / \     ------>      / \     \
 *     1   3 5   7                1   3     7
 * The successor 5 is the leftmost of 4's right subtree, not its child.
 * Expect 5 at the root, 6 keeping 7, every invariant and sum right.
 */
static void avl_erase_successor_deeper(struct ktest *t)
{
	static const int order[] = { 4, 2, 6, 1, 3, 5, 7 };
	struct avl_root root = { NULL };
	struct item *it = items_new(8);
	long sum = 0;
	unsigned int i;

	KTEST_ASSERT_TRUE(t, it != NULL);
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		put(&root, &it[order[i]], true);
		sum += it[order[i]].val;
	}
	KTEST_ASSERT_TRUE(t, root.node == &it[4].node);
	KTEST_ASSERT_TRUE(t, it[6].node.left == &it[5].node);
	take(&root, &it[4], true);
	KTEST_EXPECT_TRUE(t, root.node == &it[5].node);
	KTEST_EXPECT_TRUE(t, it[5].node.parent == NULL);
	KTEST_EXPECT_TRUE(t, it[5].node.left == &it[2].node);
	KTEST_EXPECT_TRUE(t, it[5].node.right == &it[6].node);
	KTEST_EXPECT_TRUE(t, it[6].node.left == NULL);
	KTEST_EXPECT_TRUE(t, it[6].node.right == &it[7].node);
	KTEST_EXPECT_EQ(t, it[5].sum, sum - it[4].val);
	KTEST_EXPECT_EQ(t, it[5].size, 6);
	KTEST_EXPECT_TRUE(t, tree_ok(t, &root, 6, true));
	free(it);
}

/*
 *        2                      3
 *       / \    erase 2         / \
 *      1   4   ------>        1   4
 *     /   / \                /     \
 *    0   3   5              0       5
 * The successor's removal leaves 4 balanced but the path must still
 * reach the root with new heights and sums; then erase 1 (one child).
 * Expect every invariant after each erase.
 */
static void avl_erase_inner_nodes(struct ktest *t)
{
	static const int order[] = { 2, 1, 4, 0, 3, 5 };
	struct avl_root root = { NULL };
	struct item *it = items_new(6);
	unsigned int i;

	KTEST_ASSERT_TRUE(t, it != NULL);
	for (i = 0; i < ARRAY_SIZE(order); i++)
		put(&root, &it[order[i]], true);
	KTEST_ASSERT_TRUE(t, tree_ok(t, &root, 6, true));
	take(&root, &it[2], true);
	KTEST_EXPECT_TRUE(t, root.node == &it[3].node);
	KTEST_EXPECT_TRUE(t, tree_ok(t, &root, 5, true));
	take(&root, &it[1], true);
	KTEST_EXPECT_TRUE(t, it[0].node.parent == &it[3].node);
	KTEST_EXPECT_TRUE(t, tree_ok(t, &root, 4, true));
	free(it);
}

/*
 * 32 keys; change one leaf's and one inner node's value in place, then
 * avl_propagate() from each.
 * Expect every subtree sum right again, the root's sum the new total.
 */
static void avl_propagate_in_place_change(struct ktest *t)
{
	struct avl_root root = { NULL };
	struct item *it = items_new(32);
	struct item *top;
	long total = 0, i;

	KTEST_ASSERT_TRUE(t, it != NULL);
	for (i = 0; i < 32; i++) {
		put(&root, &it[i], true);
		total += it[i].val;
	}
	top = to_item(root.node);
	KTEST_EXPECT_EQ(t, top->sum, total);
	it[0].val += 1000;		/* a leaf: the smallest key */
	avl_propagate(&it[0].node, item_aug);
	top->val -= 7;			/* the root itself */
	avl_propagate(&top->node, item_aug);
	KTEST_EXPECT_EQ(t, top->sum, total + 1000 - 7);
	KTEST_EXPECT_TRUE(t, tree_ok(t, &root, 32, true));
	free(it);
}

/*
 * 100,000 seeded random ops on 4096 items whose keys repeat (0..999):
 * each op inserts an unlinked item or erases a linked one.
 * Expect every invariant, in-order walks (equal keys adjacent) and, where
 * @aug, the augmented sum and size checked after each of the first 2,000
 * ops, then every 61st, and at the end.
 */
static void insert_erase_random(struct ktest *t, bool aug)
{
	const long n = 4096, ops = 100000;
	struct avl_root root = { NULL };
	struct item *it = items_new(n);
	long live = 0, i;
	u64 rng = 0x5eed;

	KTEST_ASSERT_TRUE(t, it != NULL);
	for (i = 0; i < n; i++)
		it[i].key = mm_rand(&rng) % 1000;
	for (i = 0; i < ops; i++) {
		struct item *x = &it[mm_rand(&rng) % n];

		if (x->linked) {
			take(&root, x, aug);
			live--;
		} else {
			x->val = (long)(mm_rand(&rng) % 2001) - 1000;
			put(&root, x, aug);
			live++;
		}
		if ((i < 2000 || i % 61 == 0) &&
		    !tree_ok(t, &root, live, aug))
			goto out;
	}
	KTEST_EXPECT_TRUE(t, tree_ok(t, &root, live, aug));
	/* Drain in random order through the erase paths. */
	for (i = 0; live; i++) {
		struct item *x = &it[mm_rand(&rng) % n];

		if (!x->linked)
			continue;
		take(&root, x, aug);
		live--;
		if (live % 97 == 0 && !tree_ok(t, &root, live, aug))
			goto out;
	}
	KTEST_EXPECT_TRUE(t, root.node == NULL);
out:
	free(it);
}

/* The random run with augmentation. */
static void avl_insert_erase_random(struct ktest *t)
{
	insert_erase_random(t, true);
}

/*
 * The random run without: rebalancing stops where a subtree's height
 * came out unchanged. Expect every invariant all the same.
 */
static void avl_insert_erase_random_no_augment(struct ktest *t)
{
	insert_erase_random(t, false);
}

static const struct ktest_case avl_cases[] = {
	KTEST_CASE(avl_first_empty),
	KTEST_CASE(avl_insert_single),
	KTEST_CASE(avl_insert_sequential),
	KTEST_CASE(avl_insert_reverse),
	KTEST_CASE(avl_insert_no_augment),
	KTEST_CASE(avl_erase_successor_is_right_child),
	KTEST_CASE(avl_erase_successor_deeper),
	KTEST_CASE(avl_erase_inner_nodes),
	KTEST_CASE(avl_propagate_in_place_change),
	KTEST_CASE(avl_insert_erase_random),
	KTEST_CASE(avl_insert_erase_random_no_augment),
	{}
};

KTEST_SUITE(avl_suite) = {
	.name = "avl",
	.cases = avl_cases,
};
