// SPDX-License-Identifier: MIT
/*
 * Harts through the firmware: SBI HSM starts and stops them, SBI IPI
 * signals them (the calls declared in <asm/smp.h>).
 *
 * Also the test of OpenSBI < 1.3's start race (smp.test_stray_entry):
 * where a hart goes on start is this layer's business, so the test that
 * sends harts to the wrong place lives here too.
 */
#include <errno.h>
#include <asm/csr.h>
#include <asm/processor.h>
#include <asm/sbi.h>
#include <asm/smp.h>
#include <asm/timer.h>
#include <rvmem/boot.h>
#include <rvmem/internal/smp.h>
#include <rvmem/panic.h>
#include <rvmem/param.h>
#include <rvmem/printk.h>

#define STRAY_START_TIMEOUT_US	5000000	/* as long as core's online wait */

extern char _start[], secondary_entry[];
static bool test_stray_entry;

static int set_test_stray_entry(const char *val)
{
	return param_set_flag(val, &test_stray_entry);
}
KERNEL_PARAM(param_test_stray_entry, "smp.test_stray_entry",
	     set_test_stray_entry,
	     "smp.test_stray_entry: start cpu 1 at _start with a1 = the FDT, "
	     "as OpenSBI < 1.3 may, and cpu 2 there before its start");

bool arch_can_start_harts(void)
{
	return sbi_info.has_hsm;
}

static bool hart_started(u32 hartid)
{
	return sbi_hart_status(hartid) == SBI_HSM_STARTED;
}

bool arch_hart_stopped(u32 hartid)
{
	return sbi_hart_status(hartid) == SBI_HSM_STOPPED;
}

/*
 * smp.test_stray_entry, cpu 2: a hart at _start before its HSM start, as
 * a firmware that releases every hart at the cold entry would leave it.
 * Start @h there with a1 = the FDT and wait until the firmware counts it
 * as started; its real start then finds it running.
 */
static void hart_start_stray(struct hart *h)
{
	int err = sbi_hart_start(h->hartid, (unsigned long)_start,
				 boot_info.fdt_base);
	u64 end = timer_read() + STRAY_START_TIMEOUT_US * timer_ticks_per_us();

	pr_info("smp: test: hart %u sent to _start (%d)\n", h->hartid, err);
	while (!err && !hart_started(h->hartid)) {
		if (timer_read() > end) {
			pr_err("smp: test: hart %u did not start\n", h->hartid);
			return;
		}
		cpu_wait_event();
	}
}

/*
 * Where HSM starts @h: secondary_entry with a1 = @h. Under
 * smp.test_stray_entry, cpu 1 goes where OpenSBI < 1.3 sends a hart when
 * it loses its race: _start, with a1 = the FDT.
 */
static unsigned long hart_start_addr(struct hart *h, unsigned long *arg)
{
	if (test_stray_entry && h->cpu == 1) {
		*arg = boot_info.fdt_base;
		return (unsigned long)_start;
	}
	*arg = (unsigned long)h;
	return (unsigned long)secondary_entry;
}

int arch_hart_start(struct hart *h)
{
	unsigned long addr, arg;
	int err;

	if (test_stray_entry && h->cpu == 2)
		hart_start_stray(h);
	addr = hart_start_addr(h, &arg);
	err = sbi_hart_start(h->hartid, addr, arg);
	if (err == SBI_ERR_ALREADY_AVAILABLE)
		return 0;	/* at _start: it joins through hart_starting */
	if (err)
		pr_err("smp: hart %u: SBI hart_start failed (%d)\n",
		       h->hartid, err);
	return sbi_err_to_errno(err);
}

void arch_hart_stop(void)
{
	sbi_hart_stop();
	panic("smp: SBI hart_stop returned on hart %u", this_hart()->hartid);
}

void arch_send_ipi(u32 hartid)
{
	sbi_send_ipi(hartid);
}

void arch_hart_init(void)
{
	timer_init();
	csr_set(sie, SIE_SSIE);
}
