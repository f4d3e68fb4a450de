/* SPDX-License-Identifier: MIT */
/*
 * The board description: what the platform layer found (in the device tree)
 * and hands to core/ at boot. core/ never reads the device tree itself; this
 * struct is the whole interface, filled once by the boot hart and read-only
 * afterwards.
 */
#ifndef RVMEM_BOOT_H
#define RVMEM_BOOT_H

#include <rvmem/types.h>

#define NR_CPUS			16	/* harts rvmem can run on */
#define BOOT_MAX_MEM_RANGES	16
#define BOOT_MAX_RESERVED	32
#define BOOT_MAX_MMIO		4
#define BOOT_MIN_RAM		(16UL << 20)	/* less than this will not boot */
#define NODES_SHIFT		2	/* Linux's riscv default */
#define MAX_NUMNODES		(1 << NODES_SHIFT)	/* NUMA nodes */
#define LOCAL_DISTANCE		10	/* a node to itself (ACPI SLIT, DT) */
#define REMOTE_DISTANCE		20	/* a node to another, by default */

/**
 * struct boot_range - a physical range [@base, @base + @size)
 * @base: its first byte's address
 * @size: its length in bytes
 * @nid: RAM only: the NUMA node it belongs to (0 without NUMA)
 */
struct boot_range {
	u64 base;
	u64 size;
	unsigned int nid;
};

/** struct boot_reserved - a range the kernel must not hand out */
struct boot_reserved {
	u64 base;
	u64 size;
	bool no_map;		/* /reserved-memory "no-map": not even mapped */
	char name[32];		/* node name, e.g. "mmode_resv0@80000000" */
};

enum boot_mmu {
	BOOT_MMU_NONE,		/* no mmu-type, or "riscv,none" */
	BOOT_MMU_SV39,
	BOOT_MMU_SV48,
	BOOT_MMU_SV57,
};

/**
 * struct boot_clock - the wall-clock time at one moment of the boot
 * @ns: nanoseconds since the Unix epoch, from the board's real-time
 *      clock; 0 when it has none (time then counts from the boot)
 * @ticks: the timebase (rdtime) at that moment
 */
struct boot_clock {
	u64 ns;
	u64 ticks;
};

/**
 * struct boot_info - everything core/ learns about the machine
 * @fdt_base: physical address of the device tree blob
 * @fdt_size: its totalsize from the header
 * @mem: RAM ranges, sorted by base, non-overlapping
 * @nr_mem: entries in @mem
 * @resv: /memreserve/ entries and /reserved-memory nodes with a reg
 * @nr_resv: entries in @resv
 * @nr_harts: usable harts (status okay) found under /cpus, at most NR_CPUS
 * @nr_harts_listed: all usable harts under /cpus, which may be more
 * @hartid: the hart ids of the @nr_harts kept, in device-tree order
 * @isa: the boot hart's riscv,isa string (truncated to fit)
 * @mmu: the boot hart's mmu-type
 * @timebase_hz: /cpus timebase-frequency
 * @bootargs: /chosen bootargs, or "" (points into the blob)
 * @stdout_path: /chosen stdout-path, or ""
 * @mmio: device ranges the board itself uses with the MMU on (its
 *        poweroff register): paging_init() identity-maps them as device
 *        memory, so the board's addresses stay valid once paging is on
 * @nr_mmio: entries in @mmio
 * @realtime: the wall-clock time read at boot, if the board has a clock
 * @numa: the tree gives NUMA nodes (numa-node-id); else all is node 0
 * @hart_node: the NUMA node of each hart in @hartid
 * @distance: node distances (distance-map, else LOCAL_DISTANCE on the
 *            diagonal and REMOTE_DISTANCE elsewhere)
 */
struct boot_info {
	u64 fdt_base;
	u64 fdt_size;
	struct boot_range mem[BOOT_MAX_MEM_RANGES];
	unsigned int nr_mem;
	struct boot_reserved resv[BOOT_MAX_RESERVED];
	unsigned int nr_resv;
	unsigned int nr_harts;
	unsigned int nr_harts_listed;
	u32 hartid[NR_CPUS];
	char isa[128];
	enum boot_mmu mmu;
	u64 timebase_hz;
	const char *bootargs;
	const char *stdout_path;
	struct boot_range mmio[BOOT_MAX_MMIO];
	unsigned int nr_mmio;
	struct boot_clock realtime;
	bool numa;
	u8 hart_node[NR_CPUS];
	u8 distance[MAX_NUMNODES][MAX_NUMNODES];
};

/** boot_info - the machine description, valid from early boot on */
extern struct boot_info boot_info;

/**
 * boot_mem_total() - sum of all RAM ranges
 * @bi: board description
 *
 * Return: bytes of RAM.
 */
u64 boot_mem_total(const struct boot_info *bi);

/**
 * boot_mmu_name() - printable name of an MMU mode ("sv39", ...)
 * @mmu: mode
 *
 * Return: a static string.
 */
const char *boot_mmu_name(enum boot_mmu mmu);

/**
 * boot_isa_has() - does the boot hart's riscv,isa string name @ext
 * @bi: board description
 * @ext: a multi-letter extension in lower case ("svpbmt", "svinval")
 *
 * Multi-letter extensions follow the base ("rv64imafdc") and are
 * separated by underscores; only a whole name matches, so a string
 * truncated to fit boot_info.isa never yields half a name.
 * Return: true if @ext is listed.
 */
bool boot_isa_has(const struct boot_info *bi, const char *ext);

/**
 * boot_hart_node() - the NUMA node of hart @hartid
 * @bi: board description
 * @hartid: a firmware hart id
 *
 * Return: its node, or 0 for a hart @bi does not list.
 */
unsigned int boot_hart_node(const struct boot_info *bi, u32 hartid);

#endif /* RVMEM_BOOT_H */
