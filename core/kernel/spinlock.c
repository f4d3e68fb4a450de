// SPDX-License-Identifier: MIT
/*
 * The contended half of spin_lock(): spin reading (no AMO traffic) with
 * cpu_relax(), and after a while sleep briefly in cpu_wait_event() so a
 * lock holder sharing our host thread (QEMU -icount) gets to run.
 */
#include <rvmem/spinlock.h>

#define SPIN_BEFORE_WAIT	1024

void spin_lock_contended(spinlock_t *lock)
{
	unsigned int spins = 0;

	do {
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED)) {
			if (++spins < SPIN_BEFORE_WAIT) {
				cpu_relax();
			} else {
				cpu_wait_event();
				spins = 0;
			}
		}
	} while (!spin_trylock(lock));
}
