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
                    (a NAPOT leaf: its 64 KiB group and the frame for ADDR)
  rvmem-page ADDR   the struct page of ADDR's frame: pfn, flags, order
  rvmem-vmallocinfo every live vmalloc/vmap/ioremap/stack area and block
                    piece, as show_vmallocinfo() prints them

The layouts mirrored here (PTE bits, NAPOT, PG_* numbers, ZONE_SHIFT,
PIECE_FREED) come from platform/riscv/include/asm/pgtable-bits.h,
include/rvmem/mm.h and core/mm/vmalloc.c; a change there needs one here.
Everything else is read through gdb's types, so field offsets follow the
image. Python stdlib and gdb's API only.
"""
import gdb

PAGE_SHIFT = 12
LEVEL_BITS = 9
PTE_PPN_SHIFT = 10
PTE_PPN_MASK = (1 << 44) - 1
PTE_BITS = "VRWXUGAD"                 # bits 0-7, _PAGE_VALID.._PAGE_DIRTY
PTE_LEAF = 0b1110                     # _PAGE_READ | _PAGE_WRITE | _PAGE_EXEC
PTE_NAPOT = 1 << 63                   # _PAGE_NAPOT (Svnapot's N)
NAPOT_SIZE = 1 << 16                  # the one NAPOT size: 64 KiB
PIECE_FREED = 0x8000                  # vmalloc.c: a block piece vfree'd
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


def pgtable_walk(va):
    """kernel_pgtable's walk for @va: [(level, index, slot, pte)] from the
    root down to the leaf or the first invalid entry."""
    pt = gdb.parse_and_eval("kernel_pgtable")
    levels = ulong(pt["levels"])
    table = ulong(pt["root"])
    u64p = gdb.lookup_type("unsigned long").pointer()
    steps = []
    for level in range(levels - 1, -1, -1):
        index = ((va >> (PAGE_SHIFT + LEVEL_BITS * level)) &
                 ((1 << LEVEL_BITS) - 1))
        slot = table + 8 * index
        pte = ulong(gdb.Value(slot).cast(u64p).dereference())
        steps.append((level, index, slot, pte))
        if not pte & 1 or pte & PTE_LEAF:
            break
        table = pte_pa(pte)
    return steps


def pte_pa(pte):
    return ((pte >> PTE_PPN_SHIFT) & PTE_PPN_MASK) << PAGE_SHIFT


def leaf_size(level, pte):
    """Bytes the leaf @pte at @level maps as one: 64 KiB for NAPOT."""
    if pte & PTE_NAPOT:
        return NAPOT_SIZE
    return 1 << (PAGE_SHIFT + LEVEL_BITS * level)


class Pte(RvmemCommand):
    """rvmem-pte ADDR: walk kernel_pgtable for the virtual address ADDR
    and print every level's entry, down to the leaf or an invalid one. A
    NAPOT leaf (Svnapot) prints its group's 64 KiB range and base frame;
    its PPN[3:0] reads 0b1000, not part of any address."""

    def __init__(self):
        super().__init__("rvmem-pte")

    def invoke(self, arg, from_tty):
        va = parse_address(arg)
        pt = gdb.parse_and_eval("kernel_pgtable")
        levels = ulong(pt["levels"])
        gdb.write("va %#x, Sv%d, root %#x\n" % (
            va, PAGE_SHIFT + LEVEL_BITS * levels, ulong(pt["root"])))
        for level, index, slot, pte in pgtable_walk(va):
            leaf = pte & 1 and pte & PTE_LEAF
            size = leaf_size(level, pte) if leaf else 1 << PAGE_SHIFT
            base = pte_pa(pte) & ~(size - 1)
            gdb.write("L%d [%3d] @%#x: pte %#018x %s pa %#x%s\n" % (
                level, index, slot, pte, pte_flags(pte), base,
                self.kind(pte)))
            if leaf:
                if pte & PTE_NAPOT:
                    group = va & ~(NAPOT_SIZE - 1)
                    gdb.write("NAPOT group: va %#x-%#x, 16 entries "
                              "alike\n" % (group, group + NAPOT_SIZE))
                gdb.write("pa of va: %#x\n" % (base | (va & (size - 1))))

    @staticmethod
    def kind(pte):
        if not pte & 1:
            return " (invalid)"
        if pte & PTE_NAPOT:
            return " (leaf, 64K NAPOT)"
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
                  "counters %d slab_cache %#x\n" % (
                      ulong(page), pfn, flags, "|".join(names) or "none",
                      zone >> ZONES_SHIFT, zone & ((1 << ZONES_SHIFT) - 1),
                      ulong(page["order"]),
                      ulong(page["counters"]), ulong(page["slab_cache"])))


def symbol(addr):
    """format_symbol()'s form: name+0xoff, or the address alone."""
    out = gdb.execute("info symbol %#x" % addr, to_string=True)
    words = out.split()
    if out.startswith("No symbol") or not words:
        return "%#x" % addr
    off = int(words[2]) if len(words) > 3 and words[1] == "+" else 0
    return "%s+0x%x" % (words[0], off)


def napot_leaves(start, size):
    """pgtable_napot_leaves(): NAPOT groups mapping [start, start+size)."""
    n = 0
    at = (start + NAPOT_SIZE - 1) & ~(NAPOT_SIZE - 1)
    while at + NAPOT_SIZE <= start + size:
        level, _, _, pte = pgtable_walk(at)[-1]
        n += bool(pte & 1 and pte & PTE_LEAF and pte & PTE_NAPOT)
        at += NAPOT_SIZE
    return n


def avl_inorder(root):
    """The nodes of an AVL tree (struct avl_node *) in address order."""
    node, stack = root, []
    while stack or ulong(node):
        while ulong(node):
            stack.append(node)
            node = node["left"]
        node = stack.pop()
        yield node
        node = node["right"]


def container(ptr, type_name, member):
    """container_of(@ptr, struct @type_name, @member)."""
    t = gdb.lookup_type(type_name)
    off = int(gdb.parse_and_eval("(unsigned long)&((%s *)0)->%s"
                                 % (type_name, member)))
    return gdb.Value(ulong(ptr) - off).cast(t.pointer())


class Vmallocinfo(RvmemCommand):
    """rvmem-vmallocinfo: every area on vmap_busy (live areas and blocks)
    in address order, a block's live pieces in its place, line for line
    as show_vmallocinfo() prints them: range, size, caller, pages, kind,
    ioremap's phys, and napot=N where NAPOT leaves map it."""

    def __init__(self):
        super().__init__("rvmem-vmallocinfo")

    def invoke(self, arg, from_tty):
        names = gdb.parse_and_eval("kind_names")
        for node in avl_inorder(gdb.parse_and_eval("vmap_busy")["node"]):
            vm = container(node, "struct vm_struct", "busy")
            rng = vm["range"]
            kind = str(vm["kind"])
            if kind == "VM_BLOCK":
                self.block(container(vm, "struct vmap_block", "area"),
                           names)
            elif not vm["freed"]:
                start = ulong(rng["start"])
                stack = kind == "VM_STACK"
                self.line(start + (1 << PAGE_SHIFT if stack else 0),
                          ulong(rng["end"]), "stack" if stack else
                          symbol(ulong(vm["caller"])),
                          ulong(vm["nr_pages"]),
                          names[int(vm["kind"])].string(),
                          ulong(vm["phys"]) if kind == "VM_IOREMAP"
                          else None)

    def block(self, vb, names):
        """print_block(): the pieces not vfree'd."""
        base = ulong(vb["area"]["range"]["start"])
        name = names[int(gdb.parse_and_eval("VM_ALLOC"))].string()
        for slot in range(ulong(vb["next"])):
            nr = ulong(vb["nr"][slot])
            if nr and not nr & PIECE_FREED:
                start = base + (slot << PAGE_SHIFT)
                self.line(start, start + (nr << PAGE_SHIFT),
                          symbol(ulong(vb["caller"][slot])), nr, name,
                          None)

    @staticmethod
    def line(start, end, who, pages, kind, phys):
        """print_area()'s line."""
        text = "%#x-%#x %8d %s pages=%d %s" % (start, end, end - start,
                                                who, pages, kind)
        if phys is not None:
            text += " phys=%#x" % phys
        napot = napot_leaves(start, pages << PAGE_SHIFT)
        if napot:
            text += " napot=%d" % napot
        gdb.write(text + "\n")


for command in (Meminfo, Buddyinfo, Slabinfo, Harts, Pte, Page, Vmallocinfo):
    command()
