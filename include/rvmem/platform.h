/* SPDX-License-Identifier: MIT */
/*
 * The platform boundary: the few things core/ asks of the board.
 *
 * A board (platform/virt, platform/host) fills boot_info, registers its ops
 * with platform_register() and calls start_kernel(). Every hook is optional;
 * the wrappers below say what happens without it.
 */
#ifndef RVMEM_PLATFORM_H
#define RVMEM_PLATFORM_H

#include <rvmem/types.h>

/**
 * struct platform_ops - board hooks
 * @name: shown in the boot log
 * @console_write: write bytes to the console; default: output is dropped
 * @poweroff: end the machine with @status (0 = success); default: the
 *            hart halts and the machine stays up
 * @firmware: one line about what runs below us ("OpenSBI v1.1 ...")
 */
struct platform_ops {
	const char *name;
	void (*console_write)(const char *s, size_t len);
	void (*poweroff)(int status);
	const char *(*firmware)(void);
};

extern const struct platform_ops *platform;

/** platform_register() - install the board's hooks (boot hart, early) */
void platform_register(const struct platform_ops *ops);

static inline void platform_console_write(const char *s, size_t len)
{
	if (platform && platform->console_write)
		platform->console_write(s, len);
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

#endif /* RVMEM_PLATFORM_H */
