#!/bin/sh
# Install what rvmem needs to build and run, from Debian's packages.
# Idempotent and quiet when everything is already there.
#
#	ci/setup.sh [--gdb]	(--gdb: accepted for old callers; gdb-multiarch
#				is always installed, as run_tests.py's gdb/
#				cases use it)
#
# linux-source-6.12 brings Linux's scripts/kernel-doc (a Perl script,
# extracted by ci/kerneldoc.py for run_tests.py's kerneldoc/ case).
set -eu

packages="gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf \
qemu-system-misc opensbi device-tree-compiler ninja-build python3 \
gdb-multiarch linux-source-6.12 perl xz-utils"

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "setup: installing$missing"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "setup: done"
