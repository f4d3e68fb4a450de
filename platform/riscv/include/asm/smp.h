/* SPDX-License-Identifier: MIT */
/*
 * Starting, stopping and signalling harts: what core/kernel/smp.c asks of
 * the ISA and the firmware below it (on RISC-V, SBI HSM and IPI).
 *
 * core/ keeps the generic part (struct hart, stacks, waiting for a hart to
 * come online, cross-calls); these calls are the whole of what it knows
 * about how a hart is started or stopped.
 */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <rvmem/types.h>

struct hart;

/**
 * arch_can_start_harts() - can the firmware start secondary harts?
 *
 * Return: true when it offers hart start and stop (SBI HSM).
 */
bool arch_can_start_harts(void);

/**
 * arch_hart_start() - start @h's hart at secondary_entry with a1 = @h
 * @h: a prepared struct hart (ids, stack), published in hart_starting
 *
 * Does not wait for the hart. A hart the firmware reports already running
 * is one it sent to _start instead (see entry.S): it joins through
 * hart_starting, so that counts as started.
 * Return: 0, or a negative errno from the firmware's refusal.
 */
int arch_hart_start(struct hart *h);

/**
 * arch_hart_stopped() - has the firmware stopped hart @hartid?
 * @hartid: firmware hart id
 *
 * Return: true once the hart is stopped (and may be started again).
 */
bool arch_hart_stopped(u32 hartid);

/**
 * arch_hart_stop() - stop the calling hart through the firmware
 *
 * Context: interrupts off; the hart's state is given up. Panics if the
 * firmware returns.
 */
void __noreturn arch_hart_stop(void);

/**
 * arch_send_ipi() - raise a software interrupt on hart @hartid
 * @hartid: firmware hart id
 */
void arch_send_ipi(u32 hartid);

/**
 * arch_hart_init() - enable this hart's timer and software interrupts
 *
 * Sets up the timer (timer_init()) and unmasks the two interrupts in sie;
 * sstatus.SIE, the global mask, stays as it is.
 * Context: the hart itself, before it goes online.
 */
void arch_hart_init(void);

#endif /* ASM_SMP_H */
