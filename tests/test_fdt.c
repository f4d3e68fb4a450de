// SPDX-License-Identifier: MIT
/*
 * Host tests of the device tree reader (core/lib/fdt.c) and of the virt
 * board's parse of it (platform/virt/board_fdt.c).
 *
 * Most blobs are built here with the test-only fdt_builder, a valid tree
 * first, then (for the corruption cases) one field changed in place. One
 * case parses the real QEMU virt tree, compiled by the build from
 * tests/dtb/qemu-virt-4hart.dts into TEST_DTB_DIR.
 */
#include <rvmem/boot.h>
#include <rvmem/fdt.h>
#include <rvmem/ktest.h>

#include "board.h"
#include "fdt_builder.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MiB(x)		((u64)(x) << 20)
#define HI(x)		((u32)((u64)(x) >> 32))
#define LO(x)		((u32)(x))
#define TIMEBASE	10000000

static struct fdt_builder fb;
static u8 blob[16384];
static size_t blob_size;
static struct boot_info bi;
static char err[256];

static void root_begin_cells(u32 ac, u32 sc)
{
	fb_init(&fb);
	fb_begin_node(&fb, "");
	fb_prop_u32(&fb, "#address-cells", ac);
	fb_prop_u32(&fb, "#size-cells", sc);
	fb_prop_str(&fb, "compatible", "riscv-virtio");
}

static void root_begin(void)
{
	root_begin_cells(2, 2);
}

/* A memory node under a 2/2-cell root; Return: offset of its reg token. */
static int add_memory(const char *name, u64 base, u64 size)
{
	int reg;

	fb_begin_node(&fb, name);
	fb_prop_str(&fb, "device_type", "memory");
	reg = fb_prop_cells(&fb, "reg", 4, HI(base), LO(base), HI(size),
			    LO(size));
	fb_end_node(&fb);
	return reg;
}

static void cpus_begin(void)
{
	fb_begin_node(&fb, "cpus");
	fb_prop_u32(&fb, "#address-cells", 1);
	fb_prop_u32(&fb, "#size-cells", 0);
	fb_prop_u32(&fb, "timebase-frequency", TIMEBASE);
}

/* A cpu node like QEMU's; @status NULL leaves the property out. */
static void add_cpu(u32 hartid, const char *status)
{
	char name[16];

	snprintf(name, sizeof(name), "cpu@%x", hartid);
	fb_begin_node(&fb, name);
	fb_prop_u32(&fb, "phandle", 0x100 + hartid);
	fb_prop_str(&fb, "device_type", "cpu");
	fb_prop_u32(&fb, "reg", hartid);
	if (status)
		fb_prop_str(&fb, "status", status);
	fb_prop_str(&fb, "riscv,isa", "rv64imafdc_zicsr");
	fb_prop_str(&fb, "mmu-type", "riscv,sv48");
	fb_begin_node(&fb, "interrupt-controller");
	fb_prop_str(&fb, "compatible", "riscv,cpu-intc");
	fb_end_node(&fb);
	fb_end_node(&fb);
}

static void add_cpu_map(void)
{
	fb_begin_node(&fb, "cpu-map");
	fb_begin_node(&fb, "cluster0");
	fb_begin_node(&fb, "core0");
	fb_prop_u32(&fb, "cpu", 0x100);
	fb_end_node(&fb);
	fb_end_node(&fb);
	fb_end_node(&fb);
}

/* /cpus with harts 0 .. @nr - 1, all "okay", and a cpu-map. */
static void add_cpus(unsigned int nr)
{
	unsigned int i;

	cpus_begin();
	for (i = 0; i < nr; i++)
		add_cpu(i, "okay");
	add_cpu_map();
	fb_end_node(&fb);
}

static void add_chosen(const char *bootargs)
{
	fb_begin_node(&fb, "chosen");
	fb_prop_str(&fb, "bootargs", bootargs);
	fb_prop_str(&fb, "stdout-path", "/soc/serial@10000000");
	fb_end_node(&fb);
}

/* /soc (2/2 cells) with QEMU's test finisher at 0x100000. */
static void add_soc_test(u32 phandle)
{
	static const char compat[] = "sifive,test1\0sifive,test0\0syscon";

	fb_begin_node(&fb, "soc");
	fb_prop_u32(&fb, "#address-cells", 2);
	fb_prop_u32(&fb, "#size-cells", 2);
	fb_prop(&fb, "ranges", NULL, 0);
	fb_begin_node(&fb, "test@100000");
	fb_prop_u32(&fb, "phandle", phandle);
	fb_prop_cells(&fb, "reg", 4, 0, 0x100000, 0, 0x1000);
	fb_prop(&fb, "compatible", compat, sizeof(compat));
	fb_end_node(&fb);
	fb_end_node(&fb);
}

static void add_poweroff(u32 regmap, u32 offset)
{
	fb_begin_node(&fb, "poweroff");
	fb_prop_u32(&fb, "value", 0x5555);
	fb_prop_u32(&fb, "offset", offset);
	fb_prop_u32(&fb, "regmap", regmap);
	fb_prop_str(&fb, "compatible", "syscon-poweroff");
	fb_end_node(&fb);
}

/* Close the root and lay the blob out. */
static void finish(void)
{
	fb_end_node(&fb);
	blob_size = fb_finish(&fb, blob, sizeof(blob));
}

/* Root, 128 MiB at 0x80000000, 4 harts, chosen: still open for more. */
static void minimal_begin(void)
{
	root_begin();
	add_memory("memory@80000000", 0x80000000, MiB(128));
	add_cpus(4);
	add_chosen("hello");
}

static struct boot_poweroff po;

static int parse(u32 boot_hartid)
{
	return board_parse_fdt(blob, blob_size, boot_hartid, &bi, &po, err,
			       sizeof(err));
}

/* Byte offset in the blob of the structure-block offset @off. */
static size_t in_blob(int off)
{
	return fb.off_struct + off;
}

/* ---- fdt_check_header ------------------------------------------------- */

/* Expect a builder blob to pass and its totalsize to be read back. */
static void fdt_check_header_valid(struct ktest *t)
{
	minimal_begin();
	finish();
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, blob_size), 0);
	KTEST_EXPECT_EQ(t, fdt_totalsize(blob), blob_size);
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, sizeof(blob)), 0);
}

/* Expect a wrong magic, and a buffer too short to hold one, to be BADMAGIC. */
static void fdt_check_header_bad_magic(struct ktest *t)
{
	minimal_begin();
	finish();
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, 3), -FDT_ERR_BADMAGIC);
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, 20), -FDT_ERR_BADLAYOUT);
	fb_put32(blob, FB_HDR_MAGIC, 0xfeedd00d);
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, blob_size),
			-FDT_ERR_BADMAGIC);
}

/* Expect version 15 and last_comp_version 18 to be refused; 16 accepted. */
static void fdt_check_header_version(struct ktest *t)
{
	minimal_begin();
	finish();
	fb_put32(blob, FB_HDR_VERSION, 15);
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, blob_size),
			-FDT_ERR_BADVERSION);
	fb_put32(blob, FB_HDR_VERSION, 17);
	fb_put32(blob, FB_HDR_LAST_COMP, 18);
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, blob_size),
			-FDT_ERR_BADVERSION);
	fb_put32(blob, FB_HDR_LAST_COMP, 16);
	fb_put32(blob, FB_HDR_VERSION, 16);
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, blob_size), 0);
	KTEST_EXPECT_EQ(t, fdt_path_offset(blob, "/cpus/cpu@3") > 0, 1);
}

/*
 * Expect every block that reaches past totalsize, and a totalsize past the
 * buffer, to be BADLAYOUT:
 *
 *	| hdr | rsv | struct ......|+4 | strings |   totalsize
 */
static void fdt_check_header_block_past_totalsize(struct ktest *t)
{
	u32 v;

	minimal_begin();
	finish();
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, blob_size - 1),
			-FDT_ERR_BADLAYOUT);
	v = fb_get32(blob, FB_HDR_SIZE_STRINGS);
	fb_put32(blob, FB_HDR_SIZE_STRINGS, v + 1);
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, blob_size),
			-FDT_ERR_BADLAYOUT);
	fb_put32(blob, FB_HDR_SIZE_STRINGS, v);
	fb_put32(blob, FB_HDR_SIZE_STRUCT, blob_size);
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, blob_size),
			-FDT_ERR_BADLAYOUT);
	fb_put32(blob, FB_HDR_SIZE_STRUCT, 0xfffffffc);
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, blob_size),
			-FDT_ERR_BADLAYOUT);
	fb_put32(blob, FB_HDR_SIZE_STRUCT, fb.struct_len);
	fb_put32(blob, FB_HDR_OFF_STRUCT, 8);
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, blob_size),
			-FDT_ERR_BADLAYOUT);
	fb_put32(blob, FB_HDR_OFF_STRUCT, fb.off_struct);
	fb_put32(blob, FB_HDR_TOTALSIZE, 0x80000000);
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, (size_t)-1),
			-FDT_ERR_BADLAYOUT);
}

/* ---- walking the structure block -------------------------------------- */

/* Expect a document-order walk to see every node once, at its depth. */
static void fdt_next_node_walks_all(struct ktest *t)
{
	static const int want_depth[] = { 0, 1, 1, 2, 3, 2, 3, 4, 1 };
	int node = -1, depth = 0, n = 0;

	root_begin();
	add_memory("memory@80000000", 0x80000000, MiB(128));
	cpus_begin();
	add_cpu(0, NULL);
	add_cpu_map();
	fb_end_node(&fb);
	add_chosen("");
	finish();
	while ((node = fdt_next_node(blob, node, &depth)) >= 0) {
		KTEST_ASSERT_TRUE(t, n < (int)ARRAY_SIZE(want_depth));
		KTEST_EXPECT_EQ(t, depth, want_depth[n]);
		n++;
	}
	KTEST_EXPECT_EQ(t, node, -FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, n, ARRAY_SIZE(want_depth));
}

/* Expect NOP tokens anywhere between tokens to be invisible. */
static void fdt_next_node_skips_nop(struct ktest *t)
{
	int node, cpus;

	fb_init(&fb);
	fb_nop(&fb);
	fb_begin_node(&fb, "");
	fb_nop(&fb);
	fb_prop_u32(&fb, "#address-cells", 2);
	fb_nop(&fb);
	fb_prop_u32(&fb, "#size-cells", 2);
	add_memory("memory@80000000", 0x80000000, MiB(64));
	fb_nop(&fb);
	cpus_begin();
	fb_nop(&fb);
	add_cpu(0, "okay");
	fb_nop(&fb);
	fb_end_node(&fb);
	fb_nop(&fb);
	finish();
	KTEST_EXPECT_EQ(t, fdt_next_node(blob, -1, NULL), 4);
	cpus = fdt_path_offset(blob, "/cpus");
	KTEST_ASSERT_TRUE(t, cpus > 0);
	node = fdt_first_subnode(blob, cpus);
	KTEST_EXPECT_STREQ(t, fdt_get_name(blob, node, NULL), "cpu@0");
	KTEST_EXPECT_EQ(t, fdt_next_subnode(blob, node), -FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, fdt_cells(blob, 4, "#size-cells"), 2);
	KTEST_EXPECT_EQ(t, parse(0), 0);
	KTEST_EXPECT_EQ(t, bi.nr_harts, 1);
	KTEST_EXPECT_EQ(t, bi.mem[0].size, MiB(64));
}

/* Expect a property length that runs past the block to be TRUNCATED. */
static void fdt_next_node_truncated_prop_len(struct ktest *t)
{
	int reg, mem, depth = 0, node = -1;

	root_begin();
	reg = add_memory("memory@80000000", 0x80000000, MiB(128));
	add_cpus(1);
	finish();
	fb_put32(blob, in_blob(reg) + 4, fb.struct_len - reg);
	KTEST_EXPECT_EQ(t, fdt_path_offset(blob, "/memory"),
			-FDT_ERR_TRUNCATED);	/* looks for another */
	mem = fdt_path_offset(blob, "/memory@80000000");
	KTEST_ASSERT_TRUE(t, mem > 0);
	KTEST_EXPECT_EQ(t, fdt_getprop(blob, mem, "reg", NULL) == NULL, 1);
	KTEST_EXPECT_EQ(t, fdt_next_node(blob, mem, NULL),
			-FDT_ERR_TRUNCATED);
	while ((node = fdt_next_node(blob, node, &depth)) >= 0)
		;
	KTEST_EXPECT_EQ(t, node, -FDT_ERR_TRUNCATED);
	fb_put32(blob, in_blob(reg) + 4, 0xfffffff0);
	KTEST_EXPECT_EQ(t, fdt_next_node(blob, mem, NULL),
			-FDT_ERR_TRUNCATED);
}

/* Expect a node name with no NUL before the block ends to be refused. */
static void fdt_next_node_unterminated_name(struct ktest *t)
{
	fb_init(&fb);
	fb_begin_node(&fb, "");
	fb_word(&fb, FB_BEGIN_NODE);
	fb_word(&fb, 0x61626364);	/* "abcd", no NUL, block ends */
	fb.no_end = true;
	blob_size = fb_finish(&fb, blob, sizeof(blob));
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, blob_size), 0);
	KTEST_EXPECT_EQ(t, fdt_next_node(blob, 0, NULL),
			-FDT_ERR_BADSTRUCTURE);
	KTEST_EXPECT_EQ(t, fdt_get_name(blob, 8, NULL) == NULL, 1);
	KTEST_EXPECT_EQ(t, fdt_path_offset(blob, "/abcd"),
			-FDT_ERR_BADSTRUCTURE);
}

/* Expect an unknown token to be BADSTRUCTURE. */
static void fdt_next_node_bad_token(struct ktest *t)
{
	int len;

	root_begin();
	fb_word(&fb, 0x7);
	add_cpus(1);
	finish();
	KTEST_EXPECT_EQ(t, fdt_next_node(blob, -1, NULL), 0);
	KTEST_EXPECT_EQ(t, fdt_next_node(blob, 0, NULL),
			-FDT_ERR_BADSTRUCTURE);
	KTEST_EXPECT_EQ(t, fdt_getprop(blob, 0, "missing", &len) == NULL, 1);
	KTEST_EXPECT_EQ(t, len, -FDT_ERR_BADSTRUCTURE);
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err,
			   "fdt: corrupt structure block after node / at offset 0x0 (bad token, unterminated name or bad nesting)");
}

/*
 * Expect a tree that ends while nodes are open to be refused: FDT_END
 * inside a node is BADSTRUCTURE, no FDT_END at all is TRUNCATED.
 */
static void fdt_next_node_unclosed(struct ktest *t)
{
	int node = -1, depth = 0;

	fb_init(&fb);
	fb_begin_node(&fb, "");
	fb_begin_node(&fb, "a");
	fb_begin_node(&fb, "b");
	blob_size = fb_finish(&fb, blob, sizeof(blob));
	while ((node = fdt_next_node(blob, node, &depth)) >= 0)
		;
	KTEST_EXPECT_EQ(t, node, -FDT_ERR_BADSTRUCTURE);

	fb_init(&fb);
	fb_begin_node(&fb, "");
	fb_begin_node(&fb, "a");
	fb.no_end = true;
	blob_size = fb_finish(&fb, blob, sizeof(blob));
	node = -1;
	while ((node = fdt_next_node(blob, node, &depth)) >= 0)
		;
	KTEST_EXPECT_EQ(t, node, -FDT_ERR_TRUNCATED);
	KTEST_EXPECT_EQ(t, fdt_next_node(blob, 2, NULL), -FDT_ERR_BADOFFSET);
	KTEST_EXPECT_EQ(t, fdt_next_node(blob, 4096, NULL),
			-FDT_ERR_TRUNCATED);
}

/* Expect sub-node iteration to stop at the parent's end, not its sibling. */
static void fdt_first_subnode_stops_at_parent(struct ktest *t)
{
	int cpus, cpu, chosen, n = 0;

	minimal_begin();
	finish();
	cpus = fdt_path_offset(blob, "/cpus");
	for (cpu = fdt_first_subnode(blob, cpus); cpu >= 0;
	     cpu = fdt_next_subnode(blob, cpu))
		n++;
	KTEST_EXPECT_EQ(t, cpu, -FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, n, 5);		/* 4 cpus and cpu-map */
	chosen = fdt_path_offset(blob, "/chosen");
	KTEST_EXPECT_EQ(t, fdt_first_subnode(blob, chosen), -FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, fdt_next_subnode(blob, chosen), -FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, fdt_next_subnode(blob, 0), -FDT_ERR_NOTFOUND);
}

/* ---- lookups ---------------------------------------------------------- */

/*
 * Expect a path component without "@unit" to find the one node that has
 * it, an exact name to win, and an ambiguous or absent name to fail.
 */
static void fdt_path_offset_unit_address(struct ktest *t)
{
	int mem, cpu1;

	minimal_begin();
	add_memory("memory@c0000000", 0xc0000000, MiB(16));
	fb_begin_node(&fb, "soc");
	fb_begin_node(&fb, "uart@1000");
	fb_end_node(&fb);
	fb_begin_node(&fb, "uart");
	fb_end_node(&fb);
	fb_end_node(&fb);
	finish();
	KTEST_EXPECT_EQ(t, fdt_path_offset(blob, "/"), 0);
	KTEST_EXPECT_EQ(t, fdt_path_offset(blob, "/memory"),
			-FDT_ERR_NOTFOUND);
	mem = fdt_path_offset(blob, "/memory@c0000000");
	KTEST_EXPECT_STREQ(t, fdt_get_name(blob, mem, NULL),
			   "memory@c0000000");
	cpu1 = fdt_path_offset(blob, "/cpus/cpu");
	KTEST_EXPECT_EQ(t, cpu1, -FDT_ERR_NOTFOUND);
	cpu1 = fdt_path_offset(blob, "//cpus/cpu@1/");
	KTEST_EXPECT_STREQ(t, fdt_get_name(blob, cpu1, NULL), "cpu@1");
	KTEST_EXPECT_STREQ(t,
			   fdt_get_name(blob, fdt_path_offset(blob, "/soc/uart"),
					NULL), "uart");
	KTEST_EXPECT_EQ(t, fdt_path_offset(blob, "/cpus/cpu@1/nothing"),
			-FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, fdt_path_offset(blob, "cpus"), -FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, fdt_path_offset(blob, "/cpus/cpu@1@"),
			-FDT_ERR_NOTFOUND);
}

/* Expect "/memory" to find the only "memory@..." node. */
static void fdt_path_offset_unique_unit(struct ktest *t)
{
	int len;

	minimal_begin();
	finish();
	KTEST_EXPECT_STREQ(t, fdt_get_name(blob, fdt_path_offset(blob, "/memory"),
					   &len), "memory@80000000");
	KTEST_EXPECT_EQ(t, len, 15);
	KTEST_EXPECT_STREQ(t, fdt_get_name(blob, 0, &len), "");
	KTEST_EXPECT_EQ(t, len, 0);
	KTEST_EXPECT_EQ(t, fdt_get_name(blob, 8, &len) == NULL, 1);
	KTEST_EXPECT_EQ(t, len, -FDT_ERR_BADOFFSET);
}

/* Expect phandles to find their node; 0 and unknown ones not. */
static void fdt_node_offset_by_phandle_found(struct ktest *t)
{
	int node;

	minimal_begin();
	add_soc_test(0x0a);
	finish();
	node = fdt_node_offset_by_phandle(blob, 0x0a);
	KTEST_EXPECT_STREQ(t, fdt_get_name(blob, node, NULL), "test@100000");
	node = fdt_node_offset_by_phandle(blob, 0x102);
	KTEST_EXPECT_STREQ(t, fdt_get_name(blob, node, NULL), "cpu@2");
	KTEST_EXPECT_EQ(t, fdt_node_offset_by_phandle(blob, 0x55),
			-FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, fdt_node_offset_by_phandle(blob, 0),
			-FDT_ERR_BADVALUE);
	KTEST_EXPECT_EQ(t, fdt_node_offset_by_phandle(blob, 0xffffffff),
			-FDT_ERR_BADVALUE);
}

/* Expect a compatible search to visit every match in document order. */
static void fdt_node_offset_by_compatible_iterates(struct ktest *t)
{
	int node, n = 0;

	minimal_begin();
	add_soc_test(1);
	finish();
	for (node = fdt_node_offset_by_compatible(blob, -1, "riscv,cpu-intc");
	     node >= 0;
	     node = fdt_node_offset_by_compatible(blob, node, "riscv,cpu-intc"))
		n++;
	KTEST_EXPECT_EQ(t, node, -FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, n, 4);
	node = fdt_node_offset_by_compatible(blob, -1, "sifive,test0");
	KTEST_EXPECT_EQ(t, node, fdt_path_offset(blob, "/soc/test@100000"));
	KTEST_EXPECT_EQ(t, fdt_node_check_compatible(blob, node, "syscon"), 0);
	KTEST_EXPECT_EQ(t, fdt_node_check_compatible(blob, node, "sifive"), 1);
	KTEST_EXPECT_EQ(t, fdt_node_check_compatible(blob, 0, "x"), 1);
}

/* ---- properties ------------------------------------------------------- */

/* Expect strings without a NUL in their length to be BADVALUE. */
static void fdt_getprop_string_unterminated(struct ktest *t)
{
	const char *s;
	int e;

	root_begin();
	fb_prop(&fb, "bad", "abc", 3);
	fb_prop(&fb, "empty", NULL, 0);
	fb_prop_str(&fb, "good", "abc");
	finish();
	KTEST_EXPECT_EQ(t, fdt_getprop_string(blob, 0, "bad", &e) == NULL, 1);
	KTEST_EXPECT_EQ(t, e, -FDT_ERR_BADVALUE);
	KTEST_EXPECT_EQ(t, fdt_getprop_string(blob, 0, "empty", &e) == NULL,
			1);
	KTEST_EXPECT_EQ(t, e, -FDT_ERR_BADVALUE);
	KTEST_EXPECT_EQ(t, fdt_getprop_string(blob, 0, "none", &e) == NULL, 1);
	KTEST_EXPECT_EQ(t, e, -FDT_ERR_NOTFOUND);
	s = fdt_getprop_string(blob, 0, "good", &e);
	KTEST_EXPECT_STREQ(t, s, "abc");
	KTEST_EXPECT_EQ(t, e, 0);
}

/* Expect one-cell reads of other sizes to be BADVALUE. */
static void fdt_getprop_u32_wrong_size(struct ktest *t)
{
	u32 v = 0;

	root_begin();
	fb_prop_cells(&fb, "two", 2, 1, 2);
	fb_prop(&fb, "three", "abc", 3);
	finish();
	KTEST_EXPECT_EQ(t, fdt_getprop_u32(blob, 0, "two", &v),
			-FDT_ERR_BADVALUE);
	KTEST_EXPECT_EQ(t, fdt_getprop_u32(blob, 0, "three", &v),
			-FDT_ERR_BADVALUE);
	KTEST_EXPECT_EQ(t, fdt_getprop_u32(blob, 0, "nope", &v),
			-FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, fdt_getprop_u32(blob, 0, "#size-cells", &v), 0);
	KTEST_EXPECT_EQ(t, v, 2);
}

/* Expect a name offset outside the strings block to be refused. */
static void fdt_getprop_bad_name_offset(struct ktest *t)
{
	int prop, len;

	root_begin();
	prop = fb_prop_u32(&fb, "x", 1);
	finish();
	fb_put32(blob, in_blob(prop) + 8, fb.strings_len);
	KTEST_EXPECT_EQ(t, fdt_getprop(blob, 0, "x", &len) == NULL, 1);
	KTEST_EXPECT_EQ(t, len, -FDT_ERR_TRUNCATED);
	/* the last string, its NUL cut off by a shorter strings block */
	fb_put32(blob, in_blob(prop) + 8, fb.strings_len - 2);
	fb_put32(blob, FB_HDR_SIZE_STRINGS, fb.strings_len - 1);
	KTEST_EXPECT_EQ(t, fdt_getprop(blob, 0, "x", &len) == NULL, 1);
	KTEST_EXPECT_EQ(t, len, -FDT_ERR_TRUNCATED);
}

/* Expect string lists to match whole entries only. */
static void fdt_stringlist_contains_entries(struct ktest *t)
{
	static const char list[] = "abc\0de";	/* two entries */

	KTEST_EXPECT_TRUE(t, fdt_stringlist_contains(list, sizeof(list), "abc"));
	KTEST_EXPECT_TRUE(t, fdt_stringlist_contains(list, sizeof(list), "de"));
	KTEST_EXPECT_TRUE(t, !fdt_stringlist_contains(list, sizeof(list), "ab"));
	KTEST_EXPECT_TRUE(t, !fdt_stringlist_contains(list, sizeof(list), ""));
	KTEST_EXPECT_TRUE(t, !fdt_stringlist_contains(list, 6, "de"));
	KTEST_EXPECT_TRUE(t, !fdt_stringlist_contains(list, 0, "abc"));
}

/* Expect absent cells to default to 2 and 1, and values over 2 refused. */
static void fdt_cells_defaults_and_limits(struct ktest *t)
{
	int cpus;

	fb_init(&fb);
	fb_begin_node(&fb, "");
	fb_begin_node(&fb, "cpus");
	fb_prop_u32(&fb, "#address-cells", 3);
	fb_prop_u32(&fb, "#size-cells", 0);
	fb_end_node(&fb);
	finish();
	KTEST_EXPECT_EQ(t, fdt_cells(blob, 0, "#address-cells"), 2);
	KTEST_EXPECT_EQ(t, fdt_cells(blob, 0, "#size-cells"), 1);
	cpus = fdt_path_offset(blob, "/cpus");
	KTEST_EXPECT_EQ(t, fdt_cells(blob, cpus, "#address-cells"),
			-FDT_ERR_BADVALUE);
	KTEST_EXPECT_EQ(t, fdt_cells(blob, cpus, "#size-cells"), 0);
}

/* Expect cells to read the same from any alignment. */
static void fdt_read_cells_unaligned(struct ktest *t)
{
	static const u8 raw[] = { 0xff, 0x12, 0x34, 0x56, 0x78,
				  0x9a, 0xbc, 0xde, 0xf0 };

	KTEST_EXPECT_EQ(t, fdt_read_cells(raw + 1, 1), 0x12345678);
	KTEST_EXPECT_EQ(t, fdt_read_cells(raw + 1, 2), 0x123456789abcdef0ULL);
	KTEST_EXPECT_EQ(t, fdt_read_cells(raw + 1, 0), 0);
}

/* Expect /memreserve/ entries to be counted up to the (0, 0) end. */
static void fdt_get_mem_rsv_entries(struct ktest *t)
{
	u64 a = 0, s = 0;

	minimal_begin();
	fb_mem_rsv(&fb, 0x80000000, 0x40000);
	fb_mem_rsv(&fb, 0x1234567800000000ULL, 0x1000);
	finish();
	KTEST_EXPECT_EQ(t, fdt_num_mem_rsv(blob), 2);
	KTEST_EXPECT_EQ(t, fdt_get_mem_rsv(blob, 1, &a, &s), 0);
	KTEST_EXPECT_EQ(t, a, 0x1234567800000000ULL);
	KTEST_EXPECT_EQ(t, s, 0x1000);
	KTEST_EXPECT_EQ(t, fdt_get_mem_rsv(blob, 2, &a, &s),
			-FDT_ERR_NOTFOUND);
	KTEST_EXPECT_EQ(t, fdt_get_mem_rsv(blob, -1, &a, &s),
			-FDT_ERR_NOTFOUND);
}

/* Expect a /memreserve/ block with no end inside the blob: TRUNCATED. */
static void fdt_num_mem_rsv_unterminated(struct ktest *t)
{
	size_t off;

	root_begin();
	finish();
	for (off = FB_HDR_LEN; off < blob_size; off++)
		blob[off] = 0xa5;
	fb_put32(blob, FB_HDR_SIZE_STRUCT, 0);
	fb_put32(blob, FB_HDR_SIZE_STRINGS, 0);
	KTEST_EXPECT_EQ(t, fdt_check_header(blob, blob_size), 0);
	KTEST_EXPECT_EQ(t, fdt_num_mem_rsv(blob), -FDT_ERR_TRUNCATED);
	KTEST_EXPECT_EQ(t, fdt_next_node(blob, -1, NULL), -FDT_ERR_TRUNCATED);
	KTEST_EXPECT_STREQ(t, fdt_strerror(-FDT_ERR_TRUNCATED), "truncated");
}

KTEST_SUITE(fdt_suite) = {
	.name = "fdt",
	.cases = (const struct ktest_case[]) {
		KTEST_CASE(fdt_check_header_valid),
		KTEST_CASE(fdt_check_header_bad_magic),
		KTEST_CASE(fdt_check_header_version),
		KTEST_CASE(fdt_check_header_block_past_totalsize),
		KTEST_CASE(fdt_next_node_walks_all),
		KTEST_CASE(fdt_next_node_skips_nop),
		KTEST_CASE(fdt_next_node_truncated_prop_len),
		KTEST_CASE(fdt_next_node_unterminated_name),
		KTEST_CASE(fdt_next_node_bad_token),
		KTEST_CASE(fdt_next_node_unclosed),
		KTEST_CASE(fdt_first_subnode_stops_at_parent),
		KTEST_CASE(fdt_path_offset_unit_address),
		KTEST_CASE(fdt_path_offset_unique_unit),
		KTEST_CASE(fdt_node_offset_by_phandle_found),
		KTEST_CASE(fdt_node_offset_by_compatible_iterates),
		KTEST_CASE(fdt_getprop_string_unterminated),
		KTEST_CASE(fdt_getprop_u32_wrong_size),
		KTEST_CASE(fdt_getprop_bad_name_offset),
		KTEST_CASE(fdt_stringlist_contains_entries),
		KTEST_CASE(fdt_cells_defaults_and_limits),
		KTEST_CASE(fdt_read_cells_unaligned),
		KTEST_CASE(fdt_get_mem_rsv_entries),
		KTEST_CASE(fdt_num_mem_rsv_unterminated),
		{}
	},
};

/* ---- board_parse_fdt: the real QEMU tree ------------------------------ */

#ifdef TEST_DTB_DIR
static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static size_t read_file(const char *path, u8 *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

/* Expect QEMU's own virt tree (-smp 4 -m 128M) to describe that machine. */
static void board_parse_fdt_qemu_virt(struct ktest *t)
{
	unsigned int i;

	blob_size = read_file(TEST_DTB_DIR "/qemu-virt-4hart.dtb", blob,
			      sizeof(blob));
	KTEST_ASSERT_TRUE(t, blob_size > 0);
	KTEST_ASSERT_EQ(t, parse(2), 0);
	KTEST_EXPECT_STREQ(t, err, "");
	KTEST_EXPECT_EQ(t, bi.fdt_base, (uintptr_t)blob);
	KTEST_EXPECT_EQ(t, bi.fdt_size, blob_size);
	KTEST_EXPECT_EQ(t, bi.nr_mem, 1);
	KTEST_EXPECT_EQ(t, bi.mem[0].base, 0x80000000);
	KTEST_EXPECT_EQ(t, bi.mem[0].size, MiB(128));
	KTEST_EXPECT_EQ(t, bi.nr_resv, 0);
	KTEST_EXPECT_EQ(t, bi.nr_harts, 4);
	for (i = 0; i < 4; i++)
		KTEST_EXPECT_EQ(t, bi.hartid[i], i);
	KTEST_EXPECT_EQ(t, bi.timebase_hz, TIMEBASE);
	KTEST_EXPECT_EQ(t, bi.mmu, BOOT_MMU_SV48);
	KTEST_EXPECT_TRUE(t, starts_with(bi.isa, "rv64imafdch_zicsr"));
	KTEST_EXPECT_STREQ(t, bi.bootargs, "");
	KTEST_EXPECT_STREQ(t, bi.stdout_path, "/soc/serial@10000000");
	KTEST_EXPECT_EQ(t, po.kind, BOOT_POWEROFF_SIFIVE_TEST);
	KTEST_EXPECT_EQ(t, po.addr, 0x100000);
	KTEST_EXPECT_EQ(t, parse(4), -EINVAL);
	KTEST_EXPECT_STREQ(t, err, "fdt: boot hart 4 not found under /cpus");
}
#else
static void board_parse_fdt_qemu_virt(struct ktest *t)
{
	ktest_skip(t, "TEST_DTB_DIR not defined");
}
#endif

/* ---- board_parse_fdt: built trees ------------------------------------- */

/* Expect a small QEMU-like tree to fill every field. */
static void board_parse_fdt_minimal(struct ktest *t)
{
	minimal_begin();
	add_soc_test(0x0a);
	finish();
	KTEST_ASSERT_EQ(t, parse(1), 0);
	KTEST_EXPECT_EQ(t, bi.nr_mem, 1);
	KTEST_EXPECT_EQ(t, boot_mem_total(&bi), MiB(128));
	KTEST_EXPECT_EQ(t, bi.nr_harts, 4);
	KTEST_EXPECT_EQ(t, bi.hartid[3], 3);
	KTEST_EXPECT_STREQ(t, bi.isa, "rv64imafdc_zicsr");
	KTEST_EXPECT_STREQ(t, boot_mmu_name(bi.mmu), "sv48");
	KTEST_EXPECT_STREQ(t, bi.bootargs, "hello");
	KTEST_EXPECT_EQ(t, po.addr, 0x100000);
	KTEST_EXPECT_EQ(t, po.kind, BOOT_POWEROFF_SIFIVE_TEST);
}

/* Expect a bad header to be named with the blob's address. */
static void board_parse_fdt_bad_header(struct ktest *t)
{
	char want[96];

	minimal_begin();
	finish();
	fb_put32(blob, FB_HDR_MAGIC, 0);
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	snprintf(want, sizeof(want), "fdt: bad header at 0x%llx (bad magic)",
		 (unsigned long long)(uintptr_t)blob);
	KTEST_EXPECT_STREQ(t, err, want);
	KTEST_EXPECT_EQ(t, board_parse_fdt(blob, blob_size, 0, &bi, &po, NULL, 0),
			-EINVAL);
}

/* Expect a tree without device_type = "memory" to be refused. */
static void board_parse_fdt_no_memory(struct ktest *t)
{
	root_begin();
	fb_begin_node(&fb, "memory@80000000");
	fb_prop_str(&fb, "device_type", "memorx");
	fb_prop_cells(&fb, "reg", 4, 0, 0x80000000, 0, 0x8000000);
	fb_end_node(&fb);
	add_cpus(1);
	finish();
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err,
			   "fdt: no memory node (device_type = \"memory\")");
}

/* Expect 8 MiB of RAM, below BOOT_MIN_RAM, to be refused with numbers. */
static void board_parse_fdt_tiny_memory(struct ktest *t)
{
	root_begin();
	add_memory("memory@80000000", 0x80000000, MiB(8));
	add_cpus(1);
	finish();
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err,
			   "fdt: only 8192 KiB of RAM, rvmem needs at least 16384 KiB");
}

/*
 * Expect ranges from several nodes and entries to come out sorted, with
 * zero-size entries and disabled nodes left out:
 *
 *	node A: [4G, +1G) [0, +0)      -> [2G,+64M) [3G,+32M) [4G,+1G)
 *	node B: [3G, +32M)                (C is disabled)
 *	node D: [2G, +64M)
 */
static void board_parse_fdt_memory_unsorted(struct ktest *t)
{
	root_begin();
	fb_begin_node(&fb, "memory@100000000");
	fb_prop_str(&fb, "device_type", "memory");
	fb_prop_cells(&fb, "reg", 8, 1, 0, 0, 0x40000000, 0, 0, 0, 0);
	fb_end_node(&fb);
	add_memory("memory@c0000000", 0xc0000000, MiB(32));
	fb_begin_node(&fb, "memory@f0000000");
	fb_prop_str(&fb, "device_type", "memory");
	fb_prop_str(&fb, "status", "disabled");
	fb_prop_cells(&fb, "reg", 4, 0, 0xf0000000, 0, 0x100000);
	fb_end_node(&fb);
	add_memory("memory@80000000", 0x80000000, MiB(64));
	add_cpus(1);
	finish();
	KTEST_ASSERT_EQ(t, parse(0), 0);
	KTEST_ASSERT_EQ(t, bi.nr_mem, 3);
	KTEST_EXPECT_EQ(t, bi.mem[0].base, 0x80000000);
	KTEST_EXPECT_EQ(t, bi.mem[0].size, MiB(64));
	KTEST_EXPECT_EQ(t, bi.mem[1].base, 0xc0000000);
	KTEST_EXPECT_EQ(t, bi.mem[2].base, 0x100000000ULL);
	KTEST_EXPECT_EQ(t, bi.mem[2].size, 0x40000000);
	KTEST_EXPECT_EQ(t, boot_mem_total(&bi), MiB(64 + 32 + 1024));
}

/*
 * Expect overlapping ranges to be refused:
 *
 *	[0x80000000, +128M)
 *	        [0x87000000, +32M)
 */
static void board_parse_fdt_memory_overlap(struct ktest *t)
{
	root_begin();
	add_memory("memory@87000000", 0x87000000, MiB(32));
	add_memory("memory@80000000", 0x80000000, MiB(128));
	add_cpus(1);
	finish();
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err,
			   "fdt: memory ranges [0x80000000, +0x8000000) and [0x87000000, +0x2000000) overlap");
}

/* Expect a root with 1/1 cells to be honoured for memory reg. */
static void board_parse_fdt_memory_one_cell(struct ktest *t)
{
	root_begin_cells(1, 1);
	fb_begin_node(&fb, "memory@80000000");
	fb_prop_str(&fb, "device_type", "memory");
	fb_prop_cells(&fb, "reg", 4, 0x80000000, 0x1000000, 0x90000000,
		      0x1000000);
	fb_end_node(&fb);
	add_cpus(1);
	finish();
	KTEST_ASSERT_EQ(t, parse(0), 0);
	KTEST_EXPECT_EQ(t, bi.nr_mem, 2);
	KTEST_EXPECT_EQ(t, bi.mem[1].base, 0x90000000);
	KTEST_EXPECT_EQ(t, bi.mem[1].size, MiB(16));
}

/* Expect more ranges than BOOT_MAX_MEM_RANGES to be refused. */
static void board_parse_fdt_too_many_memory_ranges(struct ktest *t)
{
	char name[32];
	unsigned int i;

	root_begin();
	for (i = 0; i <= BOOT_MAX_MEM_RANGES; i++) {
		snprintf(name, sizeof(name), "memory@%lx",
			 0x80000000 + i * SZ_2M);
		add_memory(name, 0x80000000 + i * SZ_2M, SZ_2M);
	}
	add_cpus(1);
	finish();
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err,
			   "fdt: /memory@82000000: too many memory ranges, rvmem takes at most 16");
}

/* Expect a 12-byte reg under 2/2 cells to be refused by name. */
static void board_parse_fdt_bad_reg_size(struct ktest *t)
{
	root_begin();
	fb_begin_node(&fb, "memory@80000000");
	fb_prop_str(&fb, "device_type", "memory");
	fb_prop_cells(&fb, "reg", 3, 0, 0x80000000, 0x8000000);
	fb_end_node(&fb);
	add_cpus(1);
	finish();
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err,
			   "fdt: /memory@80000000: reg is 12 bytes, not a multiple of 16");
}

/*
 * Expect a range that wraps past 2^64 to be refused, in a node's reg and
 * in the /memreserve/ block, and one that ends at 2^64 exactly to pass:
 *
 *	memory@80000000    [0x80000000, +128M) [0xfffffffff0000000, +512M)
 *	/memreserve/       [0x80000000, +64K) [0xffffffffffff0000, +128K)
 *	reserved top       [0xffffffffffff0000, +64K)
 */
static void board_parse_fdt_range_wraps(struct ktest *t)
{
	root_begin();
	fb_begin_node(&fb, "memory@80000000");
	fb_prop_str(&fb, "device_type", "memory");
	fb_prop_cells(&fb, "reg", 8, 0, 0x80000000, 0, MiB(128),
		      0xffffffff, 0xf0000000, 0, MiB(512));
	fb_end_node(&fb);
	add_cpus(1);
	finish();
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err,
			   "fdt: /memory@80000000: reg entry 1 [0xfffffffff0000000, +0x20000000) wraps around");

	minimal_begin();
	fb_mem_rsv(&fb, 0x80000000, 0x10000);
	fb_mem_rsv(&fb, 0xffffffffffff0000ULL, 0x20000);
	finish();
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err,
			   "fdt: /memreserve/ entry 1 [0xffffffffffff0000, +0x20000) wraps around");

	minimal_begin();
	fb_begin_node(&fb, "reserved-memory");
	fb_begin_node(&fb, "top");
	fb_prop_cells(&fb, "reg", 3, 0xffffffff, 0xffff0000, 0x10000);
	fb_end_node(&fb);
	fb_end_node(&fb);
	finish();
	KTEST_ASSERT_EQ(t, parse(0), 0);
	KTEST_EXPECT_EQ(t, bi.nr_resv, 1);
	KTEST_EXPECT_EQ(t, bi.resv[0].base, 0xffffffffffff0000ULL);
}

/* Expect a memory reg that runs past the structure block to be named. */
static void board_parse_fdt_corrupt_prop(struct ktest *t)
{
	char want[128];
	int reg, mem;

	root_begin();
	reg = add_memory("memory@80000000", 0x80000000, MiB(128));
	add_cpus(1);
	finish();
	fb_put32(blob, in_blob(reg) + 4, 0x10000);
	mem = fdt_path_offset(blob, "/memory@80000000");
	KTEST_ASSERT_TRUE(t, mem > 0);
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	snprintf(want, sizeof(want),
		 "fdt: corrupt structure block after node /memory@80000000 at offset 0x%x (truncated)",
		 mem);
	KTEST_EXPECT_STREQ(t, err, want);
}

/*
 * Expect a tree without /cpus to be refused, and its finisher found all
 * the same: the boot that refuses it still ends with a status.
 */
static void board_parse_fdt_no_cpus(struct ktest *t)
{
	root_begin();
	add_memory("memory@80000000", 0x80000000, MiB(128));
	fb_begin_node(&fb, "cpuz");
	fb_end_node(&fb);
	add_soc_test(0x0a);
	finish();
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err, "fdt: /cpus missing");
	KTEST_EXPECT_EQ(t, po.kind, BOOT_POWEROFF_SIFIVE_TEST);
	KTEST_EXPECT_EQ(t, po.addr, 0x100000);
}

/* Expect disabled cpus and non-cpu children (cpu-map) to be skipped. */
static void board_parse_fdt_disabled_cpus(struct ktest *t)
{
	root_begin();
	add_memory("memory@80000000", 0x80000000, MiB(128));
	cpus_begin();
	add_cpu(0, NULL);
	add_cpu(1, "disabled");
	add_cpu(2, "okay");
	add_cpu(3, "fail");
	add_cpu(4, "ok");
	add_cpu_map();
	fb_end_node(&fb);
	finish();
	KTEST_ASSERT_EQ(t, parse(2), 0);
	KTEST_EXPECT_EQ(t, bi.nr_harts, 3);
	KTEST_EXPECT_EQ(t, bi.hartid[0], 0);
	KTEST_EXPECT_EQ(t, bi.hartid[1], 2);
	KTEST_EXPECT_EQ(t, bi.hartid[2], 4);
	KTEST_EXPECT_EQ(t, parse(1), -EINVAL);
	KTEST_EXPECT_STREQ(t, err, "fdt: boot hart 1 is disabled under /cpus");
}

/* Expect /cpus with no usable cpu to be refused. */
static void board_parse_fdt_no_usable_cpu(struct ktest *t)
{
	root_begin();
	add_memory("memory@80000000", 0x80000000, MiB(128));
	cpus_begin();
	add_cpu(0, "disabled");
	add_cpu_map();
	fb_end_node(&fb);
	finish();
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err,
			   "fdt: no usable cpu under /cpus (device_type = \"cpu\", status \"okay\")");
}

/* Expect a boot hart id that no cpu node has to be refused. */
static void board_parse_fdt_boot_hart_missing(struct ktest *t)
{
	minimal_begin();
	finish();
	KTEST_EXPECT_EQ(t, parse(3), 0);
	KTEST_EXPECT_EQ(t, parse(7), -EINVAL);
	KTEST_EXPECT_STREQ(t, err, "fdt: boot hart 7 not found under /cpus");
}

/*
 * Expect the first NR_CPUS harts kept, a late boot hart in the last slot,
 * and all NR_CPUS + 4 counted as listed.
 */
static void board_parse_fdt_too_many_harts(struct ktest *t)
{
	root_begin();
	add_memory("memory@80000000", 0x80000000, MiB(128));
	add_cpus(NR_CPUS + 4);
	finish();
	KTEST_ASSERT_EQ(t, parse(1), 0);
	KTEST_EXPECT_EQ(t, bi.nr_harts, NR_CPUS);
	KTEST_EXPECT_EQ(t, bi.nr_harts_listed, NR_CPUS + 4);
	KTEST_EXPECT_EQ(t, bi.hartid[NR_CPUS - 1], NR_CPUS - 1);
	KTEST_ASSERT_EQ(t, parse(NR_CPUS + 2), 0);
	KTEST_EXPECT_EQ(t, bi.nr_harts, NR_CPUS);
	KTEST_EXPECT_EQ(t, bi.nr_harts_listed, NR_CPUS + 4);
	KTEST_EXPECT_EQ(t, bi.hartid[NR_CPUS - 2], NR_CPUS - 2);
	KTEST_EXPECT_EQ(t, bi.hartid[NR_CPUS - 1], NR_CPUS + 2);
	KTEST_EXPECT_EQ(t, bi.mmu, BOOT_MMU_SV48);
}

/* Expect two cpus with one hart id to be refused. */
static void board_parse_fdt_duplicate_hart(struct ktest *t)
{
	root_begin();
	add_memory("memory@80000000", 0x80000000, MiB(128));
	cpus_begin();
	add_cpu(0, NULL);
	fb_begin_node(&fb, "cpu@x");
	fb_prop_str(&fb, "device_type", "cpu");
	fb_prop_u32(&fb, "reg", 0);
	fb_end_node(&fb);
	fb_end_node(&fb);
	finish();
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err,
			   "fdt: /cpus/cpu@x: hart id 0 appears twice under /cpus");
}

/* Expect a cpu reg of the wrong size to be refused by name. */
static void board_parse_fdt_bad_cpu_reg(struct ktest *t)
{
	root_begin();
	add_memory("memory@80000000", 0x80000000, MiB(128));
	cpus_begin();
	fb_begin_node(&fb, "cpu@0");
	fb_prop_str(&fb, "device_type", "cpu");
	fb_prop_cells(&fb, "reg", 2, 0, 0);
	fb_end_node(&fb);
	fb_end_node(&fb);
	finish();
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err,
			   "fdt: /cpus/cpu@0: reg is 8 bytes, not 4 (#address-cells = 1)");
}

/* Expect a missing, zero or oddly sized timebase-frequency refused. */
static void board_parse_fdt_timebase(struct ktest *t)
{
	static const struct {
		int cells;
		const char *err;
	} cases[] = {
		{ -1, "fdt: /cpus: timebase-frequency missing" },
		{ 0, "fdt: /cpus: timebase-frequency is 0 bytes, not 4 or 8" },
		{ 1, "fdt: /cpus: timebase-frequency is 0" },
		{ 2, NULL },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		root_begin();
		add_memory("memory@80000000", 0x80000000, MiB(128));
		fb_begin_node(&fb, "cpus");
		fb_prop_u32(&fb, "#address-cells", 1);
		if (cases[i].cells == 0)
			fb_prop(&fb, "timebase-frequency", NULL, 0);
		if (cases[i].cells == 1)
			fb_prop_u32(&fb, "timebase-frequency", 0);
		if (cases[i].cells == 2)
			fb_prop_cells(&fb, "timebase-frequency", 2, 1, 0);
		add_cpu(0, NULL);
		fb_end_node(&fb);
		finish();
		if (!cases[i].err) {
			KTEST_EXPECT_EQ(t, parse(0), 0);
			KTEST_EXPECT_EQ(t, bi.timebase_hz, 1ULL << 32);
			continue;
		}
		KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
		KTEST_EXPECT_STREQ(t, err, cases[i].err);
	}
}

/* Expect every mmu-type spelling mapped, an unknown one refused. */
static void board_parse_fdt_mmu_type(struct ktest *t)
{
	static const struct {
		const char *type;
		enum boot_mmu mmu;
	} cases[] = {
		{ "riscv,sv39", BOOT_MMU_SV39 }, { "riscv,sv57", BOOT_MMU_SV57 },
		{ "riscv,none", BOOT_MMU_NONE }, { NULL, BOOT_MMU_NONE },
		{ "riscv,sv64", BOOT_MMU_NONE },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		root_begin();
		add_memory("memory@80000000", 0x80000000, MiB(128));
		cpus_begin();
		fb_begin_node(&fb, "cpu@0");
		fb_prop_str(&fb, "device_type", "cpu");
		fb_prop_u32(&fb, "reg", 0);
		if (cases[i].type)
			fb_prop_str(&fb, "mmu-type", cases[i].type);
		fb_end_node(&fb);
		fb_end_node(&fb);
		finish();
		if (i == ARRAY_SIZE(cases) - 1) {
			KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
			KTEST_EXPECT_STREQ(t, err,
					   "fdt: /cpus/cpu@0: unknown mmu-type \"riscv,sv64\"");
			continue;
		}
		KTEST_EXPECT_EQ(t, parse(0), 0);
		KTEST_EXPECT_EQ(t, bi.mmu, cases[i].mmu);
		KTEST_EXPECT_STREQ(t, bi.isa, "");
	}
}

/*
 * Expect /memreserve/ entries, then /reserved-memory children with a reg
 * (in its own 1/1 cells), with no-map and names; disabled and reg-less
 * children skipped:
 *
 *	memreserve      [0x80000000, +256K)
 *	mmode_resv0     [0x80040000, +128K) no-map
 *	shm             [0x88000000, +1M) [0x89000000, +1M)
 */
static void board_parse_fdt_reserved(struct ktest *t)
{
	minimal_begin();
	fb_mem_rsv(&fb, 0x80000000, 0x40000);
	fb_mem_rsv(&fb, 0x90000000, 0);
	fb_begin_node(&fb, "reserved-memory");
	fb_prop_u32(&fb, "#address-cells", 1);
	fb_prop_u32(&fb, "#size-cells", 1);
	fb_prop(&fb, "ranges", NULL, 0);
	fb_begin_node(&fb, "mmode_resv0@80040000");
	fb_prop_cells(&fb, "reg", 2, 0x80040000, 0x20000);
	fb_prop(&fb, "no-map", NULL, 0);
	fb_end_node(&fb);
	fb_begin_node(&fb, "off@81000000");
	fb_prop_cells(&fb, "reg", 2, 0x81000000, 0x1000);
	fb_prop_str(&fb, "status", "disabled");
	fb_end_node(&fb);
	fb_begin_node(&fb, "pool");
	fb_prop_u32(&fb, "size", 0x100000);
	fb_end_node(&fb);
	fb_begin_node(&fb, "shm@88000000");
	fb_prop_cells(&fb, "reg", 4, 0x88000000, 0x100000, 0x89000000,
		      0x100000);
	fb_end_node(&fb);
	fb_end_node(&fb);
	finish();
	KTEST_ASSERT_EQ(t, parse(0), 0);
	KTEST_ASSERT_EQ(t, bi.nr_resv, 4);
	KTEST_EXPECT_EQ(t, bi.resv[0].base, 0x80000000);
	KTEST_EXPECT_EQ(t, bi.resv[0].size, 0x40000);
	KTEST_EXPECT_STREQ(t, bi.resv[0].name, "memreserve");
	KTEST_EXPECT_TRUE(t, !bi.resv[0].no_map);
	KTEST_EXPECT_EQ(t, bi.resv[1].base, 0x80040000);
	KTEST_EXPECT_TRUE(t, bi.resv[1].no_map);
	KTEST_EXPECT_STREQ(t, bi.resv[1].name, "mmode_resv0@80040000");
	KTEST_EXPECT_EQ(t, bi.resv[3].base, 0x89000000);
	KTEST_EXPECT_TRUE(t, !bi.resv[3].no_map);
	KTEST_EXPECT_STREQ(t, bi.resv[3].name, "shm@88000000");
}

/* Expect more reserved ranges than BOOT_MAX_RESERVED to be refused. */
static void board_parse_fdt_too_many_reserved(struct ktest *t)
{
	u8 reg[12 * (BOOT_MAX_RESERVED - FB_RSV_MAX + 1)];
	unsigned int i;

	minimal_begin();
	for (i = 0; i < FB_RSV_MAX; i++)
		fb_mem_rsv(&fb, 0x80000000 + i * SZ_4K, SZ_4K);
	for (i = 0; i < sizeof(reg) / 12; i++) {
		fb_put32(reg, i * 12, 0);
		fb_put32(reg, i * 12 + 4, 0x90000000 + i * SZ_4K);
		fb_put32(reg, i * 12 + 8, SZ_4K);
	}
	fb_begin_node(&fb, "reserved-memory");	/* default cells: 2/1 */
	fb_begin_node(&fb, "many");
	fb_prop(&fb, "reg", reg, sizeof(reg));
	fb_end_node(&fb);
	fb_end_node(&fb);
	finish();
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err,
			   "fdt: too many reserved ranges at many, rvmem takes at most 32");
}

/* Expect syscon-poweroff's regmap and offset to give the finisher. */
static void board_parse_fdt_syscon_poweroff(struct ktest *t)
{
	minimal_begin();
	add_poweroff(0x0a, 0x8);
	add_soc_test(0x0a);
	finish();
	KTEST_ASSERT_EQ(t, parse(0), 0);
	KTEST_EXPECT_EQ(t, po.kind, BOOT_POWEROFF_SIFIVE_TEST);
	KTEST_EXPECT_EQ(t, po.addr, 0x100008);

	minimal_begin();
	add_poweroff(0x33, 0x8);
	add_soc_test(0x0a);
	finish();
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err,
			   "fdt: /poweroff: regmap <0x33> names no node (not found)");
}

/* Expect a syscon-poweroff pointing at something else to be ignored. */
static void board_parse_fdt_syscon_not_test(struct ktest *t)
{
	minimal_begin();
	add_poweroff(0x100, 0);		/* cpu@0 */
	finish();
	KTEST_ASSERT_EQ(t, parse(0), 0);
	KTEST_EXPECT_EQ(t, po.kind, BOOT_POWEROFF_NONE);
}

/* Expect a bare "sifive,test0" node under 1/1 cells to be the finisher. */
static void board_parse_fdt_sifive_test(struct ktest *t)
{
	static const char compat[] = "sifive,test0";

	minimal_begin();
	fb_begin_node(&fb, "soc");
	fb_prop_u32(&fb, "#address-cells", 1);
	fb_prop_u32(&fb, "#size-cells", 1);
	fb_begin_node(&fb, "bus");		/* default cells: 2/1 */
	fb_begin_node(&fb, "test@3,100000");
	fb_prop(&fb, "compatible", compat, sizeof(compat));
	fb_prop_cells(&fb, "reg", 3, 3, 0x100000, 0x1000);
	fb_end_node(&fb);
	fb_end_node(&fb);
	fb_end_node(&fb);
	finish();
	KTEST_ASSERT_EQ(t, parse(0), 0);
	KTEST_EXPECT_EQ(t, po.kind, BOOT_POWEROFF_SIFIVE_TEST);
	KTEST_EXPECT_EQ(t, po.addr, 0x300100000ULL);
}

/* Expect no finisher at all to be fine (KVM: SBI SRST). */
static void board_parse_fdt_no_finisher(struct ktest *t)
{
	minimal_begin();
	finish();
	KTEST_ASSERT_EQ(t, parse(0), 0);
	KTEST_EXPECT_EQ(t, po.kind, BOOT_POWEROFF_NONE);
	KTEST_EXPECT_STREQ(t, bi.stdout_path, "/soc/serial@10000000");
}

/* Expect an unterminated bootargs to be refused, a missing one to be "". */
/*
 * A NUMA tree like QEMU's -numa: two memory nodes of 64 MiB on nodes 0
 * and 1, four harts two a node, and a distance-map with the given
 * <from to distance> triples (@nr_cells cells; none: no map).
 */
static void numa_tree(const u32 *matrix, int nr_cells)
{
	unsigned int i;
	char name[16];

	root_begin();
	for (i = 0; i < 2; i++) {
		u64 base = 0x80000000 + i * MiB(64);

		snprintf(name, sizeof(name), "memory@%llx",
			 (unsigned long long)base);
		fb_begin_node(&fb, name);
		fb_prop_str(&fb, "device_type", "memory");
		fb_prop_u32(&fb, "numa-node-id", i);
		fb_prop_cells(&fb, "reg", 4, HI(base), LO(base), 0, MiB(64));
		fb_end_node(&fb);
	}
	if (nr_cells) {
		u32 be[12];
		int c;

		for (c = 0; c < nr_cells; c++)
			be[c] = __builtin_bswap32(matrix[c]);
		fb_begin_node(&fb, "distance-map");
		fb_prop_str(&fb, "compatible", "numa-distance-map-v1");
		fb_prop(&fb, "distance-matrix", be, nr_cells * 4);
		fb_end_node(&fb);
	}
	cpus_begin();
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "cpu@%x", i);
		fb_begin_node(&fb, name);
		fb_prop_str(&fb, "device_type", "cpu");
		fb_prop_u32(&fb, "reg", i);
		fb_prop_u32(&fb, "numa-node-id", i / 2);
		fb_prop_str(&fb, "riscv,isa", "rv64imafdc_zicsr");
		fb_end_node(&fb);
	}
	fb_end_node(&fb);
	finish();
}

/*
 * Expect a NUMA tree's nodes on the RAM ranges and harts, its distances
 * (one direction given: the other the same), and a tree without NUMA to
 * be node 0 at the default distances.
 */
static void board_parse_fdt_numa(struct ktest *t)
{
	static const u32 matrix[] = { 0, 0, 10, 0, 1, 25, 1, 1, 10 };
	unsigned int i;

	numa_tree(matrix, ARRAY_SIZE(matrix));
	KTEST_ASSERT_EQ(t, parse(0), 0);
	KTEST_EXPECT_TRUE(t, bi.numa);
	KTEST_ASSERT_EQ(t, bi.nr_mem, 2);
	KTEST_EXPECT_EQ(t, bi.mem[0].nid, 0);
	KTEST_EXPECT_EQ(t, bi.mem[1].nid, 1);
	for (i = 0; i < 4; i++)
		KTEST_EXPECT_EQ(t, boot_hart_node(&bi, i), i / 2);
	KTEST_EXPECT_EQ(t, bi.distance[0][0], LOCAL_DISTANCE);
	KTEST_EXPECT_EQ(t, bi.distance[0][1], 25);
	KTEST_EXPECT_EQ(t, bi.distance[1][0], 25);
	numa_tree(NULL, 0);
	KTEST_ASSERT_EQ(t, parse(0), 0);
	KTEST_EXPECT_EQ(t, bi.distance[1][0], REMOTE_DISTANCE);
	minimal_begin();
	finish();
	KTEST_ASSERT_EQ(t, parse(0), 0);
	KTEST_EXPECT_TRUE(t, !bi.numa);
	KTEST_EXPECT_EQ(t, bi.mem[0].nid, 0);
	KTEST_EXPECT_EQ(t, boot_hart_node(&bi, 3), 0);
}

/* Expect malformed distance-maps refused with the entry named. */
static void board_parse_fdt_numa_bad_distance(struct ktest *t)
{
	static const u32 short_map[] = { 0, 1 };
	static const u32 too_near[] = { 0, 1, 10 };
	static const u32 no_node[] = { 0, 2, 20 };

	numa_tree(short_map, ARRAY_SIZE(short_map));
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err, "fdt: /distance-map: distance-matrix is 8 bytes, not a whole number of <from to distance> triples");
	numa_tree(too_near, ARRAY_SIZE(too_near));
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err, "fdt: /distance-map: distance-matrix entry 0: node 0 to 1 is 10; a node is 10 from itself and 11 to 255 from another");
	numa_tree(no_node, ARRAY_SIZE(no_node));
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err, "fdt: /distance-map: distance-matrix entry 0 names node 0 to 2, but only nodes with memory exist");
}

static void board_parse_fdt_chosen(struct ktest *t)
{
	root_begin();
	add_memory("memory@80000000", 0x80000000, MiB(128));
	add_cpus(1);
	finish();
	KTEST_ASSERT_EQ(t, parse(0), 0);
	KTEST_EXPECT_STREQ(t, bi.bootargs, "");
	KTEST_EXPECT_STREQ(t, bi.stdout_path, "");

	root_begin();
	add_memory("memory@80000000", 0x80000000, MiB(128));
	add_cpus(1);
	fb_begin_node(&fb, "chosen");
	fb_prop(&fb, "bootargs", "abcd", 4);
	fb_end_node(&fb);
	finish();
	KTEST_EXPECT_EQ(t, parse(0), -EINVAL);
	KTEST_EXPECT_STREQ(t, err,
			   "fdt: /chosen: bootargs is not a NUL-terminated string");
}

/* Expect each MMU mode to have a printable name. */
static void boot_mmu_name_all(struct ktest *t)
{
	KTEST_EXPECT_STREQ(t, boot_mmu_name(BOOT_MMU_NONE), "none");
	KTEST_EXPECT_STREQ(t, boot_mmu_name(BOOT_MMU_SV39), "sv39");
	KTEST_EXPECT_STREQ(t, boot_mmu_name(BOOT_MMU_SV48), "sv48");
	KTEST_EXPECT_STREQ(t, boot_mmu_name(BOOT_MMU_SV57), "sv57");
}

/*
 * "rv64imafdch_svinval_svnapot_svpbm" (cut short by the buffer)
 * expect: whole names after an underscore match; base letters, prefixes
 * and the cut name do not.
 */
static void boot_isa_has_whole_names(struct ktest *t)
{
	struct boot_info b = { .isa = "rv64imafdch_svinval_svnapot_svpbm" };

	KTEST_EXPECT_TRUE(t, boot_isa_has(&b, "svinval"));
	KTEST_EXPECT_TRUE(t, boot_isa_has(&b, "svnapot"));
	KTEST_EXPECT_TRUE(t, !boot_isa_has(&b, "svpbmt"));
	KTEST_EXPECT_TRUE(t, !boot_isa_has(&b, "svin"));
	KTEST_EXPECT_TRUE(t, !boot_isa_has(&b, "rv64imafdch"));
	b.isa[0] = '\0';
	KTEST_EXPECT_TRUE(t, !boot_isa_has(&b, "svinval"));
}

KTEST_SUITE(board_fdt_suite) = {
	.name = "board_fdt",
	.cases = (const struct ktest_case[]) {
		KTEST_CASE(board_parse_fdt_qemu_virt),
		KTEST_CASE(board_parse_fdt_minimal),
		KTEST_CASE(board_parse_fdt_bad_header),
		KTEST_CASE(board_parse_fdt_no_memory),
		KTEST_CASE(board_parse_fdt_tiny_memory),
		KTEST_CASE(board_parse_fdt_memory_unsorted),
		KTEST_CASE(board_parse_fdt_memory_overlap),
		KTEST_CASE(board_parse_fdt_memory_one_cell),
		KTEST_CASE(board_parse_fdt_too_many_memory_ranges),
		KTEST_CASE(board_parse_fdt_bad_reg_size),
		KTEST_CASE(board_parse_fdt_range_wraps),
		KTEST_CASE(board_parse_fdt_corrupt_prop),
		KTEST_CASE(board_parse_fdt_no_cpus),
		KTEST_CASE(board_parse_fdt_disabled_cpus),
		KTEST_CASE(board_parse_fdt_no_usable_cpu),
		KTEST_CASE(board_parse_fdt_boot_hart_missing),
		KTEST_CASE(board_parse_fdt_too_many_harts),
		KTEST_CASE(board_parse_fdt_duplicate_hart),
		KTEST_CASE(board_parse_fdt_bad_cpu_reg),
		KTEST_CASE(board_parse_fdt_timebase),
		KTEST_CASE(board_parse_fdt_mmu_type),
		KTEST_CASE(board_parse_fdt_reserved),
		KTEST_CASE(board_parse_fdt_too_many_reserved),
		KTEST_CASE(board_parse_fdt_syscon_poweroff),
		KTEST_CASE(board_parse_fdt_syscon_not_test),
		KTEST_CASE(board_parse_fdt_sifive_test),
		KTEST_CASE(board_parse_fdt_no_finisher),
		KTEST_CASE(board_parse_fdt_chosen),
		KTEST_CASE(board_parse_fdt_numa),
		KTEST_CASE(board_parse_fdt_numa_bad_distance),
		KTEST_CASE(boot_mmu_name_all),
		KTEST_CASE(boot_isa_has_whole_names),
		{}
	},
};
