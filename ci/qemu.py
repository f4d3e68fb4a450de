#!/usr/bin/env python3
"""Boot an rvmem app in QEMU virt: a library for the test runner and a
command for people.

    ci/qemu.py APP [--harts N] [--mem SIZE] [--firmware dynamic|jump]
               [--append "BOOTARGS"] [--dtb FILE] [--no-sstc] [--icount]
               [--timeout SECONDS] [--gdb] [--builddir DIR] [--dry-run]

APP is a name in apps/ (the image DIR/apps/APP.elf) or a path to an ELF.
The command exits with the app's exit status (QEMU's test finisher
carries it), or 124 when the timeout ends a hung guest.
"""
import argparse
import os
import subprocess
import sys
import time

FIRMWARE_DIR = "/usr/lib/riscv64-linux-gnu/opensbi/generic"
FIRMWARE = {"dynamic": "fw_dynamic.bin", "jump": "fw_jump.elf"}
TIMEOUT_STATUS = 124


def image_path(app, builddir="build"):
    if os.path.sep in app or app.endswith(".elf"):
        return app
    return os.path.join(builddir, "apps", app + ".elf")


def command(image, harts=1, mem="128M", firmware="dynamic", append="",
            dtb=None, sstc=True, icount=False, gdb=False, cpu_props=""):
    """The qemu-system-riscv64 command line for one boot; @cpu_props adds
    properties to -cpu rv64 ("zba=false,zbb=false")."""
    cpu = ",".join(["rv64"] + ([] if sstc else ["sstc=false"]) +
                   ([cpu_props] if cpu_props else []))
    cmd = ["qemu-system-riscv64", "-M", "virt", "-cpu", cpu,
           "-smp", str(harts), "-m", mem, "-nographic", "-monitor", "none",
           "-no-reboot",
           "-bios", os.path.join(FIRMWARE_DIR, FIRMWARE[firmware]),
           "-kernel", image]
    if append:
        cmd += ["-append", append]
    if dtb:
        cmd += ["-dtb", dtb]
    if icount:
        cmd += ["-icount", "shift=0"]
    if gdb:
        cmd += ["-s", "-S"]
    return cmd


def boot(image, timeout=60, **kwargs):
    """Boot once; return (status, console output, seconds). A hang past
    @timeout is killed and reported as TIMEOUT_STATUS."""
    cmd = command(image, **kwargs)
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
        status, out = proc.returncode, proc.stdout
    except subprocess.TimeoutExpired as e:
        status = TIMEOUT_STATUS
        out = (e.stdout or b"") + (b"\n[qemu.py: timed out after %d s]\n"
                                   % timeout)
    text = out.decode("utf-8", "replace").replace("\r\n", "\n")
    return status, text, time.monotonic() - start


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("app")
    p.add_argument("--harts", type=int, default=1)
    p.add_argument("--mem", default="128M")
    p.add_argument("--firmware", choices=sorted(FIRMWARE), default="dynamic")
    p.add_argument("--append", default="")
    p.add_argument("--dtb")
    p.add_argument("--no-sstc", action="store_true",
                   help="hide Sstc, so the timer goes through SBI TIME")
    p.add_argument("--icount", action="store_true",
                   help="-icount shift=0: deterministic instruction counts")
    p.add_argument("--timeout", type=int, default=0,
                   help="kill QEMU after this many seconds (0: never)")
    p.add_argument("--gdb", action="store_true",
                   help="wait for gdb on localhost:1234")
    p.add_argument("--builddir", default="build")
    p.add_argument("--dry-run", action="store_true",
                   help="print the QEMU command line only")
    a = p.parse_args()
    image = image_path(a.app, a.builddir)
    if not os.path.exists(image):
        sys.exit("qemu.py: %s not found; build it with ninja" % image)
    cmd = command(image, a.harts, a.mem, a.firmware, a.append, a.dtb,
                  not a.no_sstc, a.icount, a.gdb)
    if a.dry_run:
        print(" ".join("'%s'" % c if " " in c or not c else c for c in cmd))
        return 0
    try:
        return subprocess.run(cmd, timeout=a.timeout or None).returncode
    except subprocess.TimeoutExpired:
        print("qemu.py: timed out after %d s" % a.timeout, file=sys.stderr)
        return TIMEOUT_STATUS


if __name__ == "__main__":
    sys.exit(main())
