// SPDX-License-Identifier: MIT
/*
 * The contended half of spin_lock(): spin reading (no AMO traffic) with
 * cpu_relax(), and after a while sleep briefly in cpu_wait_event() so a
 * lock holder sharing our host thread (QEMU -icount) gets to run. Each
 * hart counts its waits and the time they took, so that contention is
 * measured (allocbench's scaling mode reports it) rather than guessed.
 */
#include <asm/timer.h>
#include <rvmem/smp.h>
#include <rvmem/spinlock.h>

#define SPIN_BEFORE_WAIT	1024

void spin_lock_contended(spinlock_t *lock)
{
	struct hart *me = this_hart();
	u64 start = timer_read();
	unsigned int spins = 0;

	WRITE_ONCE(me->lock_waits, me->lock_waits + 1);	/* others may look */
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
	me->lock_wait_ticks += timer_read() - start;
}
