#!/usr/bin/env python3
"""Boot an rvmem app in QEMU virt: a library for the test runner and a
command for people.

    ci/qemu.py APP [--harts N] [--mem SIZE] [--firmware dynamic|jump]
               [--append "BOOTARGS"] [--dtb FILE] [--mmu sv39|sv48|sv57]
               [--ext] [--cpu-props PROPS] [--no-sstc] [--icount]
               [--numa NODES] [--timeout SECONDS] [--gdb]
               [--builddir DIR] [--dry-run]

APP is a name in apps/ (the image DIR/apps/APP.elf) or a path to an ELF.
The command exits with the app's exit status (QEMU's test finisher
carries it), or 124 when the timeout ends a hung guest.

--mmu boots with QEMU's own device tree for the same machine, dumped and
with every hart's mmu-type changed: QEMU 7.2's rv64 hart takes Sv57 in
satp, but its tree says riscv,sv48. --ext turns on the Svnapot, Svpbmt
and Svinval extensions (off by default in QEMU); --cpu-props adds -cpu
properties of one's own ("svnapot=true" turns on Svnapot alone). --numa
N splits RAM and harts evenly over N NUMA nodes (QEMU then gives every
memory and cpu node a numa-node-id, and a distance-map): node i is
10 * (1 + |i - j|) from node j, so the distances differ and order the
fallbacks.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import brokendtb  # noqa: E402

FIRMWARE_DIR = "/usr/lib/riscv64-linux-gnu/opensbi/generic"
FIRMWARE = {"dynamic": "fw_dynamic.bin", "jump": "fw_jump.elf"}
TIMEOUT_STATUS = 124


def image_path(app, builddir="build"):
    if os.path.sep in app or app.endswith(".elf"):
        return app
    return os.path.join(builddir, "apps", app + ".elf")


def cpu_model(sstc=True, ext=False, cpu_props=""):
    """The -cpu argument; @cpu_props adds properties ("zba=false")."""
    cpu = "rv64" if sstc else "rv64,sstc=false"
    if ext:
        cpu += ",svnapot=true,svpbmt=true,svinval=true"
    return cpu + ("," + cpu_props if cpu_props else "")


def set_mmu_type(blob, mmu):
    """Return @blob with every mmu-type saying riscv,@mmu (same length:
    edited in place)."""
    out = bytearray(blob)
    value = ("riscv," + mmu + "\0").encode()
    for node in brokendtb.parse_nodes(blob):
        prop = node.props.get("mmu-type")
        if prop:
            if prop.len != len(value):
                raise ValueError("mmu-type %r: not the length of %r"
                                 % (prop.value, value))
            out[prop.val:prop.val + prop.len] = value
    return bytes(out)


def write_mmu_dtb(path, mmu, harts=1, mem="128M", sstc=True, ext=False,
                  cpu_props=""):
    """Dump QEMU's tree for this machine to @path with mmu-type @mmu."""
    subprocess.run(["qemu-system-riscv64", "-M", "virt,dumpdtb=" + path,
                    "-cpu", cpu_model(sstc, ext, cpu_props),
                    "-smp", str(harts),
                    "-m", mem, "-nographic"], check=True,
                   capture_output=True)
    with open(path, "rb") as f:
        blob = set_mmu_type(f.read(), mmu)
    with open(path, "wb") as f:
        f.write(blob)


def mem_mib(mem):
    """A QEMU size ("128M", "2G") in MiB."""
    scale = {"M": 1, "G": 1024}
    if mem[-1:].upper() in scale:
        return int(mem[:-1]) * scale[mem[-1:].upper()]
    return int(mem) >> 20


def numa_args(nodes, harts, mem):
    """QEMU options for @nodes NUMA nodes: @mem split evenly (whole 4 MiB
    blocks: rvmem needs node boundaries there), harts in contiguous runs,
    and distances 10 * (1 + |i - j|)."""
    per = mem_mib(mem) // nodes // 4 * 4
    args = []
    for n in range(nodes):
        first, last = n * harts // nodes, (n + 1) * harts // nodes - 1
        args += ["-object", "memory-backend-ram,id=m%d,size=%dM" % (n, per),
                 "-numa", "node,memdev=m%d,nodeid=%d%s" % (
                     n, n, ",cpus=%d-%d" % (first, last)
                     if last >= first else "")]
    for a in range(nodes):
        for b in range(a + 1, nodes):
            args += ["-numa", "dist,src=%d,dst=%d,val=%d" % (
                a, b, 10 * (1 + b - a))]
    return args, "%dM" % (per * nodes)


def command(image, harts=1, mem="128M", firmware="dynamic", append="",
            dtb=None, sstc=True, icount=False, gdb=False, ext=False,
            cpu_props="", numa=0):
    """The qemu-system-riscv64 command line for one boot. @gdb: wait for
    gdb on :1234 (-s -S). @numa: that many NUMA nodes (numa_args())."""
    nodes, machine = [], "virt"
    if numa:
        nodes, mem = numa_args(numa, harts, mem)
    if numa > 2:
        # QEMU 7.2 wires a PLIC per socket (node) wrongly past two and
        # stops ("unnamed-gpio-out[N] not found"); rvmem takes no device
        # interrupts, so the APLIC serves as well.
        machine = "virt,aia=aplic"
    cmd = ["qemu-system-riscv64", "-M", machine, "-cpu",
           cpu_model(sstc, ext, cpu_props),
           "-smp", str(harts), "-m", mem] + nodes + [
           "-nographic", "-monitor", "none",
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


def boot(image, timeout=60, mmu=None, **kwargs):
    """Boot once; return (status, console output, seconds). A hang past
    @timeout is killed and reported as TIMEOUT_STATUS. @mmu: as --mmu."""
    with tempfile.TemporaryDirectory() as tmp:
        if mmu:
            kwargs["dtb"] = os.path.join(tmp, "mmu.dtb")
            write_mmu_dtb(kwargs["dtb"], mmu, kwargs.get("harts", 1),
                          kwargs.get("mem", "128M"), kwargs.get("sstc", True),
                          kwargs.get("ext", False),
                          kwargs.get("cpu_props", ""))
        return run(command(image, **kwargs), timeout)


def run(cmd, timeout):
    """boot()'s QEMU run."""
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
    p.add_argument("--mmu", choices=("sv39", "sv48", "sv57"),
                   help="QEMU's own tree with this mmu-type")
    p.add_argument("--ext", action="store_true",
                   help="harts with Svnapot, Svpbmt and Svinval")
    p.add_argument("--cpu-props", default="",
                   help="more -cpu properties, e.g. svnapot=true")
    p.add_argument("--no-sstc", action="store_true",
                   help="hide Sstc, so the timer goes through SBI TIME")
    p.add_argument("--icount", action="store_true",
                   help="-icount shift=0: deterministic instruction counts")
    p.add_argument("--numa", type=int, default=0, metavar="NODES",
                   help="split RAM and harts over this many NUMA nodes")
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
    with tempfile.TemporaryDirectory() as tmp:
        dtb = a.dtb
        if a.mmu:
            dtb = os.path.join(tmp, "mmu.dtb")
            write_mmu_dtb(dtb, a.mmu, a.harts, a.mem, not a.no_sstc, a.ext,
                          a.cpu_props)
        cmd = command(image, a.harts, a.mem, a.firmware, a.append, dtb,
                      not a.no_sstc, a.icount, a.gdb, a.ext, a.cpu_props,
                      numa=a.numa)
        if a.dry_run:
            print(" ".join("'%s'" % c if " " in c or not c else c
                           for c in cmd))
            return 0
        try:
            return subprocess.run(cmd, timeout=a.timeout or None).returncode
        except subprocess.TimeoutExpired:
            print("qemu.py: timed out after %d s" % a.timeout,
                  file=sys.stderr)
            return TIMEOUT_STATUS


if __name__ == "__main__":
    sys.exit(main())
