/* SPDX-License-Identifier: MIT */
/*
 * GFP ("get free pages") flags and the page allocator's API.
 *
 * As in Linux: a request names where its memory may come from (zone
 * modifiers), how hard the allocator may try (reclaim, reserves) and what
 * to do with the result (__GFP_ZERO). rvmem has no swap and no page cache,
 * so "reclaim" means draining per-hart lists and, later, shrinking caches.
 */
#ifndef RVMEM_GFP_H
#define RVMEM_GFP_H

#include <rvmem/types.h>

typedef unsigned int gfp_t;

/*
 * DMA32, ZERO and THISNODE sit together (0x04-0x10): the page
 * allocator's fast path picks its list, or its slow path, by one table
 * lookup on those three bits. The reclaim bits sit low too (Linux's are
 * 0x400 and 0x800), so GFP_KERNEL (0x3c0) and GFP_ATOMIC are 12-bit
 * immediates: one instruction at every call site instead of two.
 */
#define ___GFP_DMA32		0x04u
#define ___GFP_ZERO		0x08u
#define ___GFP_THISNODE		0x10u
#define ___GFP_HIGH		0x20u
#define ___GFP_IO		0x40u
#define ___GFP_FS		0x80u
#define ___GFP_DIRECT_RECLAIM	0x100u
#define ___GFP_KSWAPD_RECLAIM	0x200u
#define ___GFP_NOWARN		0x2000u
#define ___GFP_RETRY_MAYFAIL	0x4000u
#define ___GFP_NOFAIL		0x8000u
#define ___GFP_NORETRY		0x10000u
#define ___GFP_COMP		0x40000u

/* Zone modifier: memory below 4 GiB only (ZONE_DMA32). */
#define __GFP_DMA32		((gfp_t)___GFP_DMA32)
/* May dip into the reserve below the min watermark (half of it). */
#define __GFP_HIGH		((gfp_t)___GFP_HIGH)
#define __GFP_IO		((gfp_t)___GFP_IO)
#define __GFP_FS		((gfp_t)___GFP_FS)
/* Return zeroed memory. */
#define __GFP_ZERO		((gfp_t)___GFP_ZERO)
/* The caller may wait while memory is reclaimed. */
#define __GFP_DIRECT_RECLAIM	((gfp_t)___GFP_DIRECT_RECLAIM)
#define __GFP_KSWAPD_RECLAIM	((gfp_t)___GFP_KSWAPD_RECLAIM)
#define __GFP_RECLAIM	((gfp_t)(___GFP_DIRECT_RECLAIM | ___GFP_KSWAPD_RECLAIM))
/* Fail quietly: no warning line. */
#define __GFP_NOWARN		((gfp_t)___GFP_NOWARN)
#define __GFP_RETRY_MAYFAIL	((gfp_t)___GFP_RETRY_MAYFAIL)
#define __GFP_NOFAIL		((gfp_t)___GFP_NOFAIL)
/* Try once after reclaim, then fail. */
#define __GFP_NORETRY		((gfp_t)___GFP_NORETRY)
/* Compound page: the block is one object (used by slab). */
#define __GFP_COMP		((gfp_t)___GFP_COMP)
/* The preferred node only: no fallback to other NUMA nodes. */
#define __GFP_THISNODE		((gfp_t)___GFP_THISNODE)

/* Ordinary kernel allocation: may wait, may reclaim. */
#define GFP_KERNEL	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
/* Cannot sleep (interrupt context, locks held): uses part of the reserve. */
#define GFP_ATOMIC	(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
/* Cannot sleep and must not use the reserve. */
#define GFP_NOWAIT	(__GFP_KSWAPD_RECLAIM)
#define GFP_DMA32	__GFP_DMA32

struct page;

/**
 * alloc_pages() - allocate 2^@order contiguous, naturally aligned pages
 * @gfp: GFP flags
 * @order: 0 to MAX_PAGE_ORDER
 *
 * Return: the first page, or NULL (after a one-line warning naming gfp,
 * order and each zone's free pages, unless __GFP_NOWARN).
 * Context: any; with interrupts off use GFP_ATOMIC or GFP_NOWAIT.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order);

/**
 * alloc_pages_node() - alloc_pages() preferring NUMA node @nid
 * @nid: the node whose memory to take first, or NUMA_NO_NODE (-1) for
 *       the calling hart's; the others follow by distance, unless
 *       @gfp has __GFP_THISNODE
 * @gfp: GFP flags
 * @order: 0 to MAX_PAGE_ORDER
 *
 * Return: the first page, or NULL (with the warning alloc_pages() gives;
 * a node that does not exist gets one too).
 * Context: as alloc_pages().
 */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);

/**
 * __free_pages() - free a block from alloc_pages()
 * @page: its first page
 * @order: the order it was allocated with
 *
 * A page that is not the first page of an allocated block (a double
 * free, a tail page, a reserved page) or a wrong @order is reported with
 * the caller's address and the boot ends, in every build; --debug builds
 * also poison freed pages and catch writes to them at the next allocation.
 */
void __free_pages(struct page *page, unsigned int order);

/** __get_free_pages() - alloc_pages() returning the kernel address, or 0 */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);

/** get_zeroed_page() - one zeroed page's address, or 0 */
unsigned long get_zeroed_page(gfp_t gfp);

/** free_pages() - free by address (0 is ignored) */
void free_pages(unsigned long addr, unsigned int order);

#define __get_free_page(gfp)	__get_free_pages((gfp), 0)
#define free_page(addr)		free_pages((addr), 0)
#define alloc_page(gfp)		alloc_pages((gfp), 0)
#define __free_page(page)	__free_pages((page), 0)

/**
 * alloc_pages_exact() - @size bytes of contiguous pages, page-aligned
 * @size: bytes wanted
 * @gfp: GFP_* flags, as for alloc_pages()
 *
 * Allocates the enclosing power-of-two block and frees its tail pages at
 * once, so exactly DIV_ROUND_UP(@size, PAGE_SIZE) pages stay in use.
 * Return: the address, or NULL.
 */
void *alloc_pages_exact(size_t size, gfp_t gfp);

/** free_pages_exact() - free what alloc_pages_exact(@size) returned */
void free_pages_exact(void *virt, size_t size);

#endif /* RVMEM_GFP_H */
