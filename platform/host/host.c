// SPDX-License-Identifier: MIT
/*
 * The host "board": core/ code built natively for unit tests.
 *
 * The console is a memory buffer that the test main prints when asked
 * (-v) or when a test failed; poweroff ends the process with the status;
 * each thread that plays a hart calls host_hart_enter() first.
 */
#include <execinfo.h>
#include <pthread.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <rvmem/platform.h>
#include <asm/page.h>
#include <rvmem/smp.h>
#include <rvmem/vmalloc.h>
#include "host.h"

__thread struct hart *host_this_hart;
unsigned long host_phys_base, host_virt_base;
static size_t host_arena_size;
__thread bool host_irqs_off;
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

/*
 * vmalloc on the host: pages from a reserved window of the host's address
 * space, each area with an inaccessible guard page after it, so
 * kvmalloc()'s fallback and is_vmalloc_addr() are real in host tests.
 * core/mm/vmalloc.c itself needs the guest's page tables and is tested in
 * the guest. Areas are never reused: tests allocate few.
 */
#define HOST_VMALLOC_SIZE	(1UL << 36)

static char *host_vmalloc_base;
static size_t host_vmalloc_used;
static pthread_mutex_t host_vmalloc_lock = PTHREAD_MUTEX_INITIALIZER;

void *__vmalloc(unsigned long size, gfp_t gfp)
{
	size_t len = ((size + PAGE_SIZE - 1) & PAGE_MASK) + 2 * PAGE_SIZE;
	char *p = NULL;

	if (!size)
		return NULL;
	pthread_mutex_lock(&host_vmalloc_lock);
	if (!host_vmalloc_base)
		host_vmalloc_base = mmap(NULL, HOST_VMALLOC_SIZE, PROT_NONE,
					 MAP_PRIVATE | MAP_ANONYMOUS |
					 MAP_NORESERVE, -1, 0);
	if (host_vmalloc_base != MAP_FAILED &&
	    host_vmalloc_used + len <= HOST_VMALLOC_SIZE) {
		p = host_vmalloc_base + host_vmalloc_used;
		host_vmalloc_used += len;
	}
	pthread_mutex_unlock(&host_vmalloc_lock);
	/* [header page: the length][area][guard page] */
	if (!p || mprotect(p, len - PAGE_SIZE, PROT_READ | PROT_WRITE))
		return NULL;
	*(size_t *)p = len;
	(void)gfp;		/* fresh mmap'd pages read zero anyway */
	return p + PAGE_SIZE;
}

void vfree(const void *addr)
{
	char *p = (char *)addr - PAGE_SIZE;
	size_t len;

	if (!addr)
		return;
	len = *(size_t *)p;
	madvise(p, len, MADV_DONTNEED);
	mprotect(p, len, PROT_NONE);
}

bool is_vmalloc_addr(const void *addr)
{
	return host_vmalloc_base && host_vmalloc_base != MAP_FAILED &&
	       (const char *)addr >= host_vmalloc_base &&
	       (const char *)addr < host_vmalloc_base + HOST_VMALLOC_SIZE;
}

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
