// SPDX-License-Identifier: MIT
/*
 * The board's hooks and the one way to end the machine.
 *
 * platform_poweroff() prints a last line that names the exit status, so a
 * console log alone tells how a run ended (the KVM test runner reads it;
 * QEMU's own exit code carries it too when a test finisher exists).
 */
#include <asm/processor.h>
#include <rvmem/internal/platform.h>
#include <rvmem/printk.h>

/* In .data, like the finisher's address: poweroff never relies on bss. */
const struct platform_ops *platform __section(".data");

void platform_register(const struct platform_ops *ops)
{
	platform = ops;
}

void platform_poweroff(int status)
{
	printk("rvmem: poweroff, exit status %d\n", status);
	if (platform && platform->poweroff)
		platform->poweroff(status);
	printk("rvmem: poweroff failed; halting\n");
	arch_halt();
}
