#!/usr/bin/env python3
"""Write build.ninja for rvmem.

    ./configure.py [--builddir DIR] [--paging sv39|sv48|sv57|auto] [--debug]
                   [--isa rv64imac|rv64imac_zba_zbb] [--cross PREFIX]
                   [--host-cc CC] [--ninja FILE]
                   [--app DIR]... [--app-cflags="FLAGS"]
    ninja -C DIR        (or plain `ninja` when DIR is the default)

Builds every app in apps/ as a bootable riscv64 image (DIR/apps/NAME.elf)
and the host-side tests (DIR/host/rvmem-tests, ASan and UBSan). --app adds
a folder of unmodified C sources from anywhere (DIR/apps/FOLDER.elf),
compiled without the kernel's warnings, with FLAGS last. Python 3
standard library only; build.ninja regenerates when this file changes,
when an app folder comes or goes in apps/, or when a file comes or goes
in an app folder or an --app folder (ninja sees a folder's mtime).
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys

DEBIAN_PACKAGES = ("gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf "
                   "qemu-system-misc opensbi device-tree-compiler "
                   "ninja-build")

# core/ and board code compiled unchanged for both the guest image and
# the host tests (alphabetical).
SHARED_SOURCES = [
    "core/kernel/boot_info.c",
    "core/kernel/ktest.c",
    "core/kernel/panic.c",
    "core/kernel/params.c",
    "core/kernel/platform.c",
    "core/kernel/printk.c",
    "core/kernel/ratelimit.c",
    "core/kernel/spinlock.c",
    "core/lib/avl.c",
    "core/lib/fault_inject.c",
    "core/lib/fdt.c",
    "core/mm/anon.c",
    "core/mm/kfence.c",
    "core/mm/memblock.c",
    "core/mm/numa.c",
    "core/mm/page_alloc.c",
    "core/mm/pgtable.c",
    "core/mm/slab.c",
    "core/mm/slab_common.c",
    "core/mm/slab_debug.c",
    "core/mm/stats.c",
    "core/mm/unmap.c",
    "core/mm/vm_space.c",
    "core/mm/vmalloc.c",
    "core/mm/vmstat.c",
    "platform/virt/board_fdt.c",
]

# The rest of the kernel image, shared by every app (alphabetical).
GUEST_SOURCES = [
    "core/init/main.c",
    "core/kernel/smp.c",
    "core/libc/lock.c",
    "core/libc/malloc.c",
    "core/libc/mman.c",
    "core/libc/pthread.c",
    "core/libc/stdio.c",
    "core/libc/string.c",
    "core/libc/syscalls.c",
    "core/mm/fault.c",
    "core/mm/init.c",
    "core/mm/meminfo.c",
    "core/mm/paging.c",
    "core/trap/backtrace.c",
    "core/trap/entry.S",
    "core/trap/report.c",
    "core/trap/trap.c",
    "platform/riscv/cpufeature.c",
    "platform/riscv/entry.S",
    "platform/riscv/processor.c",
    "platform/riscv/sbi.c",
    "platform/riscv/smp.c",
    "platform/riscv/timer.c",
    "platform/riscv/tlbflush.c",
    "platform/virt/setup.c",
]

HOST_SOURCES = [
    "platform/host/host.c",
    "tests/fdt_builder.c",
    "tests/harts.c",
    "tests/host_main.c",
    "tests/mm_fixture.c",
    "tests/test_anon_random.c",
    "tests/test_avl.c",
    "tests/test_failinject.c",
    "tests/test_fdt.c",
    "tests/test_memblock.c",
    "tests/test_page_alloc.c",
    "tests/test_page_alloc_numa.c",
    "tests/test_page_alloc_random.c",
    "tests/test_params.c",
    "tests/test_ratelimit.c",
    "tests/test_pgtable.c",
    "tests/test_slab.c",
    "tests/test_slab_random.c",
    "tests/test_vm_space.c",
    "tests/test_vmalloc.c",
    "tests/test_vmalloc_random.c",
]

BAD_FREE_SOURCES = [
    "platform/host/host.c",
    "tests/bad_free.c",
    "tests/mm_fixture.c",
]

HOSTBENCH_SOURCES = [
    "platform/host/host.c",
    "tests/harts.c",
    "tests/hostbench.c",
    "tests/mm_fixture.c",
]

# --paging: the deepest mode the kernel tries; it takes the deepest the
# device tree and the hart allow up to that.
PAGING_LEVELS = {"sv39": 3, "sv48": 4, "sv57": 5, "auto": 5}

DTB_FIXTURES = ["tests/dtb/qemu-virt-4hart.dts"]

# Apps see include/ only; the kernel's own headers, core/include/rvmem/
# internal/, are on the path of the kernel, the host tests and the apps
# named here: selftest tests allocator internals (zones, memblock, page
# tables) from inside the guest, like the host tests (doc/design.md).
INTERNAL_INCLUDES = "-Icore/include"
APPS_WITH_INTERNALS = {"selftest"}

# Objects an app links beyond the kernel's and its own: allocbench
# measures picolibc's malloc, renamed picolibc_malloc & co., which no
# other app links.
PICOLIBC_MALLOC = "picolibc-malloc.o"
APP_EXTRA_OBJECTS = {"allocbench": [PICOLIBC_MALLOC]}

# The ISAs an image can be built for. Every RV64GC core runs rv64imac;
# Zba/Zbb (address generation, bit manipulation) make pointer and
# bit-scan arithmetic shorter on the cores that have them. Linking
# always names rv64imac: that picks picolibc's soft-float multilib.
ISAS = ("rv64imac", "rv64imac_zba_zbb")
LINK_MARCH = "-march=rv64imac"

# What every guest object needs to live in the image, ours or foreign.
GUEST_CFLAGS = ("-mabi=lp64 -mcmodel=medany -misa-spec=2.2 "
                "--specs=picolibc.specs -ffreestanding -fno-common "
                "-fno-omit-frame-pointer -ffunction-sections "
                "-fdata-sections -g -std=gnu11")
# Our own code's warnings (kernel and apps/). Foreign code (--app) gets
# GCC's defaults: its authors chose their warnings, not us.
GUEST_WARNINGS = "-Wall -Wextra -Werror -Wno-unused-parameter"
HOST_CFLAGS = ("-std=gnu11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra "
               "-Werror -Wno-unused-parameter")

# Host builds: name -> (extra flags, sources beyond SHARED_SOURCES, binary).
# "host" is the unit-test binary; "host-tsan" the same under
# ThreadSanitizer for the concurrency suites; "host-debug" a --debug build
# of a program that misuses the allocator on purpose (each misuse ends
# the process, so it cannot live in the test binary); "host-bench" the
# optimised benchmark that ci/hostbench.py runs beside the host mallocs.
ASAN = "-fsanitize=address,undefined -fno-sanitize-recover=all"
HOST_VARIANTS = {
    "host": (ASAN, HOST_SOURCES, "rvmem-tests"),
    "host-tsan": ("-fsanitize=thread", HOST_SOURCES, "rvmem-tests-tsan"),
    "host-debug": (ASAN + " -DCONFIG_DEBUG", BAD_FREE_SOURCES, "bad-free"),
    "host-bench": ("-O2", HOSTBENCH_SOURCES, "hostbench"),
}


class Writer:
    """The few pieces of ninja syntax configure.py needs."""

    def __init__(self, f):
        self.f = f

    def line(self, text=""):
        self.f.write(text + "\n")

    def variable(self, key, value):
        self.line("%s = %s" % (key, value))

    def rule(self, name, command, description, **extra):
        self.line("rule " + name)
        self.line("  command = " + command)
        self.line("  description = " + description)
        for key, value in extra.items():
            self.line("  %s = %s" % (key, value))
        self.line()

    def build(self, outputs, rule, inputs, implicit=(), variables=None):
        text = "build %s: %s %s" % (" ".join(outputs), rule, " ".join(inputs))
        if implicit:
            text += " | " + " ".join(implicit)
        self.line(text)
        for key, value in (variables or {}).items():
            self.line("  %s = %s" % (key, value))


def obj(builddir, variant, src):
    return os.path.join(builddir, variant, os.path.splitext(src)[0] + ".o")


def apps():
    return sorted(d for d in os.listdir("apps")
                  if os.path.isdir(os.path.join("apps", d)))


def app_folders():
    """apps/ and each app's folder: build.ninja depends on their listings."""
    return ["apps"] + [os.path.join("apps", app) for app in apps()]


def app_sources(app):
    folder = os.path.join("apps", app)
    return sorted(os.path.join(folder, f) for f in os.listdir(folder)
                  if f.endswith(".c"))


def foreign_tree(top):
    """The folders under @top (itself included; hidden ones skipped) and
    its .c files relative to @top, both sorted."""
    folders, sources = [], []
    for folder, subdirs, files in os.walk(top):
        subdirs[:] = [d for d in subdirs if not d.startswith(".")]
        folders.append(folder)
        sources += [os.path.relpath(os.path.join(folder, f), top)
                    for f in files if f.endswith(".c")]
    for path in folders + sources:
        if any(c.isspace() or c in "$:" for c in path):
            sys.exit("configure: --app: ninja cannot name %r (a space, "
                     "'$' or ':')" % path)
    return sorted(folders), sorted(sources)


def foreign_apps(paths):
    """Map each --app folder's name to its absolute path; exit with a
    message when one is missing, has no .c file, or two images would
    share a name."""
    out = {}
    for path in paths:
        name = os.path.basename(path)
        if not os.path.isdir(path):
            sys.exit("configure: --app %s: not a folder" % path)
        if not foreign_tree(path)[1]:
            sys.exit("configure: --app %s: no .c file in it" % path)
        if name in out or name in apps():
            sys.exit("configure: --app %s: an app named %s exists already"
                     % (path, name))
        out[name] = path
    return out


def check_toolchain(cross):
    """Exit with one message naming the packages if anything is missing."""
    missing = [t for t in (cross + "gcc", "dtc", "ninja")
               if not shutil.which(t)]
    if not missing:
        probe = subprocess.run([cross + "gcc", "--specs=picolibc.specs",
                                "-march=rv64imac", "-mabi=lp64", "-x", "c",
                                "-", "-o", os.devnull],
                               input="int main(void) { return 0; }\n",
                               capture_output=True, text=True)
        if probe.returncode:
            missing.append("picolibc for " + cross + "gcc")
    if missing:
        sys.exit("configure: missing %s; install the Debian packages: "
                 "apt-get install %s (or run ci/setup.sh)"
                 % (", ".join(missing), DEBIAN_PACKAGES))


def ninja_escape(text):
    return text.replace("$", "$$")


def regenerate_argv(args):
    """This run's arguments with every --app folder absolute: ninja
    reruns configure.py from the top of the tree."""
    apps_only = argparse.ArgumentParser(add_help=False)
    apps_only.add_argument("--app", action="append")
    rest = apps_only.parse_known_args(sys.argv[1:])[1]
    return rest + ["--app=" + path for path in args.app]


def write_rules(n, args):
    defines = "-DCONFIG_PAGING_LEVELS=%d -DRVMEM_ISA='\"%s\"'" % (
        PAGING_LEVELS[args.paging], args.isa)
    if "zba_zbb" in args.isa:
        defines += " -DCONFIG_ISA_ZBA_ZBB"
    if args.debug:
        defines += " -DCONFIG_DEBUG"
    opt = "-O1" if args.debug else "-O2"
    n.variable("builddir", args.builddir)
    n.variable("cross", args.cross)
    n.variable("host_cc", args.host_cc)
    n.variable("target_cflags", "-march=%s %s %s %s -Iinclude/libc "
               "-Iinclude -Iplatform/riscv/include" % (args.isa, GUEST_CFLAGS,
                                                       opt, defines))
    n.variable("guest_cflags", "$target_cflags " + GUEST_WARNINGS)
    n.variable("internal_cflags", INTERNAL_INCLUDES)
    n.variable("foreign_cflags", ninja_escape(args.app_cflags))
    n.variable("host_cflags", "%s %s -Iinclude %s -Iplatform/host/include -Iplatform/riscv/include -Iplatform/host "
               "-Iplatform/virt -DTEST_DTB_DIR='\"%s/tests/dtb\"'"
               % (HOST_CFLAGS, defines, INTERNAL_INCLUDES, args.builddir))
    n.line()
    n.rule("configure", "python3 configure.py " +
           ninja_escape(shlex.join(regenerate_argv(args))),
           "CONFIGURE", generator="1")
    n.rule("cc", "${cross}gcc -MMD -MF $out.d $guest_cflags $internal_cflags "
           "-c $in -o $out",
           "CC $out", depfile="$out.d", deps="gcc")
    n.rule("foreign_cc", "${cross}gcc -MMD -MF $out.d $target_cflags "
           "-iquote $top $foreign_cflags -c $in -o $out", "CC $out",
           depfile="$out.d", deps="gcc")
    n.rule("link", "${cross}gcc $guest_cflags " + LINK_MARCH + " -nostartfiles -T "
           "platform/virt/kernel.ld -Wl,--gc-sections -o $out $in",
           "LINK $out")
    n.rule("kallsyms_empty", "python3 scripts/kallsyms.py ${cross}nm - $out "
           "--empty", "KALLSYMS $out")
    n.rule("kallsyms", "python3 scripts/kallsyms.py ${cross}nm $in $out",
           "KALLSYMS $out")
    n.rule("link_final", "${cross}gcc $guest_cflags " + LINK_MARCH + " -nostartfiles -T "
           "platform/virt/kernel.ld -Wl,--gc-sections -o $out $in && "
           "python3 scripts/kallsyms.py ${cross}nm $out $table --check",
           "LINK $out")
    n.rule("appname", "printf 'const char rvmem_app_name[] = \"%s\";\\n' "
           "$name > $out", "GEN $out")
    n.rule("host_cc", "$host_cc -MMD -MF $out.d $host_cflags $variant_cflags "
           "-c $in -o $out", "HOSTCC $out", depfile="$out.d", deps="gcc")
    n.rule("host_link", "$host_cc $host_cflags $variant_cflags -o $out $in "
           "-lpthread", "HOSTLD $out")
    n.rule("dtc", "dtc -q -I dts -O dtb -o $out $in", "DTC $out")
    n.rule("picolibc_malloc", "python3 scripts/picolibc_malloc.py $cross "
           "$out", "GEN $out")


def write_image(n, builddir, app, objs, empty):
    """Link @objs, the kernel's and @app's, into DIR/apps/@app.elf: once
    with @empty, an empty symbol table, then with the table of that first
    link. Return: the image's path."""
    name_c = os.path.join(builddir, "guest", "apps", app, "appname.c")
    n.build([name_c], "appname", [], variables={"name": app})
    objs = objs + [name_c[:-2] + ".o"]
    n.build([objs[-1]], "cc", [name_c])
    stage1 = os.path.join(builddir, "guest", "apps", app + ".stage1.elf")
    n.build([stage1], "link", objs + [empty], ["platform/virt/kernel.ld"])
    table = stage1[:-len(".stage1.elf")] + ".kallsyms.S"
    n.build([table], "kallsyms", [stage1], ["scripts/kallsyms.py"])
    n.build([table[:-2] + ".o"], "cc", [table])
    image = os.path.join(builddir, "apps", app + ".elf")
    n.build([image], "link_final", objs + [table[:-2] + ".o"],
            ["platform/virt/kernel.ld", "scripts/kallsyms.py"],
            {"table": table})
    return image


def write_guest(n, builddir, foreign):
    """The kernel's objects, then an image for every app in apps/ and
    every --app folder in @foreign. Return: the images' paths."""
    kernel_objs = []
    for src in SHARED_SOURCES + GUEST_SOURCES:
        kernel_objs.append(obj(builddir, "guest", src))
        n.build([kernel_objs[-1]], "cc", [src])
    empty_s = os.path.join(builddir, "guest", "kallsyms_empty.S")
    n.build([empty_s], "kallsyms_empty", [], ["scripts/kallsyms.py"])
    empty = empty_s[:-2] + ".o"
    n.build([empty], "cc", [empty_s])
    picolibc_malloc = os.path.join(builddir, "guest", PICOLIBC_MALLOC)
    n.build([picolibc_malloc], "picolibc_malloc", [],
            ["scripts/picolibc_malloc.py"])
    images = []
    for app in apps():
        objs = kernel_objs + [os.path.join(builddir, "guest", o)
                              for o in APP_EXTRA_OBJECTS.get(app, [])]
        flags = {} if app in APPS_WITH_INTERNALS else {"internal_cflags": ""}
        for src in app_sources(app):
            objs.append(obj(builddir, "guest", src))
            n.build([objs[-1]], "cc", [src], variables=flags)
        images.append(write_image(n, builddir, app, objs, empty))
    for app, top in sorted(foreign.items()):
        objs = list(kernel_objs)
        for src in foreign_tree(top)[1]:
            objs.append(obj(builddir, "foreign", os.path.join(app, src)))
            n.build([objs[-1]], "foreign_cc", [os.path.join(top, src)],
                    variables={"top": top})
        images.append(write_image(n, builddir, app, objs, empty))
    return images


def write_host(n, builddir):
    dtbs = []
    for src in DTB_FIXTURES:
        dtbs.append(os.path.join(builddir, src[:-4] + ".dtb"))
        n.build([dtbs[-1]], "dtc", [src])
    binaries = []
    for variant, (cflags, sources, name) in sorted(HOST_VARIANTS.items()):
        flags = {"variant_cflags": cflags}
        objs = []
        for src in SHARED_SOURCES + sources:
            objs.append(obj(builddir, variant, src))
            n.build([objs[-1]], "host_cc", [src], variables=flags)
        binaries.append(os.path.join(builddir, "host", name))
        n.build([binaries[-1]], "host_link", objs, dtbs, flags)
    return binaries


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--builddir", default="build")
    p.add_argument("--paging", choices=sorted(PAGING_LEVELS),
                   default="auto",
                   help="the deepest MMU mode the kernel tries")
    p.add_argument("--debug", action="store_true",
                   help="assertions and allocator checks on")
    p.add_argument("--cross", default="riscv64-unknown-elf-",
                   help="cross-compiler prefix")
    p.add_argument("--host-cc", default="gcc")
    p.add_argument("--isa", choices=ISAS, default=ISAS[0],
                   help="instruction set the kernel and apps are compiled "
                        "for (the image refuses a hart without it)")
    p.add_argument("--ninja", default="build.ninja",
                   help="the ninja file to write (ninja -f FILE)")
    p.add_argument("--app", action="append", default=[],
                   type=os.path.abspath, metavar="DIR",
                   help="also build the C sources under DIR, wherever it "
                        "is, as BUILDDIR/apps/NAME.elf, NAME being DIR's "
                        "own name (repeatable)")
    p.add_argument("--app-cflags", default="", metavar="FLAGS",
                   help="compiler flags for the --app sources, after "
                        "rvmem's (--app-cflags=\"-O3 -DX\")")
    args = p.parse_args()
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    check_toolchain(args.cross)
    foreign = foreign_apps(args.app)
    with open(args.ninja, "w") as f:
        n = Writer(f)
        n.line("# Generated by configure.py; do not edit.")
        n.line("ninja_required_version = 1.10")
        write_rules(n, args)
        n.build([args.ninja], "configure", ["configure.py"],
                app_folders() +
                [d for top in foreign.values() for d in foreign_tree(top)[0]])
        n.line()
        outputs = (write_guest(n, args.builddir, foreign) +
                   write_host(n, args.builddir))
        n.line()
        n.line("default " + " ".join(outputs))
    print("configure: wrote %s (builddir %s, paging %s, isa %s%s%s)"
          % (args.ninja, args.builddir, args.paging, args.isa,
             ", debug" if args.debug else "",
             "".join(", app " + top for top in sorted(foreign.values()))))


if __name__ == "__main__":
    main()
