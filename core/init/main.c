// SPDX-License-Identifier: MIT
/*
 * start_kernel(): the generic boot sequence, from a filled boot_info to the
 * app's main().
 *
 * The board has already probed SBI, installed its hooks, set up the boot
 * hart and parsed the device tree. Here: report what we run on, split the
 * command line, bring up the other harts, enable interrupts, run the app's
 * constructors and main() as thread 1 on a stack of its own, and power
 * off with its return value.
 */
#define pr_fmt(fmt) "rvmem: " fmt

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/cpufeature.h>
#include <asm/csr.h>
#include <asm/irqflags.h>
#include <rvmem/boot.h>
#include <rvmem/internal/mm.h>
#include <rvmem/param.h>
#include <rvmem/internal/platform.h>
#include <rvmem/printk.h>
#include <rvmem/internal/smp.h>
#include <rvmem/thread.h>

#define RVMEM_VERSION	"0.1.0"
#define MAX_APP_ARGS	32
#define CMDLINE_MAX	1024

extern int main(int argc, char **argv);
extern const char rvmem_app_name[];
void __libc_init_array(void);

static char cmdline[CMDLINE_MAX];
static char *app_argv[MAX_APP_ARGS + 1];
static int app_argc;
static unsigned long max_cpus = NR_CPUS;

/*
 * rdinstret at the kernel's first instruction (written by _start, so in
 * .data: clearing bss must not wipe it) and just before main(). Under
 * QEMU -icount their difference is the boot's cost in instructions.
 */
unsigned long boot_instret_entry __section(".data");

static int set_maxcpus(const char *val)
{
	return param_parse_uint_range(val, 1, ~0UL, &max_cpus);
}
KERNEL_PARAM(param_maxcpus, "maxcpus", set_maxcpus,
	     "maxcpus=N: bring up at most N harts (N >= 1)");

static void print_banner(void)
{
	pr_info("version %s on %s, boot hart %u; built for %s\n",
		RVMEM_VERSION, platform->name, this_hart()->hartid,
		RVMEM_ISA);
	platform_banner();
	pr_info("cpu: %u harts, isa %s, mmu %s, timebase %lu Hz\n",
		boot_info.nr_harts_listed, boot_info.isa,
		boot_mmu_name(boot_info.mmu),
		(unsigned long)boot_info.timebase_hz);
	pr_info("memory: %lu MiB in %u range%s, %u reserved range%s\n",
		(unsigned long)(boot_mem_total(&boot_info) >> 20),
		boot_info.nr_mem, boot_info.nr_mem == 1 ? "" : "s",
		boot_info.nr_resv, boot_info.nr_resv == 1 ? "" : "s");
}

static int build_argv(void)
{
	size_t nr_params = __stop_kernel_params - __start_kernel_params;

	if (strlen(boot_info.bootargs) >= sizeof(cmdline))
		pr_warn("command line longer than %zu bytes; truncated\n",
			sizeof(cmdline) - 1);
	strncpy(cmdline, boot_info.bootargs, sizeof(cmdline) - 1);
	app_argv[0] = (char *)rvmem_app_name;
	return parse_bootargs(cmdline, __start_kernel_params, nr_params,
			      app_argv, ARRAY_SIZE(app_argv));
}

static void boot_report_cost(unsigned long instret_main)
{
	/* A hypervisor may let instret be read but not count (KVM does). */
	if (instret_main == boot_instret_entry) {
		pr_info("boot: instret does not count here; no instruction "
			"count\n");
		return;
	}
	pr_info("boot: %lu instructions from entry to main\n",
		instret_main - boot_instret_entry);
}

/* Thread 1, on its demand-paged stack: constructors, main(), exit(). */
static void run_main(void *unused)
{
	__libc_init_array();
	boot_report_cost(rdinstret());
	exit(main(app_argc, app_argv));
}

/* The rest of the boot, on the boot hart's guarded stack. */
static void __noreturn kernel_main(void)
{
	smp_boot_secondaries(max_cpus);
	pr_info("smp: %u of %u harts online\n", nr_cpus_online,
		boot_info.nr_harts);
	if (boot_info.nr_harts_listed > boot_info.nr_harts)
		pr_warn("smp: using %u of the %u harts the device tree lists "
			"(NR_CPUS is %u)\n", boot_info.nr_harts,
			boot_info.nr_harts_listed, NR_CPUS);
	local_irq_enable();
	thread_run_main(run_main, NULL);
}

void start_kernel(void)
{
	app_argc = build_argv();
	print_banner();
	pr_info("command line: %s\n", boot_info.bootargs);
	riscv_fill_hwcap();	/* paging_init() maps by what it finds */
	mm_init();
	smp_switch_boot_stack(kernel_main);
}
