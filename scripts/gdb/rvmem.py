"""gdb helpers for a stopped rvmem guest, after Linux's scripts/gdb.

    gdb-multiarch build/apps/hello.elf -ex 'source scripts/gdb/rvmem.py' \\
        -ex 'target remote :1234' -ex 'break main' -ex continue

Commands (each reads the kernel's own structures through gdb, so the guest
must be stopped and the image built with -g, as every rvmem image is):

  rvmem-meminfo     MemTotal and MemFree from zones[] (as show_meminfo())
  rvmem-buddyinfo   free blocks per order per populated zone
  rvmem-slabinfo    every cache on slab_caches: name, sizes, slabs, objects
  rvmem-harts       every online hart: cpu, hartid, and gdb's pc and sp
  rvmem-pte ADDR    the walk of kernel_pgtable for ADDR, every level's entry
  rvmem-page ADDR   the struct page of ADDR's frame: pfn, flags, order

The layouts mirrored here (PTE bits, PG_* numbers, ZONE_SHIFT) come from
platform/riscv/include/asm/pgtable-bits.h and include/rvmem/mm.h; a change
there needs one here. Everything else is read through gdb's types, so
field offsets follow the image. Python stdlib and gdb's API only.
"""
import gdb

PAGE_SHIFT = 12
LEVEL_BITS = 9
PTE_PPN_SHIFT = 10
PTE_PPN_MASK = (1 << 44) - 1
PTE_BITS = "VRWXUGAD"                 # bits 0-7, _PAGE_VALID.._PAGE_DIRTY
PTE_LEAF = 0b1110                     # _PAGE_READ | _PAGE_WRITE | _PAGE_EXEC
PAGE_FLAGS = ("reserved", "buddy", "head", "slab", "pcp")  # enum pageflags
ZONE_SHIFT = 56                       # page->flags: zone id from here
ZONES_SHIFT = 1                       # zone id = node << ZONES_SHIFT | type


def ulong(value):
    return int(value) & 0xffffffffffffffff


def zones():
    """Every zone: (index, gdb value of zones[index])."""
    arr = gdb.parse_and_eval("zones")
    lo, hi = arr.type.range()
    return [(z, arr[z]) for z in range(lo, hi + 1)]


def zone_name(zone):
    return zone["name"].string() if ulong(zone["name"]) else "?"


def parse_address(arg):
    if not arg.strip():
        raise gdb.GdbError("an address (an expression) is needed")
    value = gdb.parse_and_eval(arg)
    if value.type.strip_typedefs().code == gdb.TYPE_CODE_FUNC:
        value = value.address       # "main" means where main is
    return ulong(value.cast(gdb.lookup_type("unsigned long")))


class RvmemCommand(gdb.Command):
    """Base: a command taking no arguments unless the subclass says."""

    def __init__(self, name):
        super().__init__(name, gdb.COMMAND_DATA)


class Meminfo(RvmemCommand):
    """rvmem-meminfo: MemTotal (managed pages) and MemFree (zone free
    pages, per-hart lists not included), as show_meminfo() prints them."""

    def __init__(self):
        super().__init__("rvmem-meminfo")

    def invoke(self, arg, from_tty):
        total = free = 0
        for _, zone in zones():
            total += ulong(zone["managed_pages"])
            free += ulong(zone["free_pages"])
        kb = 1 << (PAGE_SHIFT - 10)
        gdb.write("MemTotal:       %8d kB\n" % (total * kb))
        gdb.write("MemFree:        %8d kB\n" % (free * kb))


class Buddyinfo(RvmemCommand):
    """rvmem-buddyinfo: free blocks per order, one line per populated zone,
    as /proc/buddyinfo (per-hart lists not included)."""

    def __init__(self):
        super().__init__("rvmem-buddyinfo")

    def invoke(self, arg, from_tty):
        for z, zone in zones():
            if not ulong(zone["managed_pages"]):
                continue
            area = zone["free_area"]
            lo, hi = area.type.range()
            counts = [ulong(area[o]["nr_free"]) for o in range(lo, hi + 1)]
            gdb.write("Node %d, zone %8s %s\n" % (
                z >> ZONES_SHIFT, zone_name(zone),
                " ".join("%6d" % c for c in counts)))


class Slabinfo(RvmemCommand):
    """rvmem-slabinfo: each cache on slab_caches: name, object size, slot
    size, slabs, and object slots in those slabs (objects in use need the
    sheaves and are not counted here)."""

    def __init__(self):
        super().__init__("rvmem-slabinfo")

    def invoke(self, arg, from_tty):
        cache_t = gdb.lookup_type("struct kmem_cache")
        head = gdb.parse_and_eval("&slab_caches")
        offset = int(gdb.parse_and_eval(
            "(unsigned long)&((struct kmem_cache *)0)->list"))
        gdb.write("%-20s %8s %8s %8s %10s\n" % (
            "# name", "objsize", "size", "slabs", "objslots"))
        node = head["next"]
        while ulong(node) != ulong(head):
            s = gdb.Value(ulong(node) - offset).cast(cache_t.pointer())
            slabs = ulong(s["nr_slabs"])
            gdb.write("%-20s %8d %8d %8d %10d\n" % (
                s["name"].string(), ulong(s["object_size"]),
                ulong(s["size"]), slabs, slabs * ulong(s["objects"])))
            node = node["next"]


class Harts(RvmemCommand):
    """rvmem-harts: each online hart (harts[0..nr_cpus_online)): logical
    cpu, hartid, and the pc and sp gdb holds for its thread (QEMU gives
    hart N thread id N + 1)."""

    def __init__(self):
        super().__init__("rvmem-harts")

    def invoke(self, arg, from_tty):
        threads = {}
        for t in gdb.selected_inferior().threads():
            threads[t.ptid[1] or t.num] = t
        selected = gdb.selected_thread()
        n = ulong(gdb.parse_and_eval("nr_cpus_online"))
        harts = gdb.parse_and_eval("harts")
        gdb.write("%-4s %-6s %-18s %-18s\n" % ("cpu", "hartid", "pc", "sp"))
        try:
            for cpu in range(n):
                hartid = ulong(harts[cpu]["hartid"])
                pc, sp = self.registers(threads.get(hartid + 1))
                gdb.write("%-4d %-6d %-18s %-18s\n" % (
                    ulong(harts[cpu]["cpu"]), hartid, pc, sp))
        finally:
            if selected:
                selected.switch()

    @staticmethod
    def registers(thread):
        if thread is None:
            return "?", "?"
        thread.switch()
        frame = gdb.newest_frame()
        pc = frame.pc()
        sym = gdb.block_for_pc(pc)
        fn = frame.name() or (sym.function.name if sym and sym.function
                              else "")
        sp = ulong(frame.read_register("sp"))
        return "%#x%s" % (pc, " <%s>" % fn if fn else ""), "%#x" % sp


class Pte(RvmemCommand):
    """rvmem-pte ADDR: walk kernel_pgtable for the virtual address ADDR
    and print every level's entry, down to the leaf or an invalid one."""

    def __init__(self):
        super().__init__("rvmem-pte")

    def invoke(self, arg, from_tty):
        va = parse_address(arg)
        pt = gdb.parse_and_eval("kernel_pgtable")
        levels = ulong(pt["levels"])
        table = ulong(pt["root"])
        u64p = gdb.lookup_type("unsigned long").pointer()
        gdb.write("va %#x, Sv%d, root %#x\n"
                  % (va, PAGE_SHIFT + LEVEL_BITS * levels, table))
        for level in range(levels - 1, -1, -1):
            index = ((va >> (PAGE_SHIFT + LEVEL_BITS * level)) &
                     ((1 << LEVEL_BITS) - 1))
            slot = table + 8 * index
            pte = ulong(gdb.Value(slot).cast(u64p).dereference())
            pa = ((pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK) << PAGE_SHIFT
            gdb.write("L%d [%3d] @%#x: pte %#018x %s pa %#x%s\n" % (
                level, index, slot, pte, pte_flags(pte), pa,
                self.kind(pte)))
            if not pte & 1 or pte & PTE_LEAF:
                if pte & 1:
                    off = va & ((1 << (PAGE_SHIFT + LEVEL_BITS * level)) - 1)
                    gdb.write("pa of va: %#x\n" % (pa + off))
                return
            table = pa

    @staticmethod
    def kind(pte):
        if not pte & 1:
            return " (invalid)"
        return " (leaf)" if pte & PTE_LEAF else " (table)"


def pte_flags(pte):
    return "".join(c if pte >> i & 1 else "-" for i, c in enumerate(PTE_BITS))


class Page(RvmemCommand):
    """rvmem-page ADDR: the struct page of ADDR's frame (ADDR a kernel
    address: the identity map makes it the physical one)."""

    def __init__(self):
        super().__init__("rvmem-page")

    def invoke(self, arg, from_tty):
        addr = parse_address(arg)
        pfn = addr >> PAGE_SHIFT
        base = ulong(gdb.parse_and_eval("memmap_base_pfn"))
        count = ulong(gdb.parse_and_eval("memmap_pages"))
        if not base <= pfn < base + count:
            raise gdb.GdbError("pfn %#x is outside mem_map [%#x, %#x)" % (
                pfn, base, base + count))
        page = gdb.parse_and_eval("mem_map") + (pfn - base)
        flags = ulong(page["flags"])
        names = [n for i, n in enumerate(PAGE_FLAGS) if flags >> i & 1]
        zone = flags >> ZONE_SHIFT
        gdb.write("page %#x: pfn %#x flags %#x (%s) node %d zone %d order %d "
                  "counters %d private %#x\n" % (
                      ulong(page), pfn, flags, "|".join(names) or "none",
                      zone >> ZONES_SHIFT, zone & ((1 << ZONES_SHIFT) - 1),
                      ulong(page["order"]),
                      ulong(page["counters"]), ulong(page["private"])))


for command in (Meminfo, Buddyinfo, Slabinfo, Harts, Pte, Page):
    command()
