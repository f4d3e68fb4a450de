// SPDX-License-Identifier: MIT
/*
 * DOC: memblock overview
 *
 * memblock describes physical memory during boot, before the page
 * allocator exists. It keeps two tables of ranges: memory (all RAM the
 * device tree lists) and reserved (the kernel image, the device tree, the
 * firmware, /reserved-memory nodes and every early allocation). Both stay
 * sorted by base, disjoint, with touching ranges of equal flags merged.
 *
 * Who hands memory to whom: the board's boot_info feeds memblock_add and
 * memblock_reserve (core/mm/init.c); free_area_init() allocates mem_map
 * from memblock; memblock_free_all() then gives every range that is in
 * memory but not reserved (nor NOMAP) to the buddy allocator, and memblock
 * stops allocating.
 *
 * Context: boot hart only, before the other harts start: no locking.
 */
#define pr_fmt(fmt) "memblock: " fmt

#include <errno.h>
#include <string.h>
#include <asm/page.h>
#include <rvmem/internal/memblock.h>
#include <rvmem/param.h>
#include <rvmem/printk.h>
#include "internal.h"

static struct memblock_region memory_regions[INIT_MEMBLOCK_REGIONS];
static struct memblock_region reserved_regions[INIT_MEMBLOCK_REGIONS];

struct memblock memblock = {
	.memory = { .regions = memory_regions, .max = INIT_MEMBLOCK_REGIONS,
		    .name = "memory" },
	.reserved = { .regions = reserved_regions,
		      .max = INIT_MEMBLOCK_REGIONS, .name = "reserved" },
};

#define memblock_dbg(fmt, ...) do {					\
	if (memblock.debug)						\
		pr_info(fmt, ##__VA_ARGS__);				\
} while (0)

static int set_memblock_debug(const char *val)
{
	if (!val || strcmp(val, "debug"))
		return -EINVAL;
	memblock.debug = true;
	return 0;
}
KERNEL_PARAM(param_memblock, "memblock", set_memblock_debug,
	     "memblock=debug: trace memblock calls and print its tables");

void memblock_reset(void)
{
	memblock.memory.cnt = 0;
	memblock.memory.total_size = 0;
	memblock.reserved.cnt = 0;
	memblock.reserved.total_size = 0;
	memblock.bottom_up = false;
	memblock.frozen = false;
}

static phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}


static void remove_region(struct memblock_type *type, unsigned long i)
{
	type->total_size -= type->regions[i].size;
	memmove(&type->regions[i], &type->regions[i + 1],
		(type->cnt - i - 1) * sizeof(type->regions[0]));
	type->cnt--;
}

/*
 * Callers check room first (table_has_room), so an update either happens
 * whole or not at all.
 */
static void insert_region(struct memblock_type *type, unsigned long i,
			  phys_addr_t base, phys_addr_t size, unsigned int flags)
{
	struct memblock_region *r = &type->regions[i];

	memmove(r + 1, r, (type->cnt - i) * sizeof(*r));
	r->base = base;
	r->size = size;
	r->flags = flags;
	type->cnt++;
	type->total_size += size;
}

static bool table_has_room(struct memblock_type *type, unsigned long more,
			   phys_addr_t base, phys_addr_t end)
{
	if (type->cnt + more <= type->max)
		return true;
	pr_err("%s table full (%lu regions); [%#llx-%#llx] not changed\n",
	       type->name, type->max, (unsigned long long)base,
	       (unsigned long long)(end - 1));
	return false;
}

/* Merge neighbours that touch and have the same flags. */
static void merge_regions(struct memblock_type *type)
{
	unsigned long i = 0;

	while (i + 1 < type->cnt) {
		struct memblock_region *this = &type->regions[i];
		struct memblock_region *next = this + 1;

		if (region_end(this) != next->base ||
		    this->flags != next->flags) {
			i++;
			continue;
		}
		this->size += next->size;
		memmove(next, next + 1,
			(type->cnt - i - 2) * sizeof(*next));
		type->cnt--;
	}
}

/*
 * Walk [base, end) against @type's regions; for each part no region covers,
 * insert it if @insert, and count it.
 */
static unsigned long add_gaps(struct memblock_type *type, phys_addr_t base,
			      phys_addr_t end, unsigned int flags, bool insert)
{
	unsigned long i, gaps = 0;

	for (i = 0; i < type->cnt && base < end; i++) {
		struct memblock_region *r = &type->regions[i];

		if (region_end(r) <= base)
			continue;
		if (r->base >= end)
			break;
		if (r->base > base) {
			if (insert)
				insert_region(type, i++, base, r->base - base,
					      flags);
			gaps++;
		}
		base = region_end(&type->regions[i]);
	}
	if (base < end) {
		if (insert)
			insert_region(type, i, base, end - base, flags);
		gaps++;
	}
	return gaps;
}

/* Add what [base, base + size) adds to @type; existing flags stay. */
static int add_range(struct memblock_type *type, phys_addr_t base,
		     phys_addr_t size, unsigned int flags)
{
	phys_addr_t end = base + size;

	if (!table_has_room(type, add_gaps(type, base, end, flags, false),
			    base, end))
		return -ENOMEM;
	add_gaps(type, base, end, flags, true);
	merge_regions(type);
	return 0;
}

/* How many regions have @base or @end strictly inside them. */
static unsigned long splits_needed(const struct memblock_type *type,
				   phys_addr_t base, phys_addr_t end)
{
	unsigned long i, n = 0;

	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		n += r->base < base && base < region_end(r);
		n += r->base < end && end < region_end(r);
	}
	return n;
}

/*
 * Split regions at @base and @base + @size so whole regions [*start_rgn,
 * *end_rgn) cover exactly the overlap with [base, base + size).
 */
static int isolate_range(struct memblock_type *type, phys_addr_t base,
			 phys_addr_t size, unsigned long *start_rgn,
			 unsigned long *end_rgn)
{
	phys_addr_t end = base + size;
	unsigned long i;

	*start_rgn = *end_rgn = 0;
	if (!table_has_room(type, splits_needed(type, base, end), base, end))
		return -ENOMEM;
	for (i = 0; i < type->cnt; i++) {
		struct memblock_region *r = &type->regions[i];
		phys_addr_t rbase = r->base, rend = region_end(r);

		if (rbase >= end)
			break;
		if (rend <= base)
			continue;
		if (rbase < base) {
			/* Split off the part below @base; look again. */
			r->base = base;
			r->size = rend - base;
			type->total_size -= base - rbase;
			insert_region(type, i, rbase, base - rbase, r->flags);
		} else if (rend > end) {
			/* Split off the part above @end. */
			r->base = end;
			r->size = rend - end;
			type->total_size -= end - rbase;
			insert_region(type, i--, rbase, end - rbase, r->flags);
		} else {
			if (!*end_rgn)
				*start_rgn = i;
			*end_rgn = i + 1;
		}
	}
	return 0;
}

static int remove_range(struct memblock_type *type, phys_addr_t base,
			phys_addr_t size)
{
	unsigned long start_rgn, end_rgn;
	int err = isolate_range(type, base, size, &start_rgn, &end_rgn);

	if (err)
		return err;
	while (end_rgn-- > start_rgn)
		remove_region(type, start_rgn);
	return 0;
}

static bool overlaps(const struct memblock_type *type, phys_addr_t base,
		     phys_addr_t size)
{
	unsigned long i;

	for (i = 0; i < type->cnt; i++)
		if (type->regions[i].base < base + size &&
		    region_end(&type->regions[i]) > base)
			return true;
	return false;
}

/*
 * Every entry point starts here: trace the call (memblock=debug) and vet
 * the range. Return: -EINVAL if it wraps around, else 0 (an empty range
 * is no error: the caller has nothing to do).
 */
static int memblock_enter(const char *fn, phys_addr_t base, phys_addr_t size)
{
	memblock_dbg("%s: [%#llx-%#llx]\n", fn, (unsigned long long)base,
		     (unsigned long long)(base + size - 1));
	if (base + size < base) {
		pr_err("%s: [%#llx + %#llx] wraps around the address space\n",
		       fn, (unsigned long long)base, (unsigned long long)size);
		return -EINVAL;
	}
	return 0;
}

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	int err = memblock_enter(__func__, base, size);

	if (err || !size)
		return err;
	return add_range(&memblock.memory, base, size, MEMBLOCK_NONE);
}

int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	int err = memblock_enter(__func__, base, size);

	if (err || !size)
		return err;
	return remove_range(&memblock.memory, base, size);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	int err = memblock_enter(__func__, base, size);

	if (err || !size)
		return err;
	if (!overlaps(&memblock.memory, base, size)) {
		pr_warn("reserve [%#llx-%#llx] overlaps no memory; ignored\n",
			(unsigned long long)base,
			(unsigned long long)(base + size - 1));
		return -EINVAL;
	}
	return add_range(&memblock.reserved, base, size, MEMBLOCK_NONE);
}

int memblock_free(phys_addr_t base, phys_addr_t size)
{
	int err = memblock_enter(__func__, base, size);

	if (err || !size)
		return err;
	return remove_range(&memblock.reserved, base, size);
}

int memblock_mark_nomap(phys_addr_t base, phys_addr_t size)
{
	struct memblock_type *mem = &memblock.memory;
	unsigned long start_rgn, end_rgn, i;
	int err;

	if (memblock_enter(__func__, base, size))
		return -EINVAL;
	err = isolate_range(mem, base, size, &start_rgn, &end_rgn);
	if (err)
		return err;
	err = memblock_reserve(base, size);
	if (err) {
		merge_regions(mem);	/* undo the isolation */
		return err;
	}
	for (i = start_rgn; i < end_rgn; i++)
		mem->regions[i].flags |= MEMBLOCK_NOMAP;
	merge_regions(mem);
	return 0;
}

void memblock_set_bottom_up(bool enable)
{
	memblock.bottom_up = enable;
}

/*
 * The free range with gap index @ib inside memory region @m: the part of
 * @m between reserved region ib - 1 and reserved region ib.
 */
static bool free_part(const struct memblock_region *m, unsigned long ib,
		      phys_addr_t *start, phys_addr_t *end)
{
	const struct memblock_type *rsv = &memblock.reserved;
	phys_addr_t gap_start = ib ? region_end(&rsv->regions[ib - 1]) : 0;
	phys_addr_t gap_end = ib < rsv->cnt ? rsv->regions[ib].base :
					      ~(phys_addr_t)0;

	*start = max(m->base, gap_start);
	*end = min(region_end(m), gap_end);
	return *start < *end;
}

void __next_free_mem_range(u64 *idx, phys_addr_t *out_start,
			   phys_addr_t *out_end)
{
	const struct memblock_type *mem = &memblock.memory;
	unsigned long ia = (u32)*idx, ib = *idx >> 32;

	for (; ia < mem->cnt; ia++, ib = 0) {
		const struct memblock_region *m = &mem->regions[ia];

		if (m->flags & MEMBLOCK_NOMAP)
			continue;
		for (; ib <= memblock.reserved.cnt; ib++) {
			if (free_part(m, ib, out_start, out_end)) {
				*idx = ia | (u64)(ib + 1) << 32;
				return;
			}
		}
	}
	*idx = (u64)-1;
}

/* Best fit in [start, end): the highest (top-down) or lowest address. */
static phys_addr_t find_in_range(phys_addr_t size, phys_addr_t align,
				 phys_addr_t start, phys_addr_t end)
{
	phys_addr_t r_start, r_end, cand, found = 0;
	u64 i;

	for_each_free_mem_range(i, &r_start, &r_end) {
		r_start = max(r_start, start);
		r_end = min(r_end, end);
		if (r_end <= r_start || r_end - r_start < size)
			continue;
		if (memblock.bottom_up) {
			cand = ALIGN(r_start, align);
			if (cand >= r_start && cand + size <= r_end)
				return cand;
		} else {
			cand = ALIGN_DOWN(r_end - size, align);
			if (cand >= r_start)
				found = cand;
		}
	}
	return found;
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end)
{
	phys_addr_t found;

	if (memblock.frozen) {
		pr_err("allocation of %llu bytes after memblock_free_all(); "
		       "use the page allocator\n", (unsigned long long)size);
		return 0;
	}
	if (!size || !align || (align & (align - 1))) {
		pr_err("bad allocation request: size %llu, align %#llx\n",
		       (unsigned long long)size, (unsigned long long)align);
		return 0;
	}
	found = find_in_range(size, align, max(start, (phys_addr_t)PAGE_SIZE),
			      end);
	if (!found || memblock_reserve(found, size)) {
		pr_err("cannot allocate %llu bytes (align %#llx) in "
		       "[%#llx-%#llx]\n", (unsigned long long)size,
		       (unsigned long long)align, (unsigned long long)start,
		       (unsigned long long)end);
		return 0;
	}
	memblock_dbg("memblock_phys_alloc_range: %llu bytes at %#llx\n",
		     (unsigned long long)size, (unsigned long long)found);
	return found;
}

void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t pa = memblock_phys_alloc_range(size, align, 0,
						   MEMBLOCK_ALLOC_ANYWHERE);
	void *va;

	if (!pa)
		return NULL;
	va = __va(pa);
	memset(va, 0, size);
	return va;
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	unsigned long n = memblock.memory.cnt;

	return n ? region_end(&memblock.memory.regions[n - 1]) : 0;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return memblock.memory.total_size;
}

phys_addr_t memblock_reserved_size(void)
{
	return memblock.reserved.total_size;
}

bool memblock_is_reserved(phys_addr_t base, phys_addr_t size)
{
	return overlaps(&memblock.reserved, base, size ? size : 1);
}

static void dump_type(const struct memblock_type *type)
{
	unsigned long i;

	pr_info(" %s.cnt = %lu, total %llu KiB\n", type->name, type->cnt,
		(unsigned long long)(type->total_size >> 10));
	for (i = 0; i < type->cnt; i++) {
		const struct memblock_region *r = &type->regions[i];

		pr_info(" %s[%lu]\t[%#011llx-%#011llx], %#llx bytes%s\n",
			type->name, i, (unsigned long long)r->base,
			(unsigned long long)(region_end(r) - 1),
			(unsigned long long)r->size,
			r->flags & MEMBLOCK_NOMAP ? " nomap" : "");
	}
}

void memblock_dump_all(void)
{
	pr_info("memory size = %llu KiB, reserved size = %llu KiB\n",
		(unsigned long long)(memblock.memory.total_size >> 10),
		(unsigned long long)(memblock.reserved.total_size >> 10));
	dump_type(&memblock.memory);
	dump_type(&memblock.reserved);
}

unsigned long memblock_free_all(void)
{
	phys_addr_t start, end;
	unsigned long pages = 0;
	u64 i;

	for_each_free_mem_range(i, &start, &end) {
		unsigned long spfn = ALIGN(start, PAGE_SIZE) >> PAGE_SHIFT;
		unsigned long epfn = ALIGN_DOWN(end, PAGE_SIZE) >> PAGE_SHIFT;

		if (spfn < epfn) {
			__free_pages_core(spfn, epfn);
			pages += epfn - spfn;
		}
	}
	memblock.frozen = true;
	memblock_dbg("memblock_free_all: %lu pages to the buddy allocator\n",
		     pages);
	return pages;
}
