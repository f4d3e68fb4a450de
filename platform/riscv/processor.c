// SPDX-License-Identifier: MIT
/*
 * Waiting and halting a hart.
 */
#include <asm/csr.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/timer.h>
#include <rvmem/smp.h>

#define WAIT_SLICE_US	1000

void cpu_wait_event(void)
{
	struct hart *h = this_hart();
	unsigned long flags = local_irq_save();
	unsigned long sie = csr_read(sie);
	u64 deadline = h->timer_deadline;
	u64 wake = timer_read() + WAIT_SLICE_US * timer_ticks_per_us();

	/* Wake at the slice's end or at the hart's own deadline, whichever
	 * comes first; the own deadline is armed again afterwards. */
	timer_set_deadline(min(wake, deadline));
	csr_set(sie, SIE_STIE | SIE_SSIE);
	wfi();
	timer_set_deadline(deadline);
	csr_write(sie, sie);
	local_irq_restore(flags);
}

void arch_halt(void)
{
	local_irq_disable();
	csr_write(sie, 0);
	for (;;)
		wfi();
}
