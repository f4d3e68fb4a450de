/* SPDX-License-Identifier: MIT */
/* Host build: waiting yields the thread; halting ends the process. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <sched.h>

static inline void cpu_relax(void)
{
	__asm__ __volatile__("" ::: "memory");
}

static inline void cpu_wait_event(void)
{
	sched_yield();
}

#define frameless_ret_ip()	((unsigned long)__builtin_return_address(0))

void __attribute__((noreturn)) arch_halt(void);

#endif /* ASM_PROCESSOR_H */
