#!/usr/bin/env python3
"""Build the kernel symbol table (kallsyms) for backtraces.

    kallsyms.py NM ELF OUT.S           write the table of ELF's functions
    kallsyms.py NM ELF OUT.S --empty   write an empty table (first link)
    kallsyms.py NM ELF TABLE.S --check verify ELF's functions sit where
                                       TABLE.S says (after the final link)

The image is linked twice: first with an empty table, then with the table
of the first link. The table's section comes last in the image, so no
function moves between the two links; --check proves it.
"""
import subprocess
import sys

# Linker-script markers that share an address with a real function.
MARKERS = {"_text", "_stext", "_etext"}


def text_symbols(nm, elf):
    out = subprocess.run([nm, "-n", elf], check=True, capture_output=True,
                         text=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if (len(parts) == 3 and parts[1] in "tTwW" and
                not parts[2].startswith(".L") and parts[2] not in MARKERS):
            syms.append((int(parts[0], 16), parts[2]))
    return syms


def emit(syms):
    lines = ['\t.section .kallsyms, "a"', "\t.balign 8",
             "\t.globl kallsyms_num", "kallsyms_num:",
             "\t.quad %d" % len(syms), "\t.globl kallsyms_addrs",
             "kallsyms_addrs:"]
    lines += ["\t.quad 0x%x\t/* %s */" % (a, n) for a, n in syms]
    lines += ["\t.globl kallsyms_name_offs", "kallsyms_name_offs:"]
    off = 0
    for _, name in syms:
        lines.append("\t.4byte %d" % off)
        off += len(name) + 1
    lines += ["\t.globl kallsyms_names", "kallsyms_names:"]
    lines += ['\t.asciz "%s"' % n for _, n in syms]
    return "\n".join(lines) + "\n"


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    nm, elf, out = argv[1:4]
    mode = argv[4] if len(argv) > 4 else ""
    if mode == "--check":
        want = open(out).read()
        got = emit(text_symbols(nm, elf))
        if want != got:
            sys.exit("kallsyms: %s: functions moved between the two links; "
                     "the symbol table would lie" % elf)
        return
    syms = [] if mode == "--empty" else text_symbols(nm, elf)
    with open(out, "w") as f:
        f.write(emit(syms))


if __name__ == "__main__":
    main(sys.argv)
