/* SPDX-License-Identifier: MIT */
/* The running hart's struct hart lives in tp; entry code sets it. */
#ifndef ASM_CURRENT_H
#define ASM_CURRENT_H

struct hart;

static inline struct hart *this_hart(void)
{
	struct hart *h;

	__asm__ ("mv %0, tp" : "=r"(h));
	return h;
}

#endif /* ASM_CURRENT_H */
