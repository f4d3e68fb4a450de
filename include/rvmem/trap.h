/* SPDX-License-Identifier: MIT */
/*
 * Traps: the saved register frame, dispatch and fatal reports.
 *
 * The trap entry (core/trap/entry.S) saves every general register into a
 * struct pt_regs on the current stack, calls do_trap() and restores it.
 * Register xN sits at offset N * 8, with sepc in the slot of x0.
 */
#ifndef RVMEM_TRAP_H
#define RVMEM_TRAP_H

#define PT_SIZE		288	/* 36 words, a multiple of 16 */
#define PT_EPC		0
#define PT_STATUS	256
#define PT_CAUSE	264
#define PT_TVAL		272

#ifndef __ASSEMBLER__
#include <rvmem/types.h>

struct pt_regs {
	unsigned long epc;
	unsigned long ra, sp, gp, tp;
	unsigned long t0, t1, t2;
	unsigned long s0, s1;
	unsigned long a0, a1, a2, a3, a4, a5, a6, a7;
	unsigned long s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
	unsigned long t3, t4, t5, t6;
	unsigned long status;
	unsigned long cause;
	unsigned long tval;
	unsigned long pad;
};

/** trap_cause_name() - "illegal instruction", "supervisor timer", ... */
const char *trap_cause_name(unsigned long scause);

/**
 * die() - report a fatal trap and power off with EXIT_KERNEL_FAILURE
 * @regs: the trap frame
 * @what: one line on what went wrong, printed first
 */
void __noreturn die(struct pt_regs *regs, const char *what);

/** show_regs() - print every register of a frame */
void show_regs(const struct pt_regs *regs);

/**
 * show_backtrace() - print a frame-pointer backtrace
 * @pc: first address to show
 * @fp: its frame pointer (s0)
 * @ra: its return address, used if the first function is a leaf
 */
void show_backtrace(unsigned long pc, unsigned long fp, unsigned long ra);

/** dump_stack() - print the caller's backtrace */
void dump_stack(void);

/**
 * stack_trace_save() - the caller's call chain, as return addresses
 * @store: filled with them, the one into the caller first
 * @size: room in @store
 * @skipnr: entries to leave out at the start
 *
 * Return: entries stored. Context: any (frame records off this hart's
 * stacks end the walk).
 */
unsigned int stack_trace_save(unsigned long *store, unsigned int size,
			      unsigned int skipnr);

/**
 * kallsyms_lookup() - the function containing @addr
 * @addr: a text address
 * @offset: set to @addr minus the function's start
 *
 * Return: the function's name, or NULL outside the kernel's text.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *offset);

/**
 * trap_probe_insn() - run code containing an instruction that may be
 * illegal on this hart (a CSR of an optional extension)
 * @fn: the probe; an illegal instruction in it is skipped, not fatal
 *
 * Return: true if the instruction executed without an illegal-instruction
 * trap.
 */
bool trap_probe_insn(void (*fn)(void));

#endif /* !__ASSEMBLER__ */
#endif /* RVMEM_TRAP_H */
