#!/bin/sh
# Install what is missing and build everything (configure.py, then
# ninja); quiet unless the build fails. The first step of ci/test.sh,
# ci/demo.sh, ci/bench.sh and ci/hostbench.sh.
set -eu
cd "$(dirname "$0")/.."

ci/setup.sh
python3 configure.py --builddir build >/dev/null
ninja -C . >/dev/null || { ninja -C .; exit 1; }
