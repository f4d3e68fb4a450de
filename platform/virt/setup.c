// SPDX-License-Identifier: MIT
/*
 * The QEMU/KVM virt board: from firmware entry to start_kernel().
 *
 * virt_boot() runs on the boot hart with the MMU off. It probes SBI,
 * installs the board's console, banner and poweroff hooks, sets up the
 * hart, parses the device tree into boot_info, lists the finisher among
 * the MMIO ranges core/ maps, reads the real-time clock and hands over to
 * core/. A device tree the kernel cannot use ends the boot here with one
 * clear message and a failure exit.
 */
#define pr_fmt(fmt) "rvmem: " fmt	/* banner lines, as start_kernel()'s */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <asm/csr.h>
#include <asm/page.h>
#include <asm/sbi.h>
#include <rvmem/boot.h>
#include <rvmem/panic.h>
#include <rvmem/param.h>
#include <rvmem/internal/platform.h>
#include <rvmem/printk.h>
#include <rvmem/internal/smp.h>
#include "board.h"

/* The blob must fit in this much; QEMU's is about 8 KiB. */
#define FDT_MAX_SIZE	(2UL << 20)

/* sifive,test finisher commands (QEMU hw/misc/sifive_test.c) */
#define FINISHER_FAIL	0x3333
#define FINISHER_PASS	0x5555

/*
 * Where QEMU's virt machine always puts the finisher. Used only when the
 * tree is too broken to say so and we run on firmware (QEMU), not under a
 * hypervisor: OpenSBI's SRST would end QEMU with status 0 even for a
 * failure, hiding it from the caller.
 */
#define VIRT_TEST_BASE	0x100000UL

/*
 * In .data, not bss: poweroff must find the finisher whatever happened to
 * bss (a hart entering _start twice once cleared it, and QEMU then exited
 * 0 through SRST for a failed boot). Its page is identity-mapped
 * (boot_info.mmio), so the same address serves with the MMU off and on.
 */
static u64 finisher_addr __section(".data");

/* goldfish RTC registers: nanoseconds since the epoch, low word first
 * (reading it latches the high word). */
#define GOLDFISH_RTC_TIME_LOW	0x00
#define GOLDFISH_RTC_TIME_HIGH	0x04

/* Read the wall clock once, with the MMU still off (physical access). */
static void read_realtime(const void *fdt, struct boot_clock *clock)
{
	volatile u32 *rtc;
	u64 addr, low;

	if (board_find_rtc(fdt, FDT_MAX_SIZE, &addr) || !addr)
		return;
	rtc = (volatile u32 *)(uintptr_t)addr;
	clock->ticks = csr_read(time);
	low = rtc[GOLDFISH_RTC_TIME_LOW / 4];
	clock->ns = (u64)rtc[GOLDFISH_RTC_TIME_HIGH / 4] << 32 | low;
}

static int set_poweroff(const char *val)
{
	if (val && !strcmp(val, "srst")) {
		finisher_addr = 0;
		return 0;
	}
	return val && !strcmp(val, "finisher") ? 0 : -EINVAL;
}
KERNEL_PARAM(param_poweroff, "poweroff", set_poweroff,
	     "poweroff=srst|finisher: end through SBI SRST (as under KVM) "
	     "or the test finisher (default when the tree has one)");

static void virt_poweroff(int status)
{
	volatile u32 *finisher = (volatile u32 *)(uintptr_t)finisher_addr;

	if (finisher)
		*finisher = status ? ((u32)status << 16) | FINISHER_FAIL :
				     FINISHER_PASS;
	sbi_system_shutdown(status != 0);
}

static int virt_console_getchar(void)
{
	long c;

	if (!sbi_info.has_legacy_getchar)
		return -ENODEV;
	c = sbi_console_getchar();
	return c < 0 ? -EAGAIN : (int)c;
}

static void virt_banner(void)
{
	sbi_show_info();
	if (sbi_info.impl_id == SBI_IMPL_KVM)
		pr_info("running as a KVM guest: no firmware of our own, "
			"SBI served by the hypervisor%s\n",
			finisher_addr ? "" :
			", no test finisher (poweroff via SBI SRST)");
}

static const struct platform_ops virt_ops = {
	.name = "riscv-virtio (QEMU/KVM virt)",
	.console_write = sbi_console_write,
	.console_getchar = virt_console_getchar,
	.poweroff = virt_poweroff,
	.banner = virt_banner,
};

static void __noreturn virt_bad_fdt(const char *msg)
{
	if (!finisher_addr && sbi_info.impl_id != SBI_IMPL_KVM)
		finisher_addr = VIRT_TEST_BASE;
	printk("rvmem: the device tree passed in a1 is unusable; "
	       "check -dtb or the VMM's tree\n");
	boot_fail("%s", msg);
}

/* The finisher's page, for paging_init() to map as device memory. */
static void add_finisher_mmio(struct boot_info *bi)
{
	bi->mmio[bi->nr_mmio++] = (struct boot_range){
		.base = ALIGN_DOWN(finisher_addr, PAGE_SIZE),
		.size = PAGE_SIZE,
	};
}

void __noreturn virt_boot(unsigned long hartid, unsigned long fdt_pa);

void virt_boot(unsigned long hartid, unsigned long fdt_pa)
{
	const void *fdt = (const void *)fdt_pa;
	struct boot_poweroff poweroff;
	char err[160];
	int ret;

	sbi_init();
	platform_register(&virt_ops);
	smp_init_boot_hart(hartid);

	if (!fdt_pa || !IS_ALIGNED(fdt_pa, 8)) {
		snprintf(err, sizeof(err), "no device tree (a1 = 0x%lx)",
			 fdt_pa);
		virt_bad_fdt(err);
	}
	/* Set even for a refused tree, so that it exits with a status. */
	ret = board_parse_fdt(fdt, FDT_MAX_SIZE, hartid, &boot_info, &poweroff,
			      err, sizeof(err));
	finisher_addr = poweroff.addr;
	if (ret)
		virt_bad_fdt(err);
	if (finisher_addr)
		add_finisher_mmio(&boot_info);
	read_realtime(fdt, &boot_info.realtime);
	start_kernel();
}
