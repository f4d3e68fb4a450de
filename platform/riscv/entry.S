/* SPDX-License-Identifier: MIT */
/*
 * Kernel entry from the SBI firmware (OpenSBI or KVM).
 *
 * _start: the boot hart, S-mode, MMU off, a0 = hartid, a1 = FDT address.
 * secondary_entry: a hart started through SBI HSM hart_start, with
 * a1 = the struct hart the boot hart prepared for it (stack, ids).
 * Both mask interrupts, set gp and a zero frame pointer (the end of every
 * backtrace) and call C; neither returns.
 *
 * Only the first hart to reach _start boots (the hart lottery, as in
 * Linux). OpenSBI before v1.3 can send a hart that hart_start() is
 * starting to _start instead of secondary_entry (it marks the hart
 * START_PENDING before it writes the start address); such a hart must not
 * clear bss under the running kernel. It waits for hart_starting, which
 * the boot hart publishes before every HSM start, to name its hartid, and
 * enters secondary_entry with it as HSM would have.
 */
#include <asm/csr.h>
#include <rvmem/internal/smp.h>

	.option arch, +zicsr

	.section .text.entry, "ax"
	.globl _start
_start:
	rdinstret t2			/* the boot's cost counts from here */
	csrw	sie, zero
	csrci	sstatus, SR_SIE
	la	t0, hart_lottery
	li	t1, 1
	amoadd.w t1, t1, (t0)
	bnez	t1, stray_entry
	la	t1, boot_instret_entry	/* the winner's count only */
	sd	t2, (t1)
#ifdef CONFIG_ISA_ZBA_ZBB
	/*
	 * Built for Zba/Zbb: all C, the trap handler too, may use them, so
	 * try one of each before any C runs; a hart without them traps to
	 * no_zba_zbb, which says so and powers off.
	 */
	la	t0, no_zba_zbb
	csrw	stvec, t0
	.insn r 0x33, 2, 0x10, t1, t1, t1	/* sh1add (Zba) */
	.insn r 0x33, 7, 0x20, t1, t1, t1	/* andn (Zbb) */
	csrw	stvec, zero
#endif
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop

	/* Zero bss; the boot stack lives there, so no calls before this. */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, (t0)
	addi	t0, t0, 8
	j	1b
2:
	la	sp, boot_stack + HART_STACK_SIZE
	li	s0, 0
	li	ra, 0
	call	virt_boot		/* (hartid, fdt) */
3:	wfi
	j	3b

/* A hart that lost the lottery: a0 = its hartid. */
stray_entry:
	la	t0, hart_starting
5:	fence	r, r
	ld	a1, 0(t0)
	beqz	a1, 5b
	lwu	t1, HART_OFF_HARTID(a1)
	bne	t1, a0, 5b
	j	secondary_entry

	.globl secondary_entry
secondary_entry:
	csrw	sie, zero
	csrci	sstatus, SR_SIE
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	/* The boot hart's page table, if paging is on already. */
	la	t0, kernel_satp
	ld	t0, 0(t0)
	csrw	satp, t0
	sfence.vma
	mv	tp, a1
	ld	sp, HART_OFF_STACK_TOP(a1)
	li	s0, 0
	li	ra, 0
	mv	a0, a1
	call	secondary_start
4:	wfi
	j	4b

#ifdef CONFIG_ISA_ZBA_ZBB
/*
 * The boot hart lacks Zba/Zbb. Nothing in C may run: print through the
 * SBI legacy console, end through QEMU's test finisher (unless the
 * hypervisor is KVM, where there is none) with status 70, else SRST.
 */
	.balign	4
no_zba_zbb:
	la	t0, no_zba_zbb_msg
1:	lbu	a0, 0(t0)
	beqz	a0, 2f
	li	a7, 0x01		/* legacy console_putchar */
	ecall
	addi	t0, t0, 1
	j	1b
2:	li	a7, 0x10		/* base: get_impl_id */
	li	a6, 1
	ecall
	li	t0, 3			/* SBI_IMPL_KVM */
	beq	a1, t0, 3f
	li	t0, 0x100000		/* the virt board's sifive,test */
	li	t1, (70 << 16) | 0x3333
	sw	t1, 0(t0)
3:	li	a7, 0x53525354		/* SRST: shutdown, system failure */
	li	a6, 0
	li	a0, 0
	li	a1, 1
	ecall
4:	wfi
	j	4b

	.section .rodata
no_zba_zbb_msg:
	.asciz	"rvmem: cannot boot: this image is built for " RVMEM_ISA "; the boot hart lacks Zba or Zbb\nrvmem: poweroff, exit status 70\n"
	.text
#endif

/*
 * arch_call_on_stack(sp, fn): continue on another stack by calling fn()
 * there, with a zero frame pointer so backtraces end at fn. fn must not
 * return.
 */
	.globl arch_call_on_stack
arch_call_on_stack:
	mv	sp, a0
	li	s0, 0
	li	ra, 0
	jr	a1

/*
 * arch_run_on_stack(sp, fn, arg): call fn(arg) on the stack ending at sp,
 * with a zero frame pointer so backtraces end at fn, and come back. Traps
 * taken meanwhile put their frames below this call's (tp->irq_sp).
 */
	.globl arch_run_on_stack
arch_run_on_stack:
	addi	sp, sp, -32
	sd	ra, 24(sp)
	sd	s0, 16(sp)
	sd	s1, 8(sp)
	mv	s1, sp
	sd	sp, HART_OFF_IRQ_SP(tp)
	mv	sp, a0
	li	s0, 0
	mv	t0, a1
	mv	a0, a2
	jalr	t0
	mv	sp, s1
	ld	ra, 24(sp)
	ld	s0, 16(sp)
	ld	s1, 8(sp)
	addi	sp, sp, 32
	ret

	.section .data
	.balign 4
	.globl hart_lottery
hart_lottery:				/* harts that entered _start */
	.word	0
