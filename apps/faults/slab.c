// SPDX-License-Identifier: MIT
/*
 * Misuses of the slab allocator, one per mode, each of which must end
 * the boot with a report naming the cache, the object, the offset and the
 * callers, and exit status 70:
 *
 *	slab-redzone		write one byte past a kmalloc(64) object
 *				(needs slub_debug: red zones)
 *	slab-redzone-slack	write one byte past a kmalloc(100) object,
 *				into kmalloc-128's slack (needs slub_debug)
 *	slab-use-after-free	write into a freed object, then allocate
 *				again (needs slub_debug: poisoning)
 *	slab-double-free	kfree() the same object twice
 *	slab-invalid-free	kfree() a pointer 8 bytes into an object
 *	slab-freelist-corrupt	overwrite the free pointer of an object
 *				freed to its slab, then allocate
 *	slab-free-below-ram	kfree() a device address below RAM, where
 *				the vmemmap window shows a zeroed page
 *	slab-free-vmalloc	kfree() a vmalloc() area, past the window
 *	slab-free-deferred	kfree() a page whose struct page boot left
 *				uninitialised, after making it read as a
 *				kmalloc-64 slab's, as stale RAM may (needs
 *				over 128 MiB of RAM)
 *	slab-cache-free-deferred  the same by kmem_cache_free() to a new
 *				cache (its slow path)
 *	slab-cache-free-below-ram  kmem_cache_free() the device address
 *
 * All but the first three are caught in every build.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <rvmem/mm.h>
#include <rvmem/slab.h>
#include <rvmem/vmalloc.h>

#define BELOW_RAM	((void *)0x10000000UL)	/* QEMU virt's UART */

int slab_fault(const char *mode);

static noinline void slab_redzone(void)
{
	u8 *p = kmalloc(64, GFP_KERNEL);

	p[64] = 0x78;		/* one past the end */
	kfree(p);
}

static noinline void slab_redzone_slack(void)
{
	u8 *p = kmalloc(100, GFP_KERNEL);

	p[100] = 0x78;		/* within the object, past the bytes asked */
	kfree(p);
}

static noinline void slab_use_after_free(void)
{
	u8 *p = kmalloc(64, GFP_KERNEL);

	kfree(p);
	p[10] = 0x42;
	kfree(kmalloc(64, GFP_KERNEL));	/* the same object again */
}

static noinline void slab_double_free(void)
{
	void *p = kmalloc(64, GFP_KERNEL);

	kfree(p);
	kfree(p);
}

static noinline void slab_invalid_free(void)
{
	u8 *p = kmalloc(64, GFP_KERNEL);

	kfree(p + 8);
}

/*
 * Without debugging, a free object in a slab keeps its free pointer in
 * its first word (one in a hart's sheaf has nothing written into it).
 * Shrinking the cache puts @p back on its slab's free list, and @q, on
 * the same slab, keeps the slab from being freed; allocating then walks
 * the partial slabs' free lists until it reaches @p's.
 */
static noinline void slab_freelist_corrupt(void)
{
	unsigned long *p = kmalloc(64, GFP_KERNEL), *q;
	unsigned int i;

	do
		q = kmalloc(64, GFP_KERNEL);
	while (((unsigned long)p ^ (unsigned long)q) >= PAGE_SIZE);
	kfree(p);
	kmem_cache_shrink(kmalloc_caches[kmalloc_index(64)]);
	p[0] ^= 0x1234;
	for (i = 0; i < 16384; i++)
		kmalloc(64, GFP_KERNEL);
}

static noinline void slab_free_below_ram(void)
{
	kfree(BELOW_RAM);
}

static noinline void slab_free_vmalloc(void)
{
	kfree(vmalloc(64));
}

/*
 * The first page whose struct page boot left uninitialised, made to read
 * as a slab page of @s, as stale RAM may; NULL if nothing is deferred.
 */
static void *deferred_page_posing_as(struct kmem_cache *s)
{
	unsigned long pfn = READ_ONCE(deferred_low_pfn);
	struct page *page;

	if (pfn == ULONG_MAX) {
		printf("faults: no struct page is deferred; boot with more "
		       "RAM\n");
		return NULL;
	}
	page = pfn_to_page(pfn);
	page->slab_cache = s;
	page->flags |= 1UL << PG_slab;
	return page_address(page);
}

/* The fast path's case: the hart has room in its kmalloc-64 sheaf. */
static noinline void slab_free_deferred(void)
{
	void *p = deferred_page_posing_as(kmalloc_caches[kmalloc_index(64)]);

	kfree(kmalloc(64, GFP_KERNEL));
	if (p)
		kfree(p);
}

/* The slow path's case: a new cache, no sheaf yet. */
static noinline void slab_cache_free_deferred(void)
{
	struct kmem_cache *s = kmem_cache_create("faults-64", 64, 0, 0, NULL);
	void *p = s ? deferred_page_posing_as(s) : NULL;

	if (p)
		kmem_cache_free(s, p);
}

static noinline void slab_cache_free_below_ram(void)
{
	kmem_cache_free(kmalloc_caches[kmalloc_index(64)], BELOW_RAM);
}

static const struct {
	const char *name;
	void (*fn)(void);
} slab_modes[] = {
	{ "slab-redzone", slab_redzone },
	{ "slab-redzone-slack", slab_redzone_slack },
	{ "slab-use-after-free", slab_use_after_free },
	{ "slab-double-free", slab_double_free },
	{ "slab-invalid-free", slab_invalid_free },
	{ "slab-freelist-corrupt", slab_freelist_corrupt },
	{ "slab-free-below-ram", slab_free_below_ram },
	{ "slab-free-vmalloc", slab_free_vmalloc },
	{ "slab-free-deferred", slab_free_deferred },
	{ "slab-cache-free-deferred", slab_cache_free_deferred },
	{ "slab-cache-free-below-ram", slab_cache_free_below_ram },
};

/**
 * slab_fault() - run the slab misuse @mode names
 * @mode: "slab-redzone", ... (see above)
 *
 * Return: 1 if the misuse went unnoticed, 2 for an unknown mode; a
 * caught misuse does not return.
 */
int slab_fault(const char *mode)
{
	unsigned int i;

	for (i = 0; i < sizeof(slab_modes) / sizeof(slab_modes[0]); i++) {
		if (strcmp(mode, slab_modes[i].name))
			continue;
		slab_modes[i].fn();
		return 1;
	}
	fprintf(stderr, "faults: unknown slab mode %s\n", mode);
	return 2;
}
