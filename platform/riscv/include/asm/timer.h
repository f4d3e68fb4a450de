/* SPDX-License-Identifier: MIT */
/*
 * The supervisor timer: one deadline per hart, in timebase ticks (rdtime).
 *
 * Programmed through the Sstc stimecmp CSR when the hart has it (no trap to
 * firmware), else through SBI TIME. The interrupt cancels the deadline and
 * calls the hart's timer_fn.
 */
#ifndef ASM_TIMER_H
#define ASM_TIMER_H

#include <rvmem/types.h>

#define TIMER_NEVER	(~0ULL)

/** timer_has_sstc - the boot hart found a working stimecmp */
extern bool timer_has_sstc;

/** timer_init() - probe Sstc (boot hart) and enable the timer interrupt */
void timer_init(void);

/** timer_read() - the current time in timebase ticks */
static inline u64 timer_read(void)
{
	u64 t;

	__asm__ __volatile__("rdtime %0" : "=r"(t));
	return t;
}

/**
 * timer_set_deadline() - arm this hart's timer
 * @deadline: absolute time in ticks; TIMER_NEVER cancels
 */
void timer_set_deadline(u64 deadline);

/** timer_interrupt() - the supervisor timer interrupt handler */
void timer_interrupt(void);

/** timer_ticks_per_us() - timebase ticks in a microsecond (at least 1) */
u64 timer_ticks_per_us(void);

#endif /* ASM_TIMER_H */
