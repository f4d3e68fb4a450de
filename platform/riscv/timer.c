// SPDX-License-Identifier: MIT
/*
 * Supervisor timer through Sstc or SBI TIME.
 *
 * Each hart owns its deadline (harts[cpu].timer_deadline); nothing here is
 * shared but timer_has_sstc, written once by the boot hart before the
 * others start.
 */
#include <asm/csr.h>
#include <asm/sbi.h>
#include <asm/timer.h>
#include <rvmem/boot.h>
#include <rvmem/smp.h>
#include <rvmem/trap.h>

bool timer_has_sstc;

static void read_stimecmp(void)
{
	__asm__ __volatile__(".option push\n.option arch, +zicsr\n"
			     "csrr t0, %0\n.option pop" :: "i"(CSR_STIMECMP)
			     : "t0");
}

static void program_deadline(u64 deadline)
{
	if (timer_has_sstc)
		__asm__ __volatile__("csrw %0, %1"
				     :: "i"(CSR_STIMECMP), "r"(deadline));
	else
		sbi_set_timer(deadline);
}

void timer_init(void)
{
	if (smp_processor_id() == 0)
		timer_has_sstc = trap_probe_insn(read_stimecmp);
	this_hart()->timer_deadline = TIMER_NEVER;
	program_deadline(TIMER_NEVER);
	csr_set(sie, SIE_STIE);
}

void timer_set_deadline(u64 deadline)
{
	this_hart()->timer_deadline = deadline;
	program_deadline(deadline);
}

void timer_interrupt(void)
{
	struct hart *h = this_hart();

	h->timer_irqs++;
	timer_set_deadline(TIMER_NEVER);
	if (h->timer_fn)
		h->timer_fn();
}

u64 timer_ticks_per_us(void)
{
	u64 t = boot_info.timebase_hz / 1000000;

	return t ? t : 1;
}
