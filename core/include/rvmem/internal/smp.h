/* SPDX-License-Identifier: MIT */
/*
 * Harts, the kernel's side: bring-up at boot and the entry points the
 * platform's entry code and trap handler call. Apps use <rvmem/smp.h>.
 */
#ifndef RVMEM_INTERNAL_SMP_H
#define RVMEM_INTERNAL_SMP_H

#include <rvmem/smp.h>

/* Offsets the assembly uses; asserted in core/kernel/smp.c. */
#define HART_OFF_HARTID		(HART_TLS_SIZE + 4)
#define HART_OFF_STACK_TOP	(HART_TLS_SIZE + 8)
#define HART_OFF_STACK_BASE	(HART_TLS_SIZE + 16)
#define HART_OFF_TRAP_STACK	(HART_TLS_SIZE + 24)
#define HART_OFF_IRQ_SP		(HART_TLS_SIZE + 32)

#ifndef __ASSEMBLER__

/* The hart being started, for one the firmware sends to _start instead. */
extern struct hart *hart_starting;
/* How many harts entered _start: 1, more if the firmware misdirected. */
extern u32 hart_lottery;

/**
 * smp_boot_secondaries() - start every other hart in boot_info
 * @max: start at most this many harts in all (the boot hart included)
 *
 * Context: boot hart, once. Waits until each started hart is online (or
 * reports the ones that did not come up within five seconds).
 */
void smp_boot_secondaries(unsigned int max);

/**
 * smp_switch_boot_stack() - move the boot hart to a guarded vmalloc stack
 * and continue in @fn there
 * @fn: the rest of the boot; it must not return
 *
 * Context: boot hart, after vmalloc_init(), interrupts off.
 */
void __noreturn smp_switch_boot_stack(void (*fn)(void));

/**
 * smp_init_boot_hart() - make the calling hart cpu 0 and bring it online
 * @hartid: its firmware hart id
 *
 * Context: the board's boot code, boot hart, before any C that uses
 * this_hart() (printk's lock does).
 */
void smp_init_boot_hart(u32 hartid);

/**
 * secondary_start() - a started hart's first C: online, then idle
 * @h: its struct hart, prepared by the boot hart
 *
 * Context: the platform's secondary entry, tp = @h, interrupts off.
 */
void __noreturn secondary_start(struct hart *h);

/**
 * smp_ipi_interrupt() - serve a software interrupt: a cross-call, a
 * stop request, or only a wake-up
 *
 * Context: the trap handler, interrupts off.
 */
void smp_ipi_interrupt(void);

#endif /* !__ASSEMBLER__ */
#endif /* RVMEM_INTERNAL_SMP_H */
