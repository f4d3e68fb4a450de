// SPDX-License-Identifier: MIT
/*
 * Hart bring-up and cross-calls.
 *
 * The boot hart is cpu 0. smp_boot_secondaries() gives every other hart in
 * boot_info a struct hart and a stack and starts it through the platform
 * (<asm/smp.h>: SBI HSM on RISC-V); the hart sets up its trap vector and
 * timer, says it is online and idles in wfi with interrupts on, serving
 * cross-calls. A hart the firmware sends to _start instead joins through
 * hart_starting (see platform/riscv/entry.S).
 *
 * Lock order: call_lock, then console_lock (a called function may print).
 * call_lock serialises cross-call senders; a target's call slot is written
 * only by the holder of call_lock and acknowledged by the target through
 * call_done (release/acquire on the sequence numbers).
 */
#include <errno.h>
#include <string.h>
#include <asm/barrier.h>
#include <asm/irqflags.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <asm/timer.h>
#include <rvmem/internal/smp.h>
#include <rvmem/internal/trap.h>
#include <rvmem/memlayout.h>
#include <rvmem/panic.h>
#include <rvmem/printk.h>
#include <rvmem/mm.h>
#include <rvmem/internal/numa.h>
#include <rvmem/spinlock.h>
#include <rvmem/vmalloc.h>

#define HART_START_TIMEOUT_US	5000000	/* generous: QEMU harts are host threads */

_Static_assert(__builtin_offsetof(struct hart, hartid) == HART_OFF_HARTID,
	       "struct hart: hartid offset");
_Static_assert(__builtin_offsetof(struct hart, stack_top) ==
	       HART_OFF_STACK_TOP, "struct hart: stack_top offset");
_Static_assert(__builtin_offsetof(struct hart, stack_base) ==
	       HART_OFF_STACK_BASE, "struct hart: stack_base offset");
_Static_assert(__builtin_offsetof(struct hart, trap_stack_top) ==
	       HART_OFF_TRAP_STACK, "struct hart: trap_stack_top offset");
_Static_assert(__builtin_offsetof(struct hart, irq_sp) == HART_OFF_IRQ_SP,
	       "struct hart: irq_sp offset");
/* The trap entry takes any sp above the hart's stack for an app stack. */
_Static_assert(MMAP_START >= VMALLOC_END, "app stacks above hart stacks");

struct hart harts[NR_CPUS];
unsigned int nr_cpus_online;
/* In .data: a stray hart may read it before the boot hart clears bss. */
struct hart *hart_starting __section(".data");
/* The boot hart's first stack, until vmalloc gives it a guarded one. */
u8 boot_stack[HART_STACK_SIZE] __attribute__((aligned(16)));
static u8 trap_stacks[NR_CPUS][TRAP_STACK_SIZE] __attribute__((aligned(16)));

static DEFINE_SPINLOCK(call_lock);

/* Linker-script symbols: only their addresses carry values. */
extern const u8 __tdata_source[], __tdata_size[], __tbss_offset[],
	__tbss_size[];

/* Give the hart its own copy of the thread-local data picolibc uses. */
static void hart_init_tls(struct hart *h)
{
	memcpy(h->tls, __tdata_source, (size_t)__tdata_size);
	memset(h->tls + (size_t)__tbss_offset, 0, (size_t)__tbss_size);
}

static void hart_set_stack(struct hart *h, unsigned long base)
{
	h->stack_base = base;
	h->stack_top = base + HART_STACK_SIZE;
}

static void hart_prepare(unsigned int cpu, u32 hartid)
{
	struct hart *h = &harts[cpu];

	hart_init_tls(h);
	h->cpu = cpu;
	h->hartid = hartid;
	numa_add_cpu(cpu, hartid);
	h->trap_stack_top = (unsigned long)trap_stacks[cpu] + TRAP_STACK_SIZE;
}

/* A guarded stack from vmalloc for @h: a guard page below and above. */
static int hart_alloc_stack(struct hart *h)
{
	void *stack = vmalloc_stack(HART_STACK_SIZE, h->cpu);

	if (!stack)
		return -ENOMEM;
	hart_set_stack(h, (unsigned long)stack);
	return 0;
}

static void hart_go_online(struct hart *h)
{
	trap_init();
	arch_hart_init();
	__atomic_add_fetch(&nr_cpus_online, 1, __ATOMIC_RELAXED);
	smp_store_release(&h->online, true);
}

void smp_init_boot_hart(u32 hartid)
{
	hart_prepare(0, hartid);
	hart_set_stack(&harts[0], (unsigned long)boot_stack);
	set_this_hart(&harts[0]);
	hart_go_online(&harts[0]);
}

void smp_switch_boot_stack(void (*fn)(void))
{
	struct hart *h = this_hart();

	if (hart_alloc_stack(h))
		boot_fail("smp: no memory for the boot hart's stack");
	arch_call_on_stack(h->stack_top, fn);
}

/* Wait with interrupts masked around the check, so no kick is lost. */
static void (*idle_wait_work(struct hart *h))(void *)
{
	void (*fn)(void *);

	local_irq_disable();
	while (!(fn = __atomic_load_n(&h->work_fn, __ATOMIC_ACQUIRE)))
		wait_for_interrupt();
	local_irq_enable();
	return fn;
}

/* Idle: serve cross-calls, and run app work handed to this hart. */
void secondary_start(struct hart *h)
{
	hart_go_online(h);
	local_irq_enable();
	for (;;) {
		void (*fn)(void *) = idle_wait_work(h);

		h->work_fn = NULL;
		hart_init_tls(h);
		fn(h->work_arg);
		if (!h->work_released)	/* else new work may be handed over */
			smp_work_done();
		h->work_released = false;
	}
}

void smp_work_done(void)
{
	struct hart *h = this_hart();

	h->work_released = true;
	smp_store_release(&h->busy, false);
}

/* Wait for @cond(@h) with cpu_wait_event(), at most @us microseconds. */
static bool wait_for(bool (*cond)(struct hart *h), struct hart *h, u64 us)
{
	u64 end = timer_read() + us * timer_ticks_per_us();

	while (!cond(h)) {
		if (timer_read() > end)
			return cond(h);
		cpu_wait_event();
	}
	return true;
}

static bool hart_is_online(struct hart *h)
{
	return __atomic_load_n(&h->online, __ATOMIC_ACQUIRE);
}

static bool hart_is_stopped(struct hart *h)
{
	return arch_hart_stopped(h->hartid);
}

/*
 * Start @h and wait until it is online. hart_starting names it meanwhile,
 * for the case where the firmware sends it to _start instead.
 */
static int hart_start(struct hart *h)
{
	int ret;

	smp_store_release(&hart_starting, h);
	ret = arch_hart_start(h);
	if (!ret && !wait_for(hart_is_online, h, HART_START_TIMEOUT_US)) {
		pr_err("smp: hart %u did not come online\n", h->hartid);
		ret = -ETIMEDOUT;
	}
	WRITE_ONCE(hart_starting, NULL);
	return ret;
}

void smp_boot_secondaries(unsigned int max)
{
	unsigned int i, cpu = 1;

	if (!arch_can_start_harts()) {
		pr_warn("smp: no SBI HSM; running on the boot hart only\n");
		return;
	}
	for (i = 0; i < boot_info.nr_harts && cpu < max; i++) {
		if (boot_info.hartid[i] == harts[0].hartid)
			continue;
		hart_prepare(cpu, boot_info.hartid[i]);
		if (hart_alloc_stack(&harts[cpu])) {
			pr_err("smp: no stack for hart %u\n",
			       boot_info.hartid[i]);
			break;
		}
		if (!hart_start(&harts[cpu]))
			cpu++;
	}
	if (hart_lottery > 1)
		pr_info("smp: %u hart%s entered at _start, not through HSM's "
			"start address (firmware race)\n",
			hart_lottery - 1, hart_lottery == 2 ? "" : "s");
}

void smp_ipi_interrupt(void)
{
	struct hart *h = this_hart();
	unsigned long seq = __atomic_load_n(&h->call_seq, __ATOMIC_ACQUIRE);

	h->ipis++;
	if (h->stop_requested) {
		h->stop_requested = false;
		drain_local_pages(NULL);	/* its lists would be lost */
		smp_store_release(&h->online, false);
		__atomic_sub_fetch(&nr_cpus_online, 1, __ATOMIC_RELAXED);
		arch_hart_stop();
	}
	if (h->call_done != seq) {
		h->call_fn(h->call_arg);
		smp_store_release(&h->call_done, seq);
	}
}

static bool call_is_done(struct hart *h)
{
	return __atomic_load_n(&h->call_done, __ATOMIC_ACQUIRE) ==
	       h->call_seq;
}

static void call_post(struct hart *h, void (*fn)(void *), void *arg)
{
	h->call_fn = fn;
	h->call_arg = arg;
	smp_store_release(&h->call_seq, h->call_seq + 1);
	arch_send_ipi(h->hartid);
}

static void call_wait(struct hart *h)
{
	while (!call_is_done(h))
		cpu_wait_event();
}

static void call_local(void (*fn)(void *), void *arg)
{
	unsigned long flags = local_irq_save();

	fn(arg);
	local_irq_restore(flags);
}

void on_each_hart(void (*fn)(void *arg), void *arg)
{
	struct hart *self = this_hart();
	unsigned int cpu;

	spin_lock(&call_lock);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (&harts[cpu] != self && hart_is_online(&harts[cpu]))
			call_post(&harts[cpu], fn, arg);
	call_local(fn, arg);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (&harts[cpu] != self && hart_is_online(&harts[cpu]))
			call_wait(&harts[cpu]);
	spin_unlock(&call_lock);
}

void smp_call_on(unsigned int cpu, void (*fn)(void *arg), void *arg)
{
	struct hart *h = &harts[cpu];

	if (h == this_hart()) {
		call_local(fn, arg);
		return;
	}
	BUG_ON(cpu >= NR_CPUS || !hart_is_online(h));
	spin_lock(&call_lock);
	call_post(h, fn, arg);
	call_wait(h);
	spin_unlock(&call_lock);
}

void smp_kick(unsigned int cpu)
{
	arch_send_ipi(harts[cpu].hartid);
}

int smp_stop_hart(unsigned int cpu)
{
	struct hart *h = &harts[cpu];

	if (cpu == 0 || cpu >= NR_CPUS || h == this_hart() ||
	    !hart_is_online(h))
		return -EINVAL;
	h->stop_requested = true;
	arch_send_ipi(h->hartid);
	return wait_for(hart_is_stopped, h, HART_START_TIMEOUT_US) ? 0 : -EIO;
}

int smp_start_hart(unsigned int cpu)
{
	struct hart *h = &harts[cpu];

	if (cpu == 0 || cpu >= NR_CPUS || !h->stack_top || hart_is_online(h))
		return -EINVAL;
	return hart_start(h);
}

int smp_start_work(void (*fn)(void *arg), void *arg)
{
	unsigned int cpu;

	for (cpu = 1; cpu < NR_CPUS; cpu++) {
		struct hart *h = &harts[cpu];
		int idle = false;

		if (!hart_is_online(h) ||
		    !__atomic_compare_exchange_n(&h->busy, &idle, true, false,
						 __ATOMIC_ACQUIRE,
						 __ATOMIC_RELAXED))
			continue;
		h->work_arg = arg;
		smp_store_release(&h->work_fn, fn);
		smp_kick(cpu);
		return cpu;
	}
	return -EAGAIN;
}

void smp_run_on_app_stack(unsigned long base, unsigned long top,
			  void (*fn)(void *arg), void *arg)
{
	struct hart *h = this_hart();

	h->app_stack_base = base;
	h->app_stack_top = top;
	arch_run_on_stack(top, fn, arg);
	h->app_stack_base = h->app_stack_top = 0;
}
