/* SPDX-License-Identifier: MIT */
/*
 * Kernel messages to the console.
 *
 * A file may define pr_fmt() before including this to prefix its messages
 * ("fdt: "), as in Linux. Messages are formatted on the caller's stack and
 * written whole under the console lock, so lines from several harts never
 * interleave.
 */
#ifndef RVMEM_PRINTK_H
#define RVMEM_PRINTK_H

#include <stdarg.h>
#include <rvmem/types.h>

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

/**
 * printk() - format and print a message
 * @fmt: printf format (pr_fmt() prefixes added by the pr_* macros), then
 *       its arguments
 *
 * Context: any, interrupts too.
 * Return: number of characters printed.
 */
int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

/**
 * format_symbol() - "name+0xoff" for a text address, or "0x..." if unknown
 * @buf: output
 * @len: its size
 * @addr: the address
 */
void format_symbol(char *buf, size_t len, unsigned long addr);

/** console_write() - write raw bytes to the console under its lock */
void console_write(const char *s, size_t len);

/**
 * console_break_lock() - take the console from a hart that may never
 * release it; for panic and fatal-trap reports only
 */
void console_break_lock(void);

/*
 * console_quiet - drop pr_info() output (the "quiet" boot parameter);
 * warnings and errors are always printed
 */
extern bool console_quiet;

#define pr_err(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) \
	do { if (!console_quiet) printk(pr_fmt(fmt), ##__VA_ARGS__); } while (0)
#define pr_debug(fmt, ...) \
	do { if (0) printk(pr_fmt(fmt), ##__VA_ARGS__); } while (0)

/* One warning per call site, as Linux's pr_warn_once(). */
#define pr_warn_once(fmt, ...) do {					\
	static bool __warned;						\
	if (!__warned) {						\
		__warned = true;					\
		pr_warn(fmt, ##__VA_ARGS__);				\
	}								\
} while (0)

#endif /* RVMEM_PRINTK_H */
