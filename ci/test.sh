#!/bin/sh
# The whole test suite: install what is missing, build, run host unit tests
# and the QEMU boots, print `N passed, N failed`. Exit status 0 on success.
#
#	ci/test.sh [-v] [-k PATTERN]	(arguments go to ci/run_tests.py)
set -eu
cd "$(dirname "$0")/.."

ci/build.sh
exec python3 ci/run_tests.py --builddir build "$@"
