// SPDX-License-Identifier: MIT
/*
 * faults: does one bad thing on purpose, so the tests can check that the
 * kernel reports it clearly and exits with a failure status.
 *
 *	faults illegal | null-load | abort | assert | signal | exit N
 */
#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void __attribute__((noinline)) do_illegal(void)
{
	__asm__ __volatile__("csrr t0, mhartid" ::: "t0");
}

static int __attribute__((noinline)) do_null_load(void)
{
	volatile int *p = NULL;

	return *p;
}

static void usage(void)
{
	fprintf(stderr, "usage: faults illegal|null-load|abort|assert|signal|"
		"exit N\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	printf("faults: %s\n", argv[1]);
	if (!strcmp(argv[1], "illegal"))
		do_illegal();
	else if (!strcmp(argv[1], "null-load"))
		return do_null_load();
	else if (!strcmp(argv[1], "abort"))
		abort();
	else if (!strcmp(argv[1], "assert"))
		assert(argc == 42);
	else if (!strcmp(argv[1], "signal"))
		raise(SIGTERM);
	else if (!strcmp(argv[1], "exit") && argc == 3)
		return atoi(argv[2]);
	else
		usage();
	fprintf(stderr, "faults: %s did not fault\n", argv[1]);
	return 1;
}
