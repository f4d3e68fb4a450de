/* SPDX-License-Identifier: MIT */
/*
 * Release stores on the host: the C11 atomic, which ThreadSanitizer
 * understands.
 */
#ifndef ASM_BARRIER_H
#define ASM_BARRIER_H

#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)

#endif /* ASM_BARRIER_H */
