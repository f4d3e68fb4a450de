#!/usr/bin/env python3
"""Boot hello many times at once, to catch boot races that need load.

    ci/stress_boot.py [--boots N] [--jobs J] [--timeout S] [--builddir DIR]

Cycles through 2 and 4 harts on fw_dynamic and fw_jump. A boot passes
with exit status 0, its poweroff line and every hart online; anything
else (a hang past the timeout included) is printed with its console log.
The last line is `N boots, N failed`; the exit status is 0 only when
none failed. Too long for the normal test suite: run it by hand after
touching the entry or hart bring-up code.
"""
import argparse
import concurrent.futures
import itertools
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402
from run_tests import boot, indent  # noqa: E402

CONFIGS = [(harts, fw) for harts in (2, 4) for fw in ("dynamic", "jump")]


def boot_once(image, harts, firmware, timeout):
    """Return None if the boot was good, else what went wrong and its log."""
    status, text = boot(image, timeout=timeout, harts=harts,
                        firmware=firmware)
    online = "smp: %d of %d harts online" % (harts, harts)
    if status == 0 and online in text:
        return None
    return "exit status %d%s\n%s" % (status, "" if online in text else
                                     ", missing '%s'" % online, text)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--boots", type=int, default=1000)
    p.add_argument("--jobs", type=int, default=4)
    p.add_argument("--timeout", type=int, default=60,
                   help="kill a QEMU run after this many seconds")
    p.add_argument("--builddir", default="build")
    a = p.parse_args()
    image = qemu.image_path("hello", a.builddir)
    if not os.path.exists(image):
        sys.exit("stress_boot.py: %s not found; build it with ninja" % image)
    runs = list(itertools.islice(itertools.cycle(CONFIGS), a.boots))
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        futures = {pool.submit(boot_once, image, harts, fw, a.timeout):
                   (i, harts, fw) for i, (harts, fw) in enumerate(runs)}
        for f in concurrent.futures.as_completed(futures):
            problem = f.result()
            if problem:
                failed += 1
                i, harts, fw = futures[f]
                print("FAIL boot %d (%d harts, fw_%s): %s" %
                      (i, harts, fw, indent(problem)), flush=True)
    print("%d boots, %d failed" % (len(runs), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
