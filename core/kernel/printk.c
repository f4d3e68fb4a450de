// SPDX-License-Identifier: MIT
/*
 * printk: formatted kernel messages on the platform console.
 *
 * Lock order: console_lock is a leaf; it is taken with interrupts off so a
 * handler that prints cannot deadlock against the hart it interrupted. A
 * panicking hart takes the console over (console_break_lock()) rather than
 * wait for a lock that a stopped hart may hold.
 */
#include <stdio.h>
#include <rvmem/param.h>
#include <rvmem/internal/platform.h>
#include <rvmem/printk.h>
#include <rvmem/spinlock.h>
#include <rvmem/trap.h>

#define PRINTK_LINE_MAX	512

bool console_quiet;
static DEFINE_SPINLOCK(console_lock);

static int set_quiet(const char *val)
{
	return param_set_flag(val, &console_quiet);
}
KERNEL_PARAM(param_quiet, "quiet", set_quiet,
	     "quiet: print only warnings and errors while booting");

void console_write(const char *s, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	platform_console_write(s, len);
	spin_unlock_irqrestore(&console_lock, flags);
}

/* Used by panic and fatal traps only: the lock holder may never return. */
void console_break_lock(void)
{
	spin_unlock(&console_lock);
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_LINE_MAX];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0)
		return n;
	if (n >= (int)sizeof(buf)) {
		/* Keep the line's end visible: a cut message still ends. */
		n = sizeof(buf) - 1;
		buf[n - 1] = '\n';
	}
	console_write(buf, n);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void format_symbol(char *buf, size_t len, unsigned long addr)
{
	unsigned long off;
	const char *name = kallsyms_lookup(addr, &off);

	if (name)
		snprintf(buf, len, "%s+0x%lx", name, off);
	else
		snprintf(buf, len, "%#lx", addr);
}
