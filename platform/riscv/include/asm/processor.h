/* SPDX-License-Identifier: MIT */
/* Waiting: spinning politely, and sleeping until something happens. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <asm/csr.h>
#include <asm/irqflags.h>

/* Zihintpause "pause", encoded so that assemblers without it accept it. */
static inline void cpu_relax(void)
{
	__asm__ __volatile__(".4byte 0x0100000f" ::: "memory");
}

/**
 * frameless_ret_ip() - _RET_IP_ in a __frameless function
 *
 * Such a function makes no call but tail calls, so ra still holds its
 * return address. __builtin_return_address(0) would make GCC save ra on
 * entry to every path; reading it here costs one move, on the path that
 * uses it.
 */
static inline __attribute__((always_inline)) unsigned long
frameless_ret_ip(void)
{
	unsigned long ra;

	__asm__ __volatile__("mv %0, ra" : "=r"(ra));
	return ra;
}

/**
 * cpu_wait_event() - sleep this hart briefly until an interrupt is pending
 *
 * Arms a short timer deadline and executes wfi with interrupts masked, so
 * it returns after at most a millisecond or when an IPI arrives. Waiting
 * loops use it after spinning a while: under QEMU -icount all harts share
 * one thread and a spinning hart with no deadline would starve the others.
 */
void cpu_wait_event(void);

/**
 * arch_call_on_stack() - switch to the stack ending at @sp and call @fn
 * there; the old stack is abandoned. Context: interrupts off.
 */
void __attribute__((noreturn)) arch_call_on_stack(unsigned long sp,
						  void (*fn)(void));

/**
 * arch_run_on_stack() - call @fn(@arg) on the stack ending at @sp and
 * return to this one; the sp of this call is recorded as the hart's
 * irq_sp, where traps taken on the new stack put their frames
 */
void arch_run_on_stack(unsigned long sp, void (*fn)(void *arg), void *arg);

/**
 * wait_for_interrupt() - sleep until an interrupt is pending, then take it
 *
 * For a loop that checks what an interrupt handler changes, with
 * interrupts masked around the check: wfi wakes for a pending interrupt
 * even while masked, and the handler runs between the unmask and the
 * mask that follow. With interrupts on, one taken between the check and
 * the wfi would leave the hart asleep with nothing due to wake it.
 * Context: interrupts off; returns with them off.
 */
static inline void wait_for_interrupt(void)
{
	wfi();
	local_irq_enable();
	local_irq_disable();
}

/** arch_halt() - stop this hart for good (interrupts off, wfi forever) */
void __attribute__((noreturn)) arch_halt(void);

#endif /* ASM_PROCESSOR_H */
