// SPDX-License-Identifier: MIT
/*
 * sbrk() for picolibc's malloc, over a fixed arena in bss.
 *
 * This is the boot-time heap of the foundation: picolibc's malloc works,
 * within BRK_ARENA_SIZE. The virtual-memory work replaces it with a
 * demand-zero heap in the upper half of the address space.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <rvmem/spinlock.h>

#define BRK_ARENA_SIZE	(1UL << 20)

static char brk_arena[BRK_ARENA_SIZE] __attribute__((aligned(16)));
static size_t brk_used;
static DEFINE_SPINLOCK(brk_lock);

void *sbrk(ptrdiff_t incr)
{
	unsigned long flags = spin_lock_irqsave(&brk_lock);
	void *old = brk_arena + brk_used;

	if ((incr > 0 && (size_t)incr > BRK_ARENA_SIZE - brk_used) ||
	    (incr < 0 && (size_t)-incr > brk_used)) {
		spin_unlock_irqrestore(&brk_lock, flags);
		errno = ENOMEM;
		return (void *)-1;
	}
	brk_used += incr;
	spin_unlock_irqrestore(&brk_lock, flags);
	return old;
}
