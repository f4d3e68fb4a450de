#!/usr/bin/env python3
"""Break a flattened device tree blob in one chosen way, for boot tests.

    python3 ci/brokendtb.py KIND IN.dtb OUT.dtb

rvmem must refuse each result with one clear line and a non-zero exit,
never hang. Every kind edits the blob in place and leaves the header and
the block sizes as they were:

  no-memory     the memory node's device_type "memory" becomes "notmem"
  tiny-memory   RAM shrinks to 4 MiB: the first memory reg entry's size
                becomes 4 MiB, every other memory entry's size 0
  no-cpus       the /cpus node is renamed /gone (same length, in place)
  corrupt-prop  the length of /memory's reg runs past the structure block
                (structure corrupt, header intact)
  bad-reg       /memory's reg says 12 bytes instead of 16; its last 4 bytes
                become an FDT_NOP token, so the structure stays walkable and
                only the property is malformed
  bad-prop-name /memory's reg gets a name offset just past the strings block
  ram-above-4g  RAM moves to 4 GiB: the first memory reg entry's base
                becomes 0x100000000, so no RAM holds the kernel image
  no-map-kernel a /reserved-memory node is added whose no-map child covers
                the kernel image (2 MiB at KERNEL_BASE); the only kind that
                grows the blob (structure and strings blocks, header fixed)

The numa-* kinds take a tree with NUMA nodes (QEMU -numa, as
ci/qemu.py --numa 2 gives):

  numa-node-range   the first memory node's numa-node-id becomes 9
  numa-cpu-unknown  the last cpu's numa-node-id names a node without
                    memory (one past the highest memory node's)
  numa-partial      the last cpu's numa-node-id property becomes FDT_NOP
                    tokens: some nodes have an id, that one has none
  numa-distance     the distance-matrix's first entry (a node to itself)
                    says 5 instead of 10

OpenSBI 1.1 itself stops, silently, on no-cpus and corrupt-prop (it walks
/cpus and the whole structure block before starting the next stage): those
two test rvmem only where it gets the blob without OpenSBI reading it. The
other kinds reach rvmem through OpenSBI on QEMU virt.

make_broken_dtb(blob, kind) does the same on bytes, for use from Python.
move_ram_start(blob, offset) is the one edit that breaks nothing: RAM
starts @offset bytes later, for a boot that must succeed.
Python 3 standard library only; no dtc needed.
"""

import argparse
import struct
import sys

FDT_MAGIC = 0xD00DFEED
FDT_BEGIN_NODE = 1
FDT_END_NODE = 2
FDT_PROP = 3
FDT_NOP = 4
FDT_END = 9

KERNEL_BASE = 0x80200000    # where QEMU loads rvmem (its link address)


class Prop:
    """A property: its token offset, name and value span in the blob."""

    def __init__(self, tok, name, val, value):
        self.tok = tok          # blob offset of the FDT_PROP token
        self.name = name
        self.val = val          # blob offset of the value
        self.len = len(value)
        self.value = value      # the value's bytes as read


class Node:
    """A node: blob offset of its name, path and properties."""

    def __init__(self, name_off, path):
        self.name_off = name_off
        self.path = path
        self.props = {}


def _u32(blob, off):
    return struct.unpack_from(">I", blob, off)[0]


def _align4(n):
    return (n + 3) & ~3


def parse_nodes(blob):
    """Walk the structure block; return the nodes in document order."""
    if len(blob) < 40 or _u32(blob, 0) != FDT_MAGIC:
        raise ValueError("not a flattened device tree (bad magic)")
    off_struct, off_strings = _u32(blob, 8), _u32(blob, 12)
    size_struct = _u32(blob, 36)
    end = off_struct + size_struct
    off, stack, nodes = off_struct, [], []
    while off < end:
        tok = _u32(blob, off)
        off += 4
        if tok == FDT_BEGIN_NODE:
            nul = blob.index(b"\0", off)
            name = blob[off:nul].decode()
            parent = stack[-1].path if stack else ""
            path = "/" if not stack else parent.rstrip("/") + "/" + name
            node = Node(off, path)
            nodes.append(node)
            stack.append(node)
            off = _align4(nul + 1)
        elif tok == FDT_END_NODE:
            stack.pop()
        elif tok == FDT_PROP:
            length, nameoff = struct.unpack_from(">II", blob, off)
            start = off_strings + nameoff
            name = blob[start:blob.index(b"\0", start)].decode()
            value = bytes(blob[off + 8:off + 8 + length])
            stack[-1].props[name] = Prop(off - 4, name, off + 8, value)
            off = _align4(off + 8 + length)
        elif tok == FDT_END:
            break
        elif tok != FDT_NOP:
            raise ValueError("bad token 0x%x at offset 0x%x" % (tok, off - 4))
    return nodes


def _memory_nodes(nodes):
    mem = [n for n in nodes if n.path.count("/") == 1 and
           "device_type" in n.props and
           n.props["device_type"].value == b"memory\0"]
    if not mem:
        raise ValueError("no memory node in the input")
    return mem


def _root_cells(nodes):
    props = nodes[0].props
    ac = props.get("#address-cells")
    sc = props.get("#size-cells")
    return (_u32(ac.value, 0) if ac else 2, _u32(sc.value, 0) if sc else 1)


def _cells(blob, off, cells):
    value = 0
    for i in range(cells):
        value = value << 32 | _u32(blob, off + 4 * i)
    return value


def _put_cells(out, off, cells, value):
    for i in range(cells):
        shift = 32 * (cells - 1 - i)
        struct.pack_into(">I", out, off + 4 * i, (value >> shift) & 0xFFFFFFFF)


def _no_memory(out, nodes):
    for node in _memory_nodes(nodes):
        val = node.props["device_type"].val
        out[val:val + 7] = b"notmem\0"


def _tiny_memory(out, nodes):
    ac, sc = _root_cells(nodes)
    entry = 4 * (ac + sc)
    size = 4 << 20
    for node in _memory_nodes(nodes):
        reg = node.props["reg"]
        for off in range(reg.val, reg.val + reg.len - entry + 1, entry):
            _put_cells(out, off + 4 * ac, sc, size)
            size = 0


def _no_cpus(out, nodes):
    cpus = [n for n in nodes if n.path == "/cpus"]
    if not cpus:
        raise ValueError("no /cpus node in the input")
    out[cpus[0].name_off:cpus[0].name_off + 4] = b"gone"


def _memory_reg(nodes):
    return _memory_nodes(nodes)[0].props["reg"]


def _corrupt_prop(out, nodes):
    reg = _memory_reg(nodes)
    size_struct = _u32(out, 36)
    struct.pack_into(">I", out, reg.tok + 4, size_struct)


def _bad_reg(out, nodes):
    reg = _memory_reg(nodes)
    if reg.len != 16:
        raise ValueError("memory reg is %d bytes, expected 16" % reg.len)
    struct.pack_into(">I", out, reg.tok + 4, 12)
    struct.pack_into(">I", out, reg.val + 12, FDT_NOP)


def _bad_prop_name(out, nodes):
    reg = _memory_reg(nodes)
    struct.pack_into(">I", out, reg.tok + 8, _u32(out, 32))


def _ram_above_4g(out, nodes):
    ac, _ = _root_cells(nodes)
    _put_cells(out, _memory_reg(nodes).val, ac, 1 << 32)


def _insert(out, at, struct_bytes, strings):
    """Insert struct_bytes at offset at of the structure block and append
    strings to the strings block, which must follow it; fix the header."""
    off_struct, off_strings = _u32(out, 8), _u32(out, 12)
    size_strings, size_struct = _u32(out, 32), _u32(out, 36)
    if off_strings < off_struct + size_struct:
        raise ValueError("strings block before the structure block")
    end_strings = off_strings + size_strings
    out[end_strings:end_strings] = strings
    out[at:at] = struct_bytes
    for hdr, grow in ((4, len(struct_bytes) + len(strings)),
                      (12, len(struct_bytes)), (32, len(strings)),
                      (36, len(struct_bytes))):
        struct.pack_into(">I", out, hdr, _u32(out, hdr) + grow)


def _no_map_kernel(out, nodes):
    names = ["#address-cells", "#size-cells", "ranges", "reg", "no-map"]
    nameoff, pos = {}, _u32(out, 32)
    for name in names:
        nameoff[name], pos = pos, pos + len(name) + 1

    def begin(name):
        raw = name.encode() + b"\0"
        return struct.pack(">I", FDT_BEGIN_NODE) + raw.ljust(_align4(len(raw)),
                                                             b"\0")

    def prop(name, value):
        return (struct.pack(">III", FDT_PROP, len(value), nameoff[name]) +
                value.ljust(_align4(len(value)), b"\0"))

    end_node = struct.pack(">I", FDT_END_NODE)
    node = (begin("reserved-memory") +
            prop("#address-cells", struct.pack(">I", 2)) +
            prop("#size-cells", struct.pack(">I", 2)) + prop("ranges", b"") +
            begin("kernel@%x" % KERNEL_BASE) +
            prop("reg", struct.pack(">QQ", KERNEL_BASE, 2 << 20)) +
            prop("no-map", b"") + end_node + end_node)
    end = _u32(out, 8) + _u32(out, 36)
    if _u32(out, end - 4) != FDT_END or _u32(out, end - 8) != FDT_END_NODE:
        raise ValueError("structure block does not end with the root's end")
    _insert(out, end - 8, node,
            b"".join(name.encode() + b"\0" for name in names))


def _numa_ids(nodes):
    """The numa-node-id properties of the memory nodes and of the cpus."""
    mem = [n.props["numa-node-id"] for n in _memory_nodes(nodes)
           if "numa-node-id" in n.props]
    cpus = [n.props["numa-node-id"] for n in nodes
            if n.path.startswith("/cpus/cpu@") and n.path.count("/") == 2
            and "numa-node-id" in n.props]
    if not mem or not cpus:
        raise ValueError("no numa-node-id in the input (boot with -numa)")
    return mem, cpus


def _numa_node_range(out, nodes):
    struct.pack_into(">I", out, _numa_ids(nodes)[0][0].val, 9)


def _numa_cpu_unknown(out, nodes):
    mem, cpus = _numa_ids(nodes)
    unknown = max(_u32(p.value, 0) for p in mem) + 1
    struct.pack_into(">I", out, cpus[-1].val, unknown)


def _numa_partial(out, nodes):
    prop = _numa_ids(nodes)[1][-1]
    for off in range(prop.tok, prop.val + _align4(prop.len), 4):
        struct.pack_into(">I", out, off, FDT_NOP)


def _numa_distance(out, nodes):
    maps = [n.props["distance-matrix"] for n in nodes
            if "distance-matrix" in n.props]
    if not maps:
        raise ValueError("no distance-matrix in the input")
    struct.pack_into(">I", out, maps[0].val + 8, 5)


KINDS = {
    "no-memory": _no_memory,
    "tiny-memory": _tiny_memory,
    "no-cpus": _no_cpus,
    "corrupt-prop": _corrupt_prop,
    "bad-reg": _bad_reg,
    "bad-prop-name": _bad_prop_name,
    "ram-above-4g": _ram_above_4g,
    "no-map-kernel": _no_map_kernel,
    "numa-node-range": _numa_node_range,
    "numa-cpu-unknown": _numa_cpu_unknown,
    "numa-partial": _numa_partial,
    "numa-distance": _numa_distance,
}

def move_ram_start(blob: bytes, offset: int) -> bytes:
    """A copy of blob whose first memory reg entry starts @offset bytes
    later and ends where it did."""
    out = bytearray(blob)
    nodes = parse_nodes(blob)
    ac, sc = _root_cells(nodes)
    reg = _memory_reg(nodes)
    base = _cells(out, reg.val, ac)
    size = _cells(out, reg.val + 4 * ac, sc)
    if size <= offset:
        raise ValueError("the first memory entry is %#x bytes" % size)
    _put_cells(out, reg.val, ac, base + offset)
    _put_cells(out, reg.val + 4 * ac, sc, size - offset)
    return bytes(out)


def make_broken_dtb(blob: bytes, kind: str) -> bytes:
    """Return a copy of blob broken the way kind says (see KINDS).

    Raises ValueError for an unknown kind or a blob without the node the
    kind breaks.
    """
    if kind not in KINDS:
        raise ValueError("unknown kind %r (one of %s)" %
                         (kind, ", ".join(KINDS)))
    out = bytearray(blob)
    KINDS[kind](out, parse_nodes(blob))
    return bytes(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=sorted(KINDS))
    ap.add_argument("input", help="a valid .dtb")
    ap.add_argument("output", help="where to write the broken .dtb")
    args = ap.parse_args()
    with open(args.input, "rb") as f:
        blob = f.read()
    try:
        broken = make_broken_dtb(blob, args.kind)
    except ValueError as e:
        sys.exit("brokendtb: %s: %s" % (args.input, e))
    with open(args.output, "wb") as f:
        f.write(broken)


if __name__ == "__main__":
    main()
