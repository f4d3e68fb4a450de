#!/usr/bin/env python3
"""Scaling across harts: allocbench --scaling on 1, 2, 4, ... harts.

The library behind `ci/bench.py --scaling` (run it from there). Each boot
runs without -icount, so QEMU gives every hart a host thread of its own
and wall time measures real parallel work. allocbench prints, per
workload, the operations all harts did together and the wall time from
their common start to the last one's end; here that becomes mops
(million operations a second, all harts together) and the speedup over
the same workload on one hart. It also prints each hart's own time, and
the second table puts the slowest and the fastest hart's rate against
one hart alone (allocbench sizes every hart's QEMU TLB alike before each
pass: README, "Scaling across harts"). Each boot also reports the host's
steal time: the share of this machine's CPU time its own hypervisor gave
to others while the boot ran, and the other load: the share the
machine's other processes (not QEMU) took. A boot with either ran on
fewer cores than it was given, and its figures say so, not the
allocator.
"""
import json
import os
import resource
import time

import qemu

MEM = "1G"
TIMEOUT = 900
WIDTH, HEIGHT, MARGIN = 560, 420, 60
COLOURS = ("#2b6cb0", "#dd6b20", "#38a169", "#d53f8c", "#805ad5",
           "#b7791f", "#319795", "#e53e3e", "#4a5568", "#97266d",
           "#2c7a7b", "#744210")


def hart_counts(max_harts):
    """1, 2, 4, ... up to @max_harts, and @max_harts itself."""
    counts, h = [], 1
    while h < max_harts:
        counts.append(h)
        h *= 2
    return counts + [max_harts]


def cpu_ticks():
    """(all CPUs' ticks, steal ticks, busy ticks) from /proc/stat, with
    this process's waited children's CPU time (QEMU's, once it has been
    waited for) in ticks; None if unknown."""
    try:
        with open("/proc/stat") as f:
            # user nice system idle iowait irq softirq steal (guest time
            # is inside user already)
            f8 = [int(x) for x in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    if len(f8) < 8:
        return None
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (sum(f8), f8[7], sum(f8) - f8[3] - f8[4] - f8[7],
            (children.ru_utime + children.ru_stime) *
            os.sysconf("SC_CLK_TCK"))


def load_shares(before, after):
    """(steal, other load) between two cpu_ticks(): the shares of all CPU
    time the hypervisor stole and that processes other than the boot's
    own children used; None if unknown."""
    if not before or not after or after[0] <= before[0]:
        return None
    total = after[0] - before[0]
    own = after[3] - before[3]
    return ((after[1] - before[1]) / total,
            max(0.0, (after[2] - before[2] - own) / total))


def boot(builddir, harts):
    """One scaling boot; return (lines, problem or None, (host steal,
    other load) or None)."""
    before = cpu_ticks()
    start = time.monotonic()
    status, text, _ = qemu.boot(qemu.image_path("allocbench", builddir),
                                timeout=TIMEOUT, harts=harts, mem=MEM,
                                append="quiet -- --scaling")
    load = load_shares(before, cpu_ticks())
    if load is not None:
        print("scaling: %d hart%s, %.0f s, host steal %.1f%%, other load "
              "%.1f%% of CPU time"
              % (harts, "s" if harts > 1 else "", time.monotonic() - start,
                 100 * load[0], 100 * load[1]))
    lines = [json.loads(l) for l in text.splitlines()
             if l.startswith("{\"workload\"")]
    failed = [l["workload"] for l in lines if l.get("failed")]
    if status != 0 or not lines or failed:
        return lines, ("allocbench --scaling on %d harts exited %d%s:\n%s"
                       % (harts, status, ", failed: " + " ".join(failed)
                          if failed else "", text[-2000:])), load
    return lines, None, load


def hart_speed(line, harts, one_mops):
    """Each hart's own rate against one hart alone, [slowest, fastest]:
    the aggregate is bounded by the slowest; a fastest near 1 while the
    others run says they did not slow it down."""
    if not one_mops:
        return None
    per_hart = line["ops"] / harts
    slowest, fastest = (per_hart / max(us, 1) / one_mops
                        for us in reversed(line["hart_us"]))
    return [round(slowest, 3), round(fastest, 3)]


def fastest_boots(builddir, harts, boots, problems):
    """@boots boots on @harts harts; return ({key: (fastest line, its
    boot's load_shares())}, {key: every boot's mops}, skipped lines)."""
    best, all_mops, skipped = {}, {}, {}
    for _ in range(boots):
        lines, problem, load = boot(builddir, harts)
        if problem:
            problems.append(problem)
        for l in lines:
            key = (l["workload"], l["allocator"])
            if "skipped" in l:
                skipped[key] = l["skipped"]
                continue
            all_mops.setdefault(key, []).append(
                round(l["ops"] / max(l["us"], 1), 4))
            if key not in best or l["us"] < best[key][0]["us"]:
                best[key] = (l, load)
    return best, all_mops, skipped


def run(builddir, max_harts, boots=1):
    """Every boot; return (rows, skipped, problems). A row has workload,
    allocator, harts, ops, seconds, mops, speedup, hart_speed,
    lock_waits_per_kop (spin_lock() calls that found the lock held, per
    1,000 operations) and lock_wait_share (the share of all harts' time
    spent waiting) of the
    fastest of @boots boots (interference only ever slows a boot down),
    with every boot's mops (mops_boots) and the fastest one's host_steal
    and host_other_load (shares of CPU time; None if unknown)."""
    rows, skipped, problems, one = [], [], [], {}
    for harts in hart_counts(max_harts):
        best, all_mops, skips = fastest_boots(builddir, harts, boots,
                                              problems)
        skipped += [key + (harts, why) for key, why in skips.items()]
        for key, (l, load) in best.items():
            seconds = max(l["us"], 1) / 1e6
            mops = l["ops"] / seconds / 1e6
            if harts == 1:
                one[key] = mops
            rows.append({"workload": key[0], "allocator": key[1],
                         "harts": harts, "ops": l["ops"],
                         "seconds": seconds, "mops": round(mops, 4),
                         "speedup": round(mops / one[key], 3)
                         if key in one else None,
                         "hart_speed": hart_speed(l, harts, one.get(key)),
                         "lock_waits_per_kop": round(
                             1000.0 * l["lock_waits"] / l["ops"], 4),
                         "lock_wait_share": round(
                             l["lock_wait_us"] / (harts * max(l["us"], 1)),
                             4),
                         "mops_boots": all_mops[key],
                         "host_steal": None if load is None
                         else round(load[0], 4),
                         "host_other_load": None if load is None
                         else round(load[1], 4)})
    return rows, skipped, problems


def print_table(rows, skipped):
    counts = sorted({r["harts"] for r in rows})
    keys = []
    for r in rows:
        if (r["workload"], r["allocator"]) not in keys:
            keys.append((r["workload"], r["allocator"]))
    cell = {(r["workload"], r["allocator"], r["harts"]): r for r in rows}
    print("aggregate million operations a second (speedup over 1 hart)")
    print("%-20s %-9s" % ("workload", "allocator") +
          "".join("%18s" % ("%d hart%s" % (h, "s" if h > 1 else ""))
                  for h in counts))
    for w, a in keys:
        cells = []
        for h in counts:
            r = cell.get((w, a, h))
            cells.append("%18s" % ("%.3f (%.2fx)" % (r["mops"], r["speedup"])
                                   if r and r["speedup"] is not None else
                                   "%.3f" % r["mops"] if r else "-"))
        print("%-20s %-9s" % (w, a) + "".join(cells))
    for w, a, h, why in skipped:
        print("%s %s on %d harts: skipped, %s" % (w, a, h, why))
    print("\neach hart's own rate against one hart alone, slowest-fastest")
    print("%-20s %-9s" % ("workload", "allocator") +
          "".join("%14s" % ("%d harts" % h) for h in counts if h > 1))
    for w, a in keys:
        spans = [cell.get((w, a, h), {}).get("hart_speed")
                 for h in counts if h > 1]
        if any(spans):
            print("%-20s %-9s" % (w, a) + "".join(
                "%14s" % ("%.2f-%.2f" % tuple(x) if x else "-")
                for x in spans))
    print("\nlock waits per 1,000 operations (share of hart time waiting)")
    print("%-20s %-9s" % ("workload", "allocator") +
          "".join("%18s" % ("%d harts" % h) for h in counts if h > 1))
    for w, a in keys:
        waits = [cell.get((w, a, h)) for h in counts if h > 1]
        if any(waits):
            print("%-20s %-9s" % (w, a) + "".join(
                "%18s" % ("%.3f (%.2f%%)" % (r["lock_waits_per_kop"],
                                            100 * r["lock_wait_share"])
                          if r else "-") for r in waits))


def svg_plot(rows, path):
    """Speedup against harts, one curve per rvmem workload, and the
    ideal line."""
    rows = [r for r in rows if r["allocator"] == "rvmem" and r["speedup"]]
    if not rows:
        return
    max_h = max(r["harts"] for r in rows)
    top = max([max_h] + [r["speedup"] for r in rows])
    x = lambda h: MARGIN + (h - 1) / max(max_h - 1, 1) * WIDTH
    y = lambda s: MARGIN + HEIGHT - s / top * HEIGHT
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="10">'
           % (WIDTH + 2 * MARGIN + 150, HEIGHT + 2 * MARGIN),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="24" font-size="13">Aggregate throughput over '
           'one hart (QEMU MTTCG, no -icount)</text>' % MARGIN,
           '<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#999" '
           'stroke-dasharray="4 3"/>' % (x(1), y(1), x(max_h), y(max_h)),
           '<text x="%.1f" y="%.1f" fill="#999">ideal</text>'
           % (x(max_h) + 4, y(max_h))]
    for h in sorted({r["harts"] for r in rows}):
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>'
                   % (x(h), MARGIN + HEIGHT + 14, h))
    for i in range(0, int(top) + 1, max(1, int(top) // 8)):
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#eee"/>'
                   '<text x="%d" y="%.1f" text-anchor="end">%d</text>'
                   % (MARGIN, y(i), MARGIN + WIDTH, y(i), MARGIN - 4,
                      y(i) + 3, i))
    out.append('<text x="%d" y="%d" text-anchor="middle">harts</text>'
               % (MARGIN + WIDTH // 2, MARGIN + HEIGHT + 30))
    names = []
    for r in rows:
        if r["workload"] not in names:
            names.append(r["workload"])
    for i, name in enumerate(names):
        c = COLOURS[i % len(COLOURS)]
        pts = sorted((r["harts"], r["speedup"]) for r in rows
                     if r["workload"] == name)
        out.append('<polyline fill="none" stroke="%s" stroke-width="1.5" '
                   'points="%s"/>' % (c, " ".join("%.1f,%.1f" % (x(h), y(s))
                                                  for h, s in pts)))
        out.append('<rect x="%d" y="%d" width="10" height="8" fill="%s"/>'
                   '<text x="%d" y="%d">%s</text>'
                   % (MARGIN + WIDTH + 20, MARGIN + i * 14, c,
                      MARGIN + WIDTH + 34, MARGIN + i * 14 + 8, name))
    out.append("</svg>")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main(builddir, max_harts, json_path, plot_path, boots=1):
    rows, skipped, problems = run(builddir, max_harts, boots)
    for msg in problems:
        print(msg)
    print_table(rows, skipped)
    if json_path:
        with open(json_path, "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    svg_plot(rows, plot_path)
    print("bench: scaling plot in %s" % plot_path)
    return 1 if problems else 0
