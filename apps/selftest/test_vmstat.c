// SPDX-License-Identifier: MIT
/*
 * vmstat: the counters move as a known sequence of operations says.
 * The other harts are idle while the suite runs, so the deltas are exact.
 */
#include <string.h>
#include <sys/mman.h>
#include <rvmem/gfp.h>
#include <rvmem/ktest.h>
#include <rvmem/mm.h>
#include <rvmem/slab.h>
#include <rvmem/vmalloc.h>
#include <rvmem/vmstat.h>

#define STACK_TOUCH	(16 * 1024)	/* deeper than a counted window goes */

static unsigned long before[NR_VM_EVENT_ITEMS], after[NR_VM_EVENT_ITEMS];

static unsigned long delta(enum vm_event_item item)
{
	return after[item] - before[item];
}

/*
 * Touch the stack below the caller, so that the calls in a counted
 * window find it mapped: the app's stack is demand-paged, and a first
 * touch there is a page allocation (and a pgfault) of its own.
 */
static noinline void touch_stack(void)
{
	char depth[STACK_TOUCH];

	memset(depth, 0, sizeof(depth));
	asm volatile("" : : "r"(depth) : "memory");	/* keep the stores */
}

/*
 * 8 order-0 pages and one order-5 block allocated and freed; 10
 * kmalloc(64) objects allocated and freed, after 11 were, so that this
 * hart's sheaves hold 10 and none needs a new slab (KFENCE serves at
 * most one allocation an interval, and not from a sheaf).
 * Expect pgalloc and pgfree +40 each, slab_alloc and slab_free +10.
 */
static void vmstat_alloc_free(struct ktest *t)
{
	struct page *pages[8], *big;
	void *objs[11];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(objs); i++)
		objs[i] = kmalloc(64, GFP_KERNEL);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		kfree(objs[i]);
	touch_stack();
	all_vm_events(before);
	for (i = 0; i < 8; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	big = alloc_pages(GFP_KERNEL, 5);
	for (i = 0; i < 10; i++)
		objs[i] = kmalloc(64, GFP_KERNEL);
	for (i = 0; i < 10; i++)
		kfree(objs[i]);
	__free_pages(big, 5);
	for (i = 0; i < 8; i++)
		__free_page(pages[i]);
	all_vm_events(after);
	KTEST_EXPECT_EQ(t, delta(PGFAULT), 0);	/* no stack page came in */
	KTEST_EXPECT_EQ(t, delta(PGALLOC_DMA32) + delta(PGALLOC_NORMAL), 40);
	KTEST_EXPECT_EQ(t, delta(PGFREE), 40);
	KTEST_EXPECT_EQ(t, delta(SLAB_ALLOC), 10);
	KTEST_EXPECT_EQ(t, delta(SLAB_FREE), 10);
}

/*
 * 4 pages of an mmap region touched, then unmapped; a 1 TiB mapping
 * (more than RAM); a vmalloc area freed and purged.
 * Expect pgfault +4, overcommit_refused +1, a local TLB flush and a
 * vmalloc purge.
 */
static void vmstat_faults_and_flushes(struct ktest *t)
{
	char *p;
	void *v;
	int i;

	all_vm_events(before);
	p = mmap(NULL, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KTEST_ASSERT_TRUE(t, p != MAP_FAILED);
	for (i = 0; i < 4; i++)
		p[i * PAGE_SIZE] = 1;
	munmap(p, 4 * PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, mmap(NULL, 1UL << 40, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
			     MAP_FAILED);
	v = vmalloc(4 * PAGE_SIZE);
	vfree(v);
	vm_unmap_aliases();
	all_vm_events(after);
	KTEST_EXPECT_EQ(t, delta(PGFAULT), 4);
	KTEST_EXPECT_EQ(t, delta(OVERCOMMIT_REFUSED), 1);
	KTEST_EXPECT_TRUE(t, delta(TLB_LOCAL_FLUSH) >= 1);
	KTEST_EXPECT_TRUE(t, delta(VMALLOC_PURGE) >= 1);
}

static const struct ktest_case vmstat_cases[] = {
	KTEST_CASE(vmstat_alloc_free),
	KTEST_CASE(vmstat_faults_and_flushes),
	{}
};

KTEST_SUITE(vmstat_suite) = {
	.name = "vmstat",
	.cases = vmstat_cases,
};
