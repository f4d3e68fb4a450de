#!/bin/sh
# Allocator benchmarks: install what is missing, build, run ci/bench.py
# (compare with ci/bench-baseline.json, print the table, draw
# doc/bench.svg). Arguments go to ci/bench.py (--update-baseline, ...).
set -eu
cd "$(dirname "$0")/.."

ci/build.sh
exec python3 ci/bench.py --builddir build "$@"
