#!/usr/bin/env python3
"""Run rvmem's whole test suite and print one closing line.

    ci/run_tests.py [-v] [-k PATTERN] [--builddir DIR] [--jobs N]

Three parts, each a list of named cases:
  host/...   the host unit tests (core/ built natively, ASan/UBSan), KTAP;
             the concurrency suites again under ThreadSanitizer; and the
             --debug allocator checks (bad-free), one process per misuse
  guest/...  apps/selftest booted in QEMU across the matrix (firmware,
             harts, RAM, Sstc), its KTAP parsed case by case
  boot/...   single boots whose console and exit status are checked: hello,
             command-line splitting, exit status, fatal traps, broken
             device trees, too little RAM, bad accesses, slab corruption
  bench/...  allocbench under -icount: each rvmem workload's instructions
             per operation within 5% of ci/bench-baseline.json
  isa/...    a configure.py --isa rv64imac_zba_zbb image boots, and
             refuses a hart without Zba/Zbb with a message
  outoftree/...  configure.py --app tests/outoftree/hello_c: unmodified C
             from outside apps/ builds without the kernel's warnings
             and boots
  gdb/...    scripts/gdb/rvmem.py's commands on hello stopped at main,
             checked against its boot log, the identity map and its
             vmallocinfo at exit (fails
             without gdb-multiarch, which ci/setup.sh installs)
  link/...   every app's malloc is rvmem's: no app but allocbench (which
             measures it, renamed) links picolibc's own malloc
  layers/... includes point one way (ci/check_layers.py): core/ no SBI or
             board header, apps no kernel-internal one (selftest aside)
  kerneldoc/...  Linux's scripts/kernel-doc -Wall finds nothing to say
             about the public headers (ci/kerneldoc.py)
  configure/...  a new folder in apps/ makes ninja rerun configure.py

Every QEMU run has a timeout; a hang is a failure. Output: a line per
failed case with its log (every case with -v), then `N passed, N failed`.
Exit status 0 only when nothing failed.
"""
import argparse
import concurrent.futures
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import brokendtb  # noqa: E402
import check_layers  # noqa: E402
import kerneldoc  # noqa: E402
import qemu  # noqa: E402

BOOT_TIMEOUT = 60
KERNEL_FAILURE = 70     # EXIT_KERNEL_FAILURE in include/rvmem/panic.h


BAD_END = -1            # the status boot() gives a run that ended wrong


def boot(image, timeout=BOOT_TIMEOUT, **opts):
    """qemu.boot() once, never retried: a failed boot is a failure.

    Every boot ends in platform_poweroff(), whose line names the status,
    and the test finisher makes it QEMU's exit status too (SBI SRST, with
    poweroff=srst, ends QEMU with 0). A run without that line reset or
    died (with -no-reboot QEMU then exits 0); one whose QEMU status
    differs from the line lost its finisher. Both get BAD_END, which no
    case expects, and a note in the log.
    """
    status, text, _ = qemu.boot(image, timeout=timeout, **opts)
    line = re.search(r"^rvmem: poweroff, exit status (-?\d+)$", text, re.M)
    srst = "poweroff=srst" in opts.get("append", "")
    if status == qemu.TIMEOUT_STATUS:
        return status, text
    if not line:
        note = "no poweroff line: the guest reset or died"
    elif int(line.group(1)) & 0xff != status and not srst:
        note = "QEMU exited with %d, the console says %s" % (
            status, line.group(1))
    else:
        return status, text
    return BAD_END, text + "\n[run_tests.py: %s]\n" % note


# The in-guest matrix: (firmware, harts, memory, sstc, bootargs, and
# optionally qemu.boot() options). QEMU's tree says sv48, so Sv48 is the
# default; mmu "sv57" boots its tree edited to say sv57; no4lvl selects
# Sv39;
# smp.test_stray_entry sends secondary harts to _start, as OpenSBI before
# v1.3 may, and every hart must still come online.
GUEST_MATRIX = [
    ("dynamic", 1, "128M", True, ""),
    ("dynamic", 4, "128M", True, ""),
    ("dynamic", 4, "4G", True, ""),
    ("jump", 1, "4G", True, ""),
    ("jump", 4, "128M", True, ""),
    ("jump", 4, "4G", True, ""),
    ("dynamic", 2, "128M", False, ""),
    ("dynamic", 8, "256M", True, ""),
    # The smallest RAM the README supports, and the most harts rvmem runs
    # on: selftest's stress cases scale to what they find.
    ("dynamic", 1, "16M", True, ""),
    ("dynamic", 16, "128M", True, ""),
    ("dynamic", 1, "128M", True, "", {"mmu": "sv57"}),
    ("jump", 4, "4G", True, "", {"mmu": "sv57"}),
    ("dynamic", 1, "128M", True, "no4lvl"),
    ("jump", 4, "4G", True, "no4lvl"),
    ("dynamic", 2, "128M", True, "smp.test_stray_entry"),
    ("jump", 4, "128M", True, "smp.test_stray_entry"),
    # KFENCE sampling every millisecond instead of every 100: a test that
    # counts on every allocation coming from a slab fails here, not one
    # CI run in many.
    ("dynamic", 1, "128M", True, "kfence.sample_interval=1"),
    ("jump", 4, "128M", True, "kfence.sample_interval=1"),
    # Deferred struct pages: over 15 GiB taken without writing a page;
    # and a zone ending 64 MiB into its last chunk, which the vmemmap
    # window shows page by page.
    ("dynamic", 1, "16G", True, "-- page_alloc_deferred"),
    ("dynamic", 1, "192M", True, "-- page_alloc_deferred"),
    # Svnapot, Svpbmt and Svinval on: ioremap's PBMT, sinval.vma flushes,
    # 64 KiB NAPOT leaves; Svnapot alone under Sv39 and Sv57 too.
    ("dynamic", 4, "128M", True, "", {"ext": True}),
    ("dynamic", 1, "128M", True, "no4lvl", {"cpu_props": "svnapot=true"}),
    ("jump", 2, "128M", True, "", {"mmu": "sv57",
                                   "cpu_props": "svnapot=true"}),
    # -icount: interrupts land at exact instruction counts, where TCG
    # otherwise takes them wherever host scheduling leaves it, so here
    # fast_paths_interrupted also asserts that its sequences restarted.
    # One hart: with two, a hart spinning in OpenSBI on a remote fence
    # kept QEMU's round-robin icount mode from ever running the other
    # hart again (4 boots in 5; doc/design.md, waiting loops).
    ("dynamic", 1, "128M", True, "selftest.icount -- slab",
     {"icount": True}),
    # NUMA (ci/qemu.py --numa): two nodes, the second across 4 GiB (both
    # zones); four nodes at distances 20, 30 and 40, one hart each.
    ("dynamic", 4, "4G", True, "", {"numa": 2}),
    ("jump", 4, "1G", True, "", {"numa": 4}),
]
GUEST_ARGS_NAMES = {"no4lvl": ",sv39", "smp.test_stray_entry": ",stray-entry",
                    "-- page_alloc_deferred": ",page_alloc_deferred",
                    "kfence.sample_interval=1": ",kfence-1ms",
                    "selftest.icount -- slab": ",slab"}


class Result:
    def __init__(self, name, ok, log="", skipped=False):
        self.name, self.ok, self.log, self.skipped = name, ok, log, skipped


def parse_ktap(text):
    """Return [(path, ok, skipped)] for every leaf test in a KTAP log, and
    the list of problems (plans not met) found on the way."""
    results, problems = [], []
    stack = []          # [(indent, name, plan, seen)]
    for line in text.splitlines():
        m = re.match(r"^(\s*)(KTAP version \d+|1\.\.(\d+)|# Subtest: (.+)|"
                     r"(not ok|ok) (\d+) ([^#]*?)\s*(# SKIP.*)?)\s*$", line)
        if not m:
            continue
        indent = len(m.group(1))
        if m.group(2).startswith("KTAP"):
            stack = [s for s in stack if s[0] < indent]
            stack.append([indent, None, None, 0])
        elif m.group(3):
            if stack and stack[-1][0] == indent:
                stack[-1][2] = int(m.group(3))
        elif m.group(4):
            # KUnit names a subtest right after its "KTAP version" line.
            if stack and stack[-1][0] == indent:
                stack[-1][1] = m.group(4)
        else:
            while stack and stack[-1][0] > indent:
                closed = stack.pop()
                if closed[2] is not None and closed[3] != closed[2]:
                    problems.append("%s: planned %d, ran %d"
                                    % (closed[1], closed[2], closed[3]))
            if not stack:
                continue
            stack[-1][3] += 1
            names = [s[1] for s in stack if s[1]] + [m.group(7)]
            results.append(("/".join(names), m.group(5) == "ok",
                            bool(m.group(8))))
    for s in stack:
        if s[2] is not None and s[3] != s[2]:
            problems.append("%s: planned %d, ran %d"
                            % (s[1] or "top level", s[2], s[3]))
    return results, problems


def leaves(results):
    """Drop suite summary lines: keep only the leaf cases."""
    paths = [r[0] for r in results]
    return [r for r in results
            if not any(p.startswith(r[0] + "/") for p in paths)]


def ktap_results(prefix, text, status, expect_status=0):
    parsed, problems = parse_ktap(text)
    out = [Result(prefix + "/" + path, ok, text, skipped)
           for path, ok, skipped in leaves(parsed)]
    if status != expect_status:
        problems.append("exit status %d, expected %d" % (status,
                                                          expect_status))
    if not parsed:
        problems.append("no KTAP results")
    if problems:
        out.append(Result(prefix + "/run", False,
                          "\n".join(problems) + "\n" + text))
    return out


# Host suites that run a second time under ThreadSanitizer.
TSAN_SUITES = ["page_alloc_smp", "slab_smp"]

# bad-free modes and what each report must say.
BAD_FREES = [
    ("double-free", r"BUG: Bad page state: double free: pfn"),
    ("free-unallocated", r"BUG: Bad page state: freeing a page that is not "
                         r"allocated"),
    ("free-never-allocated", r"BUG: Bad page state: freeing a page that is "
                             r"not allocated"),
    ("wrong-order", r"BUG: Bad page state: freeing with the wrong order: "
                    r"pfn \w+ order 1 .*block order 2\)"),
    ("free-reserved", r"BUG: Bad page state: freeing a reserved page"),
    ("free-deferred", r"page_alloc: freeing 0x\w+, in RAM no allocator has "
                      r"handed out yet \(caller 0x\w+\)"),
    ("write-after-free", r"pfn 0x\w+ written after free: byte 0x64 is 0x1"),
    ("vfree-double-free", r"vmalloc: bad vfree\(0x\w+\) by .*: double free"),
]


def run_program(argv, timeout=600):
    try:
        p = subprocess.run(argv, capture_output=True, text=True,
                           timeout=timeout)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired as e:
        return 124, str(e.stdout or "") + "\n[timed out]"


def run_host(builddir):
    binary = os.path.join(builddir, "host", "rvmem-tests")
    status, text = run_program([binary, "-v"])
    return ktap_results("host", text, status)


def run_host_tsan(builddir, suite):
    binary = os.path.join(builddir, "host", "rvmem-tests-tsan")
    status, text = run_program([binary, "-v", suite])
    return ktap_results("host-tsan", text, status)


def caller_near(text):
    """The report's 'freed by' address lies just after the function that
    announced the misuse (the caller of __free_pages)."""
    fn = re.search(r"bad_free: \S+ from (0x\w+)", text)
    by = re.search(r"freed by (0x\w+)", text)
    return not by or (fn and 0 < int(by.group(1), 16) - int(fn.group(1), 16)
                      < 0x200)


def run_bad_free(builddir, mode, pattern):
    status, text = run_program([os.path.join(builddir, "host", "bad-free"),
                                mode], timeout=60)
    result = check_boot("bad_free_" + mode, status, text, KERNEL_FAILURE,
                        [pattern], [r"went unnoticed"])
    result.name = "host-debug/bad_free_" + mode
    if not caller_near(text):
        result.ok = False
        result.log = "caller address not next to the caller\n" + result.log
    return [result]


def guest_name(fw, harts, mem, sstc, append, machine=None):
    return "guest[fw_%s,%dh,%s%s%s%s]" % (
        fw, harts, mem, "" if sstc else ",no-sstc",
        GUEST_ARGS_NAMES.get(append, ""),
        "".join("," + (k if v is True else
                       v if isinstance(v, str) else "%s%s" % (k, v))
                for k, v in sorted((machine or {}).items())))


def run_guest(builddir, fw, harts, mem, sstc, append, machine=None):
    """Boot selftest; its KTAP, plus a case for the paging line."""
    status, text = boot(qemu.image_path("selftest", builddir),
                        harts=harts, mem=mem, firmware=fw, sstc=sstc,
                        append=append, **(machine or {}))
    name = guest_name(fw, harts, mem, sstc, append, machine)
    return ktap_results(name, text, status) + [check_paging(name, append,
                                                            machine, text)]


def check_paging(name, append, machine, text):
    """The boot log names the mode the matrix entry asks for, and the
    extensions in use: all three on an ext boot, Svnapot alone where only
    it is on, none else."""
    machine = machine or {}
    mode = "Sv39" if "no4lvl" in append else \
        machine.get("mmu", "sv48").capitalize()
    ext = "Svpbmt Svinval Svnapot" if machine.get("ext") else \
        "Svnapot" if machine.get("cpu_props") == "svnapot=true" else \
        "no Svpbmt/Svinval/Svnapot"
    line = "paging: %s on; %s in use;" % (mode, ext)
    ok = re.search(r"^" + re.escape(line), text, re.M) is not None
    return Result(name + "/paging_" + mode.lower(), ok,
                  "expected '%s'\n%s" % (line, text))


# Single boots: name, app, boot options, expected status, patterns that
# must appear, patterns that must not.
BOOT_CASES = [
    ("hello_4harts", "hello", {"harts": 4}, 0,
     # OpenSBI's boot hart is whichever wins its lottery; it is cpu 0.
     [r"boot hart (\d)(.*\n)+Hello from hart \1 \(cpu 0\)",
      r"Hello from hart 0 ", r"Hello from hart 1 ",
      r"Hello from hart 2 ", r"Hello from hart 3 ",
      r"\[0x80000000-0x88000000\]\s+128 MiB RAM",
      r"Reserved ranges:\n\s+\[0x80000000-0x800\w+\].*mmode_resv",
      r"SBI: spec 1\.0, implementation OpenSBI", r"ISA: rv64imafdch",
      r"smp: 4 of 4 harts online", r"Harts: 4 online"], []),
    # Secondary harts enter _start while the kernel runs: cpu 1 as HSM's
    # start (OpenSBI < 1.3's race), cpu 2 before its start. Neither may
    # clear bss; both must come online.
    ("stray_entry_4harts", "hello",
     {"harts": 4, "append": "smp.test_stray_entry"}, 0,
     [r"smp: test: hart \d sent to _start \(0\)",
      r"smp: 2 harts entered at _start", r"smp: 4 of 4 harts online",
      r"Harts: 4 online", r"poweroff, exit status 0"],
     [r"did not come online", r"cannot boot"]),
    ("more_harts_than_nr_cpus", "hello", {"harts": 17}, 0,
     [r"cpu: 17 harts", r"smp: 16 of 16 harts online",
      r"smp: using 16 of the 17 harts the device tree lists \(NR_CPUS is 16\)",
      r"Harts: 16 online of 17 in the device tree \(16 used\)"], []),
    ("hello_fw_jump_4G", "hello", {"firmware": "jump", "mem": "4G"}, 0,
     [r"\[0x80000000-0x180000000\]\s+4096 MiB RAM"], []),
    # A suite name that matches nothing is a mistake, not a pass: a
    # misspelling, or a kernel parameter this image does not have.
    ("selftest_no_such_suite", "selftest", {"append": "-- slabb"}, 1,
     [r"ktest: no suite named 'slabb'"], [r"KTAP version"]),
    ("bootargs_split", "hello",
     {"harts": 2, "append": "maxcpus=1 foo \"two words\" -- quiet bar"}, 0,
     [r'argv\[0\] = "hello"', r'argv\[1\] = "foo"',
      r'argv\[2\] = "two words"', r'argv\[3\] = "quiet"',
      r'argv\[4\] = "bar"', r"smp: 1 of 2 harts online"],
     [r'argv\[\d\] = "maxcpus']),
    ("bootargs_quiet", "hello", {"append": "quiet"}, 0,
     [r"Hello from hart 0"], [r"rvmem: version", r"SBI: spec v"]),
    # Rejected values must not take effect: still verbose, both harts, Sv48.
    ("bootargs_bad_values", "hello",
     {"harts": 2, "append": "quiet=1 maxcpus=0 no4lvl=1 stack_size=4K"}, 0,
     [r"bad kernel parameter 'quiet=1'", r"bad kernel parameter 'maxcpus=0'",
      r"bad kernel parameter 'no4lvl=1'",
      r"bad kernel parameter 'stack_size=4K'", r"rvmem: version",
      r"Sv48 on", r"smp: 2 of 2 harts online"], []),
    # mmu-type bounds the mode; no5lvl caps it at Sv48, no4lvl at Sv39.
    ("paging_sv57", "hello", {"mmu": "sv57", "harts": 2}, 0,
     [r"paging: Sv57 on; no Svpbmt/Svinval/Svnapot in use; kernel mapping "
      r"uses \d+ page-table pages",
      r"smp: 2 of 2 harts online"], [r"refused"]),
    ("paging_no5lvl", "hello", {"mmu": "sv57", "append": "no5lvl"}, 0,
     [r"paging: Sv48 on"], []),
    ("paging_no4lvl_sv57", "hello", {"mmu": "sv57", "append": "no4lvl"}, 0,
     [r"paging: Sv39 on"], []),
    ("paging_mmu_type_sv39", "hello", {"mmu": "sv39"}, 0,
     [r"paging: Sv39 on"], []),
    ("bootargs_unknown_param", "hello", {"append": "mm.bogus=1"}, 0,
     [r"unknown kernel parameter 'mm\.bogus=1', passed to the app",
      r'argv\[1\] = "mm\.bogus=1"'], []),
    ("exit_status", "faults", {"append": "exit 3"}, 3,
     [r"poweroff, exit status 3"], []),
    ("exit_status_no_sstc", "faults",
     {"append": "exit 5", "sstc": False}, 5, [], []),
    # OpenSBI's SRST ends QEMU with 0 whatever the reason: only the
    # console line carries the status on this path (as under KVM).
    ("poweroff_srst", "faults", {"append": "poweroff=srst exit 0"}, 0,
     [r"poweroff, exit status 0"], [r"poweroff failed"]),
    ("poweroff_srst_failure", "faults", {"append": "poweroff=srst exit 9"},
     0, [r"poweroff, exit status 9"], [r"poweroff failed"]),
    ("fatal_illegal_instruction", "faults", {"append": "illegal"},
     KERNEL_FAILURE,
     [r"fatal trap: unhandled exception in kernel",
      r"cause: illegal instruction \(scause 0x2\) on cpu 0",
      r"sepc:\s+0000000080\w+ <do_illegal\+0x\w+>",
      r"Call trace:\n(.*\n)*\s+\[<\w+>\] main\+0x\w+",
      r" ra : \w+", r" t6 : \w+", r"exit status 70"], []),
    ("fatal_null_load", "faults", {"append": "null-load", "harts": 2},
     KERNEL_FAILURE,
     [r"fatal trap: read of 0: NULL pointer dereference",
      r"cause: load page fault \(scause 0xd\)",
      r"stval: 0000000000000000",
      r"\[<\w+>\] (do_null_load|main)\+0x\w+"], []),
    ("fatal_in_frameless_leaf", "faults", {"append": "leaf-fault"},
     KERNEL_FAILURE,
     [r"fatal trap: read of 0x8: NULL pointer dereference",
      r"\[<\w+>\] strlen\+0x\w+\n  \[<\w+>\] do_leaf_fault\+0x\w+"],
     [r"\] \?\n"]),
    ("fatal_vmalloc_guard", "faults", {"append": "vmalloc-overflow"},
     KERNEL_FAILURE,
     [r"fatal trap: write of 0xffffffc0\w+: the guard page after vmalloc "
      r"area \[0x\w+-0x\w+\] \(3 pages, from do_vm_fault\+0x\w+\)"], []),
    # Out of the busy tree, not yet purged: still named as freed.
    ("fatal_vmalloc_use_after_free", "faults",
     {"append": "vmalloc-use-after-free"}, KERNEL_FAILURE,
     [r"fatal trap: read of 0xffffffc0\w+: vmalloc area \[0x\w+-0x\w+\] "
      r"\(64 pages, from do_vm_fault\+0x\w+\), already freed \(use after "
      r"free\)"], []),
    ("fatal_stack_guard", "faults", {"append": "stack-overflow", "harts": 2},
     KERNEL_FAILURE,
     [r"fatal trap: write of 0xffffffd0\w+: the guard page below the "
      r"stack of main\(\)", r"\[<\w+>\] do_stack_overflow\+0x\w+"], []),
    ("fatal_stack_guard_stack_size", "faults",
     {"append": "stack_size=64K -- stack-overflow"}, KERNEL_FAILURE,
     [r"fatal trap: write of 0xffffffd0\w+: the guard page below the "
      r"stack of main\(\)"], []),
    ("fatal_write_rodata", "faults", {"append": "write-rodata"},
     KERNEL_FAILURE,
     [r"fatal trap: write of 0x80\w+: kernel read-only data is "
      r"read-only", r"store/AMO page fault"], []),
    ("fatal_write_text", "faults", {"append": "write-text no4lvl"},
     KERNEL_FAILURE,
     [r"fatal trap: write of 0x80\w+: kernel text is read-only"], []),
    ("fatal_exec_nx", "faults", {"append": "exec-nx"}, KERNEL_FAILURE,
     [r"fatal trap: execute of 0xffffffd0\w+: mmap region \[0x\w+-0x\w+\] "
      r"is read-write", r"instruction page fault"], []),
    ("fatal_unmapped", "faults", {"append": "unmapped"}, KERNEL_FAILURE,
     [r"fatal trap: read of 0xffffffd040000000: unmapped address in the "
      r"mmap area"], []),
    ("fatal_out_of_memory", "faults", {"append": "oom", "harts": 2},
     KERNEL_FAILURE,
     [r"fatal trap: write of 0x\w+: out of memory: no free page for mmap "
      r"region \[0xffffffd0\w+-0xffffffd\w+\]"], []),
    # Every page allocation fails from just before the first touch: the
    # demand-zero fault cannot be served and is reported as such.
    ("fatal_out_of_memory_injected", "faults", {"append": "oom-injected"},
     KERNEL_FAILURE,
     [r"faults: first touch of (0x\w+) with page allocations failing"
      r"(.*\n)+rvmem: fatal trap: write of \1: out of memory: no free "
      r"page for mmap region \[\1-0x\w+\]", r"exit status 70"], []),
    ("overcommit_strict_refuses", "faults",
     {"append": "vm.overcommit_memory=2 overcommit-strict"}, 0,
     [r"mmap of 1 GiB refused with ENOMEM"], []),
    # slub's own reports: KFENCE off, so no object of theirs is sampled
    # (it would be reported as KFENCE's).
    ("slab_redzone", "faults",
     {"append": "kfence.sample_interval=0 slub_debug slab-redzone"},
     KERNEL_FAILURE,
     [r"BUG kmalloc-64: Right Redzone overwritten",
      r"Object 0x\w+ @offset=64 \(cache kmalloc-64",
      r"Overflow: byte 0x78 instead of 0xcc",
      r"Allocated by slab_redzone\+0x\w+ on cpu 0",
      r"Caller: slab_\w+\+0x\w+"], []),
    ("slab_redzone_slack", "faults",
     {"append": "kfence.sample_interval=0 slub_debug slab-redzone-slack"},
     KERNEL_FAILURE,
     [r"BUG kmalloc-128: Right Redzone overwritten",
      r"Object 0x\w+ @offset=100 \(cache kmalloc-128",
      r"Overflow: byte 0x78 instead of 0xcc \(100 bytes asked for\)",
      r"Allocated by slab_redzone_slack\+0x\w+ on cpu 0",
      r"Caller: slab_\w+\+0x\w+"], []),
    ("slab_use_after_free", "faults",
     {"append": "kfence.sample_interval=0 slub_debug slab-use-after-free"},
     KERNEL_FAILURE,
     [r"BUG kmalloc-64: Poison overwritten \(use after free\)",
      r"@offset=10 ", r"byte 0x42 instead of 0x6b",
      r"Allocated by slab_use_after_free\+0x\w+",
      r"Freed by slab_use_after_free\+0x\w+"], []),
    ("slab_double_free", "faults",
     {"append": "kfence.sample_interval=0 slab-double-free"}, KERNEL_FAILURE,
     [r"BUG kmalloc-64: double free", r"Object 0x\w+ @offset=0 ",
      r"Caller: slab_\w+\+0x\w+"], []),
    ("slab_invalid_free", "faults",
     {"append": "kfence.sample_interval=0 slab-invalid-free"}, KERNEL_FAILURE,
     [r"BUG kmalloc-64: invalid free \(inside an object\)",
      r"@offset=8 "], []),
    ("slab_freelist_corrupt", "faults",
     {"append": "kfence.sample_interval=0 slab-freelist-corrupt"},
     KERNEL_FAILURE,
     [r"BUG kmalloc-64: freelist pointer corrupted",
      r"next pointer decodes to 0x\w+, not an object of its slab"], []),
    # Frees the vmemmap window cannot vouch for: below RAM (a zeroed
    # struct page) and past the window (vmalloc), by kfree() and by
    # kmem_cache_free(); each goes to the checked slow path.
    ("slab_free_below_ram", "faults",
     {"append": "slab-free-below-ram"}, KERNEL_FAILURE,
     [r"BUG kfree: invalid free of 0x10000000 \(not in RAM\), caller "
      r"slab_\w+\+0x\w+"], []),
    ("slab_free_vmalloc", "faults",
     {"append": "slab-free-vmalloc"}, KERNEL_FAILURE,
     [r"BUG kfree: invalid free of 0xffffffc0\w+ \(a vmalloc address: "
      r"vfree\(\) frees it\), caller slab_\w+\+0x\w+"], []),
    # A struct page boot has not initialised holds what the RAM held (a
    # warm reboot, a boot loader): the window hides it from the fast
    # paths and the slow paths check, so a free there is reported, not
    # taken for a slab object's.
    ("slab_free_deferred", "faults",
     {"mem": "256M", "append": "slab-free-deferred"}, KERNEL_FAILURE,
     [r"BUG kfree: invalid free of 0x88000000 \(in RAM no allocator has "
      r"handed out yet\), caller slab_\w+\+0x\w+"], []),
    ("slab_cache_free_deferred", "faults",
     {"mem": "256M", "append": "slab-cache-free-deferred"}, KERNEL_FAILURE,
     [r"BUG faults-64: free of an object no cache handed out",
      r"Object 0x88000000 ", r"Caller: slab_\w+\+0x\w+"], []),
    ("slab_cache_free_below_ram", "faults",
     {"append": "slab-cache-free-below-ram"}, KERNEL_FAILURE,
     [r"BUG kmalloc-64: free of an object no cache handed out",
      r"Caller: slab_\w+\+0x\w+"], []),
    ("heapdemo", "heapdemo", {"append": "mm.report=1"}, 0,
     [r"256 pages touched of 262144 mapped: AnonPages \+256",
      r"before mmap\(1 GiB\)\s+MemFree\s+\d+ kB\s+AnonPages\s+(\d+) kB"
      r"(.*\n)*after munmap\s+MemFree\s+\d+ kB\s+AnonPages\s+\1 kB",
      r"malloc'd 32 MiB: MemFree -3\d{4} kB",
      r"sbrk\(32 MiB\) and touched: break moved by 32 MiB, "
      r"AnonPages \+32768 kB", r"heapdemo: ok",
      r"AnonPages:\s+\d+ kB", r"PageTables:\s+\d+ kB",
      r"Committed_AS:\s+\d+ kB"], [r"FAILED"]),
    ("threads", "threads", {"harts": 4}, 0,
     [r"threads: 1 producers, 1 consumers: 20000 messages, (\d+) bytes "
      r"sent, \1 received, 0 bad"], []),
    ("abort_reports", "faults", {"append": "abort"}, KERNEL_FAILURE,
     [r"Kernel panic on cpu 0 \(hart 0\): abort\(\) called",
      r"Call trace:\n(.*\n)*\s+\[<\w+>\] main\+0x\w+"], []),
    ("assert_reports", "faults", {"append": "assert"}, KERNEL_FAILURE,
     [r"assertion \"argc == 42\" failed", r"abort\(\) called"], []),
    ("signal_terminates", "faults", {"append": "signal"}, 128 + 15,
     [r"terminated by signal 15"], []),
    ("page_double_free", "faults", {"append": "page-double-free"},
     KERNEL_FAILURE,
     [r"BUG: Bad page state: double free: pfn 0x\w+ order 2 .*freed by "
      r"(do_bad_page_free\S*|main)\+0x\w+"], []),
    ("page_wrong_order", "faults", {"append": "page-wrong-order"},
     KERNEL_FAILURE,
     [r"BUG: Bad page state: freeing with the wrong order: pfn 0x\w+ "
      r"order 1 .*block order 2\), freed by (do_bad_page_free\S*|main)\+0x\w+"], []),
    ("page_tail_free", "faults", {"append": "page-tail-free"},
     KERNEL_FAILURE,
     [r"BUG: Bad page state: freeing a page that is not allocated .* "
      r"freed by (do_bad_page_free\S*|main)\+0x\w+"], []),
    # NUMA placement (allocbench --numa): 4 nodes, 2 harts each; every
    # hart's pages and objects on its own node, every alloc_pages_node()
    # and kmalloc_node() on the node named. numa=off: one node, booting.
    ("allocbench_numa", "allocbench",
     {"harts": 8, "numa": 4, "mem": "1G", "append": "-- --numa"}, 0,
     [r"numa placement: 4 nodes online, 8 harts"] +
     [r"^ +%d +%d +\d+ +100%% +\d+ +100%%$" % (h, h // 2)
      for h in range(8)] +
     [r'"node": %d, "alloc_pages_node": 256, "on_node": 256, '
      r'"kmalloc_node": 256, "kmalloc_on_node": 256' % n for n in range(4)],
     []),
    ("allocbench_numa_off", "allocbench",
     {"harts": 4, "numa": 2, "mem": "512M", "append": "numa=off -- --numa"},
     0, [r"numa=off: the tree's nodes are ignored",
         r"numa placement: 1 nodes online, 4 harts"], []),
    # KFENCE: on by default, one object every 100 ms; the faults modes
    # boot with 1 ms and allocate until an object comes from the pool.
    ("kfence_default_on", "hello", {"append": "mm.report=1"}, 0,
     [r"Memory: .*, 1068K kfence, ",
      r"kfence: 255 objects, \d+ in use, \d+ allocated and \d+ freed "
      r"since boot, one every 100 ms, 1068K"], []),
    ("kfence_off", "hello", {"append": "kfence.sample_interval=0 mm.report=1"},
     0, [r"Memory: .*, 0K kfence, ", r"kfence: off"], [r"kfence: \d+ objects"]),
    ("kfence_out_of_bounds", "faults",
     {"append": "kfence.sample_interval=1 kfence-oob"}, KERNEL_FAILURE,
     [r"BUG: KFENCE: out-of-bounds write in kfence_oob\+0x\w+\n\n"
      r"Out-of-bounds write at (0xffffffff\w+) \(1B right of kfence-#(\d+)\):"
      r"\nkfence-#\2: 0xffffffff\w+-0xffffffff\w+fff, size=64, "
      r"cache=kmalloc-64\n\nallocated by cpu 0:\n "
      r"kfence_alloc_until_sampled\+0x\w+\n sampled\+0x\w+\n "
      r"kfence_oob\+0x\w+\n(.*\n)*"
      r"rvmem: fatal trap: write of \1: the KFENCE guard page after "
      r"kfence-#\2 \(kmalloc-64, 64 bytes\)",
      r"sepc:\s+\w+ <kfence_oob\+0x\w+>", r"exit status 70"],
     [r"freed by"]),
    ("kfence_use_after_free", "faults",
     {"append": "kfence.sample_interval=1 kfence-uaf"}, KERNEL_FAILURE,
     [r"BUG: KFENCE: use-after-free read in kfence_uaf\+0x\w+\n\n"
      r"Use-after-free read at (0xffffffff\w+) \(in kfence-#(\d+)\):\n"
      r"kfence-#\2: 0xffffffff\w+-0xffffffff\w+, size=64, "
      r"cache=kmalloc-64\n\nallocated by cpu 0:\n "
      r"kfence_alloc_until_sampled\+0x\w+\n sampled\+0x\w+\n "
      r"kfence_uaf\+0x\w+\n(.*\n)*\nfreed by cpu 0:\n kfence_uaf\+0x\w+\n"
      r"(.*\n)*rvmem: fatal trap: read of \1: freed KFENCE object kfence-#\2 "
      r"\(use after free\)", r"exit status 70"], []),
    ("kfence_canary_corrupted", "faults",
     {"append": "kfence.sample_interval=1 kfence-corrupt"}, KERNEL_FAILURE,
     [r"BUG: KFENCE: memory corruption in kfence_corrupt\+0x\w+",
      r"Corrupted memory at 0xffffffff\w+ \[ 0x78 \] \(1B left of "
      r"kfence-#\d+\)", r"Kernel panic on cpu 0 .*kfence: memory "
      r"corruption"], []),
    ("kfence_double_free", "faults",
     {"append": "kfence.sample_interval=1 kfence-double-free"},
     KERNEL_FAILURE,
     [r"BUG: KFENCE: invalid free in kfence_double_free\+0x\w+",
      r"Invalid free of 0xffffffff\w+ \(freed already\)",
      r"freed by cpu 0:\n kfence_double_free\+0x\w+"], []),
    # Executing a live object faults on a mapped page: reported, not
    # retried for ever as a stale translation.
    ("kfence_exec", "faults",
     {"append": "kfence.sample_interval=1 kfence-exec"}, KERNEL_FAILURE,
     [r"BUG: KFENCE: invalid execute in ",
      r"Invalid execute at 0xffffffff\w+ \(a KFENCE object, not code\)",
      r"exit status 70"], []),
    # Issue 16: malloc() blocks are sampled too (kmalloc() serves them).
    ("kfence_malloc_use_after_free", "faults",
     {"append": "kfence.sample_interval=1 kfence-malloc-uaf"},
     KERNEL_FAILURE,
     [r"BUG: KFENCE: use-after-free write in kfence_malloc_uaf\+0x\w+",
      r"size=40, cache=malloc-64",
      r"allocated by cpu 0:\n kfence_alloc_until_sampled\+0x\w+\n "
      r"sampled\+0x\w+\n kfence_malloc_uaf\+0x\w+\n",
      r"freed by cpu 0:\n kfence_malloc_uaf\+0x\w+"], []),
    ("too_little_ram", "hello", {"mem": "8M"}, KERNEL_FAILURE,
     [r"cannot boot: fdt: only 8192 KiB of RAM"], [r"Hello from"]),
]

# Blobs OpenSBI passes on to rvmem. OpenSBI 1.1 itself hangs on a tree
# without /cpus or with a property running past the structure block, so
# those two kinds are covered by the host tests (tests/test_fdt.c) only.
BROKEN_DTBS = [
    ("no-memory", r"cannot boot: fdt: no memory node"),
    ("tiny-memory", r"cannot boot: fdt: only 4096 KiB of RAM"),
    ("bad-reg", r"cannot boot: fdt: /memory@80000000: reg"),
    ("bad-prop-name", r"cannot boot: fdt: /memory@80000000: .*truncated"),
    ("ram-above-4g", r"cannot boot: mm: the kernel image \[0x80200000-0x\w+\] "
                     r"is not in RAM the device tree describes"),
    ("no-map-kernel", r"cannot boot: mm: /reserved-memory/kernel@80200000 is "
                      r"no-map but covers the kernel image"),
]


# A NUMA tree (QEMU -numa: 2 nodes of 64 MiB, 4 harts) broken one way each.
BROKEN_NUMA_DTBS = [
    ("numa-node-range", r"cannot boot: fdt: /memory@80000000: numa-node-id "
                        r"9 is out of range, rvmem takes nodes 0 to 3"),
    ("numa-cpu-unknown", r"cannot boot: fdt: /cpus/cpu@3: numa-node-id 2, "
                         r"but no memory node has that numa-node-id"),
    ("numa-partial", r"cannot boot: fdt: /cpus/cpu@3 has no numa-node-id "
                     r"but /memory@\w+ has one"),
    ("numa-distance", r"cannot boot: fdt: /distance-map: distance-matrix "
                      r"entry 0: node 0 to 0 is 5"),
]


def check_boot(name, status, text, want_status, must, must_not):
    problems = []
    if status != want_status:
        problems.append("exit status %d, expected %d" % (status,
                                                          want_status))
    problems += ["missing: " + p for p in must
                 if not re.search(p, text, re.M)]
    problems += ["unexpected: " + p for p in must_not
                 if re.search(p, text, re.M)]
    return Result("boot/" + name, not problems,
                  "\n".join(problems) + "\n--- console ---\n" + text)


def run_boot_case(builddir, case):
    name, app, opts, want, must, must_not = case
    status, text = boot(qemu.image_path(app, builddir), **opts)
    return [check_boot(name, status, text, want, must, must_not)]


def dump_base_dtb(tmp, numa=0, mem="128M"):
    """QEMU's own tree with @mem of RAM, made once before the jobs that
    corrupt it run; with @numa nodes (4 harts, 64 MiB each),
    virt-numa.dtb."""
    base = os.path.join(tmp, "virt-numa.dtb" if numa else
                        "virt-%s.dtb" % mem)
    nodes = []
    if numa:
        nodes, mem = qemu.numa_args(numa, 4, "128M")
    subprocess.run(["qemu-system-riscv64", "-M", "virt,dumpdtb=" + base,
                    "-smp", "4" if numa else "1", "-m", mem] + nodes +
                   ["-nographic"], check=True, capture_output=True)
    return base


def run_broken_dtb(builddir, base, kind, pattern, machine=None):
    """Boot hello with @base broken as @kind on the machine it came from
    (@machine: qemu.boot() options)."""
    tmp = os.path.dirname(base)
    broken = os.path.join(tmp, kind + ".dtb")
    with open(base, "rb") as f, open(broken, "wb") as g:
        g.write(brokendtb.make_broken_dtb(f.read(), kind))
    status, text = boot(qemu.image_path("hello", builddir), dtb=broken,
                        **(machine or {}))
    return [check_boot("broken_dtb_" + kind, status, text, KERNEL_FAILURE,
                       [pattern], [r"Hello from"])]


def run_ram_start_offset(builddir, tmp):
    """Boot selftest on 256 MiB whose memory node starts 64 KiB in:
    mem_map is 2 MiB-aligned against its vmemmap window address, so it
    starts 1 KiB into its block behind a zeroed lead, and the window's
    first page maps that lead (the vm suite's vmemmap case reads it)."""
    base = dump_base_dtb(tmp, mem="256M")
    moved = os.path.join(tmp, "ram-start-64k.dtb")
    with open(base, "rb") as f, open(moved, "wb") as g:
        g.write(brokendtb.move_ram_start(f.read(), 0x10000))
    status, text = boot(qemu.image_path("selftest", builddir), dtb=moved,
                        mem="256M")
    name = RAM_START_OFFSET_NAME
    return ktap_results(name, text, status) + [
        Result(name + "/mem_map_from_0x80010",
               re.search(r"mem_map covers pfns 0x80010-", text) is not None,
               text)]


RAM_START_OFFSET_NAME = "guest[ram_start+64K,256M]"


# nano-malloc's objects define these; an image that has them links
# picolibc's malloc, which only allocbench may (renamed, to compare).
PICOLIBC_MALLOC_SYMBOLS = ("__malloc_malloc", "__malloc_free_list")


def run_link_check(builddir):
    """No app but allocbench links picolibc's malloc: malloc is ours."""
    out = []
    apps_dir = os.path.join(builddir, "apps")
    for image in sorted(os.listdir(apps_dir)):
        app = image[:-len(".elf")]
        status, text = run_program(["riscv64-unknown-elf-nm",
                                    os.path.join(apps_dir, image)])
        names = {l.split()[-1] for l in text.splitlines() if l.strip()}
        found = [n for n in PICOLIBC_MALLOC_SYMBOLS if n in names]
        if app == "allocbench":     # both, under their own names
            ok = {"malloc", "picolibc_malloc"} <= names
        else:
            ok = not found
        out.append(Result("link/%s_malloc_is_rvmem" % app,
                          status == 0 and ok,
                          "nm status %d; picolibc malloc symbols: %s"
                          % (status, found)))
    return out


def run_layer_check(builddir):
    """One case per rule of ci/check_layers.py, with its violations."""
    out = {}
    for rule, ok, msg in check_layers.check():
        ok_so_far, lines = out.get(rule, (True, []))
        out[rule] = (ok_so_far and ok, lines + ([] if ok else [msg]))
    return [Result("layers/" + rule, ok, "\n".join(lines))
            for rule, (ok, lines) in sorted(out.items())]


def run_kerneldoc(builddir):
    try:
        status, problems = kerneldoc.check(kerneldoc.public_headers())
    except kerneldoc.Missing as e:
        return [Result("kerneldoc/public_headers", False, str(e))]
    return [Result("kerneldoc/public_headers", not problems and not status,
                   "\n".join(problems))]


def run_configure_regen(builddir):
    """A new folder in apps/, or a new file in an app's folder, makes
    ninja rerun configure.py, so its image is in build.ninja without a
    manual configure. Runs on a copy of configure.py and apps/ in a
    temporary folder: only the manifest is rebuilt, nothing compiled."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(os.path.join(root, "configure.py"), tmp)
        shutil.copytree(os.path.join(root, "apps"), os.path.join(tmp, "apps"))
        status, log = run_program(["python3", os.path.join(tmp, "configure.py"),
                                   "--builddir", "b"])
        for case, path, want in (
                ("new_app", "apps/newapp/main.c", "b/apps/newapp.elf:"),
                ("new_source", "apps/hello/extra.c",
                 "b/guest/apps/hello/extra.o:")):
            os.makedirs(os.path.dirname(os.path.join(tmp, path)),
                        exist_ok=True)
            with open(os.path.join(tmp, path), "w") as f:
                f.write("int main(void) { return 0; }\n")
            status2, text = run_program(["ninja", "-C", tmp, "build.ninja"])
            with open(os.path.join(tmp, "build.ninja")) as f:
                found = any(l.startswith("build " + want)
                            for l in f.read().splitlines())
            out.append(Result("configure/%s_reconfigures" % case,
                              status == 0 and status2 == 0 and found,
                              "configure: %s\nninja: %s\nbuild.ninja %s "
                              "an edge for %s" % (log, text, "has" if found
                                                  else "lacks", want[:-1])))
    return out


def build_beside(builddir, suffix, app, options):
    """Configure BUILDDIR-@suffix with @options and its own ninja file,
    so the user's build.ninja stays as it is, and build only @app's
    image there. Return: (status, log, image path)."""
    tree = builddir + "-" + suffix
    ninja_file = os.path.join(tree, "build.ninja")
    os.makedirs(tree, exist_ok=True)
    image = os.path.join(tree, "apps", app + ".elf")
    status, text = run_program(["python3", "configure.py", "--builddir",
                                tree, "--ninja", ninja_file] + options)
    if not status:
        status, text = run_program(["ninja", "-f", ninja_file, image])
    return status, text, image


ZBB_ISA = "rv64imac_zba_zbb"


def run_isa_build(builddir):
    """configure.py --isa: a Zba/Zbb image boots where QEMU's rv64 has
    them (its default) and refuses, with a message and status 70, a hart
    without them."""
    status, text, image = build_beside(builddir, "zbb", "hello",
                                       ["--isa", ZBB_ISA])
    if status:
        return [Result("isa/%s_build" % ZBB_ISA, False, text)]
    out = []
    for name, props, want, must in (
            ("boots", "", 0, [r"built for " + ZBB_ISA, r"Hello from hart"]),
            ("refused_without_zba_zbb", "zba=false,zbb=false",
             KERNEL_FAILURE, [r"rvmem: cannot boot: this image is built for "
                              + ZBB_ISA + r"; the boot hart lacks Zba or Zbb"])):
        status, text = boot(image, cpu_props=props)
        out.append(check_boot("isa/%s_%s" % (ZBB_ISA, name), status, text,
                              want, must, []))
    return out


OUTOFTREE_APP = "tests/outoftree/hello_c"


def run_outoftree_build(builddir):
    """configure.py --app: a folder of unmodified C from outside apps/,
    which the kernel's -Werror flags would reject, builds without them
    but with --app-cflags (-DNDEBUG: the program says so), and boots."""
    status, text, image = build_beside(
        builddir, "outoftree", "hello_c",
        ["--app", OUTOFTREE_APP, "--app-cflags=-O1 -DNDEBUG"])
    if status:
        return [Result("outoftree/hello_c_build", False, text)]
    status, text = boot(image)
    return [check_boot("outoftree/hello_c_boots", status, text, 0,
                       [r"^hello_c: built with NDEBUG$",
                        r"^hello_c: sorted: -3 7 8 19 31 42 100$",
                        r"^hello_c: sum: 204$",
                        r"^hello_c: ok \(7 numbers, hello_c\)$"],
                       [r"FAILED"])]


def run_bench_gate(builddir):
    results, problems = bench.run_allocbench(builddir, icount=True)
    out = [Result("bench/%s/%s" % (w, a), ok,
                  "baseline %s, now %s insn/op: %s" % (old, new, note))
           for w, a, old, new, ok, note in bench.gate(
               results, bench.load_baseline())]
    if problems:
        out.append(Result("bench/run", False, "\n".join(problems)))
    return out


# gdb/...: scripts/gdb/rvmem.py's commands on a guest stopped at main,
# each checked against what the kernel prints or what must hold. The
# guest has Svnapot, so the direct map past the kernel image has NAPOT
# leaves (GDB_NAPOT_VA: the first 64 KiB-aligned address past _end),
# and prints its vmallocinfo at exit (mm.report=1).
GDB_HARTS = 2
GDB_NAPOT_VA = "((unsigned long)_end + 0xffff) & ~0xffffUL"
GDB_COMMANDS = ["rvmem-meminfo", "rvmem-buddyinfo", "rvmem-slabinfo",
                "rvmem-harts", "rvmem-pte main", "rvmem-page main",
                "rvmem-pte " + GDB_NAPOT_VA, "rvmem-vmallocinfo"]
VMALLOCINFO_LINE = re.compile(
    r"^0x[0-9a-f]+-0x[0-9a-f]+ +\d+ .* pages=\d+ .*$", re.M)


def gdb_session(builddir, tmp):
    """Boot hello waiting for gdb, run every GDB_COMMANDS at main, and
    let the guest finish. gdb starts QEMU itself and talks to it over a
    pipe (-gdb stdio): no port to pick, none to collide. Return
    ({command: output}, gdb's whole output, the console)."""
    image = qemu.image_path("hello", builddir)
    console = os.path.join(tmp, "gdb-console.log")
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "..", "scripts", "gdb", "rvmem.py")
    guest = ["timeout", str(BOOT_TIMEOUT)] + [
        a for a in qemu.command(image, harts=GDB_HARTS, append="mm.report=1",
                                cpu_props="svnapot=true")
        if a != "-nographic"
    ] + ["-display", "none", "-serial", "file:" + console,
         "-gdb", "stdio", "-S"]
    argv = ["gdb-multiarch", "-batch", "-nx", image,
            "-ex", "set pagination off", "-ex", "source " + script,
            "-ex", "target remote | exec " + shlex.join(guest),
            "-ex", "break main", "-ex", "continue"]
    for c in GDB_COMMANDS:
        argv += ["-ex", "echo @@@ %s\\n" % c, "-ex", c]
    argv += ["-ex", "echo @@@ end\\n", "-ex", "detach"]
    _, text = run_program(argv, timeout=BOOT_TIMEOUT)
    deadline = time.monotonic() + BOOT_TIMEOUT     # detached: hello ends
    log = ""
    while time.monotonic() < deadline and "rvmem: poweroff" not in log:
        time.sleep(0.2)
        if os.path.exists(console):
            with open(console, encoding="utf-8", errors="replace") as f:
                log = f.read()
    parts = re.split(r"^@@@ (.*)$", text, flags=re.M)
    outputs = dict(zip(parts[1::2], parts[2::2]))
    return outputs, text, log


def gdb_checks(out, log):
    """[(case, ok, why)] for the outputs of GDB_COMMANDS."""
    total = re.search(r"^Memory: (\d+)K/", log, re.M)
    mem = re.search(r"MemTotal: +(\d+) kB\nMemFree: +(\d+) kB",
                    out.get("rvmem-meminfo", ""))
    pages = 0
    for line in re.findall(r"^Node \d+, zone +\S+((?: +\d+)+)$",
                           out.get("rvmem-buddyinfo", ""), re.M):
        pages += sum(int(n) << o for o, n in enumerate(line.split()))
    harts = re.findall(r"^\d+ +\d+ +0x[0-9a-f]+",
                       out.get("rvmem-harts", ""), re.M)
    va = re.search(r"^va (0x[0-9a-f]+),", out.get("rvmem-pte main", ""),
                   re.M)
    leaf = re.search(r"^L\d .* V\S\SX\S+ pa \S+ \(leaf[^)]*\)\n"
                     r"(?:NAPOT group: .*\n)?pa of va: (\S+)$",
                     out.get("rvmem-pte main", ""), re.M)
    napot_out = out.get("rvmem-pte " + GDB_NAPOT_VA, "")
    napot_va = re.search(r"^va (0x[0-9a-f]+),", napot_out, re.M)
    napot = re.search(r"^L0 .* \(leaf, 64K NAPOT\)\nNAPOT group: va "
                      r"(0x[0-9a-f]+)-.*\npa of va: (\S+)$", napot_out, re.M)
    report = log.split("mm report at exit:", 1)
    kernel_vmalloc = VMALLOCINFO_LINE.findall(report[-1]) \
        if len(report) == 2 else []
    gdb_vmalloc = VMALLOCINFO_LINE.findall(out.get("rvmem-vmallocinfo", ""))
    pfn = re.search(r"pfn (0x[0-9a-f]+) flags",
                    out.get("rvmem-page main", ""))
    va = int(va.group(1), 16) if va else -1
    return [
        ("meminfo_total", mem and total and mem.group(1) == total.group(1),
         "MemTotal equals the boot's 'Memory: NK/' total"),
        ("buddyinfo_sum", mem and pages and pages * 4 == int(mem.group(2)),
         "buddyinfo's free pages (%d) make MemFree" % pages),
        ("slabinfo", re.search(r"^kmalloc-64 +64 ",
                               out.get("rvmem-slabinfo", ""), re.M),
         "kmalloc-64 listed with object size 64"),
        ("harts", len(harts) == GDB_HARTS,
         "%d harts listed with a pc, %d booted" % (len(harts), GDB_HARTS)),
        ("pte_text", leaf and int(leaf.group(1), 16) == va,
         "main's leaf is executable and maps it to itself (identity map)"),
        ("page_text", pfn and int(pfn.group(1), 16) == va >> 12,
         "main's struct page has pfn = &main >> 12"),
        ("pte_napot", napot and napot_va and
         napot.group(1) == napot_va.group(1) == napot.group(2),
         "the first 64 KiB past _end: a NAPOT leaf mapping it to itself"),
        ("vmallocinfo", kernel_vmalloc and gdb_vmalloc == kernel_vmalloc,
         "rvmem-vmallocinfo prints the lines of the kernel's vmallocinfo "
         "at exit (%d), no more, no less" % len(kernel_vmalloc)),
    ]


def run_gdb(builddir):
    if not shutil.which("gdb-multiarch"):
        return [Result("gdb/helpers", False, "gdb-multiarch not installed: "
                       "run ci/setup.sh")]
    with tempfile.TemporaryDirectory() as tmp:
        out, text, log = gdb_session(builddir, tmp)
    if "@@@ end" not in text:
        return [Result("gdb/run", False, "gdb did not reach the end\n" +
                       text + "\n--- console ---\n" + log)]
    return [Result("gdb/" + case, bool(ok), "expected: %s\n%s" % (why, text)
                   + "\n--- console ---\n" + log)
            for case, ok, why in gdb_checks(out, log)]


def jobs(builddir, tmp):
    yield run_host, (builddir,)
    for suite in TSAN_SUITES:
        yield run_host_tsan, (builddir, suite)
    for mode, pattern in BAD_FREES:
        yield run_bad_free, (builddir, mode, pattern)
    for config in GUEST_MATRIX:
        yield run_guest, (builddir,) + config
    for case in BOOT_CASES:
        yield run_boot_case, (builddir, case)
    yield run_bench_gate, (builddir,)
    yield run_link_check, (builddir,)
    yield run_layer_check, (builddir,)
    yield run_kerneldoc, (builddir,)
    yield run_configure_regen, (builddir,)
    yield run_isa_build, (builddir,)
    yield run_outoftree_build, (builddir,)
    yield run_gdb, (builddir,)
    yield run_ram_start_offset, (builddir, tmp)
    base = dump_base_dtb(tmp)
    for kind, pattern in BROKEN_DTBS:
        yield run_broken_dtb, (builddir, base, kind, pattern)
    base = dump_base_dtb(tmp, numa=2)
    for kind, pattern in BROKEN_NUMA_DTBS:
        yield run_broken_dtb, (builddir, base, kind, pattern,
                               {"harts": 4, "numa": 2, "mem": "128M"})


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-v", "--verbose", action="store_true")
    p.add_argument("-k", dest="pattern", default="",
                   help="run only jobs whose name contains PATTERN")
    p.add_argument("--builddir", default="build")
    p.add_argument("--jobs", type=int, default=2)
    a = p.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp, \
            concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        futures = [pool.submit(fn, *args) for fn, args in jobs(a.builddir, tmp)
                   if a.pattern in job_name(fn, args)]
        for f in futures:
            results += f.result()
    failed = [r for r in results if not r.ok]
    for r in results:
        if a.verbose or not r.ok:
            print("%s %s%s" % ("ok" if r.ok else "FAIL", r.name,
                               " # SKIP" if r.skipped else ""))
        if not r.ok and (r.name.endswith("/run") or
                         r.name.startswith(("boot/", "bench/"))):
            print(indent(r.log))
    shown = set()
    for r in failed:
        if r.log not in shown and \
                not r.name.startswith(("boot/", "bench/")) and \
                not r.name.endswith("/run"):
            shown.add(r.log)
            print("--- log of %s ---\n%s" % (r.name, indent(r.log)))
    skipped = sum(r.skipped for r in results)
    print("%d passed, %d failed%s" % (len(results) - len(failed) - skipped,
                                      len(failed),
                                      ", %d skipped" % skipped if skipped
                                      else ""))
    return 1 if failed or not results else 0


def job_name(fn, args):
    if fn is run_host:
        return "host"
    if fn is run_host_tsan:
        return "host-tsan/" + args[1]
    if fn is run_bad_free:
        return "host-debug/bad_free_" + args[1]
    if fn is run_bench_gate:
        return "bench"
    if fn is run_link_check:
        return "link"
    if fn is run_layer_check:
        return "layers"
    if fn is run_kerneldoc:
        return "kerneldoc"
    if fn is run_configure_regen:
        return "configure"
    if fn is run_isa_build:
        return "isa"
    if fn is run_outoftree_build:
        return "outoftree"
    if fn is run_gdb:
        return "gdb"
    if fn is run_guest:
        return guest_name(*args[1:])
    if fn is run_boot_case:
        return "boot/" + args[1][0]
    if fn is run_ram_start_offset:
        return RAM_START_OFFSET_NAME
    return "boot/broken_dtb_" + args[2]


def indent(text):
    return "\n".join("    " + line for line in text.rstrip().splitlines())


if __name__ == "__main__":
    sys.exit(main())
