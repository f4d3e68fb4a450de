/* SPDX-License-Identifier: MIT */
/*
 * Trap entry and exit.
 *
 * rvmem runs only in S-mode, so a trap always comes from the kernel and
 * stays on the current stack: push a struct pt_regs, handle, pop it and
 * sret. Unless sp has run off the hart's stack (into the guard page below
 * it): then the frame goes on the hart's trap stack instead, so the fault
 * can still be reported. Or sp is on an app stack (main's, a thread's:
 * above the hart's, in the mmap window), whose pages appear on first
 * touch: then the frame goes on the hart's own stack at irq_sp, since a
 * push into a page not yet there would fault again inside the entry.
 * tp always points at the struct hart.
 *
 * Page faults try a short path first: save only the registers a C call
 * may clobber and call do_page_fault(). A demand-zero fault ends there.
 * It runs with interrupts off and takes no trap, so sepc and sstatus
 * still hold the trapped context when it returns, and C preserves the
 * callee-saved registers. Everything else (interrupts, other exceptions,
 * a fault do_page_fault() declined) saves the rest of the frame and
 * calls do_trap(); sepc and sstatus are then restored from the frame, so
 * a handler may change where the trapped code resumes (probes do).
 */
#include <asm/csr.h>
#include <rvmem/internal/smp.h>
#include <rvmem/internal/trap.h>

	.option arch, +zicsr

#define PAGE_FAULT_CAUSES	((1 << EXC_INST_PAGE_FAULT) | \
				 (1 << EXC_LOAD_PAGE_FAULT) | \
				 (1 << EXC_STORE_PAGE_FAULT))

/* The registers a C call may clobber, but t0 (saved first, by hand). */
	.macro	clobbered op
	\op	x1, 1 * 8(sp)
	.irp	n, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 28, 29, 30, 31
	\op	x\n, \n * 8(sp)
	.endr
	.endm

/* The rest: what C preserves (and gp, tp, which nothing changes). */
	.macro	preserved op
	.irp	n, 3, 4, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
	\op	x\n, \n * 8(sp)
	.endr
	.endm

	.section .text
	.balign 4
	.globl trap_entry
trap_entry:
	csrw	sscratch, t0
	ld	t0, HART_OFF_STACK_TOP(tp)
	bgtu	sp, t0, .Lapp_stack
	ld	t0, HART_OFF_STACK_BASE(tp)
	addi	t0, t0, PT_SIZE
	bltu	sp, t0, .Loverflow
	csrr	t0, sscratch
	addi	sp, sp, -PT_SIZE
	sd	t0, 5 * 8(sp)
	addi	t0, sp, PT_SIZE
	sd	t0, 2 * 8(sp)
.Lsaved_sp:
	clobbered sd
	csrr	a0, scause
	bltz	a0, .Lfull		/* an interrupt */
	li	t0, PAGE_FAULT_CAUSES
	srl	t0, t0, a0
	andi	t0, t0, 1
	beqz	t0, .Lfull
	csrr	a1, stval
	call	do_page_fault
	bnez	a0, .Lfull
.Lreturn:
	clobbered ld
	ld	x5, 5 * 8(sp)
	ld	x2, 2 * 8(sp)
	sret

.Lapp_stack:	/* frame at irq_sp (the trap stack if none is set yet) */
	mv	t0, sp
	ld	sp, HART_OFF_IRQ_SP(tp)
	bnez	sp, .Lswitched
	ld	sp, HART_OFF_TRAP_STACK(tp)
	j	.Lswitched

.Loverflow:	/* frame on the trap stack, remember the old sp */
	mv	t0, sp
	ld	sp, HART_OFF_TRAP_STACK(tp)
.Lswitched:
	addi	sp, sp, -PT_SIZE
	sd	t0, 2 * 8(sp)
	csrr	t0, sscratch
	sd	t0, 5 * 8(sp)
	j	.Lsaved_sp

.Lfull:
	preserved sd
	csrr	t0, sepc
	sd	t0, PT_EPC(sp)
	csrr	t0, sstatus
	sd	t0, PT_STATUS(sp)
	csrr	t0, scause
	sd	t0, PT_CAUSE(sp)
	csrr	t0, stval
	sd	t0, PT_TVAL(sp)

	mv	a0, sp
	call	do_trap

	ld	t0, PT_EPC(sp)
	csrw	sepc, t0
	ld	t0, PT_STATUS(sp)
	csrw	sstatus, t0
	preserved ld
	j	.Lreturn
