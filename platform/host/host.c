// SPDX-License-Identifier: MIT
/*
 * The host "board": core/ code built natively for unit tests.
 *
 * The console is a memory buffer that the test main prints when asked
 * (-v) or when a test failed; poweroff ends the process with the status;
 * each thread that plays a hart calls host_hart_enter() first.
 */
#include <execinfo.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <rvmem/internal/platform.h>
#include <asm/cpufeature.h>
#include <asm/page.h>
#include <asm/tlbflush.h>
#include <rvmem/mm.h>
#include <rvmem/smp.h>
#include "host.h"

__thread struct hart *host_this_hart;
unsigned long host_phys_base, host_virt_base;
static size_t host_arena_size;
__thread bool host_irqs_off;
struct host_tlb_flushes host_tlb_flushes;
struct hart harts[NR_CPUS];

static char *console_buf;
static size_t console_len, console_cap;
static bool console_direct;
static char console_last[512];

static void host_console_write(const char *s, size_t len)
{
	snprintf(console_last, sizeof(console_last), "%.*s", (int)len, s);
	if (console_direct) {
		fwrite(s, 1, len, stdout);
		return;
	}
	if (console_len + len > console_cap) {
		console_cap = (console_len + len) * 2;
		console_buf = realloc(console_buf, console_cap);
		if (!console_buf)
			abort();
	}
	memcpy(console_buf + console_len, s, len);
	console_len += len;
}

static void host_poweroff(int status)
{
	host_console_flush();
	fflush(stdout);
	exit(status);
}

static const struct platform_ops host_ops = {
	.name = "host",
	.console_write = host_console_write,
	.poweroff = host_poweroff,
};

void host_console_flush(void)
{
	if (console_len)
		fwrite(console_buf, 1, console_len, stdout);
	console_len = 0;
}

void host_console_discard(void)
{
	console_len = 0;
}

const char *host_console_last(void)
{
	return console_last;
}

void host_platform_init(bool verbose)
{
	console_direct = verbose;
	platform_register(&host_ops);
	host_hart_enter(0);
}

void host_hart_enter(unsigned int cpu)
{
	harts[cpu].cpu = cpu;
	harts[cpu].hartid = cpu;
	host_this_hart = &harts[cpu];
}

void *host_phys_arena(unsigned long phys_base, size_t size)
{
	void *va;

	if (host_arena_size)
		munmap((void *)host_virt_base, host_arena_size);
	va = mmap(NULL, size, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (va == MAP_FAILED) {
		perror("host_phys_arena: mmap");
		exit(1);
	}
	host_arena_size = size;
	host_virt_base = (unsigned long)va;
	host_phys_base = phys_base;
	return va;
}

/*
 * Host harts are threads and cannot be interrupted, so a cross-call runs
 * on the caller only; other threads drain their own per-hart lists.
 */
void on_each_hart(void (*fn)(void *arg), void *arg)
{
	fn(arg);
}

/* The guest's is an unrolled store loop; the host's memset serves. */
void clear_page(void *page)
{
	memset(page, 0, PAGE_SIZE);
}

/* No Svpbmt or Svinval on the host; a test may set a bit to try one. */
unsigned long riscv_isa_ext;

const char *kallsyms_lookup(unsigned long addr, unsigned long *offset)
{
	(void)addr;
	(void)offset;
	return NULL;
}

void dump_stack(void)
{
	void *frames[32];
	int n = backtrace(frames, 32);

	host_console_flush();
	fflush(stdout);
	backtrace_symbols_fd(frames, n, STDOUT_FILENO);
}

unsigned int stack_trace_save(unsigned long *store, unsigned int size,
			      unsigned int skipnr)
{
	void *frames[64];
	int n = backtrace(frames, 64), i;
	unsigned int nr = 0;

	for (i = 1 + skipnr; i < n && nr < size; i++)	/* 0: this one */
		store[nr++] = (unsigned long)frames[i];
	return nr;
}

void arch_halt(void)
{
	host_console_flush();
	abort();
}
