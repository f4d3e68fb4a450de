// SPDX-License-Identifier: MIT
/*
 * A test-only writer of flattened device tree blobs: see fdt_builder.h.
 *
 * The structure and strings blocks grow in the builder; fb_finish() copies
 * them behind a header and the /memreserve/ block. Property names are
 * shared in the strings block, as dtc does.
 */
#include "fdt_builder.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fb_overflow(const char *what)
{
	fprintf(stderr, "fdt_builder: %s overflow\n", what);
	abort();
}

void fb_put32(u8 *blob, size_t off, u32 val)
{
	blob[off] = val >> 24;
	blob[off + 1] = val >> 16;
	blob[off + 2] = val >> 8;
	blob[off + 3] = val;
}

u32 fb_get32(const u8 *blob, size_t off)
{
	return (u32)blob[off] << 24 | (u32)blob[off + 1] << 16 |
	       (u32)blob[off + 2] << 8 | blob[off + 3];
}

void fb_init(struct fdt_builder *b)
{
	memset(b, 0, sizeof(*b));
}

/* Append @len bytes, zero-padded to a multiple of 4; Return: their offset */
static int fb_append(struct fdt_builder *b, const void *data, size_t len)
{
	size_t off = b->struct_len;
	size_t padded = ALIGN(len, 4);

	if (off + padded > FB_STRUCT_MAX)
		fb_overflow("structure block");
	memset(b->dt_struct + off, 0, padded);
	memcpy(b->dt_struct + off, data, len);
	b->struct_len += padded;
	return off;
}

int fb_word(struct fdt_builder *b, u32 word)
{
	u8 be[4];

	fb_put32(be, 0, word);
	return fb_append(b, be, sizeof(be));
}

int fb_nop(struct fdt_builder *b)
{
	return fb_word(b, FB_NOP);
}

int fb_begin_node(struct fdt_builder *b, const char *name)
{
	int off = fb_word(b, FB_BEGIN_NODE);

	fb_append(b, name, strlen(name) + 1);
	return off;
}

void fb_end_node(struct fdt_builder *b)
{
	fb_word(b, FB_END_NODE);
}

/* Offset of @name in the strings block, adding it if new. */
static u32 fb_string(struct fdt_builder *b, const char *name)
{
	size_t off, len = strlen(name) + 1;

	for (off = 0; off < b->strings_len; off += strlen(b->strings + off) + 1)
		if (!strcmp(b->strings + off, name))
			return off;
	if (b->strings_len + len > FB_STRINGS_MAX)
		fb_overflow("strings block");
	memcpy(b->strings + b->strings_len, name, len);
	b->strings_len += len;
	return off;
}

int fb_prop(struct fdt_builder *b, const char *name, const void *val,
	    size_t len)
{
	int off = fb_word(b, FB_PROP);

	fb_word(b, len);
	fb_word(b, fb_string(b, name));
	if (len)
		fb_append(b, val, len);
	return off;
}

int fb_prop_str(struct fdt_builder *b, const char *name, const char *str)
{
	return fb_prop(b, name, str, strlen(str) + 1);
}

int fb_prop_u32(struct fdt_builder *b, const char *name, u32 val)
{
	return fb_prop_cells(b, name, 1, val);
}

int fb_prop_cells(struct fdt_builder *b, const char *name, int n, ...)
{
	u8 cells[64 * 4];
	va_list ap;
	int i;

	if (n > 64)
		fb_overflow("property cells");
	va_start(ap, n);
	for (i = 0; i < n; i++)
		fb_put32(cells, i * 4, va_arg(ap, u32));
	va_end(ap);
	return fb_prop(b, name, cells, n * 4);
}

void fb_mem_rsv(struct fdt_builder *b, u64 address, u64 size)
{
	if (b->nr_rsv == FB_RSV_MAX)
		fb_overflow("memreserve");
	b->rsv[b->nr_rsv][0] = address;
	b->rsv[b->nr_rsv][1] = size;
	b->nr_rsv++;
}

static void fb_put64(u8 *blob, size_t off, u64 val)
{
	fb_put32(blob, off, val >> 32);
	fb_put32(blob, off + 4, val);
}

static void fb_header(struct fdt_builder *b, u8 *out, size_t total)
{
	fb_put32(out, FB_HDR_MAGIC, 0xd00dfeed);
	fb_put32(out, FB_HDR_TOTALSIZE, total);
	fb_put32(out, FB_HDR_OFF_STRUCT, b->off_struct);
	fb_put32(out, FB_HDR_OFF_STRINGS, b->off_strings);
	fb_put32(out, FB_HDR_OFF_RSVMAP, FB_HDR_LEN);
	fb_put32(out, FB_HDR_VERSION, 17);
	fb_put32(out, FB_HDR_LAST_COMP, 16);
	fb_put32(out, FB_HDR_BOOT_CPUID, 0);
	fb_put32(out, FB_HDR_SIZE_STRINGS, b->strings_len);
	fb_put32(out, FB_HDR_SIZE_STRUCT, b->struct_len);
}

size_t fb_finish(struct fdt_builder *b, u8 *out, size_t cap)
{
	size_t rsv_len = (b->nr_rsv + 1) * 16;
	size_t total;
	unsigned int i;

	if (!b->no_end)
		fb_word(b, FB_END);
	b->off_struct = FB_HDR_LEN + rsv_len;
	b->off_strings = b->off_struct + b->struct_len;
	total = b->off_strings + b->strings_len;
	if (total > cap)
		fb_overflow("output blob");
	memset(out, 0, total);
	fb_header(b, out, total);
	for (i = 0; i < b->nr_rsv; i++) {
		fb_put64(out, FB_HDR_LEN + i * 16, b->rsv[i][0]);
		fb_put64(out, FB_HDR_LEN + i * 16 + 8, b->rsv[i][1]);
	}
	memcpy(out + b->off_struct, b->dt_struct, b->struct_len);
	memcpy(out + b->off_strings, b->strings, b->strings_len);
	return total;
}
