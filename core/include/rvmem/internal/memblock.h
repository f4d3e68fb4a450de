/* SPDX-License-Identifier: MIT */
/*
 * memblock: the boot-time physical memory manager.
 *
 * Two sorted, merged tables of physical ranges: "memory" (what RAM exists)
 * and "reserved" (what is in use: the kernel image, the device tree, the
 * firmware, /reserved-memory, early allocations). Free memory is memory
 * minus reserved. memblock hands out early allocations (top-down unless
 * memblock_set_bottom_up(true)) until memblock_free_all() gives every free
 * range to the buddy allocator; after that it refuses allocations.
 *
 * All ranges are half-open: [@base, @base + @size). Context: boot hart
 * only, before other harts run; nothing here takes a lock.
 */
#ifndef RVMEM_INTERNAL_MEMBLOCK_H
#define RVMEM_INTERNAL_MEMBLOCK_H

#include <rvmem/types.h>

#define INIT_MEMBLOCK_REGIONS	128
#define MEMBLOCK_ALLOC_ANYWHERE	(~(phys_addr_t)0)

/* Region flags */
#define MEMBLOCK_NONE	0x0
#define MEMBLOCK_NOMAP	0x4	/* not in the kernel's linear mapping */

/**
 * struct memblock_region - one range of a table
 * @base: first byte
 * @size: bytes
 * @flags: MEMBLOCK_* (memory table only)
 */
struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	unsigned int flags;
};

/**
 * struct memblock_type - a table: @cnt regions, sorted by base, disjoint,
 * adjacent ones with equal flags merged
 */
struct memblock_type {
	unsigned long cnt;
	unsigned long max;
	phys_addr_t total_size;
	struct memblock_region *regions;
	const char *name;
};

/**
 * struct memblock - the allocator's state
 * @bottom_up: allocate from low addresses up
 * @frozen: memblock_free_all() has run; allocations are refused
 * @debug: trace every call (boot parameter memblock=debug)
 */
struct memblock {
	bool bottom_up;
	bool frozen;
	bool debug;
	struct memblock_type memory;
	struct memblock_type reserved;
};

extern struct memblock memblock;

/**
 * memblock_reset() - empty both tables (early boot, and tests)
 */
void memblock_reset(void);

/**
 * memblock_add() - add [@base, @base + @size) to the memory table
 *
 * Overlaps with existing memory merge. Return: 0, -EINVAL if the range
 * wraps around, -ENOMEM if the table is full (with a message).
 */
int memblock_add(phys_addr_t base, phys_addr_t size);

/**
 * memblock_remove() - remove [@base, @base + @size) from the memory table
 *
 * Return: 0, -EINVAL (wraps), or -ENOMEM when splitting a region finds the
 * table full.
 */
int memblock_remove(phys_addr_t base, phys_addr_t size);

/**
 * memblock_reserve() - mark [@base, @base + @size) as in use
 *
 * Return: 0; -EINVAL with a message if the range wraps or overlaps no
 * memory at all (a reservation that protects nothing is a caller's
 * mistake); -ENOMEM if the table is full.
 */
int memblock_reserve(phys_addr_t base, phys_addr_t size);

/**
 * memblock_free() - give back [@base, @base + @size) of a reservation
 *
 * Return: 0, -EINVAL (wraps), -ENOMEM (table full while splitting).
 */
int memblock_free(phys_addr_t base, phys_addr_t size);

/**
 * memblock_mark_nomap() - flag memory that must not be mapped or handed out
 * (a /reserved-memory node with no-map); also reserves it
 *
 * Return: 0 or a negative errno as memblock_reserve().
 */
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size);

/** memblock_set_bottom_up() - choose the allocation direction */
void memblock_set_bottom_up(bool enable);

/**
 * memblock_phys_alloc_range() - allocate and reserve physical memory
 * @size: bytes (> 0)
 * @align: a power of two; 0 is refused
 * @start: lowest acceptable address
 * @end: end of the acceptable window, or MEMBLOCK_ALLOC_ANYWHERE
 *
 * Return: the base of the range, or 0 on failure (no fitting free range,
 * a bad @align, or after memblock_free_all(), each with a message).
 */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end);

/**
 * memblock_alloc() - allocate zeroed memory anywhere, returned mapped
 *
 * Return: a kernel pointer, or NULL on failure.
 */
void *memblock_alloc(phys_addr_t size, phys_addr_t align);

/** memblock_start_of_DRAM() - base of the first memory region, or 0 */
phys_addr_t memblock_start_of_DRAM(void);

/** memblock_end_of_DRAM() - end of the last memory region, or 0 */
phys_addr_t memblock_end_of_DRAM(void);

/** memblock_phys_mem_size() - bytes in the memory table */
phys_addr_t memblock_phys_mem_size(void);

/** memblock_reserved_size() - bytes in the reserved table */
phys_addr_t memblock_reserved_size(void);

/** memblock_is_reserved() - does any reservation touch [@base, +@size) */
bool memblock_is_reserved(phys_addr_t base, phys_addr_t size);

/**
 * __next_free_mem_range() - iterate free ranges (memory, not reserved,
 * not MEMBLOCK_NOMAP), in ascending order
 * @idx: cursor; start at 0; set to (u64)-1 after the last range
 * @out_start: first byte of the range
 * @out_end: end of the range
 */
void __next_free_mem_range(u64 *idx, phys_addr_t *out_start,
			   phys_addr_t *out_end);

#define for_each_free_mem_range(i, p_start, p_end)			\
	for (i = 0, __next_free_mem_range(&i, p_start, p_end);		\
	     i != (u64)-1;						\
	     __next_free_mem_range(&i, p_start, p_end))

/** memblock_dump_all() - print both tables */
void memblock_dump_all(void);

/**
 * memblock_free_all() - release every free range to the page allocator
 *
 * Pages go in the largest naturally aligned blocks that fit. Afterwards
 * memblock allocations are refused. Context: after the page allocator's
 * memmap and zones exist (free_area_init()).
 *
 * Return: number of pages released.
 */
unsigned long memblock_free_all(void);

#endif /* RVMEM_INTERNAL_MEMBLOCK_H */
