/* SPDX-License-Identifier: MIT */
/*
 * Ending the machine on a broken invariant.
 *
 * panic() is for invariants, not for recoverable failures (those return an
 * error). It prints the message, the calling hart and a backtrace, then
 * powers off with EXIT_KERNEL_FAILURE. BUG_ON() and WARN_ON() carry file,
 * line and function; in non-debug builds BUG_ON() still checks (it guards
 * memory safety), and DEBUG_ASSERT() vanishes.
 */
#ifndef RVMEM_PANIC_H
#define RVMEM_PANIC_H

#include <rvmem/printk.h>
#include <rvmem/types.h>

/* Exit status of a panic or fatal trap (sysexits' EX_SOFTWARE). */
#define EXIT_KERNEL_FAILURE	70

/**
 * panic() - print a message and a backtrace, then power off with
 * EXIT_KERNEL_FAILURE
 * @fmt: printf format; no trailing newline needed
 */
void __noreturn panic(const char *fmt, ...) __printf(1, 2);

/**
 * boot_fail() - stop a boot that cannot go on (bad device tree, too little
 * memory): one line "rvmem: cannot boot: ...", then power off with
 * EXIT_KERNEL_FAILURE. No backtrace: the kernel is not at fault.
 * @fmt: printf format of what stops the boot, then its arguments
 */
void __noreturn boot_fail(const char *fmt, ...) __printf(1, 2);

/**
 * panic_enter() - claim the right to report a fatal error
 *
 * Masks interrupts and takes the console over.
 *
 * Return: true for the first hart to call it (or that hart again), false
 * for any other.
 */
bool panic_enter(void);

#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		panic("BUG at %s:%d %s(): %s", __FILE__, __LINE__,	\
		      __func__, #cond);					\
} while (0)

#define WARN_ON(cond) ({						\
	bool __c = !!(cond);						\
	if (unlikely(__c))						\
		printk("WARNING at %s:%d %s(): %s\n", __FILE__,	\
		       __LINE__, __func__, #cond);			\
	__c;								\
})

#ifdef CONFIG_DEBUG
#define DEBUG_ASSERT(cond)	BUG_ON(!(cond))
#else
#define DEBUG_ASSERT(cond)	do { (void)sizeof(cond); } while (0)
#endif

#endif /* RVMEM_PANIC_H */
