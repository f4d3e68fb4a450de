/* SPDX-License-Identifier: MIT */
/*
 * The platform boundary: the few things core/ asks of the board.
 *
 * A board (platform/virt, platform/host) fills boot_info, registers its ops
 * with platform_register() and calls start_kernel(). Every hook is optional;
 * the wrappers below say what happens without it.
 */
#ifndef RVMEM_INTERNAL_PLATFORM_H
#define RVMEM_INTERNAL_PLATFORM_H

#include <errno.h>
#include <rvmem/types.h>

/**
 * struct platform_ops - board hooks
 * @name: shown in the boot log
 * @console_write: write bytes to the console; default: output is dropped
 * @console_getchar: one byte of console input: the byte (0 to 255),
 *                   -EAGAIN when none is waiting, or -ENODEV when the
 *                   console has no input; default: no input
 * @poweroff: end the machine with @status (0 = success); default: the
 *            hart halts and the machine stays up
 * @banner: log what runs below the kernel (firmware, its version and
 *          features, console and timer); default: nothing
 */
struct platform_ops {
	const char *name;
	void (*console_write)(const char *s, size_t len);
	int (*console_getchar)(void);
	void (*poweroff)(int status);
	void (*banner)(void);
};

/* The board's hooks; NULL until platform_register(). */
extern const struct platform_ops *platform;

/**
 * platform_register() - install the board's hooks
 * @ops: the hooks; must stay valid for good
 *
 * Context: boot hart, early, before the first printk.
 */
void platform_register(const struct platform_ops *ops);

/**
 * platform_console_write() - write bytes to the board's console
 * @s: the bytes
 * @len: how many
 */
static inline void platform_console_write(const char *s, size_t len)
{
	if (platform && platform->console_write)
		platform->console_write(s, len);
}

/**
 * platform_console_getchar() - one byte of console input, if any
 *
 * Return: the byte, -EAGAIN when none is waiting, -ENODEV without input.
 */
static inline int platform_console_getchar(void)
{
	if (platform && platform->console_getchar)
		return platform->console_getchar();
	return -ENODEV;
}

/** platform_banner() - log the board's firmware lines, if it has any */
static inline void platform_banner(void)
{
	if (platform && platform->banner)
		platform->banner();
}

/**
 * platform_poweroff() - end the machine with an exit status
 * @status: 0 for success; QEMU exits with it (0..255 is portable)
 */
void __noreturn platform_poweroff(int status);

/**
 * start_kernel() - the generic boot sequence, entered by the board
 *
 * Context: boot hart, interrupts off, boot_info filled, ops registered.
 */
void __noreturn start_kernel(void);

#endif /* RVMEM_INTERNAL_PLATFORM_H */
