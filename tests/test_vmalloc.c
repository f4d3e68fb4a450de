// SPDX-License-Identifier: MIT
/*
 * Host tests of vmalloc's lazy freeing (core/mm/vmalloc.c): a vfree()'d
 * area leaves the busy tree (what vfree(), vmallocinfo and the reports
 * look up) at once, while its range stays reserved in vmap_space until
 * the purge's flush, and is handed out again after it.
 *
 * Areas of AREA pages are too big for a block: each has a range of its
 * own. Diagrams: [A] live area, g its guard page, x freed, . free.
 */
#include <string.h>
#include <rvmem/gfp.h>
#include <rvmem/ktest.h>
#include <rvmem/mm.h>
#include <rvmem/vmalloc.h>

#include "mm_fixture.h"

#define AREA		(VMAP_MAX_PAGES + 1)
#define AREA_SIZE	(AREA * PAGE_SIZE)

/* Does [@a, @a + AREA_SIZE] (guard included) meet [@b, @b + @len)? */
static bool meets(unsigned long a, unsigned long b, unsigned long len)
{
	return b < a + AREA_SIZE + PAGE_SIZE && a < b + len;
}

/*
 *   [A]g[B]g.....	vfree(A):
 *   xxxx[B]g[C]g[V]g	C and a one-page vmap V go above the reservation
 *   after the purge:	A's range is free again:
 *   [D]g[B]g[C]g[V]g	D takes it (the lowest gap that fits)
 *
 * Expect A out of the busy tree (its pages and guard alike) as soon as
 * vfree() returns, still described as freed, its pages gone from
 * vmalloc_to_page(), nothing placed in its range before the purge, and
 * D at A's address after it.
 */
static void vfree_lazy_area_out_of_busy_tree(struct ktest *t)
{
	struct page *page;
	unsigned long a, b, c, d, v;
	char what[200];

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_vm(MiB(64), 3));
	a = (unsigned long)vmalloc(AREA_SIZE);
	b = (unsigned long)vmalloc(AREA_SIZE);
	page = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, a && b && page);
	KTEST_EXPECT_TRUE(t, vmalloc_area_busy(a));
	KTEST_EXPECT_TRUE(t, vmalloc_area_busy(a + AREA_SIZE));	/* guard */

	vfree((void *)a);
	KTEST_EXPECT_TRUE(t, !vmalloc_area_busy(a));
	KTEST_EXPECT_TRUE(t, !vmalloc_area_busy(a + AREA_SIZE - 1));
	KTEST_EXPECT_TRUE(t, !vmalloc_area_busy(a + AREA_SIZE));
	KTEST_EXPECT_TRUE(t, vmalloc_area_busy(b));
	KTEST_EXPECT_TRUE(t, vmalloc_to_page((void *)a) == NULL);
	KTEST_EXPECT_TRUE(t, vmalloc_describe(a + PAGE_SIZE, what,
					      sizeof(what)));
	KTEST_EXPECT_TRUE(t, strstr(what, "already freed") != NULL);

	c = (unsigned long)vmalloc(AREA_SIZE);
	v = (unsigned long)vmap(&page, 1, PAGE_KERNEL);
	KTEST_ASSERT_TRUE(t, c && v);
	KTEST_EXPECT_TRUE(t, !meets(a, c, AREA_SIZE + PAGE_SIZE));
	KTEST_EXPECT_TRUE(t, !meets(a, v, 2 * PAGE_SIZE));

	vm_unmap_aliases();
	KTEST_EXPECT_TRUE(t, vmalloc_describe(a, what, sizeof(what)));
	KTEST_EXPECT_TRUE(t, !strcmp(what, "unused vmalloc space"));
	d = (unsigned long)vmalloc(AREA_SIZE);
	KTEST_EXPECT_EQ(t, d, a);
	KTEST_EXPECT_TRUE(t, vmalloc_area_busy(d));

	vfree((void *)b);
	vfree((void *)c);
	vfree((void *)d);
	vunmap((void *)v);
	vm_unmap_aliases();
	__free_page(page);
}

static const struct ktest_case vmalloc_cases[] = {
	KTEST_CASE(vfree_lazy_area_out_of_busy_tree),
	{}
};

KTEST_SUITE(vmalloc_suite) = {
	.name = "vmalloc",
	.cases = vmalloc_cases,
};
