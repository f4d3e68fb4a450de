/* SPDX-License-Identifier: MIT */
/*
 * picolibc's <time.h>, plus the POSIX clocks rvmem implements.
 *
 * picolibc declares clock_gettime() and CLOCK_MONOTONIC only for targets
 * that define _POSIX_TIMERS (RTEMS, Cygwin); rvmem provides them, so a
 * program that uses them builds unchanged. This directory comes before
 * picolibc's in the include path of every guest file.
 */
#ifndef RVMEM_LIBC_TIME_H
#define RVMEM_LIBC_TIME_H

#include_next <time.h>

#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC		((clockid_t)4)
#endif
#ifndef CLOCK_MONOTONIC_RAW
#define CLOCK_MONOTONIC_RAW	((clockid_t)5)
#endif
#ifndef CLOCK_BOOTTIME
#define CLOCK_BOOTTIME		((clockid_t)7)
#endif

#if !defined(_POSIX_TIMERS)
int clock_gettime(clockid_t clock_id, struct timespec *tp);
#endif

#endif /* RVMEM_LIBC_TIME_H */
