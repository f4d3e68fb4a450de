// SPDX-License-Identifier: MIT
/*
 * Traps and the timer: probes survive illegal instructions, causes have
 * names, and timer interrupts arrive on every hart.
 */
#include <asm/csr.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/timer.h>
#include <rvmem/ktest.h>
#include <rvmem/smp.h>
#include <rvmem/trap.h>

#define TIMER_WAIT_US	20000

static void read_mhartid(void)		/* M-mode CSR: illegal in S-mode */
{
	__asm__ __volatile__("csrr t0, mhartid" ::: "t0");
}

static void compressed_unimp(void)	/* c.unimp: a 16-bit illegal insn */
{
	__asm__ __volatile__(".2byte 0" ::: "memory");
}

static void read_sstatus(void)
{
	(void)csr_read(sstatus);
}

/* Expect a probe to report an illegal instruction of either length and
 * resume after it, and to pass a legal one. */
static void trap_probe_insn_skips_illegal(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, !trap_probe_insn(read_mhartid));
	KTEST_EXPECT_TRUE(t, !trap_probe_insn(compressed_unimp));
	KTEST_EXPECT_TRUE(t, trap_probe_insn(read_sstatus));
}

static void trap_cause_name_decodes(struct ktest *t)
{
	KTEST_EXPECT_STREQ(t, trap_cause_name(EXC_ILLEGAL_INSN),
			   "illegal instruction");
	KTEST_EXPECT_STREQ(t, trap_cause_name(EXC_LOAD_PAGE_FAULT),
			   "load page fault");
	KTEST_EXPECT_STREQ(t, trap_cause_name(CAUSE_IRQ_FLAG | IRQ_S_TIMER),
			   "supervisor timer interrupt");
	KTEST_EXPECT_STREQ(t, trap_cause_name(63), "unknown cause");
}

static volatile unsigned int timer_fired[NR_CPUS];

static void note_timer(void)
{
	timer_fired[smp_processor_id()]++;
}

/*
 * Arm a deadline 1 ms ahead and wait for its interrupt, checking with
 * interrupts masked (wait_for_interrupt()): with them on, an interrupt
 * taken between the check and the wfi left the hart asleep for good.
 */
static void arm_and_wait(void *arg)
{
	struct hart *h = this_hart();
	unsigned int before = timer_fired[h->cpu];
	u64 start = timer_read();
	u64 end = start + TIMER_WAIT_US * timer_ticks_per_us();
	unsigned long flags = local_irq_save();

	h->timer_fn = note_timer;
	timer_set_deadline(start + 1000 * timer_ticks_per_us());
	while (timer_fired[h->cpu] == before && timer_read() < end)
		wait_for_interrupt();
	h->timer_fn = NULL;
	local_irq_restore(flags);
	*(bool *)arg = true;
}

/* Expect a timer interrupt on every hart within 20 ms of a 1 ms deadline. */
static void timer_interrupt_on_every_hart(struct ktest *t)
{
	unsigned int cpu, before[NR_CPUS];
	bool ran = false;

	for (cpu = 0; cpu < nr_cpus_online; cpu++)
		before[cpu] = timer_fired[cpu];
	for (cpu = 0; cpu < nr_cpus_online; cpu++)
		smp_call_on(cpu, arm_and_wait, &ran);
	for (cpu = 0; cpu < nr_cpus_online; cpu++)
		KTEST_EXPECT_EQ(t, timer_fired[cpu], before[cpu] + 1);
	KTEST_EXPECT_TRUE(t, ran);
}

/* Expect cpu_wait_event() to return (its own deadline wakes it). */
static void cpu_wait_event_returns(struct ktest *t)
{
	u64 before = timer_read();

	cpu_wait_event();
	KTEST_EXPECT_TRUE(t, timer_read() > before);
	KTEST_EXPECT_EQ(t, this_hart()->timer_deadline, TIMER_NEVER);
}

static const struct ktest_case trap_cases[] = {
	KTEST_CASE(trap_probe_insn_skips_illegal),
	KTEST_CASE(trap_cause_name_decodes),
	KTEST_CASE(timer_interrupt_on_every_hart),
	KTEST_CASE(cpu_wait_event_returns),
	{}
};

KTEST_SUITE(trap_suite) = {
	.name = "trap",
	.cases = trap_cases,
};
