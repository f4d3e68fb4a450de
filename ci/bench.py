#!/usr/bin/env python3
"""Allocator benchmarks in QEMU: instructions per operation, gated; and
scaling across harts.

    ci/bench.py                   run, compare with the baseline, plot
    ci/bench.py --update-baseline run and write the new baseline
    ci/bench.py --no-wall         skip the wall-time runs (icount only)
    ci/bench.py --scaling [--max-harts N] [--boots N] [--json FILE]
                  [--plot FILE]

Runs apps/allocbench under QEMU -icount shift=0, where guest instruction
counts are the same on every run: once on one hart for the single-hart
workloads, once on two for the producer/consumer one. (One hart, because
a TLB shootdown's SBI RFENCE makes OpenSBI spin for the other hart, and
under -icount that spin would be counted.) allocbench subtracts its own
loop's cost, so the figures are the allocators' alone. Then it boots
with 128 MiB, 1 GiB, 4 GiB and 16 GiB and reads the kernel's count of
instructions from its first one to main (boot_to_main@SIZE). Then, for
operations per second of wall time, the single-hart runs without -icount
(reported, never gated).

The gate: every rvmem and malloc (rvmem's C functions) workload in
ci/bench-baseline.json must stay within 5% of its instructions per
operation; a missing workload fails too.
Writes doc/bench.svg (instructions per operation: kmalloc, malloc and
picolibc's malloc side by side)
and prints the table. Exit status 1 when the gate fails.

--scaling boots allocbench --scaling without -icount (QEMU runs one host
thread per hart) with 1, 2, 4, ... harts up to --max-harts (default: the
host's CPUs, at most 16). Every hart runs the same loop at once; each
line gives the aggregate throughput (mops, million operations a second)
and the speedup over one hart. With --boots N it boots each hart count
N times and keeps each workload's fastest boot (interference only slows
a boot down; each boot also prints the host's steal time and the load
of its other processes). Prints a
table, writes the lines to FILE with --json and a plot of speedup
against harts (default build/scaling.svg). Never gated: wall time on a
shared machine is noisy.
Exit status 1 only if a boot or an allocator failed.
"""
import argparse
import json
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402
import scaling  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE = os.path.join(ROOT, "ci", "bench-baseline.json")
PLOT = os.path.join(ROOT, "doc", "bench.svg")
TOLERANCE = 1.05
GATED = ("rvmem", "malloc")     # rvmem's code; picolibc is the yardstick
TWO_HART_PREFIX = "producer_consumer"
TIMEOUT = 600
BOOT_MEMS = ("128M", "1G", "4G", "16G")
BOOT_COST = re.compile(r"boot: (\d+) instructions from entry to main")
BUILT_FOR = re.compile(r"built for (\S+)")
SCALING_PLOT = os.path.join(ROOT, "build", "scaling.svg")


def parse(text):
    """The JSON lines allocbench printed, keyed (workload, allocator)."""
    out = {}
    for line in text.splitlines():
        if line.startswith("{\"workload\""):
            r = json.loads(line)
            if "skipped" not in r:
                out[(r["workload"], r["allocator"])] = r
    return out


def run_allocbench(builddir, icount):
    """Both boots; return (results, problems)."""
    results, problems = {}, []
    image = qemu.image_path("allocbench", builddir)
    for harts, prefix in ((1, ""), (2, TWO_HART_PREFIX)):
        status, text, _ = qemu.boot(image, timeout=TIMEOUT, harts=harts,
                                    mem="256M", append=prefix,
                                    icount=icount)
        got = parse(text)
        isa = BUILT_FOR.search(text)
        for r in got.values():
            r["isa"] = isa.group(1) if isa else "unknown"
        if status != 0 or not got:
            problems.append("allocbench (%d harts%s) exited %d:\n%s"
                            % (harts, ", icount" if icount else "", status,
                               text[-2000:]))
        results.update(got)
    if icount:
        boot_costs(builddir, results, problems)
    return results, problems


def boot_costs(builddir, results, problems):
    """Instructions from the kernel's entry to main, per RAM size, as
    workloads boot_to_main@SIZE (one operation each)."""
    image = qemu.image_path("allocbench", builddir)
    for mem in BOOT_MEMS:
        status, text, _ = qemu.boot(image, timeout=TIMEOUT, mem=mem,
                                    append="-- boot_to_main", icount=True)
        m = BOOT_COST.search(text)
        if status != 0 or not m:
            problems.append("boot cost at %s: exit %d, no boot line:\n%s"
                            % (mem, status, text[-2000:]))
            continue
        n = int(m.group(1))
        results[("boot_to_main@" + mem, "rvmem")] = {
            "workload": "boot_to_main@" + mem, "allocator": "rvmem",
            "ops": 1, "instructions": n, "insn_per_op": float(n)}


def load_baseline():
    try:
        with open(BASELINE) as f:
            return {(r["workload"], r["allocator"]): r for r in json.load(f)}
    except FileNotFoundError:
        return {}


def write_baseline(results):
    rows = [{"workload": w, "allocator": a,
             "insn_per_op": results[(w, a)]["insn_per_op"]}
            for (w, a) in sorted(results)]
    with open(BASELINE, "w") as f:
        json.dump(rows, f, indent=1)
        f.write("\n")


def gate(results, baseline):
    """[(workload, allocator, old, new, ok, note)] for every compared row."""
    rows = []
    for key in sorted(set(results) | set(baseline)):
        old = baseline.get(key, {}).get("insn_per_op")
        new = results.get(key, {}).get("insn_per_op")
        gated = key[1] in GATED and old is not None
        if new is None:
            rows.append(key + (old, None, not gated, "missing"))
        elif old is None:
            rows.append(key + (None, new, True, "new, not gated yet"))
        else:
            ok = not gated or new <= old * TOLERANCE
            rows.append(key + (old, new, ok, "" if ok else
                               "regressed more than 5%"))
    return rows


def print_table(rows, wall):
    print("%-22s %-9s %12s %12s %7s %10s  %s" % (
        "workload", "allocator", "baseline", "insn/op", "ratio", "ops/s",
        ""))
    for w, a, old, new, ok, note in rows:
        ratio = "%.3f" % (new / old) if old and new else "-"
        ns = wall.get((w, a), {}).get("ns_per_op")
        ops = "%.0f" % (1e9 / ns) if ns else "-"
        print("%-22s %-9s %12s %12s %7s %10s  %s%s" % (
            w, a, "%.2f" % old if old else "-",
            "%.2f" % new if new else "-", ratio, ops,
            "" if ok else "FAIL ", note))


def svg_plot(results, path):
    """Horizontal bars, log scale: each allocator per workload."""
    names = []
    for w, _ in sorted(results, key=lambda k: list(results).index(k)):
        if w not in names:
            names.append(w)
    colours = {"rvmem": "#2b6cb0", "malloc": "#38a169",
               "picolibc": "#dd6b20"}
    bar, gap, left, width = 9, 6, 190, 520
    top = 40
    rows_h = sum(bar * sum((w, a) in results for a in colours) + gap
                 for w in names)
    height = top + rows_h + 40
    vals = [r["insn_per_op"] for r in results.values()]
    lo, hi = math.log10(min(vals) / 2), math.log10(max(vals) * 2)
    x = lambda v: left + (math.log10(v) - lo) / (hi - lo) * width
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="10">' % (left + width + 90,
                                                          height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="16" font-size="13">Guest instructions per '
           'operation (QEMU -icount, log scale)</text>']
    for i, (a, c) in enumerate(colours.items()):
        out.append('<rect x="%d" y="24" width="10" height="8" fill="%s"/>'
                   '<text x="%d" y="32">%s</text>' % (left + i * 90, c,
                                                      left + 14 + i * 90, a))
    for p in range(math.ceil(lo), math.floor(hi) + 1):
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>'
                   '<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                   % (x(10 ** p), top, x(10 ** p), height - 30, x(10 ** p),
                      height - 18, "{:,}".format(10 ** p)))
    y = top
    for w in names:
        out.append('<text x="%d" y="%d" text-anchor="end">%s</text>'
                   % (left - 6, y + bar, w))
        for a, c in colours.items():
            r = results.get((w, a))
            if not r:
                continue
            v = r["insn_per_op"]
            out.append('<rect x="%d" y="%d" width="%.1f" height="%d" '
                       'fill="%s"/><text x="%.1f" y="%d">%s</text>'
                       % (left, y, x(v) - left, bar - 1, c, x(v) + 3,
                          y + bar - 1, "{:,.0f}".format(v)))
            y += bar
        y += gap
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--builddir", default="build")
    p.add_argument("--update-baseline", action="store_true")
    p.add_argument("--no-wall", action="store_true",
                   help="skip the runs without -icount")
    p.add_argument("--json", help="also write every result here")
    p.add_argument("--scaling", action="store_true",
                   help="measure scaling across harts instead")
    p.add_argument("--max-harts", type=int,
                   default=min(os.cpu_count() or 1, 16),
                   help="--scaling: harts at most (1 to 16)")
    p.add_argument("--plot", default=SCALING_PLOT,
                   help="--scaling: where the plot goes")
    p.add_argument("--boots", type=int, default=1,
                   help="--scaling: boots per hart count; each figure is "
                   "the fastest boot's")
    a = p.parse_args()
    if a.scaling:
        if not 1 <= a.max_harts <= 16:
            p.error("--max-harts must be 1 to 16")
        if a.boots < 1:
            p.error("--boots must be at least 1")
        return scaling.main(a.builddir, a.max_harts, a.json, a.plot,
                            a.boots)
    results, problems = run_allocbench(a.builddir, icount=True)
    wall = {} if a.no_wall else run_allocbench(a.builddir, False)[0]
    for msg in problems:
        print(msg)
    if a.update_baseline and not problems:
        write_baseline(results)
        print("bench: wrote %s (%d results)" % (BASELINE, len(results)))
    rows = gate(results, load_baseline())
    print("allocbench built for %s" % next(
        (r["isa"] for r in results.values() if "isa" in r), "unknown"))
    print_table(rows, wall)
    if results:
        svg_plot({k: r for k, r in results.items()
                  if not k[0].startswith("boot_to_main")}, PLOT)
        print("bench: plot in %s" % os.path.relpath(PLOT, ROOT))
    if a.json:
        with open(a.json, "w") as f:
            for key, r in sorted(results.items()):
                r = dict(r, ns_per_op_wall=wall.get(key, {}).get("ns_per_op"))
                f.write(json.dumps(r) + "\n")
    failed = [r for r in rows if not r[4]]
    print("bench: %d compared, %d regressed or missing" % (len(rows),
                                                           len(failed)))
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
