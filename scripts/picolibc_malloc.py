#!/usr/bin/env python3
"""Make picolibc's own malloc linkable beside rvmem's, for comparison.

    scripts/picolibc_malloc.py CROSS-PREFIX OUT.o

Apps get the C allocation functions from core/libc/malloc.c; picolibc's
nano-malloc is never linked into them. allocbench still measures it, so
this takes nano-malloc's objects out of picolibc's libc.a (the multilib
the kernel links), joins them into one relocatable object and renames
each public function F to picolibc_F.
"""
import os
import subprocess
import sys
import tempfile

PUBLIC = ("malloc", "free", "cfree", "calloc", "realloc", "memalign",
          "aligned_alloc", "posix_memalign", "valloc", "pvalloc",
          "malloc_usable_size", "mallinfo", "malloc_stats", "mallopt")
MARCH = ["-march=rv64imac", "-mabi=lp64"]


def libc_path(cross):
    multi = subprocess.run([cross + "gcc", "--specs=picolibc.specs"] + MARCH +
                           ["-print-multi-directory"], check=True,
                           capture_output=True, text=True).stdout.strip()
    return os.path.join("/usr/lib/picolibc/riscv64-unknown-elf/lib", multi,
                        "libc.a")


def main():
    cross, out = sys.argv[1], sys.argv[2]
    libc = libc_path(cross)
    members = [m for m in subprocess.run(
        [cross + "ar", "t", libc], check=True, capture_output=True,
        text=True).stdout.split() if m.startswith("nano-malloc-")]
    if not members:
        sys.exit("picolibc_malloc: no nano-malloc objects in " + libc)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([cross + "ar", "x", os.path.abspath(libc)] + members,
                       cwd=tmp, check=True)
        joined = os.path.join(tmp, "joined.o")
        subprocess.run([cross + "ld", "-r", "-o", joined] +
                       [os.path.join(tmp, m) for m in members], check=True)
        renames = []
        for name in PUBLIC:
            renames += ["--redefine-sym", "%s=picolibc_%s" % (name, name)]
        subprocess.run([cross + "objcopy"] + renames + [joined, out],
                       check=True)


if __name__ == "__main__":
    main()
