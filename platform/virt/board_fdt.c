// SPDX-License-Identifier: MIT
/*
 * The virt board's device tree, turned into struct boot_info.
 *
 * board_parse_fdt() runs once on the boot hart with the MMU off. It checks
 * the header and walks the whole structure block first, so the steps after
 * it only meet trees that are structurally sound; each step then reads one
 * part of the tree (the test finisher first, so that the boot can end
 * with a status even when a later step refuses the tree; then memory,
 * reserved ranges, cpus, NUMA nodes, chosen) and refuses anything it
 * reads that is malformed, with one line in the caller's buffer naming
 * the node and property. Nothing is guessed: a tree rvmem cannot use
 * stops the boot with that line instead.
 */
#include "board.h"

#include <rvmem/fdt.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define FDT_MAX_DEPTH	16	/* deeper nodes are named by name only */
/* A distance-matrix entry: <from to distance>, a cell each. */
#define DISTANCE_ENTRY	(3 * FDT_CELL_SIZE)

/* struct fdt_parse - one board_parse_fdt() call */
struct fdt_parse {
	const void *fdt;
	struct boot_info *bi;
	u32 boot_hartid;
	bool boot_hart_found;
	bool boot_hart_disabled;
	int numa_with;		/* first memory or cpu node with numa-node-id */
	int numa_without;	/* first one without, or -1 */
	char *err;
	size_t errlen;
	char path[128];		/* scratch for path_of() */
	struct boot_poweroff *poweroff;	/* the finisher, once found */
};

static __printf(2, 3) int parse_error(struct fdt_parse *p, const char *fmt,
				       ...)
{
	va_list ap;

	if (p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Offsets of the root down to @node in @stack; Return: @node's depth. */
static int node_lineage(const void *fdt, int node, int *stack)
{
	int off = -1, depth = 0;

	while ((off = fdt_next_node(fdt, off, &depth)) >= 0) {
		if (depth < FDT_MAX_DEPTH)
			stack[depth] = off;
		if (off == node && depth >= FDT_MAX_DEPTH)
			return -FDT_ERR_NOTFOUND;
		if (off == node)
			return depth;
	}
	return off;
}

/* The full path of @node ("/cpus/cpu@0"), for messages. */
static const char *path_of(struct fdt_parse *p, int node)
{
	int stack[FDT_MAX_DEPTH], depth, i;
	size_t len = 0;

	depth = node_lineage(p->fdt, node, stack);
	if (depth == 0)
		return "/";
	if (depth < 0)
		return fdt_get_name(p->fdt, node, NULL) ?: "?";
	for (i = 1; i <= depth && len < sizeof(p->path); i++)
		len += snprintf(p->path + len, sizeof(p->path) - len, "/%s",
				fdt_get_name(p->fdt, stack[i], NULL));
	return p->path;
}

/* A reader's error on @node's property @name that has no better words. */
static int read_error(struct fdt_parse *p, int node, const char *name,
		      int err)
{
	return parse_error(p, "fdt: %s: cannot read %s (%s)",
			   path_of(p, node), name, fdt_strerror(err));
}

/* Find the node at @path: 0, -ENOENT if there is none, or -EINVAL. */
static int lookup(struct fdt_parse *p, const char *path, int *node)
{
	*node = fdt_path_offset(p->fdt, path);
	if (*node >= 0)
		return 0;
	if (*node == -FDT_ERR_NOTFOUND)
		return -ENOENT;
	return parse_error(p, "fdt: cannot look up %s (%s)", path,
			   fdt_strerror(*node));
}

/* A string property: 0 and *@out set, -ENOENT if absent, or -EINVAL. */
static int get_string(struct fdt_parse *p, int node, const char *name,
		      const char **out)
{
	int err;
	const char *str = fdt_getprop_string(p->fdt, node, name, &err);

	if (str) {
		*out = str;
		return 0;
	}
	if (err == -FDT_ERR_NOTFOUND)
		return -ENOENT;
	if (err == -FDT_ERR_BADVALUE)
		return parse_error(p, "fdt: %s: %s is not a NUL-terminated string",
				   path_of(p, node), name);
	return read_error(p, node, name, err);
}

/* A one-cell property: 0 and *@out set, -ENOENT if absent, or -EINVAL. */
static int get_u32(struct fdt_parse *p, int node, const char *name, u32 *out)
{
	int len;
	const void *val = fdt_getprop(p->fdt, node, name, &len);

	if (!val)
		return len == -FDT_ERR_NOTFOUND ? -ENOENT :
		       read_error(p, node, name, len);
	if (len != FDT_CELL_SIZE)
		return parse_error(p, "fdt: %s: %s is %d bytes, not %d",
				   path_of(p, node), name, len, FDT_CELL_SIZE);
	*out = (u32)fdt_read_cells(val, 1);
	return 0;
}

/* #address-cells or #size-cells of @node: 0..2, or -EINVAL. */
static int get_cells(struct fdt_parse *p, int node, const char *name)
{
	int cells = fdt_cells(p->fdt, node, name);

	if (cells == -FDT_ERR_BADVALUE)
		return parse_error(p, "fdt: %s: %s must be one cell of 0, 1 or 2",
				   path_of(p, node), name);
	if (cells < 0)
		return read_error(p, node, name, cells);
	return cells;
}

/* 1 if @node's device_type is @type, 0 if not or absent, or -EINVAL. */
static int has_device_type(struct fdt_parse *p, int node, const char *type)
{
	const char *val = NULL;
	int ret = get_string(p, node, "device_type", &val);

	if (ret == -ENOENT)
		return 0;
	return ret ?: !strcmp(val, type);
}

/* 1 if @node's status is absent, "okay" or "ok"; 0 if not; or -EINVAL. */
static int node_is_okay(struct fdt_parse *p, int node)
{
	const char *status = NULL;
	int ret = get_string(p, node, "status", &status);

	if (ret == -ENOENT)
		return 1;
	return ret ?: !strcmp(status, "okay") || !strcmp(status, "ok");
}

/*
 * get_reg() - @node's reg, checked to be whole (@ac, @sc) entries
 * @regp: set to the first entry
 * @nr: set to the number of entries (at least 1)
 *
 * Return: 0, -ENOENT if @node has no reg, or -EINVAL.
 */
static int get_reg(struct fdt_parse *p, int node, int ac, int sc,
		   const u8 **regp, int *nr)
{
	int len, entry = (ac + sc) * FDT_CELL_SIZE;

	*regp = fdt_getprop(p->fdt, node, "reg", &len);
	if (!*regp)
		return len == -FDT_ERR_NOTFOUND ? -ENOENT :
		       read_error(p, node, "reg", len);
	if (ac == 0)
		return parse_error(p, "fdt: %s: reg under #address-cells = 0",
				   path_of(p, node));
	if (len == 0)
		return parse_error(p, "fdt: %s: reg is empty",
				   path_of(p, node));
	if (len % entry)
		return parse_error(p, "fdt: %s: reg is %d bytes, not a multiple of %d",
				   path_of(p, node), len, entry);
	*nr = len / entry;
	return 0;
}

/*
 * Entry @i, read into @r, of @node's reg (or, with @node < 0, of the
 * /memreserve/ block): 0, or -EINVAL if it wraps around (ending at 2^64
 * exactly is fine).
 */
static int check_range(struct fdt_parse *p, int node, int i,
		       const struct boot_range *r)
{
	if (r->base + r->size >= r->base || r->base + r->size == 0)
		return 0;
	return parse_error(p, "fdt: %s%s entry %d [0x%llx, +0x%llx) wraps around",
			   node < 0 ? "/memreserve/" : path_of(p, node),
			   node < 0 ? "" : ": reg", i,
			   (unsigned long long)r->base,
			   (unsigned long long)r->size);
}

/* Entry @i of a reg checked by get_reg(); 0, or -EINVAL if it wraps. */
static int reg_entry(struct fdt_parse *p, int node, const u8 *reg, int i,
		     int ac, int sc, struct boot_range *r)
{
	reg += i * (ac + sc) * FDT_CELL_SIZE;
	r->base = fdt_read_cells(reg, ac);
	r->size = fdt_read_cells(reg + ac * FDT_CELL_SIZE, sc);
	return check_range(p, node, i, r);
}

/* #address-cells and #size-cells of @node, both required to be 1 or 2. */
static int get_addr_size_cells(struct fdt_parse *p, int node, int *ac,
			       int *sc)
{
	*ac = get_cells(p, node, "#address-cells");
	if (*ac < 0)
		return *ac;
	*sc = get_cells(p, node, "#size-cells");
	if (*sc < 0)
		return *sc;
	if (*ac == 0 || *sc == 0)
		return parse_error(p, "fdt: %s: #address-cells = %d, #size-cells = %d cannot describe memory",
				   path_of(p, node), *ac, *sc);
	return 0;
}

static int check_header(struct fdt_parse *p, size_t max_size)
{
	int err = fdt_check_header(p->fdt, max_size);

	if (err)
		return parse_error(p, "fdt: bad header at 0x%llx (%s)",
				   (unsigned long long)(uintptr_t)p->fdt,
				   fdt_strerror(err));
	p->bi->fdt_base = (uintptr_t)p->fdt;
	p->bi->fdt_size = fdt_totalsize(p->fdt);
	return 0;
}

/* Walk every node once, so later steps meet a sound structure block. */
static int check_structure(struct fdt_parse *p)
{
	int node = -1, last = -1, depth = 0;

	while ((node = fdt_next_node(p->fdt, node, &depth)) >= 0)
		last = node;
	if (node == -FDT_ERR_NOTFOUND && last >= 0)
		return 0;
	if (last < 0)
		return parse_error(p, "fdt: corrupt structure block at offset 0x0, no root node (%s)",
				   fdt_strerror(node));
	return parse_error(p, "fdt: corrupt structure block after node %s at offset 0x%x (%s)",
			   path_of(p, last), last, fdt_strerror(node));
}

static int add_mem(struct fdt_parse *p, int node, const struct boot_range *r)
{
	struct boot_info *bi = p->bi;

	if (!r->size)
		return 0;
	if (bi->nr_mem == BOOT_MAX_MEM_RANGES)
		return parse_error(p, "fdt: %s: too many memory ranges, rvmem takes at most %d",
				   path_of(p, node), BOOT_MAX_MEM_RANGES);
	bi->mem[bi->nr_mem++] = *r;
	return 0;
}

/*
 * @node's numa-node-id into *@nid (0 when absent), noting which nodes
 * have one: either every memory and cpu node has one or none does.
 */
static int get_numa_node_id(struct fdt_parse *p, int node, unsigned int *nid)
{
	u32 id = 0;
	int ret = get_u32(p, node, "numa-node-id", &id);

	if (ret && ret != -ENOENT)
		return ret;
	if (ret && p->numa_without < 0)
		p->numa_without = node;
	if (!ret && p->numa_with < 0)
		p->numa_with = node;
	if (id >= MAX_NUMNODES)
		return parse_error(p, "fdt: %s: numa-node-id %u is out of range, rvmem takes nodes 0 to %d",
				   path_of(p, node), id, MAX_NUMNODES - 1);
	*nid = id;
	return 0;
}

static int add_mem_node(struct fdt_parse *p, int node, int ac, int sc)
{
	struct boot_range r;
	unsigned int nid = 0;
	const u8 *reg;
	int i, nr, ret;

	ret = get_reg(p, node, ac, sc, &reg, &nr);
	if (ret == -ENOENT)
		return parse_error(p, "fdt: %s: memory node without reg",
				   path_of(p, node));
	if (!ret)
		ret = get_numa_node_id(p, node, &nid);
	for (i = 0; !ret && i < nr; i++) {
		ret = reg_entry(p, node, reg, i, ac, sc, &r);
		r.nid = nid;
		if (!ret)
			ret = add_mem(p, node, &r);
	}
	return ret;
}

/* Sort RAM ranges by base (insertion sort: a handful) and refuse overlaps. */
static int sort_mem(struct fdt_parse *p)
{
	struct boot_range *mem = p->bi->mem, r;
	unsigned int i, j;

	for (i = 1; i < p->bi->nr_mem; i++) {
		r = mem[i];
		for (j = i; j > 0 && mem[j - 1].base > r.base; j--)
			mem[j] = mem[j - 1];
		mem[j] = r;
	}
	for (i = 1; i < p->bi->nr_mem; i++)
		if (mem[i].base - mem[i - 1].base < mem[i - 1].size)
			return parse_error(p, "fdt: memory ranges [0x%llx, +0x%llx) and [0x%llx, +0x%llx) overlap",
					   (unsigned long long)mem[i - 1].base,
					   (unsigned long long)mem[i - 1].size,
					   (unsigned long long)mem[i].base,
					   (unsigned long long)mem[i].size);
	return 0;
}

static int check_mem_total(struct fdt_parse *p, int nr_nodes)
{
	u64 total = boot_mem_total(p->bi);

	if (!nr_nodes)
		return parse_error(p, "fdt: no memory node (device_type = \"memory\")");
	if (total < BOOT_MIN_RAM)
		return parse_error(p, "fdt: only %llu KiB of RAM, rvmem needs at least %lu KiB",
				   (unsigned long long)total >> 10,
				   BOOT_MIN_RAM >> 10);
	return 0;
}

/* RAM: every available device_type = "memory" child of the root. */
static int parse_memory(struct fdt_parse *p)
{
	int root, node, ac, sc, ret, nr_nodes = 0;

	ret = lookup(p, "/", &root);
	if (!ret)
		ret = get_addr_size_cells(p, root, &ac, &sc);
	if (ret)
		return ret;
	for (node = fdt_first_subnode(p->fdt, root); node >= 0;
	     node = fdt_next_subnode(p->fdt, node)) {
		ret = has_device_type(p, node, "memory");
		if (ret > 0)
			ret = node_is_okay(p, node);
		if (ret > 0) {
			nr_nodes++;
			ret = add_mem_node(p, node, ac, sc);
		}
		if (ret < 0)
			return ret;
	}
	ret = sort_mem(p);
	return ret ? ret : check_mem_total(p, nr_nodes);
}

static int add_resv(struct fdt_parse *p, const char *name,
		    const struct boot_range *r, bool no_map)
{
	struct boot_info *bi = p->bi;
	struct boot_reserved *resv;

	if (!r->size)
		return 0;
	if (bi->nr_resv == BOOT_MAX_RESERVED)
		return parse_error(p, "fdt: too many reserved ranges at %s, rvmem takes at most %d",
				   name, BOOT_MAX_RESERVED);
	resv = &bi->resv[bi->nr_resv++];
	resv->base = r->base;
	resv->size = r->size;
	resv->no_map = no_map;
	snprintf(resv->name, sizeof(resv->name), "%s", name);
	return 0;
}

static int parse_memreserve(struct fdt_parse *p)
{
	struct boot_range r;
	int i, nr, ret = 0;

	nr = fdt_num_mem_rsv(p->fdt);
	if (nr < 0)
		return parse_error(p, "fdt: /memreserve/ block is corrupt (%s)",
				   fdt_strerror(nr));
	for (i = 0; !ret && i < nr; i++) {
		fdt_get_mem_rsv(p->fdt, i, &r.base, &r.size);
		ret = check_range(p, -1, i, &r);
		if (!ret)
			ret = add_resv(p, "memreserve", &r, false);
	}
	return ret;
}

static int add_resv_node(struct fdt_parse *p, int node, int ac, int sc)
{
	const char *name = fdt_get_name(p->fdt, node, NULL);
	struct boot_range r;
	const u8 *reg;
	int i, nr, len, ret;
	bool no_map;

	ret = get_reg(p, node, ac, sc, &reg, &nr);
	if (ret == -ENOENT)
		return 0;	/* no reg: a dynamic pool */
	if (ret)
		return ret;
	no_map = fdt_getprop(p->fdt, node, "no-map", &len) != NULL;
	if (!no_map && len != -FDT_ERR_NOTFOUND)
		return read_error(p, node, "no-map", len);
	for (i = 0; !ret && i < nr; i++) {
		ret = reg_entry(p, node, reg, i, ac, sc, &r);
		if (!ret)
			ret = add_resv(p, name, &r, no_map);
	}
	return ret;
}

/* Reserved: the /memreserve/ block, then /reserved-memory's children. */
static int parse_reserved(struct fdt_parse *p)
{
	int parent, node, ac, sc, ret;

	ret = parse_memreserve(p);
	if (!ret)
		ret = lookup(p, "/reserved-memory", &parent);
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	ret = get_addr_size_cells(p, parent, &ac, &sc);
	for (node = fdt_first_subnode(p->fdt, parent); !ret && node >= 0;
	     node = fdt_next_subnode(p->fdt, node)) {
		ret = node_is_okay(p, node);
		if (ret > 0)
			ret = add_resv_node(p, node, ac, sc);
	}
	return ret;
}

static int parse_timebase(struct fdt_parse *p, int cpus)
{
	const char *name = "timebase-frequency";
	const void *val;
	int len;

	val = fdt_getprop(p->fdt, cpus, name, &len);
	if (!val && len == -FDT_ERR_NOTFOUND)
		return parse_error(p, "fdt: /cpus: %s missing", name);
	if (!val)
		return read_error(p, cpus, name, len);
	if (len != FDT_CELL_SIZE && len != 2 * FDT_CELL_SIZE)
		return parse_error(p, "fdt: /cpus: %s is %d bytes, not %d or %d",
				   name, len, FDT_CELL_SIZE, 2 * FDT_CELL_SIZE);
	p->bi->timebase_hz = fdt_read_cells(val, len / FDT_CELL_SIZE);
	if (!p->bi->timebase_hz)
		return parse_error(p, "fdt: /cpus: %s is 0", name);
	return 0;
}

static int parse_mmu_type(struct fdt_parse *p, int cpu)
{
	static const struct {
		const char *name;
		enum boot_mmu mmu;
	} types[] = {
		{ "riscv,none", BOOT_MMU_NONE },
		{ "riscv,sv39", BOOT_MMU_SV39 },
		{ "riscv,sv48", BOOT_MMU_SV48 },
		{ "riscv,sv57", BOOT_MMU_SV57 },
	};
	const char *val = NULL;
	unsigned int i;
	int ret = get_string(p, cpu, "mmu-type", &val);

	if (ret == -ENOENT)
		return 0;	/* absent: BOOT_MMU_NONE */
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		if (!strcmp(val, types[i].name)) {
			p->bi->mmu = types[i].mmu;
			return 0;
		}
	}
	return parse_error(p, "fdt: %s: unknown mmu-type \"%s\"",
			   path_of(p, cpu), val);
}

static int parse_boot_hart(struct fdt_parse *p, int cpu)
{
	const char *isa = NULL;
	int ret = get_string(p, cpu, "riscv,isa", &isa);

	if (ret && ret != -ENOENT)
		return ret;
	if (!ret)
		snprintf(p->bi->isa, sizeof(p->bi->isa), "%s", isa);
	p->boot_hart_found = true;
	return parse_mmu_type(p, cpu);
}

/* The hart id in @cpu's reg, which must be exactly @ac cells. */
static int get_hartid(struct fdt_parse *p, int cpu, int ac, u32 *hartid)
{
	const void *reg;
	u64 id;
	int len;

	reg = fdt_getprop(p->fdt, cpu, "reg", &len);
	if (!reg)
		return len == -FDT_ERR_NOTFOUND ?
		       parse_error(p, "fdt: %s: cpu without reg (hart id)",
				   path_of(p, cpu)) :
		       read_error(p, cpu, "reg", len);
	if (len != ac * FDT_CELL_SIZE)
		return parse_error(p, "fdt: %s: reg is %d bytes, not %d (#address-cells = %d)",
				   path_of(p, cpu), len, ac * FDT_CELL_SIZE, ac);
	id = fdt_read_cells(reg, ac);
	if (id > UINT32_MAX)
		return parse_error(p, "fdt: %s: hart id 0x%llx does not fit 32 bits",
				   path_of(p, cpu), (unsigned long long)id);
	*hartid = id;
	return 0;
}

/*
 * Keep the first NR_CPUS harts; a boot hart found later takes the last
 * slot, so the hart running this is always among them.
 */
static int add_hart(struct fdt_parse *p, int cpu, u32 hartid,
		    unsigned int nid)
{
	struct boot_info *bi = p->bi;
	unsigned int i, slot = NR_CPUS;

	for (i = 0; i < bi->nr_harts; i++)
		if (bi->hartid[i] == hartid)
			return parse_error(p, "fdt: %s: hart id %u appears twice under /cpus",
					   path_of(p, cpu), hartid);
	bi->nr_harts_listed++;
	if (bi->nr_harts < NR_CPUS)
		slot = bi->nr_harts++;
	else if (hartid == p->boot_hartid)
		slot = NR_CPUS - 1;
	if (slot < NR_CPUS) {
		bi->hartid[slot] = hartid;
		bi->hart_node[slot] = nid;
	}
	return hartid == p->boot_hartid ? parse_boot_hart(p, cpu) : 0;
}

/* Is there RAM on NUMA node @nid? */
static bool node_has_memory(const struct boot_info *bi, unsigned int nid)
{
	unsigned int i;

	for (i = 0; i < bi->nr_mem; i++)
		if (bi->mem[i].nid == nid)
			return true;
	return false;
}

/* A usable cpu's NUMA node: one with memory (rvmem has no memoryless nodes). */
static int get_cpu_node(struct fdt_parse *p, int cpu, unsigned int *nid)
{
	int ret = get_numa_node_id(p, cpu, nid);

	if (!ret && !node_has_memory(p->bi, *nid))
		return parse_error(p, "fdt: %s: numa-node-id %u, but no memory node has that numa-node-id",
				   path_of(p, cpu), *nid);
	return ret;
}

/* One child of /cpus: skipped unless a cpu; disabled harts are noted. */
static int parse_cpu(struct fdt_parse *p, int cpu, int ac)
{
	unsigned int nid = 0;
	u32 hartid = 0;
	int ret;

	ret = has_device_type(p, cpu, "cpu");
	if (ret <= 0)
		return ret;
	ret = get_hartid(p, cpu, ac, &hartid);
	if (!ret)
		ret = node_is_okay(p, cpu);
	if (ret < 0)
		return ret;
	if (!ret) {
		if (hartid == p->boot_hartid)
			p->boot_hart_disabled = true;
		return 0;
	}
	ret = get_cpu_node(p, cpu, &nid);
	return ret ? ret : add_hart(p, cpu, hartid, nid);
}

static int check_harts(struct fdt_parse *p)
{
	if (!p->bi->nr_harts)
		return parse_error(p, "fdt: no usable cpu under /cpus (device_type = \"cpu\", status \"okay\")");
	if (p->boot_hart_disabled)
		return parse_error(p, "fdt: boot hart %u is disabled under /cpus",
				   p->boot_hartid);
	if (!p->boot_hart_found)
		return parse_error(p, "fdt: boot hart %u not found under /cpus",
				   p->boot_hartid);
	return 0;
}

/* Harts and timebase: /cpus. */
static int parse_cpus(struct fdt_parse *p)
{
	int cpus, cpu, ac, ret;

	ret = lookup(p, "/cpus", &cpus);
	if (ret == -ENOENT)
		return parse_error(p, "fdt: /cpus missing");
	if (!ret)
		ret = parse_timebase(p, cpus);
	if (ret)
		return ret;
	ac = get_cells(p, cpus, "#address-cells");
	if (ac == 0)
		return parse_error(p, "fdt: /cpus: #address-cells is 0, cpus have no hart id");
	for (cpu = fdt_first_subnode(p->fdt, cpus); ac > 0 && cpu >= 0;
	     cpu = fdt_next_subnode(p->fdt, cpu)) {
		ret = parse_cpu(p, cpu, ac);
		if (ret)
			return ret;
	}
	return ac < 0 ? ac : check_harts(p);
}

/*
 * Entry @i of a distance-matrix (<from to distance> triples), checked as
 * Linux's of_numa does: both nodes have memory, a node is LOCAL_DISTANCE
 * from itself and farther from any other.
 */
static int add_distance(struct fdt_parse *p, int map, const void *val, int i)
{
	const u8 *cell = (const u8 *)val + i * DISTANCE_ENTRY;
	u32 from = (u32)fdt_read_cells(cell, 1);
	u32 to = (u32)fdt_read_cells(cell + FDT_CELL_SIZE, 1);
	u32 d = (u32)fdt_read_cells(cell + 2 * FDT_CELL_SIZE, 1);

	if (from >= MAX_NUMNODES || to >= MAX_NUMNODES ||
	    !node_has_memory(p->bi, from) || !node_has_memory(p->bi, to))
		return parse_error(p, "fdt: %s: distance-matrix entry %d names node %u to %u, but only nodes with memory exist",
				   path_of(p, map), i, from, to);
	if ((from == to && d != LOCAL_DISTANCE) ||
	    (from != to && (d <= LOCAL_DISTANCE || d > 255)))
		return parse_error(p, "fdt: %s: distance-matrix entry %d: node %u to %u is %u; a node is %d from itself and %d to 255 from another",
				   path_of(p, map), i, from, to, d,
				   LOCAL_DISTANCE, LOCAL_DISTANCE + 1);
	p->bi->distance[from][to] = d;
	if (to > from)		/* as Linux: B to A defaults to A to B */
		p->bi->distance[to][from] = d;
	return 0;
}

/* A "numa-distance-map-v1" node's distance-matrix, if the tree has one. */
static int parse_distance_map(struct fdt_parse *p)
{
	int map, len, i, ret = 0;
	const void *val;

	map = fdt_node_offset_by_compatible(p->fdt, -1,
					    "numa-distance-map-v1");
	if (map == -FDT_ERR_NOTFOUND)
		return 0;
	if (map < 0)
		return parse_error(p, "fdt: cannot look for the distance-map (%s)",
				   fdt_strerror(map));
	val = fdt_getprop(p->fdt, map, "distance-matrix", &len);
	if (!val)
		return len == -FDT_ERR_NOTFOUND ?
		       parse_error(p, "fdt: %s: no distance-matrix",
				   path_of(p, map)) :
		       read_error(p, map, "distance-matrix", len);
	if (!len || len % DISTANCE_ENTRY)
		return parse_error(p, "fdt: %s: distance-matrix is %d bytes, not a whole number of <from to distance> triples",
				   path_of(p, map), len);
	for (i = 0; !ret && i < len / DISTANCE_ENTRY; i++)
		ret = add_distance(p, map, val, i);
	return ret;
}

/*
 * NUMA: numa-node-id on every memory and cpu node, or on none (one node,
 * 0); then the distances, LOCAL_DISTANCE and REMOTE_DISTANCE by default.
 */
static int parse_numa(struct fdt_parse *p)
{
	unsigned int a, b;

	for (a = 0; a < MAX_NUMNODES; a++)
		for (b = 0; b < MAX_NUMNODES; b++)
			p->bi->distance[a][b] = a == b ? LOCAL_DISTANCE :
						REMOTE_DISTANCE;
	if (p->numa_with < 0)
		return 0;
	if (p->numa_without >= 0) {
		char with[sizeof(p->path)];

		snprintf(with, sizeof(with), "%s", path_of(p, p->numa_with));
		return parse_error(p, "fdt: %s has no numa-node-id but %s has one: every memory and cpu node needs one, or none",
				   path_of(p, p->numa_without), with);
	}
	p->bi->numa = true;
	return parse_distance_map(p);
}

/* Command line and console: /chosen, all optional. */
static int parse_chosen(struct fdt_parse *p)
{
	int chosen, ret;

	ret = lookup(p, "/chosen", &chosen);
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	ret = get_string(p, chosen, "bootargs", &p->bi->bootargs);
	if (!ret || ret == -ENOENT)
		ret = get_string(p, chosen, "stdout-path", &p->bi->stdout_path);
	return ret == -ENOENT ? 0 : ret;
}

/* 1 if @node is a SiFive test finisher, 0 if not, or -EINVAL. */
static int is_sifive_test(struct fdt_parse *p, int node)
{
	static const char *const compat[] = { "sifive,test0", "sifive,test1" };
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(compat); i++) {
		ret = fdt_node_check_compatible(p->fdt, node, compat[i]);
		if (ret < 0)
			return read_error(p, node, "compatible", ret);
		if (!ret)
			return 1;
	}
	return 0;
}

/* The base of @node's first reg entry, in its parent's address cells. */
static int reg_base(struct fdt_parse *p, int node, u64 *base)
{
	int stack[FDT_MAX_DEPTH], depth, ac, sc, nr, ret;
	const u8 *reg;

	depth = node_lineage(p->fdt, node, stack);
	if (depth <= 0)
		return parse_error(p, "fdt: %s: cannot find the parent node",
				   path_of(p, node));
	ac = get_cells(p, stack[depth - 1], "#address-cells");
	sc = ac < 0 ? ac : get_cells(p, stack[depth - 1], "#size-cells");
	if (sc < 0)
		return sc;
	ret = get_reg(p, node, ac, sc, &reg, &nr);
	if (ret == -ENOENT)
		return parse_error(p, "fdt: %s: no reg", path_of(p, node));
	if (!ret)
		*base = fdt_read_cells(reg, ac);
	return ret;
}

static void set_poweroff(struct fdt_parse *p, u64 addr)
{
	p->poweroff->kind = BOOT_POWEROFF_SIFIVE_TEST;
	p->poweroff->addr = addr;
}

/*
 * @node is a syscon-poweroff: use it if its regmap is a SiFive test.
 * Return: 0 if it is the finisher now, -ENOENT if not, or -EINVAL.
 */
static int poweroff_by_syscon(struct fdt_parse *p, int node)
{
	u32 phandle = 0, offset = 0;
	int target, ret;
	u64 base = 0;

	ret = get_u32(p, node, "regmap", &phandle);
	if (ret)
		return ret;
	target = fdt_node_offset_by_phandle(p->fdt, phandle);
	if (target < 0)
		return parse_error(p, "fdt: %s: regmap <0x%x> names no node (%s)",
				   path_of(p, node), phandle,
				   fdt_strerror(target));
	ret = is_sifive_test(p, target);
	if (ret <= 0)
		return ret ?: -ENOENT;
	ret = get_u32(p, node, "offset", &offset);
	if (!ret || ret == -ENOENT)
		ret = reg_base(p, target, &base);
	if (ret)
		return ret;
	set_poweroff(p, base + offset);
	return 0;
}

/* The first syscon-poweroff that names a finisher: as poweroff_by_syscon(). */
static int poweroff_from_syscon(struct fdt_parse *p)
{
	int node = -1, ret = -ENOENT;

	while (ret == -ENOENT) {
		node = fdt_node_offset_by_compatible(p->fdt, node,
						     "syscon-poweroff");
		if (node == -FDT_ERR_NOTFOUND)
			return -ENOENT;
		if (node < 0)
			return parse_error(p, "fdt: cannot search for syscon-poweroff (%s)",
					   fdt_strerror(node));
		ret = poweroff_by_syscon(p, node);
	}
	return ret;
}

/* The first SiFive test device: 0 if found, -ENOENT, or -EINVAL. */
static int poweroff_from_test(struct fdt_parse *p)
{
	int node = -1, ret = 0;
	u64 base = 0;

	while (!ret) {
		node = fdt_next_node(p->fdt, node, NULL);
		if (node < 0)
			return -ENOENT;	/* structure already checked: the end */
		ret = is_sifive_test(p, node);
	}
	if (ret > 0)
		ret = reg_base(p, node, &base);
	if (!ret)
		set_poweroff(p, base);
	return ret;
}

/*
 * The test finisher: a syscon-poweroff whose regmap is a SiFive test
 * device (it says which register offset), else such a device itself.
 * None at all is fine: poweroff then goes through SBI.
 */
static int parse_poweroff(struct fdt_parse *p)
{
	int ret = poweroff_from_syscon(p);

	if (ret == -ENOENT)
		ret = poweroff_from_test(p);
	return ret == -ENOENT ? 0 : ret;
}

int board_parse_fdt(const void *fdt, size_t max_size, u32 boot_hartid,
		    struct boot_info *bi, struct boot_poweroff *poweroff,
		    char *err, size_t errlen)
{
	static int (*const steps[])(struct fdt_parse *p) = {
		parse_memory, parse_reserved, parse_cpus, parse_numa,
		parse_chosen,
	};
	struct fdt_parse p = {
		.fdt = fdt, .bi = bi, .boot_hartid = boot_hartid,
		.numa_with = -1, .numa_without = -1,
		.err = err, .errlen = errlen, .poweroff = poweroff,
	};
	unsigned int i;
	int ret, finisher = 0;

	memset(bi, 0, sizeof(*bi));
	*poweroff = (struct boot_poweroff){ .kind = BOOT_POWEROFF_NONE };
	bi->bootargs = "";
	bi->stdout_path = "";
	if (errlen)
		err[0] = '\0';
	ret = check_header(&p, max_size);
	if (!ret)
		ret = check_structure(&p);
	/*
	 * The finisher first, so that a tree a later step refuses still has
	 * one; its error last, as a later step names a broken tree better (a
	 * bad property name also breaks the regmap lookup). Steps write @err
	 * only when they fail, so the finisher's message stays until then.
	 */
	if (!ret)
		finisher = parse_poweroff(&p);
	for (i = 0; !ret && i < ARRAY_SIZE(steps); i++)
		ret = steps[i](&p);
	return ret ?: finisher;
}

int board_find_rtc(const void *fdt, size_t max_size, u64 *addr)
{
	struct boot_info bi = { 0 };
	struct fdt_parse p = { .fdt = fdt, .bi = &bi };
	int node, ret = check_header(&p, max_size);

	*addr = 0;
	if (ret)
		return ret;
	node = fdt_node_offset_by_compatible(fdt, -1, "google,goldfish-rtc");
	if (node == -FDT_ERR_NOTFOUND)
		return 0;
	if (node < 0)
		return -EINVAL;
	return reg_base(&p, node, addr);
}
