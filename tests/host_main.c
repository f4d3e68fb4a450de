// SPDX-License-Identifier: MIT
/*
 * Host test runner: runs every ktest suite linked in (core/ compiled
 * natively against platform/host) and prints KTAP.
 *
 *	rvmem-tests [-v] [SUITE]
 *
 * Silent on success; with -v, or when a case fails, the full KTAP log is
 * printed. Exit status 0 when every case passed.
 */
#include <stdio.h>
#include <string.h>
#include <rvmem/ktest.h>
#include "host.h"

int main(int argc, char **argv)
{
	bool verbose = argc > 1 && !strcmp(argv[1], "-v");
	const char *filter = argc > 1 + verbose ? argv[1 + verbose] : NULL;
	int failed;

	host_platform_init(verbose);
	failed = ktest_run_all(filter);
	if (failed) {
		host_console_flush();
		fprintf(stderr, "rvmem-tests: %d case%s failed\n", failed,
			failed == 1 ? "" : "s");
	}
	return failed ? 1 : 0;
}
