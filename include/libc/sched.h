/* SPDX-License-Identifier: MIT */
/*
 * picolibc's <sched.h>, plus sched_yield(), which it declares only with
 * _POSIX_THREADS; rvmem has threads (core/libc/pthread.c).
 */
#ifndef RVMEM_LIBC_SCHED_H
#define RVMEM_LIBC_SCHED_H

#include_next <sched.h>

int sched_yield(void);

#endif /* RVMEM_LIBC_SCHED_H */
