/* SPDX-License-Identifier: MIT */
/*
 * Restartable sequences on a hart's own data: how the allocators' fast
 * paths (the slab's sheaves, core/mm/slab.c; the page allocator's
 * per-hart lists, core/mm/page_alloc.c) change it without masking
 * interrupts.
 *
 * Each operation, as Linux's rseq and tcmalloc's per-CPU caches do,
 * reads, decides, and commits with one store. Every sequence is listed in
 * __restart_table as (first instruction, committing store). An interrupt
 * that arrives before the store has run sends the hart back to the first
 * instruction (restart_interrupted_sequence(), called on trap entry), so
 * whatever the handler did to the same data (a pop, a push, a flush of
 * everything) is seen afresh, and nothing is read stale or written twice.
 * Before its commit a sequence writes only registers, or memory no one
 * else reads: the free slot above a sheaf's top, the link of a block
 * that is not on its list yet.
 *
 * The data must be the calling hart's own (no other hart writes it, an
 * interrupt handler on this hart may), and no sequence may fault: they
 * touch only per-hart structures and blocks in the direct map.
 */
#ifndef ASM_RSEQ_H
#define ASM_RSEQ_H

#include <rvmem/types.h>

/* One (start, commit) pair in __restart_table. */
#define RESTART_SEQUENCE(start, commit)				\
	"	.pushsection __restart_table, \"a\"\n"		\
	"	.balign 8\n"					\
	"	.dword " start ", " commit "\n"			\
	"	.popsection\n"

/**
 * rseq_add() - add to a hart's own counter
 * @counter: the counter
 * @delta: what to add
 *
 * Return: the new value. Context: the counter's hart, any context.
 */
static __always_inline long rseq_add(long *counter, long delta)
{
	long v;

	__asm__ __volatile__("1:	ld	%[v], %[c]\n"
			     "	add	%[v], %[v], %[d]\n"
			     "2:	sd	%[v], %[c]\n"
			     RESTART_SEQUENCE("1b", "2b")
			     : [v] "=&r"(v), [c] "+m"(*counter)
			     : [d] "rI"(delta));
	return v;
}

/**
 * rseq_list_pop() - take the first node off a hart's own singly linked list
 * @head: the list
 * @next: the offset of a node's link to the next one (a constant)
 *
 * Return: the node, or NULL if the list is empty. Context: as rseq_add().
 */
static __always_inline void *rseq_list_pop(void **head, long next)
{
	void *node, *after;

	__asm__ goto("1:	ld	%[n], %[h]\n"
		     "	beqz	%[n], %l[empty]\n"
		     "	ld	%[a], %[off](%[n])\n"
		     "2:	sd	%[a], %[h]\n"
		     RESTART_SEQUENCE("1b", "2b")
		     : [n] "=&r"(node), [a] "=&r"(after), [h] "+m"(*head)
		     : [off] "I"(next)
		     : "memory"
		     : empty);
	if (!node)
		__builtin_unreachable();	/* the asm branched for NULL */
	return node;
empty:
	return NULL;
}

/**
 * rseq_list_push() - put @node first on a hart's own singly linked list
 * @head: the list
 * @node: the node, not on any list
 * @next: the offset of a node's link to the next one (a constant)
 *
 * Context: as rseq_add().
 */
static __always_inline void rseq_list_push(void **head, void *node,
					   long next)
{
	void *first;

	__asm__ __volatile__("1:	ld	%[f], %[h]\n"
			     "	sd	%[f], %[off](%[n])\n"
			     "2:	sd	%[n], %[h]\n"
			     RESTART_SEQUENCE("1b", "2b")
			     : [f] "=&r"(first), [h] "+m"(*head)
			     : [n] "r"(node), [off] "I"(next)
			     : "memory");
}

/* What sheaf_push() did. */
enum sheaf_push_result {
	SHEAF_PUSHED,
	SHEAF_FULL,		/* top == end: nothing pushed */
	SHEAF_REPEAT,		/* @x is on top already: a double free */
};

/**
 * sheaf_pop() - take the object on top of a hart's array of objects
 * @top: the hart's top pointer; top[-1] is the last object, or NULL
 *	(the slot below the array's first is always NULL)
 *
 * Return: the object, or NULL if the array is empty. Context: as
 * rseq_add().
 */
static __always_inline void *sheaf_pop(void ***top)
{
	void **t;
	void *obj;

	__asm__ goto("1:	ld	%[t], %[top]\n"
		     "	ld	%[obj], -8(%[t])\n"
		     "	beqz	%[obj], %l[empty]\n"
		     "	addi	%[t], %[t], -8\n"
		     "2:	sd	%[t], %[top]\n"
		     RESTART_SEQUENCE("1b", "2b")
		     : [t] "=&r"(t), [obj] "=&r"(obj), [top] "+m"(*top)
		     :
		     : "memory"
		     : empty);
	if (!obj)
		__builtin_unreachable();	/* the asm branched for NULL */
	return obj;
empty:
	return NULL;
}

/**
 * sheaf_push() - put @x on top of a hart's array of objects
 * @top: the hart's top pointer
 * @end: the array's end (top == end: full)
 * @x: the object
 *
 * Return: enum sheaf_push_result. Context: as rseq_add().
 */
static __always_inline enum sheaf_push_result
sheaf_push(void ***top, void **const *end, void *x)
{
	unsigned long tmp;
	void **t;

	__asm__ goto("1:	ld	%[t], %[top]\n"
		     "	ld	%[tmp], -8(%[t])\n"
		     "	beq	%[tmp], %[x], %l[repeat]\n"
		     "	ld	%[tmp], %[end]\n"
		     "	beq	%[t], %[tmp], %l[full]\n"
		     "	sd	%[x], 0(%[t])\n"
		     "	addi	%[t], %[t], 8\n"
		     "2:	sd	%[t], %[top]\n"
		     RESTART_SEQUENCE("1b", "2b")
		     : [t] "=&r"(t), [tmp] "=&r"(tmp), [top] "+m"(*top)
		     : [x] "r"(x), [end] "m"(*end)
		     : "memory"
		     : full, repeat);
	return SHEAF_PUSHED;
full:
	return SHEAF_FULL;
repeat:
	return SHEAF_REPEAT;
}

#endif /* ASM_RSEQ_H */
