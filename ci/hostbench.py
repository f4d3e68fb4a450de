#!/usr/bin/env python3
"""Host allocator comparison: rvmem's core/mm beside glibc, jemalloc,
mimalloc and tcmalloc, in one run. Not gated (machines differ).

    ci/hostbench.py [--ops N] [--no-callgrind] [--builddir DIR]

Builds nothing: run after `ninja` (ci/hostbench.sh does both). For each
allocator and 1 and 2 threads, build/host/hostbench prints the median of
five runs in ns per operation; jemalloc, mimalloc and tcmalloc come in
through LD_PRELOAD (Debian's libjemalloc2, libmimalloc2.0,
libtcmalloc-minimal4, installed if missing). Then valgrind --tool=callgrind
counts instructions per operation for one thread, from the difference
between two run lengths, which is repeatable where wall time is not.
Prints a table with rvmem's time as a ratio to each peer's.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

PEERS = {
    "glibc": None,
    "jemalloc": ("libjemalloc2", "libjemalloc.so"),
    "mimalloc": ("libmimalloc2.0", "libmimalloc.so"),
    "tcmalloc": ("libtcmalloc-minimal4", "libtcmalloc_minimal.so"),
}
THREADS = (1, 2)
CALLGRIND_OPS = (20000, 40000)
REPEAT = 5      # hostbench runs each workload this many times


def ensure_packages():
    need = [p[0] for p in PEERS.values() if p] + ["valgrind"]
    missing = [p for p in need if subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", p], capture_output=True,
        text=True).stdout.find("install ok installed") < 0]
    if missing:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        print("hostbench: installing " + " ".join(missing))
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq"] + missing,
                       check=True, stdout=subprocess.DEVNULL)


def library(package, stem):
    files = subprocess.run(["dpkg", "-L", package], capture_output=True,
                           text=True, check=True).stdout.split()
    for f in files:
        if os.path.basename(f).startswith(stem) and os.path.isfile(f):
            return f
    sys.exit("hostbench: no %s in package %s" % (stem, package))


def run(binary, allocator, threads, ops, preload, prefix=()):
    env = dict(os.environ)
    if preload:
        env["LD_PRELOAD"] = preload
    out = subprocess.run(list(prefix) + [binary, allocator, str(threads),
                                         str(ops)],
                         capture_output=True, text=True, env=env,
                         timeout=1800)
    if out.returncode:
        sys.exit("hostbench: %s %s failed:\n%s" % (allocator, preload or "",
                                                    out.stderr[-2000:]))
    return [json.loads(l) for l in out.stdout.splitlines()
            if l.startswith("{")]


def callgrind_total(binary, allocator, ops, preload, workload):
    with tempfile.TemporaryDirectory() as tmp:
        outfile = os.path.join(tmp, "cg.out")
        env = dict(os.environ)
        if preload:
            env["LD_PRELOAD"] = preload
        subprocess.run(["valgrind", "--tool=callgrind",
                        "--callgrind-out-file=" + outfile, binary,
                        allocator, "1", str(ops), workload],
                       capture_output=True, env=env, check=True,
                       timeout=1800)
        with open(outfile) as f:
            m = re.search(r"^(?:totals|summary): (\d+)", f.read(), re.M)
        return int(m.group(1))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--builddir", default="build")
    p.add_argument("--ops", type=int, default=1000000)
    p.add_argument("--no-callgrind", action="store_true")
    a = p.parse_args()
    binary = os.path.join(a.builddir, "host", "hostbench")
    ensure_packages()
    preload = {name: library(*pkg) if pkg else None
               for name, pkg in PEERS.items()}
    ns = {}
    for t in THREADS:
        for r in run(binary, "rvmem", t, a.ops, None):
            ns[(r["workload"], t, "rvmem")] = r["ns_per_op"]
        for name, lib in preload.items():
            for r in run(binary, "malloc", t, a.ops, lib):
                ns[(r["workload"], t, name)] = r["ns_per_op"]
    insn = {}
    if not a.no_callgrind:
        workloads = sorted({w for w, _, _ in ns})
        for w in workloads:
            for name, lib in [("rvmem", None)] + list(preload.items()):
                alloc = "rvmem" if name == "rvmem" else "malloc"
                n1, n2 = CALLGRIND_OPS
                ir = [callgrind_total(binary, alloc, n, lib, w)
                      for n in (n1, n2)]
                insn[(w, name)] = (ir[1] - ir[0]) / ((n2 - n1) * REPEAT)
    names = ["rvmem"] + list(PEERS)
    print("ns per operation (median of %d runs), and rvmem's time as a "
          "ratio to each peer's (< 1: rvmem faster)" % REPEAT)
    print("%-15s %2s " % ("workload", "t") +
          " ".join("%17s" % n for n in names))
    for w, t in sorted({(w, t) for w, t, _ in ns}):
        mine = ns[(w, t, "rvmem")]
        cells = ["%17.2f" % mine] + [
            "%8.2f (%5.2fx)" % (ns[(w, t, n)], mine / ns[(w, t, n)])
            for n in PEERS]
        print("%-15s %2d " % (w, t) + " ".join(cells))
    if insn:
        print("\ninstructions per operation (callgrind, 1 thread)")
        print("%-15s " % "workload" + " ".join("%10s" % n for n in names))
        for w in sorted({w for w, _ in insn}):
            print("%-15s " % w + " ".join("%10.1f" % insn[(w, n)]
                                          for n in names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
