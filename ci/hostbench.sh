#!/bin/sh
# Host allocator comparison (not gated): install what is missing, build,
# run ci/hostbench.py. Arguments go to ci/hostbench.py.
set -eu
cd "$(dirname "$0")/.."

ci/build.sh
exec python3 ci/hostbench.py --builddir build "$@"
