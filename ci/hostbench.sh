#!/bin/sh
# Host allocator comparison (not gated): install what is missing, build,
# run ci/hostbench.py. Arguments go to ci/hostbench.py.
set -eu
cd "$(dirname "$0")/.."

ci/setup.sh
python3 configure.py --builddir build >/dev/null
ninja -C . >/dev/null || { ninja -C .; exit 1; }
exec python3 ci/hostbench.py --builddir build "$@"
