// SPDX-License-Identifier: MIT
/*
 * Slab debugging: red zones, poisoning, caller tracking, and the reports
 * every build makes of a misused object.
 *
 * A cache with any of SLAB_DEBUG_FLAGS (its own, or from the slub_debug
 * boot parameter; --debug builds default to all of them) keeps no
 * active slabs: every allocation and free runs here, under the cache
 * lock, on the slabs' own freelists. Its objects are laid out as
 *
 *	| object (object_size) | red zone | free pointer | orig size | tracks |
 *	0                      object_size red_end      offset              size
 *
 * (orig size, a word, only with red zones; the alloc and free tracks at
 * track_offset only with SLAB_STORE_USER.)
 *
 * A free object is filled with POISON_FREE (its last byte POISON_END)
 * and its red zone with SLUB_RED_INACTIVE; an allocated one has its red
 * zone SLUB_RED_ACTIVE, and so has the slack [orig size, object_size)
 * after the bytes kmalloc() was asked for (Linux's kmalloc red zone). So
 * an allocation finds a write after free (the poison changed), a free
 * finds an overflow (the red zone or the slack changed) and a double
 * free (the red zone says free, or the object is on the freelist).
 *
 * Locking: everything here runs under s->lock, taken with interrupts off;
 * a report panics with it held.
 */
#define pr_fmt(fmt) fmt

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <rvmem/panic.h>
#include <rvmem/param.h>
#include <rvmem/printk.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>
#include "internal.h"

#define POISON_FREE		0x6b
#define POISON_END		0xa5
#define SLUB_RED_INACTIVE	0xbb
#define SLUB_RED_ACTIVE		0xcc

enum track_item { TRACK_ALLOC, TRACK_FREE };

/* Who last allocated or freed an object (SLAB_STORE_USER). */
struct track {
	unsigned long addr;	/* caller's return address, 0 if none */
	unsigned int cpu;
};

#ifdef CONFIG_DEBUG
slab_flags_t slub_debug = SLAB_DEBUG_FLAGS;
#else
slab_flags_t slub_debug;
#endif

static int setup_slub_debug(const char *val)
{
	slab_flags_t flags = 0;

	if (!val || !*val) {
		slub_debug = SLAB_DEBUG_FLAGS;
		return 0;
	}
	for (; *val; val++) {
		switch (*val | 0x20) {	/* either case */
		case 'f':
			flags |= SLAB_CONSISTENCY_CHECKS;
			break;
		case 'z':
			flags |= SLAB_RED_ZONE;
			break;
		case 'p':
			flags |= SLAB_POISON;
			break;
		case 'u':
			flags |= SLAB_STORE_USER;
			break;
		case '-':
			flags = 0;
			break;
		default:
			return -EINVAL;
		}
	}
	slub_debug = flags;
	return 0;
}
KERNEL_PARAM(param_slub_debug, "slub_debug", setup_slub_debug,
	     "slub_debug[=FZPU]: slab checks on every cache: F sanity, "
	     "Z red zones, P poisoning, U caller tracking (no letters: all; "
	     "'-': none)");

void slab_debug_layout(struct kmem_cache *s)
{
	unsigned int end = ALIGN(s->object_size, (unsigned int)sizeof(void *));

	s->red_end = s->object_size;
	if (s->flags & SLAB_RED_ZONE) {
		end += sizeof(void *);	/* at least a word of red zone */
		s->red_end = end;
	}
	s->offset = end;
	end += sizeof(void *);
	if (s->flags & SLAB_RED_ZONE)
		end += sizeof(unsigned long);	/* the orig size */
	if (s->flags & SLAB_STORE_USER) {
		s->track_offset = end;
		end += 2 * sizeof(struct track);
	}
	s->size = end;
}

static struct track *get_track(const struct kmem_cache *s,
			       const void *object, enum track_item item)
{
	return (struct track *)((char *)object + s->track_offset) + item;
}

static void set_track(struct kmem_cache *s, void *object,
		      enum track_item item, unsigned long addr)
{
	struct track *t = get_track(s, object, item);

	if (!(s->flags & SLAB_STORE_USER))
		return;
	t->addr = addr;
	t->cpu = addr ? smp_processor_id() : 0;
}

/* The bytes of @object its allocator asked for (with red zones only). */
static unsigned long *orig_size(const struct kmem_cache *s,
				const void *object)
{
	return (unsigned long *)((char *)object + s->offset +
				 sizeof(void *));
}

/* Red zone and slack of an allocated object asked @size bytes of. */
static void set_orig_size(struct kmem_cache *s, void *object,
			  unsigned long size)
{
	*orig_size(s, object) = size;
	memset((u8 *)object + size, SLUB_RED_ACTIVE, s->red_end - size);
}

/* Poison and red zone for an object that is free (or just made). */
static void mark_free(struct kmem_cache *s, void *object)
{
	u8 *p = object;

	if (s->flags & SLAB_POISON) {
		memset(p, POISON_FREE, s->object_size - 1);
		p[s->object_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE)
		memset(p + s->object_size, SLUB_RED_INACTIVE,
		       s->red_end - s->object_size);
}

void init_debug_object(struct kmem_cache *s, void *object)
{
	mark_free(s, object);
	set_track(s, object, TRACK_ALLOC, 0);
	set_track(s, object, TRACK_FREE, 0);
}

/* The first byte of [@p, @p + @n) that is not @value, or NULL. */
static const u8 *first_other_byte(const u8 *p, u8 value, size_t n)
{
	for (; n; n--, p++)
		if (*p != value)
			return p;
	return NULL;
}

static void print_track(const struct kmem_cache *s, const void *object,
			enum track_item item)
{
	const struct track *t = get_track(s, object, item);
	const char *what = item == TRACK_ALLOC ? "Allocated" : "Freed";
	char sym[64];

	if (!t->addr) {
		pr_err("%s by: -\n", what);
		return;
	}
	format_symbol(sym, sizeof(sym), t->addr);
	pr_err("%s by %s on cpu %u\n", what, sym, t->cpu);
}

void slab_report(const struct kmem_cache *s, const void *object,
		 unsigned long offset, const char *what, const char *detail,
		 unsigned long caller)
{
	char sym[64];

	panic_enter();
	pr_err("==================================================="
	       "==========================\n");
	pr_err("BUG %s: %s\n", s->name, what);
	pr_err("---------------------------------------------------"
	       "--------------------------\n");
	pr_err("Object %p @offset=%lu (cache %s, object size %u)\n", object,
	       offset, s->name, s->object_size);
	if (detail)
		pr_err("%s\n", detail);
	if (s->flags & SLAB_STORE_USER) {
		print_track(s, object, TRACK_ALLOC);
		print_track(s, object, TRACK_FREE);
	} else {
		pr_err("Allocated by/freed by: not tracked (boot with "
		       "slub_debug=U)\n");
	}
	if (caller) {
		format_symbol(sym, sizeof(sym), caller);
		pr_err("Caller: %s\n", sym);
	}
	panic("slab: %s in %s, object %p", what, s->name, object);
}

void slab_bad_pointer(const struct kmem_cache *s, const struct page *page,
		      const void *x, unsigned long caller)
{
	unsigned long base = slab_base(page), off = (unsigned long)x - base;
	unsigned long index = off / s->size;
	const void *object = (const char *)base + index * s->size;

	if (index >= s->objects)
		slab_report(s, x, 0, "invalid free (not an object of the "
			    "slab)", NULL, caller);
	if (x != object)
		slab_report(s, object, (unsigned long)x -
			    (unsigned long)object, "invalid free (inside an "
			    "object)", NULL, caller);
	slab_report(s, object, 0, "double free", NULL, caller);
}

void slab_free_bad(const struct kmem_cache *s, const void *x)
{
	struct page *page = virt_to_page_or_null(x);

	if (!page || !PageSlab(page))
		slab_report(s, x, 0, "free of an object no cache handed out",
			    NULL, _RET_IP_);
	if (page->slab_cache != s)
		slab_report(s, x, 0, "free to the wrong cache",
			    page->slab_cache->name, _RET_IP_);
	slab_bad_pointer(s, slab_head(s, page), x, _RET_IP_);
}

void slab_report_freelist(const struct kmem_cache *s, const void *object,
			  const void *next)
{
	char detail[120];

	snprintf(detail, sizeof(detail), "The free object's next pointer "
		 "decodes to %p, not an object of its slab", next);
	slab_report(s, object, s->offset, "freelist pointer corrupted",
		    detail, 0);
}

void kfree_invalid(const void *x, const char *why, unsigned long caller)
{
	char sym[64];

	panic_enter();
	format_symbol(sym, sizeof(sym), caller);
	pr_err("BUG kfree: invalid free of %p (%s), caller %s\n", x, why, sym);
	panic("slab: invalid free of %p by %s", x, sym);
}

/* Is @x on @page's freelist? The walk checks every pointer it follows. */
static bool on_freelist(const struct kmem_cache *s, const struct page *page,
			const void *x)
{
	unsigned long base = slab_base(page);
	const void *p = page->freelist;
	unsigned int n = 0;

	while (p && n++ < s->objects) {
		const void *next = get_freepointer(s, p);

		if (p == x)
			return true;
		if (next && !slab_object_start(s, base, next))
			slab_report_freelist(s, p, next);
		p = next;
	}
	return false;
}

/* A free object about to be handed out: poison and red zone intact? */
static void check_free_object(const struct kmem_cache *s, const u8 *object,
			      unsigned long caller)
{
	char detail[100];
	const u8 *bad;
	u8 want;

	if (s->flags & SLAB_RED_ZONE) {
		want = SLUB_RED_INACTIVE;
		bad = first_other_byte(object + s->object_size, want,
				       s->red_end - s->object_size);
		if (bad)
			goto redzone;
	}
	if (s->flags & SLAB_POISON) {
		want = POISON_FREE;
		bad = first_other_byte(object, want, s->object_size - 1);
		if (!bad && object[s->object_size - 1] != POISON_END) {
			want = POISON_END;
			bad = object + s->object_size - 1;
		}
		if (bad) {
			snprintf(detail, sizeof(detail), "Written after free: "
				 "byte %#x instead of %#x", *bad, want);
			slab_report(s, object, bad - object,
				    "Poison overwritten (use after free)",
				    detail, caller);
		}
	}
	return;
redzone:
	snprintf(detail, sizeof(detail), "Byte %#x instead of %#x", *bad, want);
	slab_report(s, object, bad - object, "Redzone overwritten (free object)",
		    detail, caller);
}

/*
 * An allocated object's red zone, from the end of the bytes asked for:
 * intact? (A red zone that says free is a double free.)
 */
static void check_redzone_active(const struct kmem_cache *s,
				 const u8 *object, unsigned long caller)
{
	size_t n = s->red_end - s->object_size;
	unsigned long size = *orig_size(s, object);
	char detail[100];
	const u8 *bad;

	if (!first_other_byte(object + s->object_size, SLUB_RED_INACTIVE, n))
		slab_report(s, object, 0, "double free", NULL, caller);
	if (size > s->object_size)	/* not from kmalloc: trust none of it */
		size = s->object_size;
	bad = first_other_byte(object + size, SLUB_RED_ACTIVE,
			       s->red_end - size);
	if (!bad)
		return;
	snprintf(detail, sizeof(detail), "Overflow: byte %#x instead of %#x "
		 "(%lu bytes asked for)", *bad, SLUB_RED_ACTIVE, size);
	slab_report(s, object, bad - object, "Right Redzone overwritten",
		    detail, caller);
}

/* An object being freed: in use, and its red zone intact? */
static void check_live_object(const struct kmem_cache *s,
			      const struct page *page, const u8 *object,
			      unsigned long caller)
{
	if (s->flags & SLAB_RED_ZONE)
		check_redzone_active(s, object, caller);
	if (on_freelist(s, page, object))
		slab_report(s, object, 0, "double free", NULL, caller);
}

void *debug_slab_alloc(struct kmem_cache *s, gfp_t gfp,
		       unsigned int orig_size, int nid, unsigned long caller)
{
	unsigned long flags = spin_lock_irqsave(&s->lock);
	struct kmem_cache_node *n;
	struct page *page;
	void *object, *next;

	n = get_node(s, nid == NUMA_NO_NODE ? numa_node_id() : nid);
	if (!n->nr_partial) {
		spin_unlock_irqrestore(&s->lock, flags);
		page = new_slab(s, gfp, nid);
		if (!page)
			return NULL;
		flags = spin_lock_irqsave(&s->lock);
		s->nr_slabs++;
		slab_list_add(s, page);
		n = get_node(s, page_to_nid(page));	/* the node it came from */
	}
	page = list_first_entry(&n->partial, struct page, lru);
	object = page->freelist;
	next = get_freepointer(s, object);
	if (next && !slab_object_start(s, slab_base(page), next))
		slab_report_freelist(s, object, next);
	check_free_object(s, object, caller);
	slab_list_del(s, page);
	page->freelist = next;
	page->counters++;
	slab_list_add(s, page);
	if (!orig_size)
		orig_size = s->object_size;
	if (s->flags & SLAB_RED_ZONE)
		set_orig_size(s, object, orig_size);
	set_track(s, object, TRACK_ALLOC, caller);
	set_track(s, object, TRACK_FREE, 0);
	spin_unlock_irqrestore(&s->lock, flags);
	if (gfp & __GFP_ZERO)	/* not the slack: that is red zone */
		memset(object, 0, orig_size);
	return object;
}

void slab_debug_resize(struct kmem_cache *s, struct page *page, void *x,
		       size_t size)
{
	unsigned long flags;

	if (!(s->flags & SLAB_RED_ZONE))
		return;
	flags = spin_lock_irqsave(&s->lock);
	check_live_object(s, page, x, _RET_IP_);
	set_orig_size(s, x, size);
	spin_unlock_irqrestore(&s->lock, flags);
}

void debug_slab_free(struct kmem_cache *s, struct page *page, void *x,
		     unsigned long caller)
{
	unsigned long flags = spin_lock_irqsave(&s->lock);

	if (!slab_object_start(s, slab_base(page), x) || !slab_inuse(page))
		slab_bad_pointer(s, page, x, caller);
	check_live_object(s, page, x, caller);
	mark_free(s, x);
	set_track(s, x, TRACK_FREE, caller);
	set_freepointer(s, x, page->freelist);
	slab_list_del(s, page);
	page->freelist = x;
	page->counters--;
	slab_list_add(s, page);
	slab_trim_empty(s, SLAB_MAX_EMPTY);
	spin_unlock_irqrestore(&s->lock, flags);
}

static unsigned int show_live_in(struct kmem_cache *s, struct list_head *list,
				 unsigned int max)
{
	struct list_head *pos;
	unsigned int shown = 0, i;
	char sym[64];

	list_for_each(pos, list) {
		struct page *page = list_entry(pos, struct page, lru);

		for (i = 0; i < s->objects && shown < max; i++) {
			void *object = (char *)slab_base(page) + i * s->size;

			if (on_freelist(s, page, object))
				continue;
			format_symbol(sym, sizeof(sym),
				      get_track(s, object, TRACK_ALLOC)->addr);
			pr_err("  object %p allocated by %s\n", object, sym);
			shown++;
		}
	}
	return shown;
}

void slab_debug_show_live(struct kmem_cache *s, unsigned int max)
{
	unsigned long flags = spin_lock_irqsave(&s->lock);
	unsigned int shown = 0;
	int nid;

	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		shown += show_live_in(s, &get_node(s, nid)->full, max - shown);
		shown += show_live_in(s, &get_node(s, nid)->partial,
				      max - shown);
	}
	spin_unlock_irqrestore(&s->lock, flags);
}
