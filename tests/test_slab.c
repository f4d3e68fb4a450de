// SPDX-License-Identifier: MIT
/*
 * Host unit tests of the slab allocator: kmalloc size classes, large
 * kmalloc, the helpers, caches with constructors and alignment, shrink,
 * destroy, reclaim, slabinfo counts and the debug layout.
 *
 * Each case boots the page allocator on 64 MiB below 4 GiB (the first
 * 2 MiB reserved) and then kmem_cache_init(), and expects the page
 * allocator back as it was once everything is freed and shrunk.
 */
#include <string.h>
#include <rvmem/boot.h>
#include <rvmem/gfp.h>
#include <rvmem/ktest.h>
#include <rvmem/slab.h>
#include <rvmem/vmalloc.h>

#include "../core/mm/internal.h"
#include "mm_fixture.h"

static unsigned long before[NR_ZONEIDS][NR_PAGE_ORDERS];

static bool slab_boot(void)
{
	if (!mm_fixture_boot_small(MiB(64)))
		return false;
	buddyinfo_snapshot(before);
	kmem_cache_init();
	return true;
}

/* Drain this hart, shrink every cache, then compare with the boot. */
static bool slab_recovered(void)
{
	struct list_head *pos;

	slab_drain_cpu(0);
	list_for_each(pos, &slab_caches)
		kmem_cache_shrink(list_entry(pos, struct kmem_cache, list));
	return slab_nr_pages() == 0 && mm_recovered(before);
}

static size_t class_of(size_t size)
{
	size_t c = 8;

	if (size > 64 && size <= 96)
		return 96;
	if (size > 128 && size <= 192)
		return 192;
	while (c < size)
		c <<= 1;
	return c;
}

/*
 * Every size from 1 to KMALLOC_MAX_CACHE_SIZE. Expect ksize() to be the
 * Linux class (8..8192, 96, 192), the pointer aligned to the largest
 * power of two dividing the class, and the memory writable to its end.
 */
static void kmalloc_size_classes(struct ktest *t)
{
	size_t size;

	KTEST_ASSERT_TRUE(t, slab_boot());
	for (size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size++) {
		size_t c = class_of(size);
		u8 *p = kmalloc(size, GFP_KERNEL);

		KTEST_ASSERT_TRUE(t, p != NULL);
		KTEST_EXPECT_EQ(t, ksize(p), c);
		KTEST_EXPECT_EQ(t, (unsigned long)p & ((c & -c) - 1), 0);
		p[0] = p[c - 1] = 0x5a;
		kfree(p);
	}
	KTEST_EXPECT_TRUE(t, slab_recovered());
}

/* Expect ZERO_SIZE_PTR for 0, and kfree/ksize to accept it and NULL. */
static void kmalloc_zero_size_and_null(struct ktest *t)
{
	KTEST_ASSERT_TRUE(t, slab_boot());
	KTEST_EXPECT_TRUE(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	KTEST_EXPECT_EQ(t, ksize(ZERO_SIZE_PTR), 0);
	KTEST_EXPECT_EQ(t, ksize(NULL), 0);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	kvfree(NULL);
	KTEST_EXPECT_TRUE(t, kmalloc(SIZE_MAX, GFP_KERNEL | __GFP_NOWARN) ==
			  NULL);
	KTEST_EXPECT_TRUE(t, slab_recovered());
}

/*
 * kmalloc(20000): 5 pages, so an order-3 block. Expect it page-aligned,
 * ksize() 32 KiB, meminfo's Slab up by 8 pages, and all back at kfree.
 */
static void kmalloc_large_from_page_allocator(struct ktest *t)
{
	u8 *p;

	KTEST_ASSERT_TRUE(t, slab_boot());
	p = kzalloc(20000, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, (unsigned long)p & (PAGE_SIZE - 1), 0);
	KTEST_EXPECT_EQ(t, ksize(p), 32768);
	KTEST_EXPECT_EQ(t, slab_nr_pages(), 8);
	KTEST_EXPECT_EQ(t, p[0] | p[19999], 0);
	KTEST_EXPECT_TRUE(t, PageHead(virt_to_page(p)) &&
			  !PageSlab(virt_to_page(p)));
	kfree(p);
	KTEST_EXPECT_TRUE(t, slab_recovered());
}

/*
 * Expect kzalloc and kcalloc memory zeroed (after a dirty free of the
 * same class), kmalloc_array/kcalloc to refuse an overflowing product.
 */
static void kzalloc_kcalloc_kmalloc_array(struct ktest *t)
{
	u8 *p, *q;
	size_t i, bad = 0;

	KTEST_ASSERT_TRUE(t, slab_boot());
	p = kmalloc(512, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	memset(p, 0xee, 512);
	kfree(p);
	q = kzalloc(500, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, q == p);	/* LIFO: the same object */
	for (i = 0; i < 512; i++)
		bad += q[i] != 0;
	KTEST_EXPECT_EQ(t, bad, 0);
	kfree(q);
	q = kcalloc(16, 32, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, q == p);
	for (i = 0, bad = 0; i < 512; i++)
		bad += q[i] != 0;
	KTEST_EXPECT_EQ(t, bad, 0);
	kfree(q);
	KTEST_EXPECT_TRUE(t, kmalloc_array(SIZE_MAX / 2, 3, GFP_KERNEL) ==
			  NULL);
	KTEST_EXPECT_TRUE(t, kcalloc(1UL << 40, 1UL << 30, GFP_KERNEL) ==
			  NULL);
	KTEST_EXPECT_TRUE(t, slab_recovered());
}

/*
 * krealloc from 10 to 16 bytes (same kmalloc-16 object), to 3000 (moved,
 * contents kept), to 0 (freed). Expect kstrdup to copy, NULL to NULL.
 */
static void krealloc_and_kstrdup(struct ktest *t)
{
	char *p, *q;

	KTEST_ASSERT_TRUE(t, slab_boot());
	p = krealloc(NULL, 10, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	strcpy(p, "slab");
	q = krealloc(p, 16, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, q == p);
	p = krealloc(q, 3000, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_TRUE(t, p != q);
	KTEST_EXPECT_STREQ(t, p, "slab");
	KTEST_EXPECT_EQ(t, ksize(p), 4096);
	KTEST_EXPECT_TRUE(t, krealloc(p, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	p = kstrdup("rvmem", GFP_KERNEL);
	KTEST_EXPECT_STREQ(t, p, "rvmem");
	kfree(p);
	KTEST_EXPECT_TRUE(t, kstrdup(NULL, GFP_KERNEL) == NULL);
	KTEST_EXPECT_TRUE(t, slab_recovered());
}

/*
 * kvmalloc: small sizes come from kmalloc, a size beyond the largest
 * block from vmalloc (core/mm/vmalloc.c on a software-walked page
 * table). Expect kvfree to free either, the vmalloc pages once purged.
 */
static void kvmalloc_uses_kmalloc(struct ktest *t)
{
	unsigned long size = PAGE_SIZE << (MAX_PAGE_ORDER + 1), off, data;
	char *p;

	KTEST_ASSERT_TRUE(t, mm_fixture_boot_vm(MiB(64), 3));
	data = mm_data_pages();
	p = kvzalloc(100, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, ksize(p), 128);
	kvfree(p);
	p = kvmalloc(40000, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	kvfree(p);
	p = kvmalloc(size, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_TRUE(t, is_vmalloc_addr(p));
	for (off = 0; off < size; off += PAGE_SIZE)
		KTEST_ASSERT_TRUE(t, mm_fixture_kaddr((unsigned long)p + off));
	KTEST_EXPECT_EQ(t, mm_data_pages(), data + (size >> PAGE_SHIFT));
	kvfree(p);
	vm_unmap_aliases();
	KTEST_EXPECT_EQ(t, mm_data_pages(), data);
}

static unsigned int ctor_calls;

static void ctor_fill(void *object)
{
	memset(object, 0xc7, 40);
	ctor_calls++;
}

/*
 * A cache of 40-byte objects, 64-byte aligned, with a constructor.
 * Expect aligned objects, the constructor run once per object of a new
 * slab (not at every allocation), constructed contents kept across a
 * free and an allocation, and kmem_cache_size() 40.
 */
static void kmem_cache_ctor_and_align(struct ktest *t)
{
	struct kmem_cache *s;
	unsigned int calls;
	u8 *p, *q;

	KTEST_ASSERT_TRUE(t, slab_boot());
	ctor_calls = 0;
	s = kmem_cache_create("test_ctor", 40, 64, 0, ctor_fill);
	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_EXPECT_EQ(t, kmem_cache_size(s), 40);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, (unsigned long)p & 63, 0);
	calls = ctor_calls;
	KTEST_EXPECT_TRUE(t, calls >= 8);
	KTEST_EXPECT_EQ(t, p[0], 0xc7);
	kmem_cache_free(s, p);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, q == p);
	KTEST_EXPECT_EQ(t, q[0], 0xc7);
	KTEST_EXPECT_EQ(t, q[39], 0xc7);
	KTEST_EXPECT_EQ(t, ctor_calls, calls);
	kmem_cache_free(s, q);
	kmem_cache_destroy(s);
	KTEST_EXPECT_TRUE(t, slab_recovered());
}

/* Expect bad arguments refused with NULL. */
static void kmem_cache_create_bad_args(struct ktest *t)
{
	KTEST_ASSERT_TRUE(t, slab_boot());
	KTEST_EXPECT_TRUE(t, !kmem_cache_create("zero", 0, 0, 0, NULL));
	KTEST_EXPECT_TRUE(t, !kmem_cache_create("align", 64, 24, 0, NULL));
	KTEST_EXPECT_TRUE(t, !kmem_cache_create(NULL, 64, 0, 0, NULL));
	KTEST_EXPECT_TRUE(t, !kmem_cache_create("huge", 1u << 30, 0, 0,
						NULL));
	KTEST_EXPECT_TRUE(t, slab_recovered());
}

/*
 * SLAB_HWCACHE_ALIGN: 100-byte objects on 64-byte lines, 20-byte ones on
 * 32. Expect that alignment, and slabinfo to count 1000 live objects,
 * then 0 with every slab gone after kmem_cache_shrink().
 */
static void kmem_cache_hwcache_align_and_counts(struct ktest *t)
{
	static void *objs[1000];
	struct kmem_cache *s, *small;
	struct slabinfo info;
	unsigned int i, misaligned = 0;

	KTEST_ASSERT_TRUE(t, slab_boot());
	s = kmem_cache_create("test_hw", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	small = kmem_cache_create("test_hw20", 20, 0, SLAB_HWCACHE_ALIGN,
				  NULL);
	KTEST_ASSERT_TRUE(t, s && small);
	for (i = 0; i < 1000; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KTEST_ASSERT_TRUE(t, objs[i] != NULL);
		misaligned += ((unsigned long)objs[i] & 63) != 0;
	}
	objs[0] = (kmem_cache_free(s, objs[0]), kmem_cache_zalloc(small,
								  GFP_KERNEL));
	KTEST_EXPECT_EQ(t, (unsigned long)objs[0] & 31, 0);
	kmem_cache_free(small, objs[0]);
	KTEST_EXPECT_EQ(t, misaligned, 0);
	slab_drain_cpu(0);
	get_slabinfo(s, &info);
	KTEST_EXPECT_EQ(t, info.active_objs, 999);
	KTEST_EXPECT_EQ(t, info.num_objs, info.num_slabs * s->objects);
	for (i = 1; i < 1000; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_shrink(s);
	get_slabinfo(s, &info);
	KTEST_EXPECT_EQ(t, info.active_objs, 0);
	KTEST_EXPECT_EQ(t, info.num_slabs, 0);
	show_slabinfo();
	show_free_areas();
	kmem_cache_destroy(s);
	kmem_cache_destroy(small);
	KTEST_EXPECT_TRUE(t, slab_recovered());
}

/*
 * A cache destroyed with an object still allocated. Expect it kept (its
 * slab too); freeing the object and destroying again releases all.
 */
static void kmem_cache_destroy_with_live_objects(struct ktest *t)
{
	struct kmem_cache *s;
	void *p;

	KTEST_ASSERT_TRUE(t, slab_boot());
	s = kmem_cache_create("test_leak", 128, 0, 0, NULL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_destroy(s);
	KTEST_EXPECT_EQ(t, s->nr_slabs, 1);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	KTEST_EXPECT_TRUE(t, slab_recovered());
}

/* Allocate order-0 pages until none is left, free them; Return: count. */
static unsigned long take_every_page(void)
{
	struct list_head taken = LIST_HEAD_INIT(taken);
	unsigned long got = 0;
	struct page *page;

	while ((page = alloc_page(GFP_KERNEL | __GFP_NOWARN))) {
		list_add(&page->lru, &taken);
		got++;
	}
	while (!list_empty(&taken)) {
		page = list_first_entry(&taken, struct page, lru);
		list_del(&page->lru);
		__free_page(page);
	}
	return got;
}

/*
 * Fill and empty kmalloc-256 through many slabs. Expect slab_reclaim()
 * to return every page it holds (and say so). Then, with one slab left
 * holding no object (and one slab of this hart's sheaves), expect the
 * page allocator's slow path to reclaim both: as many pages can be taken
 * as with no slab at all.
 */
static void slab_reclaim_returns_empty_slabs(struct ktest *t)
{
	static void *objs[16 * 1024];
	unsigned long held, freed, without;
	unsigned int i;
	void *p;

	KTEST_ASSERT_TRUE(t, slab_boot());
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		objs[i] = kmalloc(256, GFP_KERNEL);
	for (i = 0; i < ARRAY_SIZE(objs); i += 2)
		kfree(objs[i]);
	for (i = 1; i < ARRAY_SIZE(objs); i += 2)
		kfree(objs[i]);
	held = slab_nr_pages();
	KTEST_EXPECT_TRUE(t, held > 0);
	freed = slab_reclaim();
	KTEST_EXPECT_EQ(t, freed, held);
	KTEST_EXPECT_EQ(t, slab_nr_pages(), 0);
	without = take_every_page();
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	KTEST_EXPECT_EQ(t, slab_nr_pages(),
			1 + (1UL << slab_sheaf_cache.s.order));
	KTEST_EXPECT_EQ(t, take_every_page(), without);
	KTEST_EXPECT_EQ(t, slab_nr_pages(), 0);
	KTEST_EXPECT_TRUE(t, slab_recovered());
}

/*
 * kmalloc(192) until memory runs out, the objects chained through their
 * first word, then every one freed. Expect thousands of objects, the
 * failure to be a clean NULL, and after a shrink every page back: the
 * sheaves and the barn hold nothing once flushed.
 */
static void kmalloc_exhaustion_and_recovery(struct ktest *t)
{
	void **head = NULL, **p;
	unsigned long n = 0;

	KTEST_ASSERT_TRUE(t, slab_boot());
	while ((p = kmalloc(192, GFP_KERNEL | __GFP_NOWARN))) {
		*p = head;
		head = p;
		n++;
	}
	KTEST_EXPECT_TRUE(t, n > MiB(32) / 192);
	while (head) {
		p = *head;
		kfree(head);
		head = (void **)p;
	}
	KTEST_EXPECT_TRUE(t, slab_recovered());
}

/*
 * A node's barn keeps full sheaves for each hart it serves. Expect
 * kmalloc-512's (sheaves of 64 objects, 32 KiB) to keep 4 with one hart
 * on the node and 16 with four, and the caches to recover either way.
 */
static void barn_sized_for_the_node_harts(struct ktest *t)
{
	static const unsigned int harts[] = { 1, 4 }, want[] = { 4, 16 };
	struct kmem_cache *s = kmalloc_caches[kmalloc_index(512)];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(harts); i++) {
		boot_info.nr_harts = harts[i];
		if (!slab_boot())
			break;
		KTEST_EXPECT_EQ(t, s->sheaf_capacity, 64);
		KTEST_EXPECT_EQ(t, get_node(s, 0)->barn.max, want[i]);
		KTEST_EXPECT_TRUE(t, slab_recovered());
	}
	boot_info.nr_harts = 0;		/* the other cases' host threads */
	KTEST_EXPECT_EQ(t, i, ARRAY_SIZE(harts));
}

/*
 * A cache with red zone, poison and tracking. Expect the debug layout
 * (free pointer after a red zone), a freed object filled with 0x6b and
 * ending in 0xa5, a live one's red zone 0xcc, and a thousand rounds of
 * allocation and free raising no false alarm.
 */
static void debug_cache_layout_and_poison(struct ktest *t)
{
	struct kmem_cache *s;
	unsigned int i, bad = 0;
	u8 *p, *q;

	KTEST_ASSERT_TRUE(t, slab_boot());
	s = kmem_cache_create("test_debug", 50, 0, SLAB_RED_ZONE |
			      SLAB_POISON | SLAB_STORE_USER, NULL);
	KTEST_ASSERT_TRUE(t, s != NULL);
	KTEST_EXPECT_EQ(t, s->red_end, 64);
	KTEST_EXPECT_EQ(t, s->offset, 64);
	KTEST_EXPECT_EQ(t, s->track_offset, 80);	/* orig size at 72 */
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, p[50], 0xcc);
	KTEST_EXPECT_EQ(t, p[63], 0xcc);
	memset(p, 1, 50);
	kmem_cache_free(s, p);
	for (i = 0; i < 49; i++)
		bad += p[i] != 0x6b;
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, p[49], 0xa5);
	KTEST_EXPECT_EQ(t, p[50], 0xbb);
	for (i = 0; i < 1000; i++) {
		q = kmem_cache_alloc(s, GFP_KERNEL);
		memset(q, 2, 50);
		kmem_cache_free(s, q);
	}
	kmem_cache_destroy(s);
	KTEST_EXPECT_TRUE(t, slab_recovered());
}

/*
 * kmalloc(100) under slub_debug, from kmalloc-128:
 *
 *	| 100 asked for | slack: red zone | red zone |
 *	0               100               128
 *
 * Expect the slack 0xcc (and kzalloc() to leave it so), krealloc() to
 * 120 to keep the object and move the red zone to 120, ksize() to hand
 * out all 128 bytes, and kfree() after writing them to raise no alarm.
 */
static void debug_kmalloc_slack_redzone(struct ktest *t)
{
	slab_flags_t saved = slub_debug;
	u8 *p;

	slub_debug = SLAB_DEBUG_FLAGS;	/* the kmalloc caches take it */
	KTEST_ASSERT_TRUE(t, slab_boot());
	slub_debug = saved;
	p = kzalloc(100, GFP_KERNEL);
	KTEST_ASSERT_TRUE(t, p != NULL);
	KTEST_EXPECT_EQ(t, p[99], 0);
	KTEST_EXPECT_EQ(t, p[100], 0xcc);
	KTEST_EXPECT_EQ(t, p[127], 0xcc);
	KTEST_EXPECT_TRUE(t, krealloc(p, 120, GFP_KERNEL) == p);
	KTEST_EXPECT_EQ(t, p[119], 0xcc);
	memset(p, 1, 120);
	KTEST_EXPECT_EQ(t, p[120], 0xcc);
	KTEST_EXPECT_EQ(t, ksize(p), 128);
	memset(p, 1, 128);
	kfree(p);
	KTEST_EXPECT_TRUE(t, slab_recovered());
}

static const struct ktest_case slab_cases[] = {
	KTEST_CASE(kmalloc_size_classes),
	KTEST_CASE(kmalloc_zero_size_and_null),
	KTEST_CASE(kmalloc_large_from_page_allocator),
	KTEST_CASE(kzalloc_kcalloc_kmalloc_array),
	KTEST_CASE(krealloc_and_kstrdup),
	KTEST_CASE(kvmalloc_uses_kmalloc),
	KTEST_CASE(kmem_cache_ctor_and_align),
	KTEST_CASE(kmem_cache_create_bad_args),
	KTEST_CASE(kmem_cache_hwcache_align_and_counts),
	KTEST_CASE(kmem_cache_destroy_with_live_objects),
	KTEST_CASE(slab_reclaim_returns_empty_slabs),
	KTEST_CASE(kmalloc_exhaustion_and_recovery),
	KTEST_CASE(barn_sized_for_the_node_harts),
	KTEST_CASE(debug_cache_layout_and_poison),
	KTEST_CASE(debug_kmalloc_slack_redzone),
	{}
};

KTEST_SUITE(slab_suite) = {
	.name = "slab",
	.cases = slab_cases,
};
