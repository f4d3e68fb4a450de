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
#include <asm/barrier.h>
#include <asm/irqflags.h>
#include <asm/processor.h>

typedef struct {
	int locked;
} spinlock_t;

#define SPINLOCK_INIT	{ 0 }
#define DEFINE_SPINLOCK(x)	spinlock_t x = SPINLOCK_INIT

static inline bool spin_trylock(spinlock_t *lock)
{
	return !__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE);
}

/**
 * spin_lock_contended() - wait for a lock another hart holds, then take it
 * @lock: the lock
 *
 * Out of line so the uncontended spin_lock() stays a single AMO.
 */
void spin_lock_contended(spinlock_t *lock);

static inline void spin_lock(spinlock_t *lock)
{
	if (unlikely(!spin_trylock(lock)))
		spin_lock_contended(lock);
}

static inline void spin_unlock(spinlock_t *lock)
{
	smp_store_release(&lock->locked, 0);
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
