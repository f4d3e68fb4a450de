#!/usr/bin/env python3
"""Check the kernel-doc comments of the public headers with Linux's own
checker.

    ci/kerneldoc.py [-v] [FILE...]

Runs `scripts/kernel-doc -Wall -none` over FILE (default: every header
under include/) and prints its warnings and a count; exits 1 if there
is any. Every function and struct documented there must describe each
parameter and member and, for a function that returns a value, say
what with a `Return:` section.

The checker comes from Debian's linux-source-6.12 (ci/setup.sh installs
it): its scripts/kernel-doc, a Perl script, is extracted once from
/usr/src/linux-source-6.12.tar.xz into
${XDG_CACHE_HOME:-~/.cache}/rvmem-kerneldoc/VERSION/, VERSION being the
package's, so later runs skip the 140 MiB archive.
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINUX_PACKAGE = "linux-source-6.12"
TARBALL = "/usr/src/%s.tar.xz" % LINUX_PACKAGE
MEMBER = "%s/scripts/kernel-doc" % LINUX_PACKAGE


class Missing(Exception):
    """The checker cannot be had."""


def package_version():
    p = subprocess.run(["dpkg-query", "-W", "-f", "${Version}",
                        LINUX_PACKAGE], capture_output=True, text=True)
    if p.returncode or not p.stdout or not os.path.exists(TARBALL):
        raise Missing("%s is not installed: run ci/setup.sh"
                      % LINUX_PACKAGE)
    return p.stdout.strip()


def kernel_doc():
    """The path of scripts/kernel-doc, extracted into the cache if it is
    not there yet."""
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME") or
                         os.path.expanduser("~/.cache"),
                         "rvmem-kerneldoc", package_version())
    script = os.path.join(cache, "kernel-doc")
    if os.path.exists(script):
        return script
    os.makedirs(cache, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        p = subprocess.run(["tar", "-xJf", TARBALL, "-C", tmp, MEMBER],
                           capture_output=True, text=True)
        if p.returncode:
            raise Missing("cannot extract %s from %s: %s"
                          % (MEMBER, TARBALL, p.stderr.strip()))
        os.replace(os.path.join(tmp, MEMBER), script)
    return script


def public_headers():
    out = []
    for folder, _, files in os.walk(os.path.join(ROOT, "include")):
        out += [os.path.relpath(os.path.join(folder, f), ROOT)
                for f in files if f.endswith(".h")]
    return sorted(out)


def check(files):
    """Return (kernel-doc's exit status, its warning and error lines)."""
    p = subprocess.run(["perl", kernel_doc(), "-Wall", "-none"] + files,
                       cwd=ROOT, capture_output=True, text=True)
    lines = [l for l in (p.stdout + p.stderr).splitlines()
             if ": warning: " in l or ": error: " in l]
    return p.returncode, lines


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    files = args or public_headers()
    try:
        status, problems = check(files)
    except Missing as e:
        print("kerneldoc: %s" % e)
        return 1
    for line in problems:
        print(line)
    if "-v" in sys.argv[1:]:
        print("kerneldoc: checked %s" % " ".join(files))
    print("kerneldoc: %d files, %d warnings or errors"
          % (len(files), len(problems)))
    return 1 if problems or status else 0


if __name__ == "__main__":
    sys.exit(main())
