/* SPDX-License-Identifier: MIT */
/*
 * A small, freestanding, read-only flattened device tree reader.
 *
 * Nodes are named by their offset in the structure block, as in libfdt.
 * Every read is bounds-checked against the header's block sizes, so a
 * corrupt blob yields a negative FDT_ERR_* code, never a wild read or a
 * loop that does not end. Callers check the header once with
 * fdt_check_header() before anything else.
 */
#ifndef RVMEM_FDT_H
#define RVMEM_FDT_H

#include <rvmem/types.h>

#define FDT_MAGIC	0xd00dfeed

/* A cell: one big-endian u32, the unit of reg and of every number. */
#define FDT_CELL_SIZE	4
/* The most cells #address-cells and #size-cells may give a number. */
#define FDT_MAX_CELLS	2

/* Error codes, returned negated. */
enum fdt_err {
	FDT_ERR_NOTFOUND = 1,	/* no such node or property */
	FDT_ERR_BADMAGIC,	/* not a device tree blob */
	FDT_ERR_BADVERSION,	/* version < 16 or last_comp_version > 17 */
	FDT_ERR_BADLAYOUT,	/* blocks overlap or exceed totalsize */
	FDT_ERR_BADSTRUCTURE,	/* bad token, unterminated name, bad nesting */
	FDT_ERR_BADOFFSET,	/* offset not at a node/property token */
	FDT_ERR_TRUNCATED,	/* a length runs past the end of a block */
	FDT_ERR_BADVALUE,	/* property has the wrong size or content */
};

/**
 * fdt_strerror() - describe an error code
 * @err: negative FDT_ERR_* value
 *
 * Return: a static string.
 */
const char *fdt_strerror(int err);

/**
 * fdt_check_header() - validate the header of a blob
 * @fdt: the blob
 * @max_size: bytes readable at @fdt (the header's totalsize must fit)
 *
 * Return: 0, or -FDT_ERR_BADMAGIC/-BADVERSION/-BADLAYOUT (also when
 * @max_size cannot hold the header).
 */
int fdt_check_header(const void *fdt, size_t max_size);

/** fdt_totalsize() - the blob's size from its (checked) header */
u32 fdt_totalsize(const void *fdt);

/**
 * fdt_next_node() - walk all nodes in document order
 * @fdt: checked blob
 * @offset: current node, or -1 to start at the root
 * @depth: in/out depth counter (may be NULL); root is depth 0. It may also
 *         count from any node: when it would drop below 0, the subtree it
 *         was counted from has ended and the walk stops there.
 *
 * Return: offset of the next node, -FDT_ERR_NOTFOUND at the end (of the
 * tree, or of the subtree @depth counts), or another negative error for a
 * corrupt structure block.
 */
int fdt_next_node(const void *fdt, int offset, int *depth);

/** fdt_first_subnode() - first child of @parent, or -FDT_ERR_NOTFOUND */
int fdt_first_subnode(const void *fdt, int parent);

/** fdt_next_subnode() - next sibling of @offset, or -FDT_ERR_NOTFOUND */
int fdt_next_subnode(const void *fdt, int offset);

/**
 * fdt_path_offset() - find a node by absolute path ("/cpus", "/chosen")
 * @fdt: checked blob
 * @path: path; a component without "@unit" matches a node that has one
 *        only if it is unique, as in libfdt ("/memory" finds
 *        "memory@80000000"); aliases (no leading '/') are not supported
 *
 * Return: node offset, or a negative error (-FDT_ERR_NOTFOUND if absent,
 * ambiguous or not absolute).
 */
int fdt_path_offset(const void *fdt, const char *path);

/**
 * fdt_get_name() - a node's name ("cpu@0"; "" for the root)
 * @fdt: checked blob
 * @offset: node
 * @lenp: if not NULL, set to strlen of the name, or to the error
 *
 * Return: the name, or NULL on error.
 */
const char *fdt_get_name(const void *fdt, int offset, int *lenp);

/**
 * fdt_getprop() - a property's value
 * @fdt: checked blob
 * @offset: node
 * @name: property name
 * @lenp: if not NULL, set to the value length, or to the negative error
 *
 * Return: pointer to the value (big-endian cells), or NULL if missing or
 * corrupt (then *@lenp says which).
 */
const void *fdt_getprop(const void *fdt, int offset, const char *name,
			int *lenp);

/**
 * fdt_getprop_string() - a property that must be a NUL-terminated string
 * @fdt: the blob
 * @offset: the node's offset
 * @name: the property's name
 * @errp: set to 0 or to the error when NULL is returned
 *
 * Return: the string, or NULL if missing (*@errp = -FDT_ERR_NOTFOUND) or
 * not terminated within its length (*@errp = -FDT_ERR_BADVALUE).
 */
const char *fdt_getprop_string(const void *fdt, int offset, const char *name,
			       int *errp);

/**
 * fdt_getprop_u32() - a property that must be exactly one cell
 * @fdt: the blob
 * @offset: the node's offset
 * @name: the property's name
 * @out: value on success
 *
 * Return: 0, -FDT_ERR_NOTFOUND, or -FDT_ERR_BADVALUE for a wrong size.
 */
int fdt_getprop_u32(const void *fdt, int offset, const char *name, u32 *out);

/**
 * fdt_stringlist_contains() - is @str one of the strings in a string list
 * @list: property value ("a\0b\0")
 * @len: its length
 * @str: the string to look for, whole
 *
 * Return: true if @str is one of them.
 */
bool fdt_stringlist_contains(const char *list, int len, const char *str);

/**
 * fdt_node_check_compatible() - does a node's "compatible" list @compat
 * @fdt: the blob
 * @offset: the node's offset
 * @compat: the compatible string to look for
 *
 * Return: 0 if it does, 1 if it does not, negative on error.
 */
int fdt_node_check_compatible(const void *fdt, int offset, const char *compat);

/**
 * fdt_node_offset_by_compatible() - next node after @start (-1: from the
 * beginning) whose compatible list contains @compat
 * @fdt: the blob
 * @start: the node to search after, or -1
 * @compat: the compatible string to look for
 *
 * Return: node offset, -FDT_ERR_NOTFOUND, or another negative error.
 */
int fdt_node_offset_by_compatible(const void *fdt, int start,
				  const char *compat);

/** fdt_node_offset_by_phandle() - the node with this phandle, or error */
int fdt_node_offset_by_phandle(const void *fdt, u32 phandle);

/**
 * fdt_cells() - #address-cells or #size-cells of a node (for its children)
 * @fdt: the blob
 * @offset: the node's offset
 * @name: "#address-cells" or "#size-cells"
 *
 * Return: the value (defaults 2 and 1 when absent, as the spec says), or
 * -FDT_ERR_BADVALUE when it is above 2 or malformed.
 */
int fdt_cells(const void *fdt, int offset, const char *name);

/**
 * fdt_read_cells() - read @cells big-endian 32-bit cells as one number
 * @p: first cell (any alignment)
 * @cells: 1 to FDT_MAX_CELLS
 *
 * Return: the number, the first cell most significant.
 */
u64 fdt_read_cells(const void *p, int cells);

/** fdt_num_mem_rsv() - count of /memreserve/ entries, or negative error */
int fdt_num_mem_rsv(const void *fdt);

/** fdt_get_mem_rsv() - read entry @n of the /memreserve/ block */
int fdt_get_mem_rsv(const void *fdt, int n, u64 *address, u64 *size);

#endif /* RVMEM_FDT_H */
