/* SPDX-License-Identifier: MIT */
/* Local interrupt masking: sstatus.SIE for the calling hart. */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <stdbool.h>
#include <asm/csr.h>

static inline unsigned long local_irq_save(void)
{
	return csr_read_clear(sstatus, SR_SIE) & SR_SIE;
}

static inline void local_irq_restore(unsigned long flags)
{
	csr_set(sstatus, flags & SR_SIE);
}

static inline void local_irq_enable(void)
{
	csr_set(sstatus, SR_SIE);
}

static inline void local_irq_disable(void)
{
	csr_clear(sstatus, SR_SIE);
}

static inline bool irqs_disabled(void)
{
	return !(csr_read(sstatus) & SR_SIE);
}

#endif /* ASM_IRQFLAGS_H */
