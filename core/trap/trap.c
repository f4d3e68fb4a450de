// SPDX-License-Identifier: MIT
/*
 * Trap dispatch: interrupts to their handlers, everything else is fatal.
 *
 * Interrupts: supervisor timer (timer_interrupt) and software (cross-call
 * IPIs). Exceptions: any fault inside a probe (trap_probe_insn(),
 * copy_from_kernel_nofault()) is skipped and recorded; page faults go to
 * the mm fault handler (those the entry's short path, do_page_fault(),
 * did not serve); any other exception is a kernel bug or a bad access,
 * reported by die().
 *
 * An interrupt that lands inside a restartable sequence (asm/rseq.h:
 * the slab's per-hart arrays, used without masking interrupts) sends the
 * hart back to the sequence's start before its handler runs, so the
 * handler may use the same array and the sequence then sees what it did.
 */
#include <asm/csr.h>
#include <asm/timer.h>
#include <rvmem/fault.h>
#include <rvmem/panic.h>
#include <rvmem/internal/platform.h>
#include <rvmem/internal/smp.h>
#include <rvmem/internal/trap.h>

extern char trap_entry[];

_Static_assert(sizeof(struct pt_regs) == PT_SIZE, "pt_regs size");
_Static_assert(__builtin_offsetof(struct pt_regs, status) == PT_STATUS,
	       "pt_regs status offset");
_Static_assert(__builtin_offsetof(struct pt_regs, cause) == PT_CAUSE,
	       "pt_regs cause offset");
_Static_assert(__builtin_offsetof(struct pt_regs, tval) == PT_TVAL,
	       "pt_regs tval offset");
_Static_assert(__builtin_offsetof(struct pt_regs, t6) == 31 * 8,
	       "pt_regs: xN at N * 8");

static const char *const exception_names[] = {
	[EXC_INST_MISALIGNED] = "instruction address misaligned",
	[EXC_INST_ACCESS] = "instruction access fault",
	[EXC_ILLEGAL_INSN] = "illegal instruction",
	[EXC_BREAKPOINT] = "breakpoint",
	[EXC_LOAD_MISALIGNED] = "load address misaligned",
	[EXC_LOAD_ACCESS] = "load access fault",
	[EXC_STORE_MISALIGNED] = "store/AMO address misaligned",
	[EXC_STORE_ACCESS] = "store/AMO access fault",
	[EXC_ECALL_U] = "environment call from U-mode",
	[EXC_ECALL_S] = "environment call from S-mode",
	[EXC_INST_PAGE_FAULT] = "instruction page fault",
	[EXC_LOAD_PAGE_FAULT] = "load page fault",
	[EXC_STORE_PAGE_FAULT] = "store/AMO page fault",
	[EXC_INST_GUEST_PAGE_FAULT] = "instruction guest-page fault",
	[EXC_LOAD_GUEST_PAGE_FAULT] = "load guest-page fault",
	[EXC_VIRTUAL_INST] = "virtual instruction",
	[EXC_STORE_GUEST_PAGE_FAULT] = "store/AMO guest-page fault",
};

static const char *const interrupt_names[] = {
	[IRQ_S_SOFT] = "supervisor software interrupt",
	[IRQ_S_TIMER] = "supervisor timer interrupt",
	[IRQ_S_EXT] = "supervisor external interrupt",
};

const char *trap_cause_name(unsigned long scause)
{
	unsigned long code = scause & ~CAUSE_IRQ_FLAG;
	const char *name = NULL;

	if (scause & CAUSE_IRQ_FLAG) {
		if (code < ARRAY_SIZE(interrupt_names))
			name = interrupt_names[code];
	} else if (code < ARRAY_SIZE(exception_names)) {
		name = exception_names[code];
	}
	return name ? name : "unknown cause";
}

/* (first instruction, committing store) of each restartable sequence */
struct restart_sequence {
	unsigned long start;
	unsigned long commit;
};

extern const struct restart_sequence __start___restart_table[];
extern const struct restart_sequence __stop___restart_table[];

/*
 * If @regs was interrupted inside a restartable sequence whose commit has
 * not run (epc == commit: the store is next), restart it. A sequence's
 * instructions only write registers before its commit, so running them
 * again from the start is all it takes.
 */
static void restart_interrupted_sequence(struct pt_regs *regs)
{
	const struct restart_sequence *r;

	for (r = __start___restart_table; r < __stop___restart_table; r++) {
		if (regs->epc - r->start <= r->commit - r->start) {
			regs->epc = r->start;
			this_hart()->seq_restarts++;
			return;
		}
	}
}

void trap_init(void)
{
	csr_write(stvec, (unsigned long)trap_entry);
}

static void handle_interrupt(struct pt_regs *regs)
{
	switch (regs->cause & ~CAUSE_IRQ_FLAG) {
	case IRQ_S_TIMER:
		timer_interrupt();
		break;
	case IRQ_S_SOFT:
		csr_clear(sip, SIE_SSIE);
		smp_ipi_interrupt();
		break;
	default:
		die(regs, "unexpected interrupt");
	}
}

/* A compressed instruction has its two low bits other than 0b11. */
static unsigned long insn_length(unsigned long pc)
{
	return (*(const u16 *)pc & 3) == 3 ? 4 : 2;
}

void do_trap(struct pt_regs *regs)
{
	struct hart *h = this_hart();

	if (regs->cause & CAUSE_IRQ_FLAG) {
		restart_interrupted_sequence(regs);
		handle_interrupt(regs);
		return;
	}
	if (h->probing) {	/* a probe's fault: skip, let it see */
		h->probe_faulted = true;
		regs->epc += insn_length(regs->epc);
		return;
	}
	switch (regs->cause) {
	case EXC_INST_PAGE_FAULT:
	case EXC_LOAD_PAGE_FAULT:
	case EXC_STORE_PAGE_FAULT:
		mm_handle_fault(regs);
		return;
	}
	die(regs, "unhandled exception in kernel");
}

bool trap_probe_insn(void (*fn)(void))
{
	struct hart *h = this_hart();

	h->probe_faulted = false;
	h->probing = true;
	__asm__ __volatile__("" ::: "memory");
	fn();
	__asm__ __volatile__("" ::: "memory");
	h->probing = false;
	return !h->probe_faulted;
}
