// SPDX-License-Identifier: MIT
/*
 * picolibc's stdin, stdout and stderr on the kernel console.
 *
 * Output is gathered a line at a time per hart, so printf() from several
 * harts yields whole lines; stderr and fflush() write at once. Input reads
 * the SBI console (see read() in syscalls.c).
 */
#include <stdio.h>
#include <unistd.h>
#include <rvmem/printk.h>
#include <rvmem/smp.h>

#define LINE_MAX_BYTES	160

static char line_buf[NR_CPUS][LINE_MAX_BYTES];
static unsigned int line_len[NR_CPUS];

static int console_flush(FILE *f)
{
	unsigned int cpu = smp_processor_id();

	(void)f;
	if (line_len[cpu]) {
		console_write(line_buf[cpu], line_len[cpu]);
		line_len[cpu] = 0;
	}
	return 0;
}

static int console_put(char c, FILE *f)
{
	unsigned int cpu = smp_processor_id();

	line_buf[cpu][line_len[cpu]++] = c;
	if (c == '\n' || line_len[cpu] == LINE_MAX_BYTES)
		console_flush(f);
	return (unsigned char)c;
}

static int console_put_unbuffered(char c, FILE *f)
{
	(void)f;
	console_flush(NULL);
	console_write(&c, 1);
	return (unsigned char)c;
}

static int console_get(FILE *f)
{
	unsigned char c;

	(void)f;
	return read(STDIN_FILENO, &c, 1) == 1 ? c : EOF;
}

static FILE console_out = FDEV_SETUP_STREAM(console_put, NULL, console_flush,
					    _FDEV_SETUP_WRITE);
static FILE console_err = FDEV_SETUP_STREAM(console_put_unbuffered, NULL,
					    console_flush, _FDEV_SETUP_WRITE);
static FILE console_in = FDEV_SETUP_STREAM(NULL, console_get, NULL,
					   _FDEV_SETUP_READ);

FILE *const stdin = &console_in;
FILE *const stdout = &console_out;
FILE *const stderr = &console_err;
