// SPDX-License-Identifier: MIT
/*
 * AVL trees with augmentation.
 *
 * Invariant: for every node, the heights of its subtrees differ by at most
 * one, and node->height = 1 + the larger. Insert and erase change the tree
 * along one path from a node to the root; rebalance() walks that path
 * bottom-up, rotating where the invariant broke and recomputing heights
 * and augmented values, children before parents, so every value it
 * computes reads final children.
 */
#include <rvmem/avl.h>

static int height(const struct avl_node *n)
{
	return n ? n->height : 0;
}

static void update(struct avl_node *n, avl_augment_fn aug)
{
	n->height = 1 + max(height(n->left), height(n->right));
	if (aug)
		aug(n);
}

/* Point @parent's link (or the root) that led to @old at @new. */
static void replace_child(struct avl_root *root, struct avl_node *parent,
			  struct avl_node *old, struct avl_node *new)
{
	if (!parent)
		root->node = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
	if (new)
		new->parent = parent;
}

/* Rotate @n's right child up; return the subtree's new root. */
static struct avl_node *rotate_left(struct avl_root *root, struct avl_node *n,
				    avl_augment_fn aug)
{
	struct avl_node *r = n->right;

	replace_child(root, n->parent, n, r);
	n->right = r->left;
	if (r->left)
		r->left->parent = n;
	r->left = n;
	n->parent = r;
	update(n, aug);
	update(r, aug);
	return r;
}

static struct avl_node *rotate_right(struct avl_root *root,
				     struct avl_node *n, avl_augment_fn aug)
{
	struct avl_node *l = n->left;

	replace_child(root, n->parent, n, l);
	n->left = l->right;
	if (l->right)
		l->right->parent = n;
	l->right = n;
	n->parent = l;
	update(n, aug);
	update(l, aug);
	return l;
}

static struct avl_node *balance(struct avl_root *root, struct avl_node *n,
				avl_augment_fn aug)
{
	int diff = height(n->left) - height(n->right);

	if (diff > 1) {
		if (height(n->left->left) < height(n->left->right))
			rotate_left(root, n->left, aug);
		return rotate_right(root, n, aug);
	}
	if (diff < -1) {
		if (height(n->right->right) < height(n->right->left))
			rotate_right(root, n->right, aug);
		return rotate_left(root, n, aug);
	}
	update(n, aug);
	return n;
}

/*
 * Restore the invariant and the augmented values from @n to the root.
 * Without augmentation, stop at the first subtree whose height came out
 * as before: nothing above it changes.
 */
static void rebalance(struct avl_root *root, struct avl_node *n,
		      avl_augment_fn aug)
{
	while (n) {
		int old = n->height;

		n = balance(root, n, aug);
		if (!aug && n->height == old)
			return;
		n = n->parent;
	}
}

void avl_insert(struct avl_root *root, struct avl_node *node,
		bool (*less)(const struct avl_node *a, const struct avl_node *b),
		avl_augment_fn aug)
{
	struct avl_node *parent = NULL, **link = &root->node;

	while (*link) {
		parent = *link;
		link = less(node, parent) ? &parent->left : &parent->right;
	}
	node->left = node->right = NULL;
	node->parent = parent;
	node->height = 1;
	*link = node;
	if (aug)
		aug(node);
	rebalance(root, parent, aug);
}

void avl_erase(struct avl_root *root, struct avl_node *node,
	       avl_augment_fn aug)
{
	struct avl_node *from, *succ;

	if (!node->left || !node->right) {
		struct avl_node *child = node->left ? node->left : node->right;

		from = node->parent;
		replace_child(root, node->parent, node, child);
		rebalance(root, from, aug);
		return;
	}
	/* Two children: the successor (leftmost of the right subtree)
	 * takes the node's place. */
	succ = node->right;
	while (succ->left)
		succ = succ->left;
	if (succ == node->right) {
		from = succ;
	} else {
		from = succ->parent;
		replace_child(root, succ->parent, succ, succ->right);
		succ->right = node->right;
		node->right->parent = succ;
	}
	succ->left = node->left;
	node->left->parent = succ;
	succ->height = node->height;	/* the height its parent knows */
	replace_child(root, node->parent, node, succ);
	rebalance(root, from, aug);
}

void avl_propagate(struct avl_node *node, avl_augment_fn aug)
{
	for (; node; node = node->parent)
		aug(node);
}

struct avl_node *avl_first(const struct avl_root *root)
{
	struct avl_node *n = root->node;

	while (n && n->left)
		n = n->left;
	return n;
}

struct avl_node *avl_next(const struct avl_node *n)
{
	if (n->right) {
		n = n->right;
		while (n->left)
			n = n->left;
		return (struct avl_node *)n;
	}
	while (n->parent && n->parent->right == n)
		n = n->parent;
	return n->parent;
}

struct avl_node *avl_prev(const struct avl_node *n)
{
	if (n->left) {
		n = n->left;
		while (n->right)
			n = n->right;
		return (struct avl_node *)n;
	}
	while (n->parent && n->parent->left == n)
		n = n->parent;
	return n->parent;
}
