/* SPDX-License-Identifier: MIT */
/*
 * A hart's array of free objects (the slab's sheaf, core/mm/slab.c),
 * popped and pushed without masking interrupts.
 *
 * Each operation is a restartable sequence, as Linux's rseq and
 * tcmalloc's per-CPU caches use: it reads the array's top, decides, and
 * commits with one store of the new top. Every sequence is listed in
 * __restart_table as (first instruction, committing store). An interrupt
 * that arrives before the store has run sends the hart back to the first
 * instruction (restart_interrupted_sequence(), called on trap entry), so
 * whatever the handler did to the array (a pop, a push, a flush of all
 * its objects) is seen afresh, and nothing is read stale or written
 * twice. Only registers are written before the commit, apart from the
 * pushed pointer in the free slot above the top, which no one reads.
 *
 * Exceptions cannot happen inside a sequence: it touches only the
 * hart's struct kmem_cache_cpu and its sheaf, both in the direct map.
 */
#ifndef ASM_SHEAF_H
#define ASM_SHEAF_H

#include <rvmem/types.h>

/* What sheaf_push() did. */
enum sheaf_push_result {
	SHEAF_PUSHED,
	SHEAF_FULL,		/* top == end: nothing pushed */
	SHEAF_REPEAT,		/* @x is on top already: a double free */
};

/* One (start, commit) pair in __restart_table. */
#define RESTART_SEQUENCE(start, commit)				\
	"	.pushsection __restart_table, \"a\"\n"		\
	"	.balign 8\n"					\
	"	.dword " start ", " commit "\n"			\
	"	.popsection\n"

/**
 * sheaf_pop() - take the object on top of a hart's array
 * @top: the hart's top pointer; top[-1] is the last object, or NULL
 *	(the slot below the array's first is always NULL)
 *
 * Return: the object, or NULL if the array is empty. Context: the
 * array's own hart, any context, interrupts on or off.
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
 * sheaf_push() - put @x on top of a hart's array and count it
 * @top: the hart's top pointer
 * @end: the array's end (top == end: full)
 * @count: bumped once per object pushed (a second restartable sequence)
 * @x: the object
 *
 * Return: enum sheaf_push_result. Context: as sheaf_pop().
 */
static __always_inline enum sheaf_push_result
sheaf_push(void ***top, void **const *end, unsigned long *count, void *x)
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
		     "3:	ld	%[tmp], %[count]\n"
		     "	addi	%[tmp], %[tmp], 1\n"
		     "4:	sd	%[tmp], %[count]\n"
		     RESTART_SEQUENCE("3b", "4b")
		     : [t] "=&r"(t), [tmp] "=&r"(tmp), [top] "+m"(*top),
		       [count] "+m"(*count)
		     : [x] "r"(x), [end] "m"(*end)
		     : "memory"
		     : full, repeat);
	return SHEAF_PUSHED;
full:
	return SHEAF_FULL;
repeat:
	return SHEAF_REPEAT;
}

#endif /* ASM_SHEAF_H */
