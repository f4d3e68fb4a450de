/* SPDX-License-Identifier: MIT */
/* Host build: a hart is a thread, and its struct hart a thread-local. */
#ifndef ASM_CURRENT_H
#define ASM_CURRENT_H

struct hart;
extern __thread struct hart *host_this_hart;

static inline struct hart *this_hart(void)
{
	return host_this_hart;
}

#endif /* ASM_CURRENT_H */
