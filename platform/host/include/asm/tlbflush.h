/* SPDX-License-Identifier: MIT */
/*
 * Host build: page tables are data only, walked by software; there is no
 * TLB to flush. The hooks count their calls instead, so a test can tell
 * that a change was flushed (and that a purge flushed once for many).
 */
#ifndef ASM_TLBFLUSH_H
#define ASM_TLBFLUSH_H

/**
 * struct host_tlb_flushes - calls of each flush hook, all threads
 * @local: local_flush_tlb_all(), _page() and _pages() (this hart)
 * @global: flush_tlb_kernel_range() (every hart)
 */
struct host_tlb_flushes {
	unsigned long local;
	unsigned long global;
};

extern struct host_tlb_flushes host_tlb_flushes;

static inline void host_count_flush(unsigned long *counter)
{
	__atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
}

static inline void local_flush_tlb_all(void)
{
	host_count_flush(&host_tlb_flushes.local);
}

static inline void local_flush_tlb_page(unsigned long va)
{
	host_count_flush(&host_tlb_flushes.local);
}

static inline void local_flush_tlb_pages(unsigned long va, unsigned long nr)
{
	host_count_flush(&host_tlb_flushes.local);
}

static inline void flush_tlb_kernel_range(unsigned long start,
					  unsigned long end)
{
	host_count_flush(&host_tlb_flushes.global);
}

#endif /* ASM_TLBFLUSH_H */
