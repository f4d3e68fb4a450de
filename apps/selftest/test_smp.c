// SPDX-License-Identifier: MIT
/*
 * Harts: every hart in the device tree is online with its own tp, stack
 * and TLS; cross-calls reach each of them; HSM can stop and restart one.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <asm/processor.h>
#include <asm/sbi.h>
#include <asm/timer.h>
#include <rvmem/ktest.h>
#include <rvmem/smp.h>
#include <rvmem/spinlock.h>

struct visit {
	unsigned int count[NR_CPUS];
	bool tp_ok[NR_CPUS];
	bool stack_ok[NR_CPUS];
};

static void record_visit(void *arg)
{
	struct visit *v = arg;
	struct hart *h = this_hart();
	unsigned long sp = (unsigned long)__builtin_frame_address(0);

	__atomic_add_fetch(&v->count[h->cpu], 1, __ATOMIC_RELAXED);
	v->tp_ok[h->cpu] = h == &harts[h->cpu];
	v->stack_ok[h->cpu] = (sp > h->stack_base && sp <= h->stack_top) ||
			      (sp > h->app_stack_base && sp <= h->app_stack_top);
}

/* Expect every hart the device tree lists to be online (no maxcpus). */
static void smp_all_harts_online(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, nr_cpus_online, boot_info.nr_harts);
}

/* Expect on_each_hart() to run exactly once on each online hart, with tp
 * pointing at that hart's struct and sp on that hart's stack. */
static void on_each_hart_runs_everywhere_once(struct ktest *t)
{
	struct visit v = { 0 };
	unsigned int cpu;

	on_each_hart(record_visit, &v);
	for (cpu = 0; cpu < nr_cpus_online; cpu++) {
		KTEST_EXPECT_EQ(t, v.count[cpu], 1);
		KTEST_EXPECT_TRUE(t, v.tp_ok[cpu]);
		KTEST_EXPECT_TRUE(t, v.stack_ok[cpu]);
	}
}

static void whoami(void *arg)
{
	*(unsigned int *)arg = smp_processor_id();
}

/* Expect smp_call_on(cpu) to run the function on that very hart. */
static void smp_call_on_targets_one_hart(struct ktest *t)
{
	unsigned int cpu, ran_on;

	for (cpu = 0; cpu < nr_cpus_online; cpu++) {
		ran_on = ~0U;
		smp_call_on(cpu, whoami, &ran_on);
		KTEST_EXPECT_EQ(t, ran_on, cpu);
	}
}

static void set_errno_here(void *arg)
{
	errno = *(int *)arg;
}

/* errno lives in per-hart TLS: expect a write on another hart not to
 * change this hart's errno. */
static void tls_errno_is_per_hart(struct ktest *t)
{
	int other = EMFILE;

	if (nr_cpus_online < 2) {
		ktest_skip(t, "needs two harts");
		return;
	}
	errno = EAGAIN;
	smp_call_on(1, set_errno_here, &other);
	KTEST_EXPECT_EQ(t, errno, EAGAIN);
}

/* Expect HSM to stop the last hart and start it again, after which it
 * answers cross-calls. */
static void smp_stop_and_restart_hart(struct ktest *t)
{
	unsigned int cpu = nr_cpus_online - 1, ran_on = ~0U;

	if (nr_cpus_online < 2) {
		ktest_skip(t, "needs two harts");
		return;
	}
	KTEST_ASSERT_EQ(t, smp_stop_hart(cpu), 0);
	KTEST_EXPECT_EQ(t, sbi_hart_status(harts[cpu].hartid), SBI_HSM_STOPPED);
	KTEST_EXPECT_TRUE(t, !harts[cpu].online);
	KTEST_ASSERT_EQ(t, smp_start_hart(cpu), 0);
	smp_call_on(cpu, whoami, &ran_on);
	KTEST_EXPECT_EQ(t, ran_on, cpu);
	KTEST_EXPECT_EQ(t, nr_cpus_online, boot_info.nr_harts);
}

/* Expect SBI RFENCE to accept a remote sfence.vma on every other hart
 * (its effect on mappings is tested with paging). */
static void sbi_remote_sfence_vma_all_harts(struct ktest *t)
{
	unsigned long mask = 0;
	unsigned int cpu;

	KTEST_ASSERT_TRUE(t, sbi_info.has_rfence);
	for (cpu = 1; cpu < nr_cpus_online; cpu++)
		mask |= 1UL << harts[cpu].hartid;
	KTEST_EXPECT_EQ(t, sbi_remote_sfence_vma(mask, 0, 0, -1UL), 0);
	KTEST_EXPECT_EQ(t, sbi_remote_sfence_vma(mask, 0, 0x80200000, 4096),
			0);
}

/* A thread that takes a lock main holds, and what its hart counted. */
struct contender {
	spinlock_t lock;
	struct hart *hart;		/* published once @waits0 is read */
	unsigned long waits0, waits;
	u64 ticks, span;
};

static void *contend(void *arg)
{
	struct contender *c = arg;
	struct hart *me = this_hart();
	u64 ticks0 = me->lock_wait_ticks, start = timer_read();

	c->waits0 = me->lock_waits;
	__atomic_store_n(&c->hart, me, __ATOMIC_RELEASE);
	spin_lock(&c->lock);
	spin_unlock(&c->lock);
	c->span = timer_read() - start;
	c->waits = me->lock_waits - c->waits0;
	c->ticks = me->lock_wait_ticks - ticks0;
	return NULL;
}

/*
 * Expect a spin_lock() that finds its lock held to count one wait on its
 * hart as it starts waiting, and the time it waited as it ends: main
 * holds the lock until the other hart's count has moved, then 100 us
 * more, so that hart waited at least that long and at most its whole
 * call.
 */
static void spin_lock_counts_contended_waits(struct ktest *t)
{
	static struct contender c;
	u64 hold = 100 * timer_ticks_per_us(), seen;
	pthread_t th;
	struct hart *h;

	if (nr_cpus_online < 2) {
		ktest_skip(t, "needs two harts");
		return;
	}
	memset(&c, 0, sizeof(c));
	spin_lock(&c.lock);
	if (pthread_create(&th, NULL, contend, &c)) {
		spin_unlock(&c.lock);
		ktest_skip(t, "no idle hart for the contender");
		return;
	}
	while (!(h = __atomic_load_n(&c.hart, __ATOMIC_ACQUIRE)))
		cpu_relax();
	while (READ_ONCE(h->lock_waits) == c.waits0)
		cpu_relax();
	seen = timer_read();
	while (timer_read() - seen < hold)
		cpu_relax();
	spin_unlock(&c.lock);
	pthread_join(th, NULL);
	KTEST_EXPECT_EQ(t, c.waits, 1);
	KTEST_EXPECT_TRUE(t, c.ticks >= hold && c.ticks <= c.span);
}

/* Expect bad requests to be refused, not obeyed. */
static void smp_stop_hart_rejects_boot_hart(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, smp_stop_hart(0), -EINVAL);
	KTEST_EXPECT_EQ(t, smp_stop_hart(NR_CPUS), -EINVAL);
	KTEST_EXPECT_EQ(t, smp_start_hart(0), -EINVAL);
}

static const struct ktest_case smp_cases[] = {
	KTEST_CASE(smp_all_harts_online),
	KTEST_CASE(on_each_hart_runs_everywhere_once),
	KTEST_CASE(smp_call_on_targets_one_hart),
	KTEST_CASE(tls_errno_is_per_hart),
	KTEST_CASE(smp_stop_and_restart_hart),
	KTEST_CASE(smp_stop_hart_rejects_boot_hart),
	KTEST_CASE(sbi_remote_sfence_vma_all_harts),
	KTEST_CASE(spin_lock_counts_contended_waits),
	{}
};

KTEST_SUITE(smp_suite) = {
	.name = "smp",
	.cases = smp_cases,
};
