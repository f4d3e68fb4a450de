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

/* The thread id of main(), which anon_describe_fault() names so. */
#define ANON_MAIN_TID	1

/**
 * anon_map_stack() - a demand-zero stack with a guard page below it
 * @size: bytes the stack may use (rounded up to pages); only the pages
 *        touched cost memory, but all are charged to the commit total
 * @tid: the thread it is for, named when an overflow hits the guard page
 *
 * Return: the stack's top (its initial sp), or 0 with errno ENOMEM.
 * Context: may take the regions lock; not from a fault.
 */
unsigned long anon_map_stack(size_t size, unsigned int tid);

/**
 * anon_unmap_stack() - give back a stack from anon_map_stack()
 * @top: what anon_map_stack() returned
 * @size: the size it was given
 */
void anon_unmap_stack(unsigned long top, size_t size);

/** nr_anon_pages() - anonymous pages mapped, all harts (AnonPages) */
unsigned long nr_anon_pages(void);

/** vm_committed_pages - pages charged to the commit total (Committed_AS) */
extern unsigned long vm_committed_pages;

/** vm_commit_limit() - CommitLimit in pages (overcommit_ratio of RAM) */
unsigned long vm_commit_limit(void);

/** show_anon_regions() - print every region: range, protection, pages */
void show_anon_regions(void);

#endif /* RVMEM_ANON_H */
