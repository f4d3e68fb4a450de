// SPDX-License-Identifier: MIT
/*
 * panic: report a broken invariant and power off with a failure status.
 *
 * Only the first hart to panic reports; a second one halts quietly, so the
 * log shows the original failure rather than its echoes.
 */
#include <stdarg.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <rvmem/panic.h>
#include <rvmem/internal/platform.h>
#include <rvmem/smp.h>
#include <rvmem/trap.h>

static int panic_cpu = -1;

bool panic_enter(void)
{
	int none = -1;
	int cpu = (int)smp_processor_id();

	local_irq_disable();
	if (!__atomic_compare_exchange_n(&panic_cpu, &none, cpu, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return panic_cpu == cpu;
	console_break_lock();
	return true;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	if (!panic_enter())
		arch_halt();
	printk("Kernel panic on cpu %u (hart %u): ", smp_processor_id(),
	       this_hart()->hartid);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	dump_stack();
	platform_poweroff(EXIT_KERNEL_FAILURE);
}

void boot_fail(const char *fmt, ...)
{
	va_list ap;

	printk("rvmem: cannot boot: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	platform_poweroff(EXIT_KERNEL_FAILURE);
}
