// SPDX-License-Identifier: MIT
/*
 * NUMA topology: the nodes' RAM ranges, their distances and each hart's
 * node, as the board described them (see include/rvmem/numa.h).
 *
 * Written at boot only (numa_init(), and set_cpu_numa_node() as each
 * hart is prepared); read without locks afterwards. The page allocator
 * builds its per-node zones and zonelists from it.
 */
#define pr_fmt(fmt) "numa: " fmt

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <rvmem/internal/mmzone.h>
#include <rvmem/internal/numa.h>
#include <rvmem/param.h>
#include <rvmem/printk.h>
#include "internal.h"

/* struct numa_memblk - RAM [@start, @end) on node @nid */
struct numa_memblk {
	u64 start;
	u64 end;
	int nid;
};

/* struct ram_span - RAM from @start to @end (one past its last byte) */
struct ram_span {
	u64 start;
	u64 end;
};

static struct numa_memblk numa_memblks[BOOT_MAX_MEM_RANGES];
static unsigned int nr_numa_memblks;

/*
 * Node @nid's RAM, from its lowest address to one past its highest
 * (NUMA_NO_NODE: all nodes' RAM); start U64_MAX and end 0 if it has none.
 */
static struct ram_span node_ram(int nid)
{
	struct ram_span span = { .start = ~0ULL, .end = 0 };
	unsigned int i;

	for (i = 0; i < nr_numa_memblks; i++) {
		const struct numa_memblk *mb = &numa_memblks[i];

		if (nid != NUMA_NO_NODE && mb->nid != nid)
			continue;
		span.start = min(span.start, mb->start);
		span.end = max(span.end, mb->end);
	}
	return span;
}

unsigned long node_online_map = 1;
static bool numa_off;

static int setup_numa(const char *val)
{
	if (!val || strcmp(val, "off"))
		return -EINVAL;
	numa_off = true;
	return 0;
}
KERNEL_PARAM(param_numa, "numa", setup_numa,
	     "numa=off: ignore the device tree's NUMA nodes (one node 0)");
u8 cpu_to_node_map[NR_CPUS];
u8 numa_distance[MAX_NUMNODES][MAX_NUMNODES];

void numa_reset(void)
{
	int a, b;

	nr_numa_memblks = 0;
	node_online_map = 1;
	memset(cpu_to_node_map, 0, sizeof(cpu_to_node_map));
	for (a = 0; a < MAX_NUMNODES; a++)
		for (b = 0; b < MAX_NUMNODES; b++)
			numa_distance[a][b] = a == b ? LOCAL_DISTANCE :
						       REMOTE_DISTANCE;
}

int numa_add_memblk(int nid, u64 start, u64 end)
{
	if ((unsigned int)nid >= MAX_NUMNODES ||
	    nr_numa_memblks == BOOT_MAX_MEM_RANGES || end <= start)
		return -EINVAL;
	if (!nr_numa_memblks)
		node_online_map = 0;
	numa_memblks[nr_numa_memblks++] = (struct numa_memblk){
		.start = start, .end = end, .nid = nid,
	};
	node_online_map |= 1UL << nid;
	return 0;
}

void numa_set_distance(int from, int to, int distance)
{
	numa_distance[from][to] = distance;
}

void set_cpu_numa_node(unsigned int cpu, int nid)
{
	cpu_to_node_map[cpu] = nid;
	zone_pcp_set_node(cpu);
}

void numa_add_cpu(unsigned int cpu, u32 hartid)
{
	set_cpu_numa_node(cpu, nr_numa_memblks ?
			  boot_hart_node(&boot_info, hartid) : 0);
}

unsigned int nr_harts_on_node(int nid)
{
	unsigned int i, n = 0;

	for (i = 0; i < boot_info.nr_harts; i++)
		n += (nr_numa_memblks ? boot_info.hart_node[i] : 0) == nid;
	return n;
}

/* One boot log line per node: its RAM, its harts and its distances. */
static void numa_report(const struct boot_info *bi)
{
	char harts[64], dist[32];
	size_t h, d;
	unsigned int i;
	int nid, b;

	for_each_online_node(nid) {
		struct ram_span ram = node_ram(nid);

		for (h = 0, i = 0; i < bi->nr_harts && h < sizeof(harts); i++)
			if (bi->hart_node[i] == nid)
				h += snprintf(harts + h, sizeof(harts) - h,
					      "%s%u", h ? "," : "",
					      bi->hartid[i]);
		for (d = 0, b = 0; b < MAX_NUMNODES && d < sizeof(dist); b++)
			if (node_online(b))
				d += snprintf(dist + d, sizeof(dist) - d, " %d",
					      node_distance(nid, b));
		pr_info("node %d: RAM [%#llx-%#llx], harts %s, distances%s\n",
			nid, (unsigned long long)ram.start,
			(unsigned long long)ram.end - 1,
			h ? harts : "none", dist);
	}
}

void numa_init(const struct boot_info *bi)
{
	unsigned int i;
	int a, b;

	numa_reset();
	if (!bi->numa)
		return;
	if (numa_off) {
		pr_info("numa=off: the tree's nodes are ignored, all is node 0\n");
		return;
	}
	for (i = 0; i < bi->nr_mem; i++)
		numa_add_memblk(bi->mem[i].nid, bi->mem[i].base,
				bi->mem[i].base + bi->mem[i].size);
	for (a = 0; a < MAX_NUMNODES; a++)
		for (b = 0; b < MAX_NUMNODES; b++)
			numa_set_distance(a, b, bi->distance[a][b]);
	numa_add_cpu(smp_processor_id(), this_hart()->hartid);
	numa_report(bi);
}

void numa_node_span(int nid, unsigned long start, unsigned long end,
		    unsigned long *span_start, unsigned long *span_end)
{
	u64 base = node_ram(nid).start, next = ~0ULL;
	int n;

	*span_start = start;
	*span_end = end;
	if (!nr_numa_memblks)
		return;
	for_each_online_node(n) {
		u64 other = node_ram(n).start;

		if (other > base)
			next = min(next, other);
	}
	if (base != node_ram(NUMA_NO_NODE).start)	/* not the lowest */
		*span_start = clamp((unsigned long)(base >> PAGE_SHIFT), start,
				    end);
	if (next != ~0ULL)
		*span_end = clamp((unsigned long)(next >> PAGE_SHIFT), start,
				  end);
}

int numa_check_layout(void)
{
	struct ram_span ram;
	u64 lowest;
	int a, b;

	if (!nr_numa_memblks)
		return 0;
	lowest = node_ram(NUMA_NO_NODE).start;
	for_each_online_node(a) {
		ram = node_ram(a);
		if (ram.start & ((MAX_ORDER_NR_PAGES << PAGE_SHIFT) - 1) &&
		    ram.start != lowest)
			goto misaligned;
		for_each_online_node(b) {
			u64 other = node_ram(b).start;

			if (b != a && other > ram.start && other < ram.end) {
				pr_err("node %d's RAM [%#llx-%#llx] holds node "
				       "%d's, which starts at %#llx: rvmem "
				       "needs each node's RAM in one span\n",
				       a, (unsigned long long)ram.start,
				       (unsigned long long)ram.end - 1, b,
				       (unsigned long long)other);
				return -EINVAL;
			}
		}
	}
	return 0;
misaligned:
	pr_err("node %d's RAM starts at %#llx, not on a %lu MiB boundary\n",
	       a, (unsigned long long)ram.start,
	       (MAX_ORDER_NR_PAGES << PAGE_SHIFT) >> 20);
	return -EINVAL;
}
