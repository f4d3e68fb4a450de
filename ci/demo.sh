#!/bin/sh
# The main job: install what is missing, build, and boot each sample app in
# QEMU (4 harts, 256 MiB), showing its console. Exit status is the first
# failing app's.
set -eu
cd "$(dirname "$0")/.."

ci/build.sh
for app in hello heapdemo selftest; do
	echo "=== $app: ci/qemu.py $app --harts 4 --mem 256M"
	python3 ci/qemu.py "$app" --harts 4 --mem 256M --timeout 120
done
