#!/usr/bin/env python3
"""Boot rvmem images as KVM guests, with Linux KVM nested inside QEMU.

    ci/kvm/run.py [-v] [--builddir DIR] [--no-build] [--cache DIR]
                  [--mem MIB] [--timeout S] [--host-mem MIB] [GUEST ...]

GUEST is APP[:FIELD...][=BOOTARGS]: the image DIR/apps/APP.elf booted
with BOOTARGS as /chosen/bootargs. Each FIELD is one of
    N            vCPUs (default 1)
    dbcn|legacy  the SBI console KVM offers: DBCN (default) or only the
                 legacy putchar (ext 0x1)
    SIZE         guest RAM, NM or NG (default --mem, 256 MiB)
    Ns           this guest's timeout (default --timeout, 120 s)
    nosstc       run in a second nested host whose CPU lacks Sstc, so
                 KVM offers none and the guest's timer uses SBI TIME
The default set is every sample app that must pass under KVM, with 1 and
2 vCPUs, once on the legacy console and once without Sstc:

    hello:1 hello:2 hello:2:legacy selftest:1 selftest:2 heapdemo:1
    heapdemo:2 selftest:2:nosstc

selftest:2:3G:300s adds the cases that need RAM above 4 GiB or more than
1 GiB free (80 s more, and QEMU's RSS grows to about 4 GiB).

What it does, each step skipped when done before:
 1. installs the Debian packages it needs (ci/setup.sh, then the host
    kernel's: linux-source-6.12, gcc-riscv64-linux-gnu, ...);
 2. builds the images (configure.py, ninja) unless --no-build;
 3. builds the host Linux from tinyconfig plus ci/kvm/kernel.config,
    cached in CACHE/linux-KEY (KEY hashes the fragment, the source
    package's version and the cross compiler's), CACHE defaulting to
    ${XDG_CACHE_HOME:-~/.cache}/rvmem-kvm;
 4. builds ci/kvm/vmm.c and ci/kvm/init.c (static) and an initramfs
    (the kernel's usr/gen_init_cpio) holding them, the images and
    /guests, one line per GUEST;
 5. boots that host in qemu-system-riscv64 -cpu rv64,h=true (a second
    one with sstc=false for nosstc guests), where init runs /vmm once
    per guest and prints "rvmem-kvm: result LABEL status N" after each:
    QEMU's own exit code is always 0, so these lines carry the results;
 6. prints PASS or FAIL per guest and "N passed, N failed".

A guest passes when its exit status is 0 (the VMM takes it from the
guest's "rvmem: poweroff, exit status N" line, see vmm.c), that line is
on its console, and the console has no KTAP "not ok" line. Each guest
has its timeout inside the VMM; QEMU as a whole gets the sum plus a
margin for the boot. The exit status is 0 when every guest passed, 1
otherwise. Console logs stay in DIR/kvm/host.log (host-nosstc.log for
nosstc guests). See doc/kvm.md.
"""
import argparse
import fcntl
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
HERE = os.path.join(ROOT, "ci", "kvm")
LINUX_PACKAGE = "linux-source-6.12"
PACKAGES = [LINUX_PACKAGE, "gcc-riscv64-linux-gnu", "libc6-dev-riscv64-cross",
            "qemu-system-misc", "opensbi", "cpio", "gzip", "xz-utils",
            "make", "gcc", "libc6-dev", "flex", "bison", "bc"]
CROSS = "riscv64-linux-gnu-"
FW_JUMP = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf"
DEFAULT_GUESTS = ["hello:1", "hello:2", "hello:2:legacy", "selftest:1",
                  "selftest:2", "heapdemo:1", "heapdemo:2",
                  "selftest:2:nosstc"]
BOOT_MARGIN_S = 120     # the nested host's boot and shutdown, generously
HOST_APPEND = "console=ttyS0 panic=-1"
# (guest.sstc, name of the boot's files in DIR/kvm, the nested host's CPU)
HOST_VARIANTS = [(True, "host", "rv64,h=true"),
                 (False, "host-nosstc", "rv64,h=true,sstc=false")]


class Failure(Exception):
    """A step of the job itself failed (not a guest)."""


def say(msg):
    print("kvm: " + msg, flush=True)


def run(cmd, log=None, **kwargs):
    """Run @cmd quietly; on failure show its output (or @log's tail)."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, **kwargs)
    if log:
        with open(log, "a") as f:
            f.write(proc.stdout)
    if proc.returncode:
        tail = "\n".join(proc.stdout.splitlines()[-40:])
        raise Failure("%s failed (status %d)\n%s" % (
            " ".join(cmd[:3]), proc.returncode, tail))
    return proc.stdout


# ---- 1. packages ----

def missing_packages():
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Status}\n"]
                         + PACKAGES, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True).stdout
    have = {l.split()[0] for l in out.splitlines()
            if l.endswith("install ok installed")}
    return [p for p in PACKAGES if p not in have]


def install_packages():
    run([os.path.join(ROOT, "ci", "setup.sh")])
    missing = missing_packages()
    if not missing:
        return
    say("installing " + " ".join(missing))
    sudo = [] if os.getuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(sudo + ["apt-get", "update", "-qq"], env=env)
    run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends"]
        + missing, env=env)


# ---- 2. images ----

def build_images(builddir):
    run(["python3", "configure.py", "--builddir", builddir], cwd=ROOT)
    run(["ninja", "-C", "."], cwd=ROOT)


# ---- 3. the host kernel ----

def package_version(name):
    return run(["dpkg-query", "-W", "-f", "${Version}", name]).strip()


def kernel_key(fragment):
    h = hashlib.sha256()
    with open(fragment, "rb") as f:
        h.update(f.read())
    h.update(package_version(LINUX_PACKAGE).encode())
    h.update(run([CROSS + "gcc", "--version"]).splitlines()[0].encode())
    return h.hexdigest()[:16]


def check_config(config, fragment):
    """Every option of the fragment must have stuck: olddefconfig drops
    one whose dependencies fail, and keeps one something selects. An
    option set to n may vanish with its menu."""
    with open(config) as f:
        have = set(f.read().splitlines())
    for line in open(fragment):
        m = re.match(r"^(CONFIG_\w+)=(.*)$", line.strip())
        if not m:
            continue
        if m.group(2) == "n":
            bad = "%s=y" % m.group(1) in have
        else:
            bad = line.strip() not in have
        if bad:
            raise Failure("kernel.config: %s did not stick in .config "
                          "(a dependency is missing)" % line.strip())


def build_kernel(out, fragment):
    """tinyconfig + @fragment into @out/Image and @out/gen_init_cpio."""
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    src, obj = os.path.join(tmp, "src"), os.path.join(tmp, "obj")
    os.makedirs(src)
    os.makedirs(obj)
    log = os.path.join(tmp, "build.log")
    tarball = glob.glob("/usr/src/%s.tar.*" % LINUX_PACKAGE)
    if not tarball:
        raise Failure("no /usr/src/%s.tar.*" % LINUX_PACKAGE)
    run(["tar", "-xf", tarball[0], "-C", src, "--strip-components=1"])
    make = ["make", "-C", src, "O=" + obj, "ARCH=riscv",
            "CROSS_COMPILE=" + CROSS]
    run(make + ["tinyconfig"], log)
    run([os.path.join(src, "scripts", "kconfig", "merge_config.sh"), "-m",
         "-O", obj, os.path.join(obj, ".config"), fragment], log, cwd=src)
    run(make + ["olddefconfig"], log)
    check_config(os.path.join(obj, ".config"), fragment)
    run(make + ["-j%d" % os.cpu_count(), "Image"], log)
    for f in ("arch/riscv/boot/Image", "usr/gen_init_cpio", ".config"):
        shutil.copy(os.path.join(obj, f), tmp)
    shutil.rmtree(src)
    shutil.rmtree(obj)
    os.rename(tmp, out)


def host_kernel(cache):
    """The cached kernel's directory, built first if need be."""
    fragment = os.path.join(HERE, "kernel.config")
    os.makedirs(cache, exist_ok=True)
    out = os.path.join(cache, "linux-" + kernel_key(fragment))
    with open(os.path.join(cache, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(os.path.join(out, "Image")):
            say("host kernel: cached in %s" % out)
            return out, 0.0
        say("host kernel: building %s (tinyconfig + ci/kvm/kernel.config)"
            % package_version(LINUX_PACKAGE))
        start = time.monotonic()
        try:
            build_kernel(out, fragment)
        except BaseException:
            log = os.path.join(out + ".tmp", "build.log")
            if os.path.exists(log):
                shutil.copy(log, out + ".failed.log")
            shutil.rmtree(out + ".tmp", ignore_errors=True)
            raise
        took = time.monotonic() - start
        say("host kernel: built in %.0f s, cached in %s" % (took, out))
        return out, took


# ---- 4. VMM, init, initramfs ----

class Guest:
    """One GUEST argument: APP[:FIELD...][=BOOTARGS]."""

    def __init__(self, spec, index, mem, timeout, builddir):
        head, _, self.bootargs = spec.partition("=")
        self.app, *fields = head.split(":")
        self.vcpus, self.console, self.mem, self.timeout = 1, "dbcn", mem, \
            timeout
        self.sstc = True
        for f in fields:
            if re.fullmatch(r"\d+", f):
                self.vcpus = int(f)
            elif f in ("dbcn", "legacy"):
                self.console = f
            elif f == "nosstc":
                self.sstc = False
            elif re.fullmatch(r"\d+[MG]", f):
                self.mem = int(f[:-1]) << (10 if f[-1] == "G" else 0)
            elif re.fullmatch(r"\d+s", f):
                self.timeout = int(f[:-1])
            else:
                raise Failure("guest %r: unknown field %r" % (spec, f))
        if not re.fullmatch(r"[\w-]+", self.app):
            raise Failure("guest %r: bad app name" % spec)
        if not 1 <= self.vcpus <= 8:
            raise Failure("guest %r: 1 to 8 vCPUs (the host's NR_CPUS)"
                          % spec)
        if re.search(r"[\t\n]", self.bootargs):
            raise Failure("guest %r: no tabs or newlines in bootargs" % spec)
        self.label = "%s@%d" % (self.app, self.vcpus)
        if self.console == "legacy":
            self.label += "/legacy"
        if self.mem != mem:
            self.label += "/%dM" % self.mem
        if not self.sstc:
            self.label += "/nosstc"
        if self.bootargs:
            self.label += "#%d" % index
        self.image = os.path.join(builddir, "apps", self.app + ".elf")
        self.rename(self.label)

    def rename(self, label):
        """Set the label, and the line of /guests that carries it."""
        self.label = label
        self.line = "%s\t--cpus %d --mem %d --timeout %d --console %s " \
                    "/images/%s.elf\t%s\n" % (
                        self.label, self.vcpus, self.mem, self.timeout,
                        self.console, self.app, self.bootargs)


def build_tools(work):
    for name in ("vmm", "init"):
        run([CROSS + "gcc", "-static", "-O2", "-Wall", "-Wextra", "-Werror",
             "-pthread", "-o", os.path.join(work, name),
             os.path.join(HERE, name + ".c")])


def build_initramfs(work, kernel, guests, name):
    """@work/@name.cpio.gz: init, vmm, the images and /guests."""
    list_path = os.path.join(work, name + ".guests")
    with open(list_path, "w") as f:
        f.writelines(g.line for g in guests)
    lines = ["dir /dev 0755 0 0", "nod /dev/console 0600 0 0 c 5 1",
             "dir /sys 0755 0 0", "dir /images 0755 0 0",
             "file /init %s/init 0755 0 0" % work,
             "file /vmm %s/vmm 0755 0 0" % work,
             "file /guests %s 0644 0 0" % list_path]
    for app, image in sorted({(g.app, g.image) for g in guests}):
        if not os.path.exists(image):
            raise Failure("%s missing: build first (python3 configure.py "
                          "&& ninja), or drop --no-build" % image)
        lines.append("file /images/%s.elf %s 0644 0 0"
                     % (app, os.path.abspath(image)))
    with open(os.path.join(work, name + ".list"), "w") as f:
        f.write("\n".join(lines) + "\n")
    path = os.path.join(work, name + ".cpio.gz")
    with open(path, "wb") as f:
        cpio = subprocess.Popen([os.path.join(kernel, "gen_init_cpio"),
                                 os.path.join(work, name + ".list")],
                                stdout=subprocess.PIPE)
        gzip = subprocess.run(["gzip", "-n", "-1"], stdin=cpio.stdout,
                              stdout=f)
        if cpio.wait() or gzip.returncode:
            raise Failure("gen_init_cpio | gzip failed")
    return path


# ---- 5. the nested run ----

def boot_host(kernel, initrd, guests, cpu, host_mem, log_path, verbose):
    """Boot the nested host on @cpu; return its console lines, how long
    QEMU ran, how long until the first guest began, and when each guest
    began and ended ("begin LABEL"/"result LABEL" -> seconds)."""
    smp = max(2, max(g.vcpus for g in guests))
    host_mem = host_mem or max(1024, max(g.mem for g in guests) + 768)
    limit = BOOT_MARGIN_S + sum(g.timeout for g in guests)
    cmd = ["timeout", "--kill-after=10", str(limit),
           "qemu-system-riscv64", "-M", "virt", "-cpu", cpu,
           "-smp", str(smp), "-m", "%dM" % host_mem, "-nographic", "-monitor",
           "none", "-no-reboot", "-bios", FW_JUMP,
           "-kernel", os.path.join(kernel, "Image"), "-initrd", initrd,
           "-append", HOST_APPEND]
    say("booting the nested host: " + " ".join(cmd[3:]))
    start = time.monotonic()
    seen = {}           # "begin LABEL" / "result LABEL" -> host seconds
    lines = []
    with open(log_path, "w") as log, subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT) as proc:
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            lines.append(line)
            log.write(line + "\n")
            if verbose:
                print("  | " + line, flush=True)
            m = re.match(r"^rvmem-kvm: (begin|result) (\S+)", line)
            if m:
                seen[m.group(1) + " " + m.group(2)] = time.monotonic()
        status = proc.wait()
    took = time.monotonic() - start
    if status == 124:
        say("QEMU timed out after %d s" % limit)
    first = min(seen.values(), default=None)
    return lines, took, (first - start if first else None), seen


def guest_log(lines, label):
    """The console lines between the guest's begin and result lines."""
    out, inside = [], False
    for line in lines:
        if line == "rvmem-kvm: begin " + label:
            inside, out = True, []
        elif inside and line.startswith("rvmem-kvm: result %s " % label):
            return out, line
        elif inside:
            out.append(line)
    return out, None


def judge(guest, lines, seen):
    """(ok, summary, log) for one guest."""
    log, result = guest_log(lines, guest.label)
    if result is None:
        return False, "no result (the nested host died or timed out)", log
    status = int(result.split()[4])
    text = "\n".join(log)
    not_ok = len(re.findall(r"^\s*not ok \d+(?!.*# SKIP)", text, re.M))
    ok = len(re.findall(r"^\s*ok \d+(?!.*# SKIP)", text, re.M))
    skipped = len(re.findall(r"^\s*(?:not )?ok \d+.*# SKIP", text, re.M))
    wall = seen["result " + guest.label] - seen["begin " + guest.label]
    summary = "status %d, %.1f s" % (status, wall)
    if ok or not_ok:
        summary += ", KTAP %d ok, %d not ok, %d skipped" % (ok, not_ok,
                                                             skipped)
    said = re.search(r"^rvmem: poweroff, exit status (\d+)$", text, re.M)
    if not said:
        summary += ", no \"rvmem: poweroff\" line on the console"
    # instret reads 0 in a KVM guest: a count of 0 would be a false figure
    false_count = re.search(r"^rvmem: boot: 0 instructions", text, re.M)
    if false_count:
        summary += ", \"boot: 0 instructions\" on the console"
    return (status == 0 and not_ok == 0 and said and not false_count,
            summary, log)


def run_group(a, kernel, work, guests, name, cpu):
    """Boot one nested host for @guests; {label: judge() + log tail}."""
    initrd = build_initramfs(work, kernel, guests, name)
    lines, took, boot, seen = boot_host(
        kernel, initrd, guests, cpu, a.host_mem,
        os.path.join(work, name + ".log"), a.verbose)
    say("QEMU ran %.1f s; nested host up (first guest starting) after %s"
        % (took, "%.1f s" % boot if boot is not None else "never"))
    return {g.label: judge(g, lines, seen) + (lines[-40:],) for g in guests}


def main():
    p = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]))
    p.add_argument("guests", nargs="*", metavar="GUEST")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="show the nested console as it runs")
    p.add_argument("--builddir", default="build")
    p.add_argument("--no-build", action="store_true",
                   help="use the images in BUILDDIR as they are")
    p.add_argument("--cache", default=os.path.join(
        os.environ.get("XDG_CACHE_HOME") or
        os.path.expanduser("~/.cache"), "rvmem-kvm"))
    p.add_argument("--mem", type=int, default=256,
                   help="guest RAM in MiB (default 256)")
    p.add_argument("--timeout", type=int, default=120,
                   help="seconds per guest (default 120)")
    p.add_argument("--host-mem", type=int, default=0, metavar="MIB",
                   help="the nested host's RAM (default: the largest "
                   "guest's plus 768 MiB, at least 1 GiB)")
    a = p.parse_args()
    builddir = os.path.join(ROOT, a.builddir)
    work = os.path.join(builddir, "kvm")
    start = time.monotonic()
    try:
        guests = [Guest(s, i, a.mem, a.timeout, builddir)
                  for i, s in enumerate(a.guests or DEFAULT_GUESTS)]
        labels = [g.label for g in guests]
        for i, g in enumerate(guests):
            if labels.count(g.label) > 1:
                g.rename("%s#%d" % (g.label, i))
        install_packages()
        if not a.no_build:
            build_images(a.builddir)
        kernel, _ = host_kernel(a.cache)
        os.makedirs(work, exist_ok=True)
        build_tools(work)
        results = {}
        for sstc, name, cpu in HOST_VARIANTS:
            group = [g for g in guests if g.sstc == sstc]
            if group:
                results.update(run_group(a, kernel, work, group, name, cpu))
    except Failure as e:
        print("kvm: %s" % e, file=sys.stderr)
        print("0 passed, 1 failed")
        return 1
    failed = 0
    for g in guests:
        ok, summary, log, tail = results[g.label]
        print("%s kvm/%s (%s)" % ("PASS" if ok else "FAIL", g.label,
                                  summary), flush=True)
        if not ok:
            failed += 1
            print("\n".join("    " + l for l in (log or tail)[-200:]))
    say("console logs: %s/*.log; whole job %.0f s"
        % (os.path.relpath(work), time.monotonic() - start))
    print("%d passed, %d failed" % (len(guests) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
