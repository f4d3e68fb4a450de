#!/usr/bin/env python3
"""Check that #includes point one way: apps -> include/rvmem -> core ->
platform (doc/design.md, "Layers").

    ci/check_layers.py [-v]

Rules, each a line of its own in the output:
  core      core/ includes no SBI header (<asm/sbi.h>) and no board or
            host header (platform/*/*.h: board.h, host.h, ...): what it
            needs of the platform comes through <asm/...> interfaces and
            struct platform_ops
  public    include/ includes nothing from core/include/rvmem/internal/
  apps      apps/ include no kernel-internal header (<rvmem/internal/...>
            or a path into core/ or platform/), except the apps in
            configure.py's APPS_WITH_INTERNALS (selftest)

Prints "FAIL rule: file:line: #include ..." for each violation (every
rule with -v), and exits 1 if there is any.
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
import configure  # noqa: E402

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCE_EXTS = (".c", ".h", ".S")


def sources(top):
    """Every C or assembly file under @top, relative to ROOT, sorted."""
    out = []
    for folder, _, files in os.walk(os.path.join(ROOT, top)):
        out += [os.path.relpath(os.path.join(folder, f), ROOT)
                for f in files if f.endswith(SOURCE_EXTS)]
    return sorted(out)


def includes(path):
    """[(line number, delimiter, name)] of @path's #include lines."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if m:
                yield i, m.group(1), m.group(2)


def board_headers():
    """The names of the boards' own headers: platform/NAME/*.h."""
    return {os.path.basename(p)
            for p in glob.glob(os.path.join(ROOT, "platform", "*", "*.h"))}


def core_violation(name, boards):
    if name == "asm/sbi.h":
        return "the SBI header"
    if os.path.basename(name) in boards or "platform/" in name:
        return "a platform header"
    return None


def internal_violation(delim, name):
    if name.startswith("rvmem/internal/"):
        return "a kernel-internal header"
    if delim == '"' and re.search(r"(^|/)(core|platform)/", name):
        return "a header inside core/ or platform/"
    return None


def check():
    """[(rule, ok, message)] for every include that matters."""
    boards = board_headers()
    out = []
    for path in sources("core"):
        for line, delim, name in includes(path):
            why = core_violation(name, boards)
            out.append(("core", why is None, "%s:%d: #include %s%s" % (
                path, line, name, ": " + why if why else "")))
    for path in sources("include"):
        for line, delim, name in includes(path):
            why = internal_violation(delim, name)
            out.append(("public", why is None, "%s:%d: #include %s%s" % (
                path, line, name, ": " + why if why else "")))
    for path in sources("apps"):
        app = path.split(os.sep)[1]
        if app in configure.APPS_WITH_INTERNALS:
            continue
        for line, delim, name in includes(path):
            why = internal_violation(delim, name)
            out.append(("apps", why is None, "%s:%d: #include %s%s" % (
                path, line, name, ": " + why if why else "")))
    return out


def main():
    verbose = "-v" in sys.argv[1:]
    results = check()
    for rule, ok, msg in results:
        if verbose or not ok:
            print("%s %s: %s" % ("ok" if ok else "FAIL", rule, msg))
    failed = sum(not ok for _, ok, _ in results)
    print("check_layers: %d includes checked, %d violations"
          % (len(results), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
