/* SPDX-License-Identifier: MIT */
/*
 * The running hart's struct hart lives in tp; the entry code or
 * set_this_hart() sets it.
 */
#ifndef ASM_CURRENT_H
#define ASM_CURRENT_H

struct hart;

/* A global register variable: loads through it are tp-relative. */
register struct hart *__this_hart __asm__("tp");

static inline struct hart *this_hart(void)
{
	return __this_hart;
}

/**
 * set_this_hart() - make @h the calling hart's struct hart
 * @h: its struct; tp is also the base of its thread-local data
 */
static inline void set_this_hart(struct hart *h)
{
	__asm__ __volatile__("mv tp, %0" :: "r"(h) : "memory");
}

#endif /* ASM_CURRENT_H */
