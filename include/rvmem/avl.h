/* SPDX-License-Identifier: MIT */
/*
 * AVL trees: intrusive, height-balanced binary search trees with an
 * optional augmented value per node.
 *
 * Embed a struct avl_node in your object; order is defined by the less()
 * callback at insert time. An augmented tree keeps a value derived from a
 * node and its children (say, the largest gap in the subtree); pass its
 * recompute callback to insert and erase, and call avl_propagate() after
 * changing a node's own data in place. Every operation is O(log n).
 *
 * No locking: the owner of the tree serialises access.
 */
#ifndef RVMEM_AVL_H
#define RVMEM_AVL_H

#include <rvmem/types.h>

struct avl_node {
	struct avl_node *left, *right, *parent;
	int height;			/* 1 for a leaf */
};

struct avl_root {
	struct avl_node *node;
};

/* Recompute the augmented value of @node from its own data and children. */
typedef void (*avl_augment_fn)(struct avl_node *node);

/** avl_insert() - add @node; @less orders nodes; @aug may be NULL */
void avl_insert(struct avl_root *root, struct avl_node *node,
		bool (*less)(const struct avl_node *a, const struct avl_node *b),
		avl_augment_fn aug);

/** avl_erase() - remove @node; @aug may be NULL */
void avl_erase(struct avl_root *root, struct avl_node *node,
	       avl_augment_fn aug);

/** avl_propagate() - recompute @aug from @node up to the root */
void avl_propagate(struct avl_node *node, avl_augment_fn aug);

/** avl_first() - the leftmost node, or NULL */
struct avl_node *avl_first(const struct avl_root *root);

/** avl_next() - the in-order successor, or NULL */
struct avl_node *avl_next(const struct avl_node *node);

/** avl_prev() - the in-order predecessor, or NULL */
struct avl_node *avl_prev(const struct avl_node *node);

#define avl_entry(ptr, type, member)	container_of(ptr, type, member)

#endif /* RVMEM_AVL_H */
