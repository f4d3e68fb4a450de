// SPDX-License-Identifier: MIT
/*
 * Fatal trap reports: what happened, where, every register, and how we
 * got there, so a single console log is enough to find the bug.
 */
#include <asm/processor.h>
#include <rvmem/panic.h>
#include <rvmem/internal/platform.h>
#include <rvmem/printk.h>
#include <rvmem/smp.h>
#include <rvmem/trap.h>

static const char *const reg_names[32] = {
	"pc", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
	"s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
	"a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
	"s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

void show_regs(const struct pt_regs *regs)
{
	const unsigned long *r = (const unsigned long *)regs;
	unsigned int i;

	for (i = 0; i < 32; i += 4)
		printk(" %-3s: %016lx  %-3s: %016lx  %-3s: %016lx  %-3s: %016lx\n",
		       reg_names[i], r[i], reg_names[i + 1], r[i + 1],
		       reg_names[i + 2], r[i + 2], reg_names[i + 3], r[i + 3]);
	printk(" sstatus: %016lx  scause: %016lx  stval: %016lx\n",
	       regs->status, regs->cause, regs->tval);
}


void die(struct pt_regs *regs, const char *what)
{
	struct hart *h = this_hart();
	char sym[80];

	if (!panic_enter())
		arch_halt();
	printk("\nrvmem: fatal trap: %s\n", what);
	printk(" cause: %s (scause 0x%lx) on cpu %u (hart %u)\n",
	       trap_cause_name(regs->cause), regs->cause, h->cpu, h->hartid);
	format_symbol(sym, sizeof(sym), regs->epc);
	printk(" sepc:  %016lx <%s>\n", regs->epc, sym);
	printk(" stval: %016lx\n", regs->tval);
	show_regs(regs);
	show_backtrace(regs->epc, regs->s0, regs->ra);
	platform_poweroff(EXIT_KERNEL_FAILURE);
}
