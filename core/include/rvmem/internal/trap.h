/* SPDX-License-Identifier: MIT */
/*
 * Traps, the kernel's side: installing the vector and the C entry the
 * trap code calls. Apps use <rvmem/trap.h>.
 */
#ifndef RVMEM_INTERNAL_TRAP_H
#define RVMEM_INTERNAL_TRAP_H

#include <rvmem/trap.h>

#ifndef __ASSEMBLER__

/**
 * trap_init() - point this hart's stvec at the trap entry
 *
 * Context: each hart, once, before it enables interrupts.
 */
void trap_init(void);

/**
 * do_trap() - dispatch a trap by its cause
 * @regs: the frame the trap entry saved (core/trap/entry.S)
 *
 * Context: the trap entry only, interrupts off.
 */
void do_trap(struct pt_regs *regs);

#endif /* !__ASSEMBLER__ */
#endif /* RVMEM_INTERNAL_TRAP_H */
