#!/bin/sh
# The whole test suite: install what is missing, build, run host unit tests
# and the QEMU boots, print `N passed, N failed`. Exit status 0 on success.
#
#	ci/test.sh [-v] [-k PATTERN]	(arguments go to ci/run_tests.py)
set -eu
cd "$(dirname "$0")/.."

ci/setup.sh
python3 configure.py --builddir build >/dev/null
ninja -C . >/dev/null || { ninja -C .; exit 1; }
exec python3 ci/run_tests.py --builddir build "$@"
