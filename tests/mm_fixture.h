/* SPDX-License-Identifier: MIT */
/*
 * A test-only boot of the memory subsystem on simulated physical memory.
 *
 * The real core/mm sources run on an mmap'd arena that pretends to sit at
 * a chosen physical address (host_phys_arena()). mm_fixture_boot() does
 * what the guest's boot does with a device tree's memory map: memblock
 * learns the RAM ranges (holes between them stay holes) and the reserved
 * ranges, then the page allocator takes every free page. Each boot starts
 * from scratch, so a test may boot as often as it likes.
 *
 * The helpers that count pages and compare buddyinfo read zone state
 * without its lock: call them while no other thread allocates.
 */
#ifndef RVMEM_TESTS_MM_FIXTURE_H
#define RVMEM_TESTS_MM_FIXTURE_H

#include <pthread.h>
#include <rvmem/boot.h>
#include <rvmem/internal/mm.h>
#include <rvmem/internal/mmzone.h>
#include <rvmem/types.h>

#define MiB(x)		((u64)(x) << 20)
#define GiB(x)		((u64)(x) << 30)
#define SZ_4G		GiB(4)

/* The QEMU virt board's RAM base; the first 2 MiB hold "the firmware". */
#define MM_VIRT_BASE	0x80000000ULL

/**
 * mm_fixture_stale_ram - fill each new arena with this byte, not zeros,
 * as RAM after a warm reboot holds what the last boot left (-1: zeros)
 */
extern int mm_fixture_stale_ram;

/**
 * mm_fixture_arena() - a fresh arena covering [@base, @base + @size) and
 * empty memblock tables, for tests that drive memblock by hand
 *
 * Return: the arena's host address.
 */
void *mm_fixture_arena(phys_addr_t base, phys_addr_t size);

/**
 * mm_fixture_boot() - boot memblock and the page allocator on a new arena
 * @ram: RAM ranges, ascending; the arena spans the first base to the last
 *       end, and the gaps between ranges are holes; if any has a nid
 *       other than 0, each range is that NUMA node's (numa_add_memblk())
 * @nr_ram: entries in @ram, at least one
 * @resv: ranges to reserve before the page allocator starts (may be NULL)
 * @nr_resv: entries in @resv
 *
 * Runs memblock_reset(), numa_reset(), memblock_add() and memblock_reserve() for each
 * range, free_area_init(), memblock_free_all() and setup_per_zone_wmarks().
 * Return: the pages memblock_free_all() released, or 0 (with a message
 * naming the step) if a step failed.
 */
unsigned long mm_fixture_boot(const struct boot_range *ram, int nr_ram,
			      const struct boot_range *resv, int nr_resv);

/**
 * mm_fixture_boot_4g() - 32 MiB of RAM below 4 GiB and 32 MiB above it,
 * so ZONE_DMA32 and ZONE_NORMAL both hold pages; the lowest 2 MiB are
 * reserved (the kernel image)
 *
 * Return: as mm_fixture_boot().
 */
unsigned long mm_fixture_boot_4g(void);

/**
 * mm_fixture_boot_small() - @size bytes of RAM at MM_VIRT_BASE (DMA32
 * only), its first 2 MiB reserved
 *
 * Return: as mm_fixture_boot().
 */
unsigned long mm_fixture_boot_small(phys_addr_t size);

/**
 * mm_fixture_boot_vm() - mm_fixture_boot_small(@size), then the rest of
 * the guest's mm_init(): slab, an empty kernel_pgtable of @levels levels,
 * vmalloc and the anonymous regions
 *
 * Nothing is reached through kernel_pgtable on the host: a test walks it
 * in software (mm_fixture_kaddr()) to see what a hart would.
 * Return: as mm_fixture_boot().
 */
unsigned long mm_fixture_boot_vm(phys_addr_t size, unsigned int levels);

/**
 * mm_fixture_kaddr() - where the host reaches what kernel address @va
 * maps to, by a walk of kernel_pgtable
 *
 * Return: the host address, or NULL if @va is not mapped (a PROT_NONE
 * leaf counts as mapped).
 */
void *mm_fixture_kaddr(unsigned long va);

/**
 * mm_data_pages() - pages allocated from the page allocator that are
 * neither page tables nor slabs: what vmalloc areas and anonymous
 * regions are backed by, and any other direct alloc_pages() user
 */
unsigned long mm_data_pages(void);

/** mm_free_total() - pages free in every zone's buddy and per-hart lists */
unsigned long mm_free_total(void);

/** mm_managed_total() - pages every zone manages */
unsigned long mm_managed_total(void);

/**
 * mm_recovered() - has everything come back since @before was taken?
 * @before: buddyinfo_snapshot() from a moment nothing was allocated
 *
 * Drains the calling thread's per-hart lists first (other threads must
 * have drained theirs), then compares buddyinfo with @before and checks
 * every managed page is free, printing what differs.
 * Return: true if the page allocator is as it was.
 */
bool mm_recovered(unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS]);

/**
 * mm_buddy_model_take() - predict free_area counts after the buddy hands
 * out one block of 2^@order pages (Linux __rmqueue_smallest: split the
 * smallest free block of at least @order, keep the upper halves free)
 * @nr_free: one zone's free blocks per order, updated in place
 *
 * Return: false if no block of @order or more was free.
 */
bool mm_buddy_model_take(unsigned long nr_free[NR_PAGE_ORDERS],
			 unsigned int order);

/**
 * mm_run_error() - count an error of a random run; print the first few
 * @errors: the run's error count, incremented
 * @max: errors printed at most; the rest are only counted
 * @op: the run's operation number, printed before the message
 * @fmt: printf-style message
 */
void __printf(4, 5) mm_run_error(unsigned long *errors, unsigned long max,
				 unsigned long op, const char *fmt, ...);

/**
 * mm_rand() - the next number of a xorshift64* generator
 * @state: the generator, seeded with any non-zero value
 */
static inline u64 mm_rand(u64 *state)
{
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/**
 * mm_test_seed() - the seed for a random run: $RVMEM_SEED if set (decimal
 * or 0x hex), else @fixed; printed either way, so a failure can be
 * replayed with RVMEM_SEED=N rvmem-tests SUITE
 */
u64 mm_test_seed(const char *run, u64 fixed);

/*
 * A bounded queue through which test threads pass objects to each other
 * (to free what another "hart" allocated). Elements are copied whole.
 */
#define HANDOFF_SLOTS		256
#define HANDOFF_ELEM_MAX	32

struct handoff {
	pthread_mutex_t lock;
	size_t elem;			/* bytes per element */
	unsigned int head, count;
	unsigned char q[HANDOFF_SLOTS][HANDOFF_ELEM_MAX];
};

/** handoff_init() - an empty queue of @elem-byte elements (<= 32) */
void handoff_init(struct handoff *h, size_t elem);

/** handoff_push() - copy @e in; Return: false if the queue is full */
bool handoff_push(struct handoff *h, const void *e);

/** handoff_pop() - copy the oldest out to @e; Return: false if empty */
bool handoff_pop(struct handoff *h, void *e);

#endif /* RVMEM_TESTS_MM_FIXTURE_H */
