// SPDX-License-Identifier: MIT
/*
 * The POSIX hooks picolibc calls, for a single-process unikernel.
 *
 * The console is fds 0-2; there is no file system, so file calls fail with
 * ENOSYS (they link, and a program can tell). exit() powers off with the
 * status; abort() and a failed assert() end in a fatal report. Time comes
 * from the timebase (rdtime), counted from boot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/timer.h>
#include <rvmem/boot.h>
#include <rvmem/panic.h>
#include <rvmem/internal/platform.h>
#include <rvmem/printk.h>
#include <rvmem/smp.h>

#define RVMEM_PID	1

ssize_t write(int fd, const void *buf, size_t count)
{
	if (fd != STDOUT_FILENO && fd != STDERR_FILENO) {
		errno = EBADF;
		return -1;
	}
	console_write(buf, count);
	return count;
}

/* Block until at least one byte arrives, then take what is there. */
ssize_t read(int fd, void *buf, size_t count)
{
	char *p = buf;
	size_t n = 0;
	int c;

	if (fd != STDIN_FILENO) {
		errno = EBADF;
		return -1;
	}
	while (n < count) {
		c = platform_console_getchar();
		if (c == -ENODEV)
			break;		/* no console input: end of file */
		if (c < 0) {
			if (n)
				break;
			cpu_wait_event();
			continue;
		}
		p[n++] = (char)c;
		if (c == '\n')
			break;
	}
	return n;
}

void _exit(int status)
{
	fflush(stdout);
	platform_poweroff(status);
}

void abort(void)
{
	fflush(stdout);
	panic("abort() called");
}

pid_t getpid(void)
{
	return RVMEM_PID;
}

/* Harts are the processors; a thread has one to itself. */
long sysconf(int name)
{
	switch (name) {
	case _SC_NPROCESSORS_ONLN:
		return nr_cpus_online;
	case _SC_NPROCESSORS_CONF:
		return boot_info.nr_harts;
	case _SC_PAGESIZE:
		return PAGE_SIZE;
	}
	errno = EINVAL;
	return -1;
}

/* Only this process exists; a signal's default action ends it. */
int kill(pid_t pid, int sig)
{
	if (pid != RVMEM_PID && pid != 0 && pid != -1) {
		errno = ESRCH;
		return -1;
	}
	if (sig < 0 || sig >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	if (sig == 0)
		return 0;
	if (sig == SIGABRT)
		abort();
	printk("rvmem: terminated by signal %d\n", sig);
	fflush(stdout);
	platform_poweroff(128 + sig);
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	(void)how;
	(void)set;
	if (old)
		sigemptyset(old);
	return 0;
}

static u64 ticks_to_ns(u64 t)
{
	u64 hz = boot_info.timebase_hz;

	return t / hz * 1000000000ULL + t % hz * 1000000000ULL / hz;
}

static u64 ns_since_boot(void)
{
	return ticks_to_ns(timer_read());
}

/*
 * Wall-clock time: the board's real-time clock as read at boot, advanced
 * by the timebase since. Without one the epoch is the moment of boot.
 */
static u64 ns_since_epoch(void)
{
	const struct boot_clock *rt = &boot_info.realtime;

	if (!rt->ns)
		return ns_since_boot();
	return rt->ns + ticks_to_ns(timer_read() - rt->ticks);
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	u64 ns;

	if (clock == CLOCK_REALTIME) {
		ns = ns_since_epoch();
	} else if (clock == CLOCK_MONOTONIC || clock == CLOCK_MONOTONIC_RAW ||
		   clock == CLOCK_BOOTTIME) {
		ns = ns_since_boot();
	} else {
		errno = EINVAL;
		return -1;
	}
	ts->tv_sec = ns / 1000000000ULL;
	ts->tv_nsec = ns % 1000000000ULL;
	return 0;
}

int gettimeofday(struct timeval *tv, void *tz)
{
	u64 ns = ns_since_epoch();

	(void)tz;
	tv->tv_sec = ns / 1000000000ULL;
	tv->tv_usec = ns % 1000000000ULL / 1000;
	return 0;
}

clock_t times(struct tms *buf)
{
	clock_t ticks = ns_since_boot() / (1000000000ULL / CLOCKS_PER_SEC);

	if (buf) {
		buf->tms_utime = ticks;
		buf->tms_stime = 0;
		buf->tms_cutime = 0;
		buf->tms_cstime = 0;
	}
	return ticks;
}

static int no_filesystem(void)
{
	errno = ENOSYS;
	return -1;
}

int open(const char *path, int flags, ...)
{
	(void)path;
	(void)flags;
	return no_filesystem();
}

int close(int fd)
{
	if (fd >= 0 && fd <= STDERR_FILENO)
		return 0;
	errno = EBADF;
	return -1;
}

off_t lseek(int fd, off_t offset, int whence)
{
	(void)fd;
	(void)offset;
	(void)whence;
	errno = ESPIPE;
	return -1;
}

int unlink(const char *path)
{
	(void)path;
	return no_filesystem();
}

int rename(const char *old, const char *new)
{
	(void)old;
	(void)new;
	return no_filesystem();
}

int stat(const char *path, struct stat *st)
{
	(void)path;
	(void)st;
	return no_filesystem();
}

int fstat(int fd, struct stat *st)
{
	if (fd < 0 || fd > STDERR_FILENO) {
		errno = EBADF;
		return -1;
	}
	*st = (struct stat){ .st_mode = S_IFCHR };
	return 0;
}

int isatty(int fd)
{
	return fd >= 0 && fd <= STDERR_FILENO;
}

int getentropy(void *buf, size_t len)
{
	(void)buf;
	(void)len;
	return no_filesystem();
}
