/* SPDX-License-Identifier: MIT */
/* The running hart's struct hart lives in tp; entry code sets it. */
#ifndef ASM_CURRENT_H
#define ASM_CURRENT_H

struct hart;

/* A global register variable: loads through it are tp-relative. */
register struct hart *__this_hart __asm__("tp");

static inline struct hart *this_hart(void)
{
	return __this_hart;
}

#endif /* ASM_CURRENT_H */
