// SPDX-License-Identifier: MIT
/*
 * What the slab allocator builds on its fast paths (slab.c): creating and
 * destroying caches (object layout, slab order), the kmalloc caches,
 * kmalloc() beyond KMALLOC_MAX_CACHE_SIZE straight from the page
 * allocator, the helpers built on kmalloc()/kfree(), kvmalloc(), and
 * slabinfo.
 *
 * A large kmalloc() is one block of alloc_pages(): PG_head with its order
 * set by the page allocator, and page->large_kind = LARGE_KMALLOC_MARK (or
 * MALLOC_LARGE_MARK, the C heap's) so kfree() can tell it from any other
 * block (whose large_kind is 0).
 *
 * The C heap (core/libc/malloc.c) has caches of its own, malloc-16 to
 * malloc-8k (SLAB_C_HEAP), so its share shows apart at no cost per call:
 * its objects in use are read from those caches as slabinfo reads them,
 * and the pages it holds (slabs, page blocks, vmalloc areas) are counted
 * as they are taken and given back, on slow paths only.
 *
 * Locking: slab_caches_lock protects the list of caches; a cache's own
 * numbers are read under its lock (get_slabinfo()).
 */
#define pr_fmt(fmt) "slab: " fmt

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <rvmem/boot.h>
#include <rvmem/fault-inject.h>
#include <rvmem/internal/numa.h>
#include <rvmem/panic.h>
#include <rvmem/param.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>
#include <rvmem/vmalloc.h>
#include <rvmem/vmstat.h>
#include "internal.h"

#define SLAB_MAX_ORDER		3	/* preferred largest slab: 32 KiB */
#define SLAB_MIN_OBJECTS	8	/* preferred fewest objects a slab */
#define LARGE_KMALLOC_MARK	0x6b6d616cU	/* "kmal" */
#define MALLOC_LARGE_MARK	0x6d616c6cU	/* "mall" */

static unsigned long large_kmalloc_pages;

/*
 * The C heap's blocks outside its slabs (page blocks, vmalloc() areas,
 * KFENCE objects) and the pages it holds: shared atomics, on slow paths
 * only.
 */
static struct {
	unsigned long allocs;
	unsigned long frees;
	long bytes;		/* of the live blocks */
	long vmalloc_bytes;	/* of those, in vmalloc() areas */
	long large_pages;	/* of page blocks (slabinfo's malloc-large) */
	long pages;
	long peak_pages;
} c_heap;

static void c_heap_count_block(long bytes, long pages)
{
	__atomic_fetch_add(bytes > 0 ? &c_heap.allocs : &c_heap.frees, 1,
			   __ATOMIC_RELAXED);
	__atomic_fetch_add(&c_heap.bytes, bytes, __ATOMIC_RELAXED);
	c_heap_account(pages);
}

/*
 * Fault injection (failslab=, Linux's mm/failslab.c), asked by new_slab():
 * an object a sheaf or a partial slab holds needs no memory and is
 * served regardless. __GFP_NOFAIL requests never fail.
 */
DECLARE_FAULT_ATTR(failslab);

static int setup_failslab(const char *val)
{
	return setup_fault_attr(&failslab, val);
}
KERNEL_PARAM(param_failslab, "failslab", setup_failslab,
	     "failslab=<interval>,<probability>,<space>,<times>: "
	     "inject slab growth failures");

bool should_failslab(struct kmem_cache *s, gfp_t gfp)
{
	if (gfp & __GFP_NOFAIL)
		return false;
	return should_fail(&failslab, s->size);
}

/* A different mixing value per cache (splitmix64 of a running seed). */
static unsigned long slab_random(const struct kmem_cache *s)
{
	static unsigned long seed = 0x9e3779b97f4a7c15UL;
	unsigned long z = __atomic_add_fetch(&seed, 0x9e3779b97f4a7c15UL ^
					     (unsigned long)s,
					     __ATOMIC_RELAXED);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
	return z ^ (z >> 31);
}

static unsigned int calculate_alignment(slab_flags_t flags,
					unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = L1_CACHE_BYTES;

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	return max(align, (unsigned int)sizeof(void *));
}

/* The smallest order whose slab holds enough objects with little waste. */
static int calculate_order(struct kmem_cache *s)
{
	unsigned int order;

	for (order = 0; order <= MAX_PAGE_ORDER; order++) {
		unsigned long slab = PAGE_SIZE << order;
		unsigned long n = slab / s->size;

		if (!n)
			continue;
		if (order >= SLAB_MAX_ORDER || (n >= SLAB_MIN_OBJECTS &&
						(slab - n * s->size) * 8 <= slab)) {
			s->order = order;
			s->objects = n;
			return 0;
		}
	}
	return -EINVAL;
}

/* The constants slab_object_start() uses. */
static void calculate_recip(struct kmem_cache *s)
{
	unsigned int k = __builtin_ctz(s->size);
	unsigned long d = s->size >> k, inv = d;
	int i;

	for (i = 0; i < 5; i++)		/* Newton: 3, 6, ..., 96 bits */
		inv *= 2 - d * inv;
	s->recip = inv;
	s->recip_limit = (unsigned long)s->objects << k;
	s->recip_mask = (1UL << k) - 1;
	s->slab_mask = (PAGE_SIZE << s->order) - 1;
	/* A power-of-two size tiles its naturally aligned slab exactly. */
	s->align_mask = d == 1 ? s->size - 1 : ~0UL;
}

/*
 * Objects per sheaf: about SLAB_SHEAF_BYTES of them, 2 to SLAB_SHEAF_MAX,
 * so a hart parks little memory, and full sheaves the barn keeps; none
 * for debug caches and objects larger than that (each takes the locked
 * path).
 */
static void calculate_sheaf_capacity(struct kmem_cache *s)
{
	if (s->size > SLAB_SHEAF_BYTES)
		s->flags |= SLAB_NO_SHEAVES;
	if (s->flags & SLAB_LOCKED_PATH)
		return;
	s->sheaf_capacity = clamp(SLAB_SHEAF_BYTES / s->size, 2u,
				  (unsigned int)SLAB_SHEAF_MAX);
}

/*
 * Full sheaves node @nid's barn keeps: about SLAB_BARN_BYTES of objects
 * for each hart on the node. The barn is what a hart's bursts run into
 * once its own two sheaves are spent; a fixed size shared by more harts
 * would leave each less, and send their bursts to the slabs under the
 * lock.
 */
static unsigned int calculate_barn_max(const struct kmem_cache *s, int nid)
{
	unsigned int harts = max(nr_harts_on_node(nid), 1u);

	if (!s->sheaf_capacity)
		return 0;
	return clamp(SLAB_BARN_BYTES * harts /
		     (s->sheaf_capacity * s->size), 2u,
		     (unsigned int)SLAB_BARN_MAX);
}

/* Where the free pointer goes, and the object stride before alignment. */
static unsigned int calculate_layout(struct kmem_cache *s)
{
	unsigned int end = ALIGN(s->object_size, (unsigned int)sizeof(void *));

	if (s->flags & SLAB_DEBUG_FLAGS) {
		slab_debug_layout(s);
		return s->size;
	}
	if (!s->ctor)
		return end;		/* the pointer reuses a free object */
	s->offset = end;		/* keep the constructed contents */
	return end + sizeof(void *);
}

int __kmem_cache_create(struct kmem_cache *s, const char *name,
			unsigned int size, unsigned int align,
			slab_flags_t flags, void (*ctor)(void *))
{
	unsigned long irqflags;
	unsigned int cpu;
	int nid;

	if (!name || !size || size > (PAGE_SIZE << MAX_PAGE_ORDER) / 2 ||
	    (align & (align - 1)) || align > PAGE_SIZE)
		return -EINVAL;
	s->name = name;
	s->object_size = size;
	s->flags = flags | slub_debug;
	if (ctor)	/* poison would wipe what the constructor built */
		s->flags &= ~SLAB_POISON;
	s->ctor = ctor;
	s->align = calculate_alignment(s->flags, align, size);
	s->size = ALIGN(calculate_layout(s), s->align);
	if (calculate_order(s))
		return -EINVAL;
	calculate_recip(s);
	calculate_sheaf_capacity(s);
	s->random = slab_random(s);
	s->lock = (spinlock_t)SPINLOCK_INIT;
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		struct kmem_cache_node *n = get_node(s, nid);

		INIT_LIST_HEAD(&n->partial);
		INIT_LIST_HEAD(&n->full);
		INIT_LIST_HEAD(&n->barn.full);
		INIT_LIST_HEAD(&n->barn.empty);
		n->barn.max = calculate_barn_max(s, nid);
	}
	for (cpu = 0; cpu < slab_nr_cpus; cpu++) {
		s->cpu[cpu].cache = s;
		slab_cpu_init(&s->cpu[cpu]);
	}
	irqflags = spin_lock_irqsave(&slab_caches_lock);
	list_add_tail(&s->list, &slab_caches);
	spin_unlock_irqrestore(&slab_caches_lock, irqflags);
	return 0;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s = kzalloc(sizeof(*s) + slab_nr_cpus *
				       sizeof(s->cpu[0]), GFP_KERNEL);
	int err = s ? __kmem_cache_create(s, name, size, align, flags, ctor) :
		      -ENOMEM;

	if (!err)
		return s;
	kfree(s);
	if (flags & SLAB_PANIC)
		panic("kmem_cache_create: cannot create cache %s (size %u, "
		      "align %u): %d", name ? name : "(null)", size, align,
		      err);
	pr_warn("kmem_cache_create(%s, %u, %u): %d\n", name ? name : "(null)",
		size, align, err);
	return NULL;
}

unsigned int kmem_cache_size(const struct kmem_cache *s)
{
	return s->object_size;
}

/* Free objects in a hart's sheaves: racy unless it is the caller's. */
static unsigned long cpu_sheaf_objects(const struct kmem_cache_cpu *c)
{
	struct slab_sheaf *main = READ_ONCE(c->main);
	struct slab_sheaf *spare = READ_ONCE(c->spare);

	if (!main || !spare)
		return 0;
	return (READ_ONCE(c->top) - main->objects) + READ_ONCE(spare->nr);
}

void get_slabinfo(struct kmem_cache *s, struct slabinfo *info)
{
	unsigned long flags = spin_lock_irqsave(&s->lock), free = 0;
	struct list_head *pos;
	unsigned int cpu;
	int nid;

	info->barn_objs = 0;
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		struct kmem_cache_node *n = get_node(s, nid);

		list_for_each(pos, &n->partial)
			free += s->objects -
				slab_inuse(list_entry(pos, struct page, lru));
		list_for_each(pos, &n->barn.full)
			info->barn_objs += list_entry(pos, struct slab_sheaf,
						      list)->nr;
	}
	info->cpu_objs = 0;
	info->frees = 0;
	for (cpu = 0; cpu < slab_nr_cpus; cpu++) {
		info->cpu_objs += cpu_sheaf_objects(&s->cpu[cpu]);
		info->frees += READ_ONCE(s->cpu[cpu].frees);
	}
	info->num_slabs = s->nr_slabs;
	info->num_objs = s->nr_slabs * s->objects;
	info->active_objs = info->num_objs - free - info->barn_objs -
			    info->cpu_objs;
	info->pages = s->nr_slabs << s->order;
	spin_unlock_irqrestore(&s->lock, flags);
}

/* Up to a few live objects' addresses (and allocators, if tracked). */
static void report_live_objects(struct kmem_cache *s, unsigned long live)
{
	pr_err("kmem_cache_destroy %s: %lu object%s still in use; the cache "
	       "is kept\n", s->name, live, live == 1 ? "" : "s");
	if (s->flags & SLAB_STORE_USER)
		slab_debug_show_live(s, 8);
	else
		pr_err("  (boot with slub_debug=U to see who allocated them)\n");
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	struct slabinfo info;
	unsigned long flags;

	if (!s)
		return;
	kmem_cache_shrink(s);
	get_slabinfo(s, &info);
	info.active_objs += kfence_shutdown_cache(s);
	if (info.active_objs || info.num_slabs) {
		report_live_objects(s, info.active_objs);
		return;
	}
	flags = spin_lock_irqsave(&slab_caches_lock);
	list_del(&s->list);
	/* Its frees stay counted; as its objects are all free, so do
	 * their allocations (see include/rvmem/vmstat.h). */
	count_vm_events(SLAB_FREE, info.frees);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	kfree(s);
}

/* ceil(log2(size)) for size >= 2, without a bit-scan instruction. */
static unsigned int order_base_2(unsigned long size)
{
	unsigned int shift = 0;

	while ((1UL << shift) < size)
		shift++;
	return shift;
}

static struct kmem_cache_static kmalloc_storage[KMALLOC_SHIFT_HIGH + 1];

struct kmem_cache *const kmalloc_caches[KMALLOC_SHIFT_HIGH + 1] = {
	NULL, &kmalloc_storage[1].s, &kmalloc_storage[2].s,
	&kmalloc_storage[3].s, &kmalloc_storage[4].s, &kmalloc_storage[5].s,
	&kmalloc_storage[6].s, &kmalloc_storage[7].s, &kmalloc_storage[8].s,
	&kmalloc_storage[9].s, &kmalloc_storage[10].s, &kmalloc_storage[11].s,
	&kmalloc_storage[12].s, &kmalloc_storage[13].s,
};

static const char *const kmalloc_names[KMALLOC_SHIFT_HIGH + 1] = {
	NULL, "kmalloc-96", "kmalloc-192", "kmalloc-8", "kmalloc-16",
	"kmalloc-32", "kmalloc-64", "kmalloc-128", "kmalloc-256",
	"kmalloc-512", "kmalloc-1k", "kmalloc-2k", "kmalloc-4k", "kmalloc-8k",
};

/* The C heap's: no 8-byte class, as malloc() aligns to 16. */
#define MALLOC_INDEX_MIN	4	/* malloc-16 */
static struct kmem_cache_static malloc_storage[KMALLOC_SHIFT_HIGH + 1];
static const char *const malloc_names[KMALLOC_SHIFT_HIGH + 1] = {
	NULL, "malloc-96", "malloc-192", NULL, "malloc-16", "malloc-32",
	"malloc-64", "malloc-128", "malloc-256", "malloc-512", "malloc-1k",
	"malloc-2k", "malloc-4k", "malloc-8k",
};

static unsigned int kmalloc_size(unsigned int index)
{
	return index == 1 ? 96 : index == 2 ? 192 : 1u << index;
}

unsigned int slab_nr_cpus;

/* Create a cache in static memory, or end the boot. */
static void create_boot_cache(struct kmem_cache_static *c, const char *name,
			      unsigned int size, unsigned int align,
			      slab_flags_t flags)
{
	_Static_assert(offsetof(struct kmem_cache_static, cpu) ==
		       offsetof(struct kmem_cache, cpu),
		       "a static cache's harts follow it");
	memset(c, 0, sizeof(*c));
	if (__kmem_cache_create(&c->s, name, size, align, flags, NULL))
		panic("kmem_cache_init: cannot create %s", name);
}

/* A kmalloc (or malloc) cache of kmalloc_size(@index) bytes. */
static void create_kmalloc_cache(struct kmem_cache_static *c,
				 const char *name, unsigned int index,
				 slab_flags_t flags)
{
	unsigned int size = kmalloc_size(index);

	/* powers of two stay naturally aligned, even with debug */
	create_boot_cache(c, name, size,
			  min(size & -size, (unsigned int)PAGE_SIZE), flags);
}

void kmem_cache_init(void)
{
	unsigned int i;

	/* from scratch: the host tests boot the mm many times */
	INIT_LIST_HEAD(&slab_caches);
	slab_pages = 0;
	large_kmalloc_pages = 0;
	memset(&c_heap, 0, sizeof(c_heap));
	/* every hart the device tree lists; the host's threads play any */
	slab_nr_cpus = boot_info.nr_harts ? boot_info.nr_harts : NR_CPUS;
	for (i = 0; i < NR_CPUS; i++)
		harts[i].cpu_slab_offset = i * sizeof(struct kmem_cache_cpu);
	create_boot_cache(&slab_sheaf_cache, "kmem_sheaf",
			  sizeof(struct slab_sheaf), 0, SLAB_NO_SHEAVES);
	for (i = 1; i <= KMALLOC_SHIFT_HIGH; i++)
		create_kmalloc_cache(&kmalloc_storage[i], kmalloc_names[i], i,
				     0);
	for (i = 1; i <= KMALLOC_SHIFT_HIGH; i++)
		if (malloc_names[i])
			create_kmalloc_cache(&malloc_storage[i],
					     malloc_names[i], i, SLAB_C_HEAP);
	for (i = 0; i < KMALLOC_SIZE_SLOTS; i++) {
		unsigned int index = kmalloc_index((i + 1) * 8);

		kmalloc_size_caches[i] = kmalloc_caches[index];
		malloc_size_caches[i] = &malloc_storage[index ==
			KMALLOC_SHIFT_LOW ? MALLOC_INDEX_MIN : index].s;
	}
}

/* Count the C heap's pages, and the most it ever held. */
void c_heap_account(long pages)
{
	long now = __atomic_add_fetch(&c_heap.pages, pages, __ATOMIC_RELAXED);
	long peak = READ_ONCE(c_heap.peak_pages);

	while (now > peak &&
	       !__atomic_compare_exchange_n(&c_heap.peak_pages, &peak, now,
					    true, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
}

/*
 * Pages from the buddy allocator, marked as a large kmalloc or malloc,
 * from node @nid first (NUMA_NO_NODE: the caller's).
 */
static void *large_alloc(size_t size, gfp_t gfp, unsigned long mark,
			 int nid, unsigned long caller)
{
	struct page *page;
	unsigned int order;
	char sym[64];

	if (!size)
		return ZERO_SIZE_PTR;
	if (size > PAGE_SIZE << MAX_PAGE_ORDER) {
		format_symbol(sym, sizeof(sym), caller);
		if (!(gfp & __GFP_NOWARN))
			pr_warn("kmalloc(%zu): larger than any block (%lu "
				"bytes), caller %s\n", size,
				PAGE_SIZE << MAX_PAGE_ORDER, sym);
		return NULL;
	}
	order = order_base_2(DIV_ROUND_UP(size, PAGE_SIZE));
	gfp |= __GFP_COMP;
	page = alloc_pages_node(nid, gfp, order);
	if (!page)
		return NULL;
	page->large_kind = mark;
	if (mark == MALLOC_LARGE_MARK) {
		__atomic_fetch_add(&c_heap.large_pages, 1L << order,
				   __ATOMIC_RELAXED);
		c_heap_count_block(PAGE_SIZE << order, 1L << order);
	} else {
		__atomic_fetch_add(&large_kmalloc_pages, 1UL << order,
				   __ATOMIC_RELAXED);
	}
	return page_address(page);
}

void *kmalloc_large(size_t size, gfp_t gfp)
{
	return large_alloc(size, gfp, LARGE_KMALLOC_MARK, NUMA_NO_NODE,
			   _RET_IP_);
}

void *kmalloc_large_node(size_t size, gfp_t gfp, int nid)
{
	return large_alloc(size, gfp, LARGE_KMALLOC_MARK, nid, _RET_IP_);
}

void *__malloc_large(size_t size, gfp_t gfp)
{
	return large_alloc(size, gfp, MALLOC_LARGE_MARK, NUMA_NO_NODE,
			   _RET_IP_);
}

static bool is_large_mark(unsigned int kind)
{
	return kind == LARGE_KMALLOC_MARK || kind == MALLOC_LARGE_MARK;
}

size_t large_kmalloc_size(const struct page *page, const void *x)
{
	if (!page || !PageHead(page) || !is_large_mark(page->large_kind) ||
	    x != page_address(page))
		return 0;
	return PAGE_SIZE << page->order;
}

/* Why kfree() of @x, which has no struct page to go by, is invalid. */
static const char *no_page_reason(const void *x)
{
	if (is_vmalloc_addr(x))
		return "a vmalloc address: vfree() frees it";
	if (pfn_valid(__pa(x) >> PAGE_SHIFT))
		return "in RAM no allocator has handed out yet";
	return "not in RAM";
}

void kfree_large(const void *x, struct page *page)
{
	unsigned long caller = _RET_IP_;

	if (!page && is_kfence_address(x)) {
		kfence_free(NULL, (void *)x, caller);
		return;
	}
	if (!page)
		kfree_invalid(x, no_page_reason(x), caller);
	if (!large_kmalloc_size(page, x))
		kfree_invalid(x, PageHead(page) &&
			      is_large_mark(page->large_kind) ? "inside a large "
			      "kmalloc block" : "not from kmalloc (or freed "
			      "already)", caller);
	if (page->large_kind == MALLOC_LARGE_MARK) {
		__atomic_fetch_sub(&c_heap.large_pages, 1L << page->order,
				   __ATOMIC_RELAXED);
		c_heap_count_block(-(PAGE_SIZE << page->order),
				   -(1L << page->order));
	} else {
		__atomic_fetch_sub(&large_kmalloc_pages, 1UL << page->order,
				   __ATOMIC_RELAXED);
	}
	page->large_kind = 0;
	__free_pages(page, page->order);
}

void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	size_t old;
	void *n;

	if (ZERO_OR_NULL_PTR(p))
		return kmalloc(new_size, gfp);
	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	old = __ksize(p, new_size);
	if (!old)
		kfree_invalid(p, "krealloc() of memory kmalloc() did not "
			      "hand out", _RET_IP_);
	if (new_size <= old)
		return (void *)p;
	n = kmalloc(new_size, gfp);
	if (!n)
		return NULL;
	memcpy(n, p, old);
	kfree(p);
	return n;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	p = kmalloc(len, gfp);
	if (p)
		memcpy(p, s, len);
	return p;
}

void *kvmalloc(size_t size, gfp_t gfp)
{
	void *p = kmalloc(size, gfp | __GFP_NOWARN | __GFP_NORETRY);

	if (p)
		return p;
	/* The vmalloc fallback: virtually contiguous pages. */
	return __vmalloc(size, gfp);
}

void *kvzalloc(size_t size, gfp_t gfp)
{
	return kvmalloc(size, gfp | __GFP_ZERO);
}

void kvfree(const void *p)
{
	if (is_vmalloc_addr(p))
		vfree(p);
	else
		kfree(p);
}

unsigned long slab_nr_pages(void)
{
	return READ_ONCE(slab_pages) + READ_ONCE(large_kmalloc_pages) +
	       READ_ONCE(c_heap.large_pages);
}

void slab_vm_events(unsigned long *frees, unsigned long *active)
{
	unsigned long flags = spin_lock_irqsave(&slab_caches_lock);
	struct list_head *pos;

	*frees = *active = 0;
	list_for_each(pos, &slab_caches) {
		struct slabinfo info;

		get_slabinfo(list_entry(pos, struct kmem_cache, list), &info);
		*frees += info.frees;
		*active += info.active_objs;
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	kfence_vm_events(frees, active);
}

void c_heap_count_vmalloc(long bytes)
{
	__atomic_fetch_add(&c_heap.vmalloc_bytes, bytes, __ATOMIC_RELAXED);
	c_heap_count_block(bytes, bytes / (long)PAGE_SIZE);
}

/* A KFENCE object holds a page of its own while it lives. */
void c_heap_count_object(const struct kmem_cache *s, bool alloc)
{
	c_heap_count_block(alloc ? s->object_size : -(long)s->object_size,
			   alloc ? 1 : -1);
}

unsigned long c_heap_nr_pages(void)
{
	return READ_ONCE(c_heap.pages);
}

void c_heap_get_stats(struct c_heap_stats *st)
{
	unsigned int i;

	st->vmalloc_bytes = READ_ONCE(c_heap.vmalloc_bytes);
	st->allocs = READ_ONCE(c_heap.allocs);
	st->frees = READ_ONCE(c_heap.frees);
	st->bytes_in_use = READ_ONCE(c_heap.bytes);
	for (i = 1; i <= KMALLOC_SHIFT_HIGH; i++) {
		struct kmem_cache *s = &malloc_storage[i].s;
		struct slabinfo info;

		if (!malloc_names[i])
			continue;
		get_slabinfo(s, &info);
		st->allocs += info.frees + info.active_objs;
		st->frees += info.frees;
		st->bytes_in_use += info.active_objs * s->object_size;
	}
	st->pages = READ_ONCE(c_heap.pages);
	st->peak_pages = READ_ONCE(c_heap.peak_pages);
}

void show_slabinfo(void)
{
	unsigned long flags = spin_lock_irqsave(&slab_caches_lock);
	struct list_head *pos;

	printk("slabinfo:\n%-18s %7s %8s %8s %6s %6s %6s %5s %9s\n", "# name",
	       "objsize", "active", "total", "harts", "barn", "slabs", "order",
	       "memory");
	list_for_each(pos, &slab_caches) {
		struct kmem_cache *s = list_entry(pos, struct kmem_cache,
						  list);
		struct slabinfo info;

		get_slabinfo(s, &info);
		printk("%-18s %7u %8lu %8lu %6lu %6lu %6lu %5u %8luK\n",
		       s->name, s->object_size, info.active_objs,
		       info.num_objs, info.cpu_objs, info.barn_objs,
		       info.num_slabs, s->order,
		       info.pages << (PAGE_SHIFT - 10));
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	printk("%-18s %7s %8s %8s %6s %6s %6s %5s %8luK\n", "kmalloc-large",
	       "-", "-", "-", "-", "-", "-", "-",
	       READ_ONCE(large_kmalloc_pages) << (PAGE_SHIFT - 10));
	printk("%-18s %7s %8s %8s %6s %6s %6s %5s %8luK\n", "malloc-large",
	       "-", "-", "-", "-", "-", "-", "-",
	       READ_ONCE(c_heap.large_pages) << (PAGE_SHIFT - 10));
	printk("(harts, barn: free objects in the harts' sheaves and in the "
	       "barn; kmem_sheaf holds the sheaves, %zu bytes each, at most "
	       "two a hart a cache; KFENCE objects are not counted above)\n",
	       sizeof(struct slab_sheaf));
	show_kfence();
}
