/* SPDX-License-Identifier: MIT */
/* Host build: the timebase is the monotonic clock in nanoseconds. */
#ifndef ASM_TIMER_H
#define ASM_TIMER_H

#include <time.h>
#include <rvmem/types.h>

static inline u64 timer_read(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline u64 timer_ticks_per_us(void)
{
	return 1000;
}

#endif /* ASM_TIMER_H */
