// SPDX-License-Identifier: MIT
/*
 * picolibc on rvmem: the system hooks answer as POSIX says for a
 * single-process machine without a file system.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include <rvmem/boot.h>
#include <rvmem/ktest.h>
#include <rvmem/printk.h>

/* Expect file calls to fail with ENOSYS rather than pretend. */
static void libc_file_calls_enosys(struct ktest *t)
{
	errno = 0;
	KTEST_EXPECT_EQ(t, open("/etc/passwd", O_RDONLY), -1);
	KTEST_EXPECT_EQ(t, errno, ENOSYS);
	errno = 0;
	KTEST_EXPECT_EQ(t, unlink("x"), -1);
	KTEST_EXPECT_EQ(t, errno, ENOSYS);
	errno = 0;
	KTEST_EXPECT_EQ(t, rename("x", "y"), -1);
	KTEST_EXPECT_EQ(t, errno, ENOSYS);
	errno = 0;
	KTEST_EXPECT_EQ(t, lseek(1, 0, SEEK_SET), -1);
	KTEST_EXPECT_EQ(t, errno, ESPIPE);
	KTEST_EXPECT_EQ(t, close(7), -1);
	KTEST_EXPECT_EQ(t, errno, EBADF);
	KTEST_EXPECT_TRUE(t, fopen("/tmp/x", "w") == NULL);
}

/* Expect write() on stdout and stderr to take every byte, and other fds
 * to fail with EBADF. */
static void libc_write_console_fds(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, write(1, "    # stdout ok\n", 16), 16);
	KTEST_EXPECT_EQ(t, write(2, "    # stderr ok\n", 16), 16);
	errno = 0;
	KTEST_EXPECT_EQ(t, write(5, "x", 1), -1);
	KTEST_EXPECT_EQ(t, errno, EBADF);
}

/* Expect clocks to advance together and match the timebase. */
static void libc_clocks_advance(struct ktest *t)
{
	struct timespec a, b, ra, rb;
	struct timeval tv;
	struct tms tms;

	KTEST_ASSERT_EQ(t, clock_gettime(CLOCK_MONOTONIC, &a), 0);
	KTEST_ASSERT_EQ(t, clock_gettime(CLOCK_REALTIME, &ra), 0);
	KTEST_EXPECT_EQ(t, gettimeofday(&tv, NULL), 0);
	KTEST_EXPECT_TRUE(t, times(&tms) != (clock_t)-1);
	KTEST_ASSERT_EQ(t, clock_gettime(CLOCK_REALTIME, &rb), 0);
	KTEST_ASSERT_EQ(t, clock_gettime(CLOCK_MONOTONIC, &b), 0);
	KTEST_EXPECT_TRUE(t, b.tv_sec > a.tv_sec ||
			     (b.tv_sec == a.tv_sec && b.tv_nsec > a.tv_nsec));
	KTEST_EXPECT_TRUE(t, a.tv_nsec < 1000000000L);
	KTEST_EXPECT_TRUE(t, tv.tv_sec >= ra.tv_sec && tv.tv_sec <= rb.tv_sec);
	KTEST_EXPECT_EQ(t, clock_gettime((clockid_t)99, &a), -1);
}

/* Expect the one process to exist and signal 0 to probe it. */
static void libc_process_identity(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, getpid(), 1);
	KTEST_EXPECT_EQ(t, kill(getpid(), 0), 0);
	errno = 0;
	KTEST_EXPECT_EQ(t, kill(42, SIGTERM), -1);
	KTEST_EXPECT_EQ(t, errno, ESRCH);
}

/* Expect malloc to hand out distinct, writable, aligned blocks and
 * realloc to keep contents. */
static void libc_malloc_works(struct ktest *t)
{
	char *a = malloc(100), *b = malloc(5000);

	KTEST_ASSERT_TRUE(t, a && b);
	KTEST_EXPECT_TRUE(t, ((unsigned long)a & 7) == 0);
	KTEST_EXPECT_TRUE(t, a + 100 <= b || b + 5000 <= a);
	memset(a, 'a', 100);
	memset(b, 'b', 5000);
	a = realloc(a, 10000);
	KTEST_ASSERT_TRUE(t, a != NULL);
	KTEST_EXPECT_EQ(t, a[99], 'a');
	KTEST_EXPECT_EQ(t, b[4999], 'b');
	free(a);
	free(b);
}

/*
 * Expect the hooks portable programs reach for to answer as POSIX says
 * on a machine with no shell, no files and an empty environment.
 */
static void libc_portable_hooks(struct ktest *t)
{
	char name[L_tmpnam];
	clock_t c0 = clock();
	volatile unsigned long spin;

	KTEST_EXPECT_EQ(t, system(NULL), 0);	/* no command processor */
	errno = 0;
	KTEST_EXPECT_EQ(t, system("ls"), -1);
	KTEST_EXPECT_EQ(t, errno, ENOSYS);
	KTEST_EXPECT_TRUE(t, tmpfile() == NULL);
	KTEST_EXPECT_TRUE(t, tmpnam(name) == NULL || name[0] != '\0');
	KTEST_EXPECT_TRUE(t, getenv("HOME") == NULL);
	KTEST_EXPECT_TRUE(t, c0 != (clock_t)-1);
	for (spin = 0; spin < 200000; spin++)
		;
	KTEST_EXPECT_TRUE(t, clock() > c0);
}

/*
 * Expect wall-clock time from the board's RTC, when it has one (QEMU
 * virt's goldfish RTC), in UTC: a year no earlier than rvmem itself;
 * without one, the epoch is the boot.
 */
static void libc_time_is_real(struct ktest *t)
{
	time_t now = time(NULL);
	struct timespec ts;
	struct timeval tv;
	struct tm tm;

	KTEST_ASSERT_EQ(t, clock_gettime(CLOCK_REALTIME, &ts), 0);
	KTEST_EXPECT_EQ(t, gettimeofday(&tv, NULL), 0);
	KTEST_EXPECT_TRUE(t, tv.tv_sec - now <= 1 && ts.tv_sec - now <= 1);
	KTEST_ASSERT_TRUE(t, localtime_r(&now, &tm) != NULL);
	printk("        # %04d-%02d-%02d %02d:%02d:%02d UTC%s\n",
	       tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	       tm.tm_min, tm.tm_sec, boot_info.realtime.ns ? "" :
	       " (no RTC: time since boot)");
	if (boot_info.realtime.ns)
		KTEST_EXPECT_TRUE(t, tm.tm_year + 1900 >= 2025);
	else
		KTEST_EXPECT_TRUE(t, now < 3600);
}

/* Expect snprintf to format 64-bit values and pointers. */
static void libc_snprintf_formats(struct ktest *t)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%lx %llu %s %5d", 0xdeadbeefcafeUL,
		 18446744073709551615ULL, "s", -42);
	KTEST_EXPECT_STREQ(t, buf, "deadbeefcafe 18446744073709551615 s   -42");
}

static const struct ktest_case libc_cases[] = {
	KTEST_CASE(libc_file_calls_enosys),
	KTEST_CASE(libc_write_console_fds),
	KTEST_CASE(libc_clocks_advance),
	KTEST_CASE(libc_process_identity),
	KTEST_CASE(libc_malloc_works),
	KTEST_CASE(libc_snprintf_formats),
	KTEST_CASE(libc_portable_hooks),
	KTEST_CASE(libc_time_is_real),
	{}
};

KTEST_SUITE(libc_suite) = {
	.name = "libc",
	.cases = libc_cases,
};
