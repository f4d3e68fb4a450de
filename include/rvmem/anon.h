/* SPDX-License-Identifier: MIT */
/*
 * Anonymous memory: mmap regions and the brk heap, filled with zeroed
 * pages on first touch, with Linux's overcommit policy.
 *
 * The POSIX calls (mmap, munmap, mprotect, madvise, brk, sbrk) are the
 * API; this header is the kernel's side: the fault hook, accounting and
 * reports.
 */
#ifndef RVMEM_ANON_H
#define RVMEM_ANON_H

#include <rvmem/types.h>

enum fault_access {
	FAULT_READ,
	FAULT_WRITE,
	FAULT_EXEC,
};

/**
 * anon_handle_fault() - demand-zero a page of an anonymous region
 * @addr: the faulting address
 * @access: what the access wanted
 *
 * Return: 0 when the page is now mapped (or already was: another hart got
 * there first); -EFAULT outside every region; -EACCES if the region's
 * protection forbids @access; -ENOMEM if no page could be had.
 * Context: the page-fault trap (interrupts off), or any other context.
 */
int anon_handle_fault(unsigned long addr, enum fault_access access);

/**
 * anon_describe_fault() - why anon_handle_fault() said no, for a report
 * @addr: the faulting address
 * @err: what anon_handle_fault() returned
 * @what: set to one phrase naming the region (or what is not there) and
 *        the problem: its protection, out of memory, a guard page
 * @len: size of @what
 */
void anon_describe_fault(unsigned long addr, int err, char *what,
			 size_t len);

/** nr_anon_pages() - anonymous pages mapped, all harts (AnonPages) */
unsigned long nr_anon_pages(void);

/** vm_committed_pages - pages charged to the commit total (Committed_AS) */
extern unsigned long vm_committed_pages;

/** vm_commit_limit() - CommitLimit in pages (overcommit_ratio of RAM) */
unsigned long vm_commit_limit(void);

/** show_anon_regions() - print every region: range, protection, pages */
void show_anon_regions(void);

/** anon_init() - set up the mmap window and the heap; boot, after slab */
void anon_init(void);

#endif /* RVMEM_ANON_H */
