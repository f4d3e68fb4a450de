/* SPDX-License-Identifier: MIT */
/*
 * RISC-V supervisor CSRs: names, fields and accessors.
 *
 * Every hardware bit the kernel touches has a name here; code never
 * compares scause or sstatus with bare numbers.
 */
#ifndef ASM_CSR_H
#define ASM_CSR_H

/* An unsigned long constant in C, a plain number in assembly. */
#ifdef __ASSEMBLER__
#define _UL(x)		x
#else
#define _UL(x)		x##UL
#endif

/* sstatus */
#define SR_SIE		(_UL(1) << 1)	/* interrupts enabled */
#define SR_SPIE		(_UL(1) << 5)	/* SIE before the trap */
#define SR_SPP		(_UL(1) << 8)	/* trapped from S-mode */
#define SR_FS		(_UL(3) << 13)	/* FPU state: off, we have no FPU use */
#define SR_SUM		(_UL(1) << 18)
#define SR_MXR		(_UL(1) << 19)

/* sie / sip */
#define IRQ_S_SOFT	1
#define IRQ_S_TIMER	5
#define IRQ_S_EXT	9
#define SIE_SSIE	(1UL << IRQ_S_SOFT)
#define SIE_STIE	(1UL << IRQ_S_TIMER)
#define SIE_SEIE	(1UL << IRQ_S_EXT)

/* scause */
#define CAUSE_IRQ_FLAG			(1UL << 63)
#define EXC_INST_MISALIGNED		0
#define EXC_INST_ACCESS			1
#define EXC_ILLEGAL_INSN		2
#define EXC_BREAKPOINT			3
#define EXC_LOAD_MISALIGNED		4
#define EXC_LOAD_ACCESS			5
#define EXC_STORE_MISALIGNED		6
#define EXC_STORE_ACCESS		7
#define EXC_ECALL_U			8
#define EXC_ECALL_S			9
#define EXC_INST_PAGE_FAULT		12
#define EXC_LOAD_PAGE_FAULT		13
#define EXC_STORE_PAGE_FAULT		15
#define EXC_INST_GUEST_PAGE_FAULT	20
#define EXC_LOAD_GUEST_PAGE_FAULT	21
#define EXC_VIRTUAL_INST		22
#define EXC_STORE_GUEST_PAGE_FAULT	23

/* satp */
#define SATP_MODE_SHIFT	60
#define SATP_MODE_BARE	0UL
#define SATP_MODE_SV39	8UL
#define SATP_MODE_SV48	9UL
#define SATP_MODE_SV57	10UL

/* CSR numbers the assembler may not know by name */
#define CSR_STIMECMP	0x14d

#ifndef __ASSEMBLER__

#define csr_read(csr) ({						\
	unsigned long __v;						\
	__asm__ __volatile__("csrr %0, " #csr : "=r"(__v) :: "memory");	\
	__v;								\
})

#define csr_write(csr, val) ({						\
	unsigned long __v = (unsigned long)(val);			\
	__asm__ __volatile__("csrw " #csr ", %0" :: "rK"(__v) : "memory");\
})

#define csr_set(csr, val) ({						\
	unsigned long __v = (unsigned long)(val);			\
	__asm__ __volatile__("csrs " #csr ", %0" :: "rK"(__v) : "memory");\
})

#define csr_clear(csr, val) ({						\
	unsigned long __v = (unsigned long)(val);			\
	__asm__ __volatile__("csrc " #csr ", %0" :: "rK"(__v) : "memory");\
})

#define csr_read_clear(csr, val) ({					\
	unsigned long __v = (unsigned long)(val);			\
	__asm__ __volatile__("csrrc %0, " #csr ", %1"			\
			     : "=r"(__v) : "rK"(__v) : "memory");	\
	__v;								\
})

static inline unsigned long rdtime(void)
{
	unsigned long t;

	__asm__ __volatile__("rdtime %0" : "=r"(t));
	return t;
}

static inline unsigned long rdinstret(void)
{
	unsigned long n;

	__asm__ __volatile__("rdinstret %0" : "=r"(n));
	return n;
}

static inline void wfi(void)
{
	__asm__ __volatile__("wfi" ::: "memory");
}

#endif /* !__ASSEMBLER__ */
#endif /* ASM_CSR_H */
