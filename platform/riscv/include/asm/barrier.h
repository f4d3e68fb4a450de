/* SPDX-License-Identifier: MIT */
/*
 * Release stores, as Linux's smp_store_release(): everything before the
 * store is seen by another hart before the store itself.
 */
#ifndef ASM_BARRIER_H
#define ASM_BARRIER_H

#include <rvmem/types.h>

/*
 * A fence and a plain store, the RVWMO mapping of a C11 release store.
 * GCC before 13 makes __atomic_store_n(..., __ATOMIC_RELEASE) an
 * amoswap instead: an atomic read-modify-write where a store does, on
 * every spin_unlock().
 */
#define smp_store_release(p, v)						\
	do {								\
		__asm__ __volatile__("fence rw, w" : : : "memory");	\
		WRITE_ONCE(*(p), (v));					\
	} while (0)

#endif /* ASM_BARRIER_H */
