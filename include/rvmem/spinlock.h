/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks: a test-and-test-and-set lock on the A extension's AMOs.
 *
 * spin_lock_irqsave() is the form to use for anything an interrupt handler
 * may also take. Waiters spin with cpu_relax() and, after a while, sleep in
 * cpu_wait_event() so a lock holder on another hart can run under QEMU's
 * single-threaded icount mode.
 */
#ifndef RVMEM_SPINLOCK_H
#define RVMEM_SPINLOCK_H

#include <rvmem/types.h>
#include <asm/irqflags.h>
#include <asm/processor.h>

typedef struct {
	int locked;
} spinlock_t;

#define SPINLOCK_INIT	{ 0 }
#define DEFINE_SPINLOCK(x)	spinlock_t x = SPINLOCK_INIT

#define SPIN_BEFORE_WAIT	1024

static inline bool spin_trylock(spinlock_t *lock)
{
	return !__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_lock(spinlock_t *lock)
{
	unsigned int spins = 0;

	while (!spin_trylock(lock)) {
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED)) {
			if (++spins < SPIN_BEFORE_WAIT) {
				cpu_relax();
			} else {
				cpu_wait_event();
				spins = 0;
			}
		}
	}
}

static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

static inline unsigned long spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags = local_irq_save();

	spin_lock(lock);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *lock,
					  unsigned long flags)
{
	spin_unlock(lock);
	local_irq_restore(flags);
}

#endif /* RVMEM_SPINLOCK_H */
