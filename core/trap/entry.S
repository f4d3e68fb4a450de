/* SPDX-License-Identifier: MIT */
/*
 * Trap entry and exit.
 *
 * rvmem runs only in S-mode, so a trap always comes from the kernel and
 * stays on the current stack: push a struct pt_regs, call do_trap(), pop
 * it and sret. sepc and sstatus are restored from the frame, so a handler
 * may change where the trapped code resumes (feature probes do).
 *
 * Unless sp has run off the hart's stack (into the guard page below it):
 * then the frame goes on the hart's trap stack instead, so the fault can
 * still be reported. tp always points at the struct hart.
 */
#include <rvmem/smp.h>
#include <rvmem/trap.h>

	.option arch, +zicsr

	.section .text
	.balign 4
	.globl trap_entry
trap_entry:
	csrw	sscratch, t0
	ld	t0, HART_OFF_STACK_BASE(tp)
	addi	t0, t0, PT_SIZE
	bltu	sp, t0, 1f
	csrr	t0, sscratch
	addi	sp, sp, -PT_SIZE
	sd	t0, 5 * 8(sp)
	addi	t0, sp, PT_SIZE
	sd	t0, 2 * 8(sp)
	j	2f
1:	/* overflow: frame on the trap stack, remember the old sp */
	mv	t0, sp
	ld	sp, HART_OFF_TRAP_STACK(tp)
	addi	sp, sp, -PT_SIZE
	sd	t0, 2 * 8(sp)
	csrr	t0, sscratch
	sd	t0, 5 * 8(sp)
2:	sd	x1, 1 * 8(sp)
	sd	x3, 3 * 8(sp)
	sd	x4, 4 * 8(sp)
	sd	x6, 6 * 8(sp)
	sd	x7, 7 * 8(sp)
	sd	x8, 8 * 8(sp)
	sd	x9, 9 * 8(sp)
	sd	x10, 10 * 8(sp)
	sd	x11, 11 * 8(sp)
	sd	x12, 12 * 8(sp)
	sd	x13, 13 * 8(sp)
	sd	x14, 14 * 8(sp)
	sd	x15, 15 * 8(sp)
	sd	x16, 16 * 8(sp)
	sd	x17, 17 * 8(sp)
	sd	x18, 18 * 8(sp)
	sd	x19, 19 * 8(sp)
	sd	x20, 20 * 8(sp)
	sd	x21, 21 * 8(sp)
	sd	x22, 22 * 8(sp)
	sd	x23, 23 * 8(sp)
	sd	x24, 24 * 8(sp)
	sd	x25, 25 * 8(sp)
	sd	x26, 26 * 8(sp)
	sd	x27, 27 * 8(sp)
	sd	x28, 28 * 8(sp)
	sd	x29, 29 * 8(sp)
	sd	x30, 30 * 8(sp)
	sd	x31, 31 * 8(sp)
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
	ld	x1, 1 * 8(sp)
	ld	x3, 3 * 8(sp)
	ld	x4, 4 * 8(sp)
	ld	x5, 5 * 8(sp)
	ld	x6, 6 * 8(sp)
	ld	x7, 7 * 8(sp)
	ld	x8, 8 * 8(sp)
	ld	x9, 9 * 8(sp)
	ld	x10, 10 * 8(sp)
	ld	x11, 11 * 8(sp)
	ld	x12, 12 * 8(sp)
	ld	x13, 13 * 8(sp)
	ld	x14, 14 * 8(sp)
	ld	x15, 15 * 8(sp)
	ld	x16, 16 * 8(sp)
	ld	x17, 17 * 8(sp)
	ld	x18, 18 * 8(sp)
	ld	x19, 19 * 8(sp)
	ld	x20, 20 * 8(sp)
	ld	x21, 21 * 8(sp)
	ld	x22, 22 * 8(sp)
	ld	x23, 23 * 8(sp)
	ld	x24, 24 * 8(sp)
	ld	x25, 25 * 8(sp)
	ld	x26, 26 * 8(sp)
	ld	x27, 27 * 8(sp)
	ld	x28, 28 * 8(sp)
	ld	x29, 29 * 8(sp)
	ld	x30, 30 * 8(sp)
	ld	x31, 31 * 8(sp)
	ld	x2, 2 * 8(sp)
	sret
