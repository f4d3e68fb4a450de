#!/usr/bin/env python3
"""Host allocator comparison: rvmem's core/mm beside glibc, jemalloc,
mimalloc and tcmalloc, in one run. Not gated (machines differ).

    ci/hostbench.py [--ops N] [--max-threads N] [--no-callgrind]
                    [--preload-dir DIR] [--json FILE] [--builddir DIR]

Builds nothing: run after `ninja` (ci/hostbench.sh does both). For each
allocator and 1, 2, 4 and 8 threads (up to --max-threads, by default the
CPU count capped at 8), build/host/hostbench runs pair_64, burst_fifo_64,
burst_lifo_64, burst_fifo_512, random_live and cross_thread and prints
the median of five runs in ns per operation per thread: the run's wall
time divided by the operations each thread did (= wall time x threads /
all operations; an operation is one object allocated and freed). Flat
across thread counts means perfect scaling. At 1 thread cross_thread's
ring leads back to the same thread, so its frees are local.

jemalloc, mimalloc and tcmalloc come in through LD_PRELOAD: Debian's
libjemalloc2, libmimalloc2.0 and libtcmalloc-minimal4 (installed if
missing), or with --preload-dir the files in DIR whose names start with
libjemalloc.so, libmimalloc.so and libtcmalloc_minimal.so (no dpkg
needed). Then valgrind --tool=callgrind counts instructions per
operation for one thread, from the difference between two run lengths,
which is repeatable where wall time is not; --no-callgrind skips it, and
so does --preload-dir where valgrind is not on PATH.

Prints a table with rvmem's time as a ratio to each peer's; --json FILE
also writes one line per workload, allocator and thread count: workload,
allocator, threads, ns_per_op, rvmem_ratio (rvmem's ns_per_op / this
allocator's; < 1: rvmem faster) and, at 1 thread, insn_per_op.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

PEERS = {
    "glibc": None,
    "jemalloc": ("libjemalloc2", "libjemalloc.so"),
    "mimalloc": ("libmimalloc2.0", "libmimalloc.so"),
    "tcmalloc": ("libtcmalloc-minimal4", "libtcmalloc_minimal.so"),
}
THREADS = (1, 2, 4, 8)
CALLGRIND_OPS = (20000, 40000)
REPEAT = 5      # hostbench runs each workload this many times


def ensure_packages(callgrind):
    if not shutil.which("dpkg-query"):
        sys.exit("hostbench: no dpkg here; pass --preload-dir DIR")
    need = [p[0] for p in PEERS.values() if p]
    need += ["valgrind"] if callgrind else []
    missing = [p for p in need if subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", p], capture_output=True,
        text=True).stdout.find("install ok installed") < 0]
    if missing:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        print("hostbench: installing " + " ".join(missing))
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq"] + missing,
                       check=True, stdout=subprocess.DEVNULL)


def package_library(package, stem):
    files = subprocess.run(["dpkg", "-L", package], capture_output=True,
                           text=True, check=True).stdout.split()
    for f in files:
        if os.path.basename(f).startswith(stem) and os.path.isfile(f):
            return f
    sys.exit("hostbench: no %s in package %s" % (stem, package))


def dir_library(folder, stem):
    names = sorted(f for f in os.listdir(folder) if f.startswith(stem) and
                   os.path.isfile(os.path.join(folder, f)))
    if not names:
        sys.exit("hostbench: no %s* in %s" % (stem, folder))
    return os.path.abspath(os.path.join(folder, names[0]))


def run(binary, allocator, threads, ops, preload, prefix=(), workload=""):
    env = dict(os.environ)
    if preload:
        env["LD_PRELOAD"] = preload
    out = subprocess.run(list(prefix) + [binary, allocator, str(threads),
                                         str(ops), workload],
                         capture_output=True, text=True, env=env,
                         timeout=1800)
    if out.returncode:
        sys.exit("hostbench: %s %s failed:\n%s" % (allocator, preload or "",
                                                    out.stderr[-2000:]))
    return [json.loads(l) for l in out.stdout.splitlines()
            if l.startswith("{")]


def callgrind_run(binary, allocator, ops, preload, workload):
    """Instructions of a whole 1-thread run, and the ops it really did."""
    with tempfile.TemporaryDirectory() as tmp:
        outfile = os.path.join(tmp, "cg.out")
        result = run(binary, allocator, 1, ops, preload,
                     ["valgrind", "--tool=callgrind",
                      "--callgrind-out-file=" + outfile], workload)
        with open(outfile) as f:
            m = re.search(r"^(?:totals|summary): (\d+)", f.read(), re.M)
        return int(m.group(1)), result[0]["ops"]


def allocators(preload):
    """(name, hostbench's allocator argument, LD_PRELOAD) of each."""
    return [("rvmem", "rvmem", None)] + [(name, "malloc", lib)
                                         for name, lib in preload.items()]


def insn_per_op(binary, allocator, preload, workload):
    (i1, n1), (i2, n2) = [callgrind_run(binary, allocator, n, preload,
                                        workload) for n in CALLGRIND_OPS]
    return (i2 - i1) / ((n2 - n1) * REPEAT)


def workloads(ns):
    """The workloads in ns, in hostbench's order."""
    return list(dict.fromkeys(w for w, _, _ in ns))


def rows(ns):
    """(workload, threads) in hostbench's workload order, then by threads."""
    return [(w, t) for w in workloads(ns)
            for t in sorted({t for _, t, _ in ns})]


def print_tables(ns, insn):
    names = ["rvmem"] + list(PEERS)
    print("ns per operation per thread (median of %d runs), and rvmem's "
          "time as a ratio to each peer's (< 1: rvmem faster)" % REPEAT)
    print("%-15s %2s " % ("workload", "t") +
          " ".join("%17s" % n for n in names))
    for w, t in rows(ns):
        mine = ns[(w, t, "rvmem")]
        cells = ["%17.2f" % mine] + [
            "%8.2f (%5.2fx)" % (ns[(w, t, n)], mine / ns[(w, t, n)])
            for n in PEERS]
        print("%-15s %2d " % (w, t) + " ".join(cells))
    print("(cross_thread at 1 thread: the thread frees its own objects "
          "through the ring)")
    if insn:
        print("\ninstructions per operation (callgrind, 1 thread)")
        print("%-15s " % "workload" + " ".join("%10s" % n for n in names))
        for w in workloads(ns):
            print("%-15s " % w + " ".join("%10.1f" % insn[(w, n)]
                                          for n in names))


def write_json(path, ns, insn):
    with open(path, "w") as f:
        for (w, t), name in [(r, n) for r in rows(ns)
                             for n in ["rvmem"] + list(PEERS)]:
            v = ns[(w, t, name)]
            line = {"workload": w, "allocator": name, "threads": t,
                    "ns_per_op": v,
                    "rvmem_ratio": round(ns[(w, t, "rvmem")] / v, 3)}
            if t == 1 and (w, name) in insn:
                line["insn_per_op"] = round(insn[(w, name)], 1)
            f.write(json.dumps(line) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--builddir", default="build")
    p.add_argument("--ops", type=int, default=1024000,
                   help="operations per thread per run")
    p.add_argument("--max-threads", type=int,
                   default=min(os.cpu_count() or 1, 8))
    p.add_argument("--no-callgrind", action="store_true")
    p.add_argument("--preload-dir", metavar="DIR",
                   help="peer libraries from DIR, not from Debian")
    p.add_argument("--json", metavar="FILE")
    a = p.parse_args()
    if a.max_threads < 1:
        p.error("--max-threads must be at least 1")
    if a.preload_dir and not os.path.isdir(a.preload_dir):
        p.error("--preload-dir %s: no such folder" % a.preload_dir)
    binary = os.path.join(a.builddir, "host", "hostbench")
    callgrind = not a.no_callgrind
    if a.preload_dir:
        if callgrind and not shutil.which("valgrind"):
            print("hostbench: no valgrind on PATH, skipping callgrind")
            callgrind = False
        preload = {name: dir_library(a.preload_dir, pkg[1]) if pkg else None
                   for name, pkg in PEERS.items()}
    else:
        ensure_packages(callgrind)
        preload = {name: package_library(*pkg) if pkg else None
                   for name, pkg in PEERS.items()}
    ns = {}
    for t in [t for t in THREADS if t <= a.max_threads]:
        for name, alloc, lib in allocators(preload):
            for r in run(binary, alloc, t, a.ops, lib):
                ns[(r["workload"], t, name)] = r["ns_per_op"]
    insn = {}
    for w in workloads(ns) if callgrind else ():
        for name, alloc, lib in allocators(preload):
            insn[(w, name)] = insn_per_op(binary, alloc, lib, w)
    print_tables(ns, insn)
    if a.json:
        write_json(a.json, ns, insn)
    return 0


if __name__ == "__main__":
    sys.exit(main())
