/* SPDX-License-Identifier: MIT */
/*
 * vm_space: hands out ranges of virtual addresses from a window.
 *
 * Busy ranges sit in an AVL tree by address. Each node also stores the
 * free gap just below it (its start minus the previous range's end) and
 * the largest gap in its subtree, so the lowest fitting gap is found in
 * O(log n) however many ranges are live; a sentinel range at the window's
 * end owns the last gap. A range may reserve unmapped guard bytes after
 * its end; they count as busy.
 *
 * Locking: none here; vmalloc and the anon regions each hold their own
 * lock around every call.
 */
#ifndef RVMEM_VM_SPACE_H
#define RVMEM_VM_SPACE_H

#include <rvmem/avl.h>
#include <rvmem/types.h>

/**
 * struct vm_range - a busy range, embedded in its owner's object
 * @start: first byte
 * @end: one past the last usable byte
 * @guard: bytes after @end that stay unmapped (part of the range)
 * @gap: free bytes between the previous range's guard and @start
 * @max_gap: largest @gap in this node's subtree
 * @node: tree linkage
 */
struct vm_range {
	unsigned long start;
	unsigned long end;
	unsigned long guard;
	unsigned long gap;
	unsigned long max_gap;
	struct avl_node node;
};

/**
 * struct vm_space - a window [@start, @end) of addresses
 * @start: its first address
 * @end: one past its last
 * @tree: busy ranges by address, @sentinel last
 * @sentinel: empty range at @end that owns the final gap
 * @nr_ranges: busy ranges, the sentinel not counted
 */
struct vm_space {
	unsigned long start;
	unsigned long end;
	struct avl_root tree;
	struct vm_range sentinel;
	unsigned long nr_ranges;
};

/** vm_space_init() - an empty window [@start, @end), both page-aligned */
void vm_space_init(struct vm_space *s, unsigned long start, unsigned long end);

/**
 * vm_space_alloc() - place @r in the lowest gap of at least @size +
 * guard + @align - PAGE_SIZE bytes (which always fits after aligning; a
 * smaller gap that happens to be aligned is passed over)
 * @s: the window
 * @r: the range to place; @r->guard must be set, a page multiple
 * @size: usable bytes (page multiple)
 * @align: power of two, at least PAGE_SIZE
 *
 * Return: 0 with @r->start/@r->end set, or -ENOMEM if no gap fits.
 */
int vm_space_alloc(struct vm_space *s, struct vm_range *r,
		   unsigned long size, unsigned long align);

/**
 * vm_space_insert() - place @r at its own @r->start .. @r->end + guard
 * @s: the window
 * @r: the range, start, end and guard set
 *
 * Return: 0, -EINVAL outside the window or not page-aligned, -EEXIST if
 * it overlaps.
 */
int vm_space_insert(struct vm_space *s, struct vm_range *r);

/** vm_space_remove() - take @r out; its bytes join the gap above */
void vm_space_remove(struct vm_space *s, struct vm_range *r);

/**
 * vm_space_find() - the range whose [start, end + guard) holds @addr
 * @s: the window
 * @addr: any address
 *
 * Return: the range, or NULL (the sentinel is never returned).
 */
struct vm_range *vm_space_find(const struct vm_space *s, unsigned long addr);

/**
 * vm_space_first_overlap() - lowest range overlapping [@start, @end)
 * @s: the window
 * @start: first address
 * @end: one past the last
 *
 * Return: the range, or NULL.
 */
struct vm_range *vm_space_first_overlap(const struct vm_space *s,
					unsigned long start, unsigned long end);

/** vm_space_next() - the next range by address, or NULL */
struct vm_range *vm_space_next(const struct vm_space *s,
			       const struct vm_range *r);

/** vm_space_first() - the lowest range, or NULL */
struct vm_range *vm_space_first(const struct vm_space *s);

#endif /* RVMEM_VM_SPACE_H */
