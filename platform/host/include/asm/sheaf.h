/* SPDX-License-Identifier: MIT */
/*
 * Host build: a hart's array of free objects (core/mm/slab.c). A thread
 * standing in for a hart is never interrupted by kernel code, so the
 * riscv build's restartable sequences are plain loads and stores here.
 */
#ifndef ASM_SHEAF_H
#define ASM_SHEAF_H

#include <rvmem/types.h>

enum sheaf_push_result {
	SHEAF_PUSHED,
	SHEAF_FULL,
	SHEAF_REPEAT,
};

static inline void *sheaf_pop(void ***top)
{
	void *obj = (*top)[-1];

	if (obj)
		--*top;
	return obj;
}

static inline enum sheaf_push_result
sheaf_push(void ***top, void **const *end, unsigned long *count, void *x)
{
	void **t = *top;

	if (t[-1] == x)
		return SHEAF_REPEAT;
	if (t == *end)
		return SHEAF_FULL;
	*t = x;
	*top = t + 1;
	++*count;
	return SHEAF_PUSHED;
}

#endif /* ASM_SHEAF_H */
