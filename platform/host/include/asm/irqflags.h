/* SPDX-License-Identifier: MIT */
/*
 * Host build: no interrupts to mask. A thread standing in for a hart is
 * never interrupted by kernel code, so the flags only track nesting.
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <stdbool.h>

extern __thread bool host_irqs_off;

static inline unsigned long local_irq_save(void)
{
	bool was_off = host_irqs_off;

	host_irqs_off = true;
	return !was_off;
}

static inline void local_irq_restore(unsigned long flags)
{
	if (flags)
		host_irqs_off = false;
}

static inline void local_irq_enable(void)
{
	host_irqs_off = false;
}

static inline void local_irq_disable(void)
{
	host_irqs_off = true;
}

static inline bool irqs_disabled(void)
{
	return host_irqs_off;
}

#endif /* ASM_IRQFLAGS_H */
