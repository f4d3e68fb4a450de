// SPDX-License-Identifier: MIT
/*
 * A read-only flattened device tree reader for boot time.
 *
 * A blob is a header, a /memreserve/ block of (address, size) pairs ended by
 * (0, 0), a structure block of 32-bit tokens and a strings block holding
 * property names. Nodes are named by the byte offset of their
 * FDT_BEGIN_NODE token in the structure block.
 *
 * Invariant: once fdt_check_header() has accepted a blob, nothing outside
 * [fdt, fdt + totalsize) is ever read, and a token, name or value is read
 * only after checking that it lies inside its own block. Every walk moves
 * forward by at least one token (4 bytes) per step, so it ends within
 * size_dt_struct / 4 steps even on a corrupt blob. Multi-byte values are
 * read a byte at a time, so no alignment is assumed anywhere.
 */
#include <rvmem/fdt.h>

#include <limits.h>
#include <string.h>

/* Structure block tokens. */
#define FDT_BEGIN_NODE	0x1	/* followed by the NUL-terminated name */
#define FDT_END_NODE	0x2
#define FDT_PROP	0x3	/* followed by len, nameoff, value */
#define FDT_NOP		0x4
#define FDT_END		0x9

#define FDT_TAG_SIZE	FDT_CELL_SIZE

/* FDT_PROP's cells before the value: token, value length, name offset. */
#define PROP_LEN	(1 * FDT_CELL_SIZE)
#define PROP_NAMEOFF	(2 * FDT_CELL_SIZE)
#define FDT_PROP_HDR	(3 * FDT_CELL_SIZE)

/* A /memreserve/ entry: address and size, two cells each, 8-aligned. */
#define FDT_RSV_CELLS	2
#define FDT_RSV_ENTRY	(2 * FDT_RSV_CELLS * FDT_CELL_SIZE)
#define FDT_RSV_ALIGN	8

/* Header fields: big-endian u32 at these byte offsets. */
#define HDR_MAGIC		0
#define HDR_TOTALSIZE		4
#define HDR_OFF_STRUCT		8
#define HDR_OFF_STRINGS		12
#define HDR_OFF_RSVMAP		16
#define HDR_VERSION		20
#define HDR_LAST_COMP		24
#define HDR_SIZE_STRINGS	32
#define HDR_SIZE_STRUCT		36	/* version 17 on */

#define HDR_LEN_V16	36
#define HDR_LEN_V17	40

/* Keeps every offset, even rounded up to a token, representable as int. */
#define FDT_MAX_TOTALSIZE	((u32)INT_MAX - 7)

static u32 be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static u32 hdr(const void *fdt, unsigned int field)
{
	return be32((const u8 *)fdt + field);
}

static const u8 *struct_block(const void *fdt)
{
	return (const u8 *)fdt + hdr(fdt, HDR_OFF_STRUCT);
}

/* Version 16 headers have no size_dt_struct: the block runs to the end. */
static u32 struct_size(const void *fdt)
{
	if (hdr(fdt, HDR_VERSION) >= 17)
		return hdr(fdt, HDR_SIZE_STRUCT);
	return hdr(fdt, HDR_TOTALSIZE) - hdr(fdt, HDR_OFF_STRUCT);
}

const char *fdt_strerror(int err)
{
	switch (-err) {
	case 0:
		return "no error";
	case FDT_ERR_NOTFOUND:
		return "not found";
	case FDT_ERR_BADMAGIC:
		return "bad magic";
	case FDT_ERR_BADVERSION:
		return "unsupported version";
	case FDT_ERR_BADLAYOUT:
		return "blocks overlap or exceed totalsize";
	case FDT_ERR_BADSTRUCTURE:
		return "bad token, unterminated name or bad nesting";
	case FDT_ERR_BADOFFSET:
		return "offset is not a node";
	case FDT_ERR_TRUNCATED:
		return "truncated";
	case FDT_ERR_BADVALUE:
		return "bad property value";
	default:
		return "unknown error";
	}
}

/* Does the block [@off, @off + @size) lie inside [@min, @total)? */
static bool block_fits(u32 off, u64 size, u32 min, u32 total)
{
	return off >= min && off + size <= total;
}

static int check_blocks(const void *fdt, u32 hdr_len, u32 total)
{
	u32 off_struct = hdr(fdt, HDR_OFF_STRUCT);
	u32 off_rsv = hdr(fdt, HDR_OFF_RSVMAP);

	if (off_struct > total || !IS_ALIGNED(off_struct, FDT_TAG_SIZE))
		return -FDT_ERR_BADLAYOUT;
	if (!block_fits(off_struct, struct_size(fdt), hdr_len, total))
		return -FDT_ERR_BADLAYOUT;
	if (!block_fits(hdr(fdt, HDR_OFF_STRINGS),
			hdr(fdt, HDR_SIZE_STRINGS), hdr_len, total))
		return -FDT_ERR_BADLAYOUT;
	if (!IS_ALIGNED(off_rsv, FDT_RSV_ALIGN) ||
	    !block_fits(off_rsv, FDT_RSV_ENTRY, hdr_len, total))
		return -FDT_ERR_BADLAYOUT;
	return 0;
}

int fdt_check_header(const void *fdt, size_t max_size)
{
	u32 total, version, hdr_len;

	if (max_size < HDR_MAGIC + sizeof(u32) ||
	    hdr(fdt, HDR_MAGIC) != FDT_MAGIC)
		return -FDT_ERR_BADMAGIC;
	if (max_size < HDR_LEN_V17)
		return -FDT_ERR_BADLAYOUT;
	version = hdr(fdt, HDR_VERSION);
	if (version < 16 || hdr(fdt, HDR_LAST_COMP) > 17)
		return -FDT_ERR_BADVERSION;
	hdr_len = version >= 17 ? HDR_LEN_V17 : HDR_LEN_V16;
	total = hdr(fdt, HDR_TOTALSIZE);
	if (total < hdr_len || total > max_size || total > FDT_MAX_TOTALSIZE)
		return -FDT_ERR_BADLAYOUT;
	return check_blocks(fdt, hdr_len, total);
}

u32 fdt_totalsize(const void *fdt)
{
	return hdr(fdt, HDR_TOTALSIZE);
}

/* End (exclusive) of the token at @offset and what it carries, or error. */
static int tag_end(const u8 *s, u32 size, int offset, u32 tag, u64 *end)
{
	const u8 *nul;

	switch (tag) {
	case FDT_BEGIN_NODE:
		nul = memchr(s + offset + FDT_TAG_SIZE, 0,
			     size - offset - FDT_TAG_SIZE);
		if (!nul)
			return -FDT_ERR_BADSTRUCTURE;
		*end = nul - s + 1;
		return 0;
	case FDT_PROP:
		if ((u64)offset + FDT_PROP_HDR > size)
			return -FDT_ERR_TRUNCATED;
		*end = (u64)offset + FDT_PROP_HDR + be32(s + offset + PROP_LEN);
		return *end > size ? -FDT_ERR_TRUNCATED : 0;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		*end = (u64)offset + FDT_TAG_SIZE;
		return 0;
	default:
		return -FDT_ERR_BADSTRUCTURE;
	}
}

/*
 * next_tag() - read the token at @offset of the structure block, check that
 * it and everything it carries (name, or property header and value) lie
 * inside the block, and set *@next to the offset of the following token.
 */
static int next_tag(const void *fdt, int offset, u32 *tag, int *next)
{
	const u8 *s = struct_block(fdt);
	u32 size = struct_size(fdt);
	u64 end;
	int err;

	if (offset < 0 || !IS_ALIGNED(offset, FDT_TAG_SIZE))
		return -FDT_ERR_BADOFFSET;
	if ((u64)offset + FDT_TAG_SIZE > size)
		return -FDT_ERR_TRUNCATED;
	*tag = be32(s + offset);
	err = tag_end(s, size, offset, *tag, &end);
	if (err)
		return err;
	*next = ALIGN(end, FDT_TAG_SIZE);
	return 0;
}

/* Check that @offset is a node; set *@next to the token after its name. */
static int node_body(const void *fdt, int offset, int *next)
{
	u32 tag;
	int err = next_tag(fdt, offset, &tag, next);

	if (err)
		return err;
	return tag == FDT_BEGIN_NODE ? 0 : -FDT_ERR_BADOFFSET;
}

/*
 * With @depth, the walk stops (-FDT_ERR_NOTFOUND) when *@depth would drop
 * below 0: the subtree it was counted from has ended. Reaching FDT_END
 * while nodes are still open is a corrupt structure.
 */
int fdt_next_node(const void *fdt, int offset, int *depth)
{
	int cur, next, d, err;
	u32 tag;

	if (offset < 0) {
		next = 0;
		d = -1;
	} else {
		err = node_body(fdt, offset, &next);
		if (err)
			return err;
		d = depth ? *depth : 0;
	}
	for (;;) {
		cur = next;
		err = next_tag(fdt, cur, &tag, &next);
		if (err)
			return err;
		if (tag == FDT_BEGIN_NODE) {
			if (depth)
				*depth = d + 1;
			return cur;
		}
		if (tag == FDT_END_NODE && --d < 0 && depth) {
			*depth = d;
			return -FDT_ERR_NOTFOUND;
		}
		if (tag == FDT_END && d > 0)
			return -FDT_ERR_BADSTRUCTURE;	/* nodes left open */
		if (tag == FDT_END)
			return -FDT_ERR_NOTFOUND;
	}
}

int fdt_first_subnode(const void *fdt, int parent)
{
	int depth = 0;
	int node = fdt_next_node(fdt, parent, &depth);

	if (node < 0)
		return node;
	return depth == 1 ? node : -FDT_ERR_NOTFOUND;
}

int fdt_next_subnode(const void *fdt, int offset)
{
	int depth = 1;

	do {
		offset = fdt_next_node(fdt, offset, &depth);
		if (offset < 0)
			return offset;
	} while (depth > 1);
	return offset;
}

const char *fdt_get_name(const void *fdt, int offset, int *lenp)
{
	const char *name;
	int next;
	int err = node_body(fdt, offset, &next);

	if (err) {
		if (lenp)
			*lenp = err;
		return NULL;
	}
	name = (const char *)struct_block(fdt) + offset + FDT_TAG_SIZE;
	if (lenp)
		*lenp = strlen(name);	/* terminated: next_tag() checked */
	return name;
}

/* Is child @name a match for path component [@comp, @comp + @len)? */
static bool name_is(const char *name, const char *comp, size_t len)
{
	return strlen(name) == len && !memcmp(name, comp, len);
}

static bool name_has_unit(const char *name, const char *comp, size_t len)
{
	return !memchr(comp, '@', len) && !strncmp(name, comp, len) &&
	       name[len] == '@';
}

/*
 * find_subnode() - the child of @parent named [@comp, @comp + @len): an
 * exact match, else the only child whose name is @comp plus "@unit".
 */
static int find_subnode(const void *fdt, int parent, const char *comp,
			size_t len)
{
	int node, found = -FDT_ERR_NOTFOUND, nr_unit = 0;
	const char *name;

	for (node = fdt_first_subnode(fdt, parent); node >= 0;
	     node = fdt_next_subnode(fdt, node)) {
		name = fdt_get_name(fdt, node, NULL);
		if (name_is(name, comp, len))
			return node;
		if (name_has_unit(name, comp, len)) {
			found = node;
			nr_unit++;
		}
	}
	if (node != -FDT_ERR_NOTFOUND)
		return node;
	return nr_unit == 1 ? found : -FDT_ERR_NOTFOUND;
}

int fdt_path_offset(const void *fdt, const char *path)
{
	const char *slash;
	size_t len;
	int node;

	if (*path != '/')
		return -FDT_ERR_NOTFOUND;
	node = fdt_next_node(fdt, -1, NULL);
	while (node >= 0) {
		while (*path == '/')
			path++;
		if (!*path)
			break;
		slash = memchr(path, '/', strlen(path));
		len = slash ? (size_t)(slash - path) : strlen(path);
		node = find_subnode(fdt, node, path, len);
		path += len;
	}
	return node;
}

/* 1 if the property at @offset is called @name, 0 if not, or error. */
static int prop_name_is(const void *fdt, int offset, const char *name)
{
	const u8 *s = struct_block(fdt);
	u32 nameoff = be32(s + offset + PROP_NAMEOFF);
	u32 size = hdr(fdt, HDR_SIZE_STRINGS);
	const char *str = (const char *)fdt + hdr(fdt, HDR_OFF_STRINGS);

	if (nameoff >= size || !memchr(str + nameoff, 0, size - nameoff))
		return -FDT_ERR_TRUNCATED;
	return !strcmp(str + nameoff, name);
}

/* Offset of @node's property @name, -FDT_ERR_NOTFOUND or another error. */
static int find_prop(const void *fdt, int node, const char *name)
{
	int cur, next, err;
	u32 tag;

	err = node_body(fdt, node, &next);
	while (!err) {
		cur = next;
		err = next_tag(fdt, cur, &tag, &next);
		if (err || tag == FDT_NOP)
			continue;
		if (tag != FDT_PROP)
			return -FDT_ERR_NOTFOUND;
		err = prop_name_is(fdt, cur, name);
		if (err > 0)
			return cur;
	}
	return err;
}

const void *fdt_getprop(const void *fdt, int offset, const char *name,
			int *lenp)
{
	const u8 *s = struct_block(fdt);
	int prop = find_prop(fdt, offset, name);

	if (lenp)
		*lenp = prop < 0 ? prop : (int)be32(s + prop + PROP_LEN);
	return prop < 0 ? NULL : s + prop + FDT_PROP_HDR;
}

const char *fdt_getprop_string(const void *fdt, int offset, const char *name,
			       int *errp)
{
	int len;
	const char *val = fdt_getprop(fdt, offset, name, &len);

	if (val && !memchr(val, 0, len)) {
		val = NULL;
		len = -FDT_ERR_BADVALUE;
	}
	if (errp)
		*errp = val ? 0 : len;
	return val;
}

int fdt_getprop_u32(const void *fdt, int offset, const char *name, u32 *out)
{
	int len;
	const void *val = fdt_getprop(fdt, offset, name, &len);

	if (!val)
		return len;
	if (len != FDT_CELL_SIZE)
		return -FDT_ERR_BADVALUE;
	*out = be32(val);
	return 0;
}

bool fdt_stringlist_contains(const char *list, int len, const char *str)
{
	size_t want = strlen(str), l;

	while (len > 0) {
		l = strnlen(list, len);
		if (l == (size_t)len)
			return false;	/* unterminated tail */
		if (l == want && !memcmp(list, str, want))
			return true;
		list += l + 1;
		len -= l + 1;
	}
	return false;
}

int fdt_node_check_compatible(const void *fdt, int offset, const char *compat)
{
	int len;
	const char *list = fdt_getprop(fdt, offset, "compatible", &len);

	if (!list)
		return len == -FDT_ERR_NOTFOUND ? 1 : len;
	return fdt_stringlist_contains(list, len, compat) ? 0 : 1;
}

/*
 * The first node after @start (-1: from the beginning) that @match says
 * 1 to, -FDT_ERR_NOTFOUND, or the error of the walk or of @match.
 */
static int find_node(const void *fdt, int start,
		     int (*match)(const void *fdt, int node, const void *arg),
		     const void *arg)
{
	int node = start, ret;

	for (;;) {
		node = fdt_next_node(fdt, node, NULL);
		if (node < 0)
			return node;
		ret = match(fdt, node, arg);
		if (ret < 0)
			return ret;
		if (ret)
			return node;
	}
}

/* 1 if @node's compatible list holds @compat, 0 if not, or an error. */
static int node_is_compatible(const void *fdt, int node, const void *compat)
{
	int ret = fdt_node_check_compatible(fdt, node, compat);

	if (ret < 0)
		return ret;
	return ret == 0;
}

int fdt_node_offset_by_compatible(const void *fdt, int start,
				  const char *compat)
{
	return find_node(fdt, start, node_is_compatible, compat);
}

/* 1 if @node has the phandle *@phandle, 0 if not, or a structural error. */
static int node_has_phandle(const void *fdt, int node, const void *phandle)
{
	static const char *const names[] = { "phandle", "linux,phandle" };
	unsigned int i;
	u32 val = 0;
	int err;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		err = fdt_getprop_u32(fdt, node, names[i], &val);
		if (!err && val == *(const u32 *)phandle)
			return 1;
		if (err && err != -FDT_ERR_NOTFOUND && err != -FDT_ERR_BADVALUE)
			return err;
	}
	return 0;
}

int fdt_node_offset_by_phandle(const void *fdt, u32 phandle)
{
	if (phandle == 0 || phandle == 0xffffffff)
		return -FDT_ERR_BADVALUE;
	return find_node(fdt, -1, node_has_phandle, &phandle);
}

int fdt_cells(const void *fdt, int offset, const char *name)
{
	u32 val = 0;
	int err = fdt_getprop_u32(fdt, offset, name, &val);

	if (err == -FDT_ERR_NOTFOUND)
		return strcmp(name, "#size-cells") ? 2 : 1;
	if (err)
		return err;
	return val > FDT_MAX_CELLS ? -FDT_ERR_BADVALUE : (int)val;
}

u64 fdt_read_cells(const void *p, int cells)
{
	const u8 *b = p;
	u64 val = 0;

	for (; cells > 0; cells--, b += FDT_CELL_SIZE)
		val = val << 32 | be32(b);
	return val;
}

static int rsv_entry(const void *fdt, int n, u64 *address, u64 *size)
{
	u64 off = hdr(fdt, HDR_OFF_RSVMAP) + (u64)n * FDT_RSV_ENTRY;
	const u8 *p;

	if (off + FDT_RSV_ENTRY > fdt_totalsize(fdt))
		return -FDT_ERR_TRUNCATED;
	p = (const u8 *)fdt + off;
	*address = fdt_read_cells(p, FDT_RSV_CELLS);
	*size = fdt_read_cells(p + FDT_RSV_CELLS * FDT_CELL_SIZE,
			       FDT_RSV_CELLS);
	return 0;
}

int fdt_num_mem_rsv(const void *fdt)
{
	u64 address, size;
	int n, err;

	for (n = 0;; n++) {
		err = rsv_entry(fdt, n, &address, &size);
		if (err)
			return err;
		if (!address && !size)
			return n;
	}
}

int fdt_get_mem_rsv(const void *fdt, int n, u64 *address, u64 *size)
{
	int count = fdt_num_mem_rsv(fdt);

	if (count < 0)
		return count;
	if (n < 0 || n >= count)
		return -FDT_ERR_NOTFOUND;
	return rsv_entry(fdt, n, address, size);
}
