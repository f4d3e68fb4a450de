// SPDX-License-Identifier: MIT
/*
 * The QEMU/KVM virt board: from firmware entry to start_kernel().
 *
 * virt_boot() runs on the boot hart with the MMU off. It probes SBI,
 * installs the board's console and poweroff hooks, sets up the hart,
 * parses the device tree into boot_info, reads the real-time clock and
 * hands over to core/. A device
 * tree the kernel cannot use ends the boot here with one clear message and
 * a failure exit.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <asm/csr.h>
#include <asm/sbi.h>
#include <rvmem/boot.h>
#include <rvmem/panic.h>
#include <rvmem/param.h>
#include <rvmem/platform.h>
#include <rvmem/printk.h>
#include <rvmem/smp.h>
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
 * 0 through SRST for a failed boot).
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

static const char *virt_firmware(void)
{
	static char buf[96];
	unsigned long v = sbi_info.impl_version;

	if (sbi_info.impl_id == SBI_IMPL_OPENSBI)
		snprintf(buf, sizeof(buf), "%s v%lu.%lu",
			 sbi_impl_name(sbi_info.impl_id), v >> 16, v & 0xffff);
	else
		snprintf(buf, sizeof(buf), "%s (version 0x%lx)",
			 sbi_impl_name(sbi_info.impl_id), v);
	return buf;
}

static const struct platform_ops virt_ops = {
	.name = "riscv-virtio (QEMU/KVM virt)",
	.console_write = sbi_console_write,
	.poweroff = virt_poweroff,
	.firmware = virt_firmware,
};

static void __noreturn virt_bad_fdt(const char *msg)
{
	if (!finisher_addr && sbi_info.impl_id != SBI_IMPL_KVM)
		finisher_addr = VIRT_TEST_BASE;
	printk("rvmem: the device tree passed in a1 is unusable; "
	       "check -dtb or the VMM's tree\n");
	boot_fail("%s", msg);
}

void __noreturn virt_boot(unsigned long hartid, unsigned long fdt_pa);

void virt_boot(unsigned long hartid, unsigned long fdt_pa)
{
	const void *fdt = (const void *)fdt_pa;
	char err[160];

	sbi_init();
	platform_register(&virt_ops);
	smp_init_boot_hart(hartid);

	if (!fdt_pa || !IS_ALIGNED(fdt_pa, 8)) {
		snprintf(err, sizeof(err), "no device tree (a1 = 0x%lx)",
			 fdt_pa);
		virt_bad_fdt(err);
	}
	/* Find the finisher first, so even a bad tree exits with a status. */
	if (!board_parse_poweroff(fdt, FDT_MAX_SIZE, &boot_info.poweroff))
		finisher_addr = boot_info.poweroff.addr;
	if (board_parse_fdt(fdt, FDT_MAX_SIZE, hartid, &boot_info, err,
			    sizeof(err)))
		virt_bad_fdt(err);
	finisher_addr = boot_info.poweroff.addr;
	read_realtime(fdt, &boot_info.realtime);
	start_kernel();
}
