/* SPDX-License-Identifier: MIT */
/*
 * A test-only writer of flattened device tree blobs.
 *
 * Tests describe a tree token by token (nodes, properties, NOPs, even raw
 * words), then fb_finish() lays out header, /memreserve/ block, structure
 * and strings blocks in one buffer. Each builder call returns the offset of
 * what it wrote in the structure block, and fb_finish() records where the
 * blocks went, so a test can then corrupt exactly one field of a valid blob.
 * Overflowing a builder buffer aborts the test program: it is a test bug.
 */
#ifndef RVMEM_TESTS_FDT_BUILDER_H
#define RVMEM_TESTS_FDT_BUILDER_H

#include <rvmem/types.h>

#define FB_STRUCT_MAX	8192
#define FB_STRINGS_MAX	2048
#define FB_RSV_MAX	8

/* Structure block tokens, for tests that write raw ones. */
#define FB_BEGIN_NODE	0x1
#define FB_END_NODE	0x2
#define FB_PROP		0x3
#define FB_NOP		0x4
#define FB_END		0x9

/* Header field byte offsets, for tests that patch a finished blob. */
#define FB_HDR_MAGIC		0
#define FB_HDR_TOTALSIZE	4
#define FB_HDR_OFF_STRUCT	8
#define FB_HDR_OFF_STRINGS	12
#define FB_HDR_OFF_RSVMAP	16
#define FB_HDR_VERSION		20
#define FB_HDR_LAST_COMP	24
#define FB_HDR_BOOT_CPUID	28
#define FB_HDR_SIZE_STRINGS	32
#define FB_HDR_SIZE_STRUCT	36
#define FB_HDR_LEN		40

struct fdt_builder {
	u8 dt_struct[FB_STRUCT_MAX];
	size_t struct_len;
	char strings[FB_STRINGS_MAX];
	size_t strings_len;
	u64 rsv[FB_RSV_MAX][2];
	unsigned int nr_rsv;
	bool no_end;		/* fb_finish() leaves out the FDT_END token */
	size_t off_struct;	/* set by fb_finish() */
	size_t off_strings;	/* set by fb_finish() */
};

/** fb_init() - start an empty tree */
void fb_init(struct fdt_builder *b);

/** fb_begin_node() - open node @name ("" for the root); Return: its offset */
int fb_begin_node(struct fdt_builder *b, const char *name);

/** fb_end_node() - close the innermost open node */
void fb_end_node(struct fdt_builder *b);

/**
 * fb_prop() - add property @name with the @len bytes at @val
 *
 * Return: the structure-block offset of its FDT_PROP token; the value
 * length field is 4 bytes after it, the value 12 bytes after it.
 */
int fb_prop(struct fdt_builder *b, const char *name, const void *val,
	    size_t len);

/** fb_prop_str() - add a string property (with its NUL) */
int fb_prop_str(struct fdt_builder *b, const char *name, const char *str);

/** fb_prop_u32() - add a one-cell property */
int fb_prop_u32(struct fdt_builder *b, const char *name, u32 val);

/** fb_prop_cells() - add a property of @n big-endian cells (u32 varargs) */
int fb_prop_cells(struct fdt_builder *b, const char *name, int n, ...);

/** fb_word() - append a raw big-endian word (a token or garbage) */
int fb_word(struct fdt_builder *b, u32 word);

/** fb_nop() - append an FDT_NOP token */
int fb_nop(struct fdt_builder *b);

/** fb_mem_rsv() - add a /memreserve/ entry */
void fb_mem_rsv(struct fdt_builder *b, u64 address, u64 size);

/**
 * fb_finish() - lay the blob out in @out (header, /memreserve/ block at 40,
 * structure block, strings block), version 17
 * @cap: bytes available at @out
 *
 * Return: the blob's totalsize.
 */
size_t fb_finish(struct fdt_builder *b, u8 *out, size_t cap);

/** fb_put32() - store big-endian @val at byte @off of @blob */
void fb_put32(u8 *blob, size_t off, u32 val);

/** fb_get32() - load the big-endian word at byte @off of @blob */
u32 fb_get32(const u8 *blob, size_t off);

#endif /* RVMEM_TESTS_FDT_BUILDER_H */
