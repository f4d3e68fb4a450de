/* SPDX-License-Identifier: MIT */
/*
 * Harts: per-hart data, bring-up and cross-calls.
 *
 * Every hart listed in the device tree is started at boot and gets a
 * struct hart, reachable from the tp register (this_hart()) and from
 * harts[cpu]. "cpu" is rvmem's dense logical number (boot hart = 0);
 * "hartid" is the number the firmware uses. A hart's struct is written
 * only by that hart, except the cross-call slot, which the caller fills
 * before the IPI and the target acknowledges.
 */
#ifndef RVMEM_SMP_H
#define RVMEM_SMP_H

#define HART_STACK_SIZE		(16 * 1024)

/*
 * picolibc keeps errno and friends in thread-local storage addressed from
 * tp (RISC-V TLS variant I: the block starts at tp). Each hart's TLS block
 * is therefore the first member of its struct hart, and tp serves both.
 * The linker script asserts the image's TLS fits in HART_TLS_SIZE.
 */
#define HART_TLS_SIZE		1024

#define TRAP_STACK_SIZE		4096	/* per hart, for traps on a bad sp */

#ifndef __ASSEMBLER__
#include <rvmem/boot.h>
#include <rvmem/types.h>

struct per_cpu_pages;

/* What a cross-call or a piece of app work runs, as in Linux. */
typedef void (*smp_call_func_t)(void *arg);

/**
 * struct hart - per-hart state (tp points here while the hart runs)
 * @tls: this hart's copy of the image's thread-local data (.tdata, .tbss)
 * @cpu: logical id, 0 for the boot hart
 * @hartid: firmware hart id
 * @stack_top: initial stack pointer (stack grows down from here)
 * @stack_base: lowest address of the stack
 * @trap_stack_top: where a trap goes when sp is not on the stack (it
 *                  overflowed into the guard page)
 * @irq_sp: where a trap taken on an app stack puts its frame: on this
 *          stack, below the call that switched to the app stack (an app
 *          stack's next page may not be mapped yet)
 * @app_stack_base: lowest address of the app stack in use, or 0
 * @app_stack_top: its top
 * @online: the hart reached C and is taking cross-calls
 * @call_fn: pending cross-call, run by the target hart
 * @call_arg: its argument
 * @call_seq: bumped by the caller for each cross-call
 * @call_done: set to @call_seq by the target when the call has run
 * @timer_deadline: armed deadline in timebase ticks, or TIMER_NEVER
 * @timer_fn: called from this hart's timer interrupt, or NULL
 * @timer_irqs: timer interrupts taken
 * @ipis: software interrupts taken
 * @stop_requested: the next IPI stops this hart through HSM
 * @probing: an illegal-instruction trap now is a failed feature probe
 * @probe_faulted: set when it did
 * @pcp: this hart's page lists (per_cpu_pages[@cpu]), one load from tp
 * @cpu_slab_offset: @cpu * sizeof(struct kmem_cache_cpu): where this
 *	hart's share of a cache's per-hart array is, one load from tp
 * @seq_restarts: interrupted restartable sequences sent back to their
 *	start (asm/rseq.h), for tests
 * @lock_waits: spin_lock() calls that found the lock held (counted as
 *	the wait starts)
 * @lock_wait_ticks: timebase ticks those calls spent waiting (added as
 *	each ends)
 * @busy: running app work (main, a thread), or claimed for it
 * @work_fn: app work handed to this idle hart, run in normal context
 * @work_arg: its argument
 * @work_released: the running work called smp_work_done() (this hart's)
 */
struct hart {
	u8 tls[HART_TLS_SIZE] __attribute__((aligned(16)));
	unsigned int cpu;
	u32 hartid;
	unsigned long stack_top;
	unsigned long stack_base;
	unsigned long trap_stack_top;
	unsigned long irq_sp;
	unsigned long app_stack_base;
	unsigned long app_stack_top;
	volatile bool online;
	volatile smp_call_func_t call_fn;
	void *volatile call_arg;
	volatile unsigned long call_seq;
	volatile unsigned long call_done;
	u64 timer_deadline;
	void (*timer_fn)(void);
	unsigned long timer_irqs;
	unsigned long ipis;
	volatile bool stop_requested;
	bool probing;
	bool probe_faulted;
	struct per_cpu_pages *pcp;
	unsigned long cpu_slab_offset;
	unsigned long seq_restarts;
	unsigned long lock_waits;
	u64 lock_wait_ticks;
	int busy;
	volatile smp_call_func_t work_fn;
	void *work_arg;
	bool work_released;
} ____cacheline_aligned;	/* read on every fast path: no line shared
				 * with another hart's, which it writes */

extern struct hart harts[NR_CPUS];
extern unsigned int nr_cpus_online;

#include <asm/current.h>

/** smp_processor_id() - logical id of the calling hart */
static inline unsigned int smp_processor_id(void)
{
	return this_hart()->cpu;
}

/**
 * on_each_hart() - run @fn(@arg) on every online hart, the caller included
 * @fn: function; runs in interrupt context on the other harts
 * @arg: its argument
 *
 * Return: when every hart has run @fn. Context: interrupts enabled or not;
 * must not be called from @fn itself.
 */
void on_each_hart(void (*fn)(void *arg), void *arg);

/**
 * smp_call_on() - run @fn(@arg) on one online hart and wait for it
 * @cpu: logical id (may be the caller's own)
 * @fn: function; runs in interrupt context on another hart
 * @arg: its argument
 */
void smp_call_on(unsigned int cpu, void (*fn)(void *arg), void *arg);

/**
 * smp_kick() - wake a hart from cpu_wait_event() (an IPI, no call)
 * @cpu: its logical id
 */
void smp_kick(unsigned int cpu);

/**
 * smp_stop_hart() - stop an online secondary hart through SBI HSM
 * @cpu: logical id, not 0 and not the caller
 *
 * Return: 0 once the firmware reports the hart stopped, -EINVAL or -EIO.
 */
int smp_stop_hart(unsigned int cpu);

/**
 * smp_start_hart() - start a stopped hart again
 * @cpu: logical id of a hart in boot_info
 *
 * Return: 0 once it is online, or a negative errno.
 */
int smp_start_hart(unsigned int cpu);

/**
 * smp_start_work() - run @fn(@arg) on an idle hart, in normal context
 * @fn: the work; it runs with interrupts on, on that hart's stack, with
 *      fresh thread-local data, and the hart is idle again when it returns
 * @arg: its argument
 *
 * Return: the cpu the work runs on, or -EAGAIN when no hart is idle.
 * There is no time slicing: each piece of work has a hart to itself.
 */
int smp_start_work(void (*fn)(void *arg), void *arg);

/**
 * smp_work_done() - let this hart take new work while the current
 * work finishes
 *
 * For work that tells others it is done (a thread its joiner): calling
 * this first means a hart is free again by the time they hear of it.
 * Work handed over meanwhile runs once the current work returns.
 * Context: inside work from smp_start_work(), on its hart.
 */
void smp_work_done(void);

/**
 * smp_run_on_app_stack() - call @fn(@arg) on the app stack [@base, @top)
 * @base: its lowest address (above its guard page)
 * @top: its top, the initial sp
 * @fn: what to run there; traps taken meanwhile put their frames on this
 *      hart's own stack, so @fn's stack may be demand-paged
 * @arg: its argument
 *
 * Context: normal, on this hart's own stack; not nested.
 */
void smp_run_on_app_stack(unsigned long base, unsigned long top,
			  void (*fn)(void *arg), void *arg);

#endif /* !__ASSEMBLER__ */
#endif /* RVMEM_SMP_H */
