/* SPDX-License-Identifier: MIT */
/*
 * Host build: the allocators' per-hart operations (see the riscv
 * asm/rseq.h). A thread standing in for a hart is never interrupted by
 * kernel code, so the restartable sequences are plain loads and stores.
 */
#ifndef ASM_RSEQ_H
#define ASM_RSEQ_H

#include <rvmem/types.h>

static inline long rseq_add(long *counter, long delta)
{
	return *counter += delta;
}

static inline void *rseq_list_pop(void **head, long next)
{
	void *node = *head;

	if (node)
		*head = *(void **)((char *)node + next);
	return node;
}

static inline void rseq_list_push(void **head, void *node, long next)
{
	*(void **)((char *)node + next) = *head;
	*head = node;
}

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
sheaf_push(void ***top, void **const *end, void *x)
{
	void **t = *top;

	if (t[-1] == x)
		return SHEAF_REPEAT;
	if (t == *end)
		return SHEAF_FULL;
	*t = x;
	*top = t + 1;
	return SHEAF_PUSHED;
}

#endif /* ASM_RSEQ_H */
