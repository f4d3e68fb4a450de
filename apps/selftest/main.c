// SPDX-License-Identifier: MIT
/*
 * selftest: runs the in-guest ktest suites on real traps, timers and harts
 * and prints KTAP; exits 1 if any case failed.
 *
 *	selftest [SUITE]
 */
#include <rvmem/ktest.h>

int main(int argc, char **argv)
{
	return ktest_run_all(argc > 1 ? argv[1] : NULL) ? 1 : 0;
}
