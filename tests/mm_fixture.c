// SPDX-License-Identifier: MIT
/*
 * Test fixture: memblock and the page allocator booted on an mmap'd arena
 * standing in for physical memory, plus the page counting and buddyinfo
 * comparisons the mm tests share. See mm_fixture.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rvmem/anon.h>
#include <rvmem/internal/memblock.h>
#include <rvmem/internal/numa.h>
#include <rvmem/internal/pgtable.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/vmalloc.h>

#include "host.h"
#include "mm_fixture.h"

int mm_fixture_stale_ram = -1;

void *mm_fixture_arena(phys_addr_t base, phys_addr_t size)
{
	void *arena = host_phys_arena(base, size);

	if (arena && mm_fixture_stale_ram >= 0)
		memset(arena, mm_fixture_stale_ram, size);
	memblock_reset();
	numa_reset();
	return arena;
}

static bool add_ranges(const struct boot_range *r, int nr, bool reserve)
{
	int i, err;

	for (i = 0; i < nr; i++) {
		err = reserve ? memblock_reserve(r[i].base, r[i].size) :
				memblock_add(r[i].base, r[i].size);
		if (err) {
			printk("mm_fixture: memblock_%s(%#llx, %#llx): %d\n",
			       reserve ? "reserve" : "add",
			       (unsigned long long)r[i].base,
			       (unsigned long long)r[i].size, err);
			return false;
		}
	}
	return true;
}

/* NUMA nodes from @r's nids, if any is not 0 (else all is node 0). */
static bool add_nodes(const struct boot_range *r, int nr)
{
	int i, numa = 0;

	for (i = 0; i < nr; i++)
		numa |= r[i].nid;
	for (i = 0; numa && i < nr; i++)
		if (numa_add_memblk(r[i].nid, r[i].base,
				    r[i].base + r[i].size)) {
			printk("mm_fixture: numa_add_memblk(%u): error\n",
			       r[i].nid);
			return false;
		}
	return true;
}

unsigned long mm_fixture_boot(const struct boot_range *ram, int nr_ram,
			      const struct boot_range *resv, int nr_resv)
{
	u64 end = ram[nr_ram - 1].base + ram[nr_ram - 1].size;
	unsigned long released;
	int err;

	mm_fixture_arena(ram[0].base, end - ram[0].base);
	nr_pagetable_pages = 0;		/* the old arena's tables are gone */
	if (!add_nodes(ram, nr_ram) || !add_ranges(ram, nr_ram, false) ||
	    !add_ranges(resv, nr_resv, true))
		return 0;
	err = free_area_init();
	if (err) {
		printk("mm_fixture: free_area_init: %d\n", err);
		return 0;
	}
	released = memblock_free_all();
	if (!released) {
		printk("mm_fixture: memblock_free_all released nothing\n");
		return 0;
	}
	setup_per_zone_wmarks();
	return released;
}

unsigned long mm_fixture_boot_4g(void)
{
	static const struct boot_range ram[] = {
		{ .base = SZ_4G - MiB(32), .size = MiB(64) },
	};
	static const struct boot_range resv[] = {
		{ .base = SZ_4G - MiB(32), .size = MiB(2) },
	};

	return mm_fixture_boot(ram, ARRAY_SIZE(ram), resv, ARRAY_SIZE(resv));
}

unsigned long mm_fixture_boot_small(phys_addr_t size)
{
	const struct boot_range ram = { .base = MM_VIRT_BASE, .size = size };
	const struct boot_range resv = { .base = MM_VIRT_BASE, .size = MiB(2) };

	return mm_fixture_boot(&ram, 1, &resv, 1);
}

unsigned long mm_fixture_boot_vm(phys_addr_t size, unsigned int levels)
{
	unsigned long released = mm_fixture_boot_small(size);

	if (!released)
		return 0;
	kmem_cache_init();
	if (pgtable_init(&kernel_pgtable, levels)) {
		printk("mm_fixture: pgtable_init(%u) failed\n", levels);
		return 0;
	}
	vmalloc_init();
	anon_init();
	return released;
}

void *mm_fixture_kaddr(unsigned long va)
{
	phys_addr_t pa;

	if (!pgtable_translate(&kernel_pgtable, va, &pa))
		return NULL;
	return __va(pa);
}

unsigned long mm_data_pages(void)
{
	return mm_managed_total() - mm_free_total() -
	       READ_ONCE(nr_pagetable_pages) - slab_nr_pages();
}

unsigned long mm_free_total(void)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_zone(zone)
		sum += zone->free_pages + zone_pcp_count(zone);
	return sum;
}

unsigned long mm_managed_total(void)
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_zone(zone)
		sum += zone->managed_pages;
	return sum;
}

bool mm_recovered(unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS])
{
	unsigned long now[NR_ZONEIDS][NR_PAGE_ORDERS];
	bool same;

	drain_local_pages(NULL);
	buddyinfo_snapshot(now);
	same = buddyinfo_equal(before, now);
	if (mm_free_total() != mm_managed_total() ||
	    nr_free_pages() != mm_managed_total()) {
		printk("        # %lu pages free (%lu in the buddy) of %lu\n",
		       mm_free_total(), nr_free_pages(), mm_managed_total());
		same = false;
	}
	return same;
}

void mm_run_error(unsigned long *errors, unsigned long max,
		  unsigned long op, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if ((*errors)++ >= max)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("        # op %lu: %s\n", op, msg);
}

bool mm_buddy_model_take(unsigned long nr_free[NR_PAGE_ORDERS],
			 unsigned int order)
{
	unsigned int o = order;

	while (o < NR_PAGE_ORDERS && !nr_free[o])
		o++;
	if (o == NR_PAGE_ORDERS)
		return false;
	nr_free[o]--;
	while (o-- > order)
		nr_free[o]++;
	return true;
}

u64 mm_test_seed(const char *run, u64 fixed)
{
	const char *env = getenv("RVMEM_SEED");
	u64 seed = env ? strtoull(env, NULL, 0) : fixed;

	if (!seed)
		seed = fixed;	/* xorshift never leaves 0 */
	printk("        # %s: seed %#llx (RVMEM_SEED=%#llx replays it)\n",
	       run, (unsigned long long)seed, (unsigned long long)seed);
	return seed;
}

void handoff_init(struct handoff *h, size_t elem)
{
	if (elem > HANDOFF_ELEM_MAX)
		abort();	/* a test's element type outgrew the queue */
	pthread_mutex_init(&h->lock, NULL);
	h->elem = elem;
	h->head = h->count = 0;
}

bool handoff_push(struct handoff *h, const void *e)
{
	bool ok;

	pthread_mutex_lock(&h->lock);
	ok = h->count < HANDOFF_SLOTS;
	if (ok)
		memcpy(h->q[(h->head + h->count++) % HANDOFF_SLOTS], e,
		       h->elem);
	pthread_mutex_unlock(&h->lock);
	return ok;
}

bool handoff_pop(struct handoff *h, void *e)
{
	bool ok;

	pthread_mutex_lock(&h->lock);
	ok = h->count > 0;
	if (ok) {
		memcpy(e, h->q[h->head], h->elem);
		h->head = (h->head + 1) % HANDOFF_SLOTS;
		h->count--;
	}
	pthread_mutex_unlock(&h->lock);
	return ok;
}
