/* SPDX-License-Identifier: MIT */
/*
 * Anonymous memory: mmap regions and the brk heap, filled with zeroed
 * pages on first touch, with Linux's overcommit policy.
 *
 * The calls have Linux's kernel names and return -errno; the POSIX calls
 * apps use (mmap, munmap, mprotect, madvise, brk, sbrk) are thin
 * wrappers over them in core/libc/mman.c. The rest is the kernel's side:
 * the fault hook, accounting and reports.
 */
#ifndef RVMEM_ANON_H
#define RVMEM_ANON_H

#include <rvmem/types.h>

/* An error in an address return: the top 4095 addresses are -errno. */
#define MAX_ERRNO		4095
#define IS_ERR_VALUE(x)		((unsigned long)(x) >= -(unsigned long)MAX_ERRNO)

/**
 * vm_mmap() - map anonymous memory, as mmap()
 * @addr: a hint, or with MAP_FIXED the page-aligned address to map at
 *        (whatever lies there is unmapped first)
 * @len: bytes, rounded up to pages
 * @prot: PROT_* bits
 * @flags: MAP_PRIVATE or MAP_SHARED, MAP_ANONYMOUS, and MAP_FIXED,
 *         MAP_NORESERVE, MAP_POPULATE
 * @fd: -1 (there are no files)
 * @offset: 0
 *
 * A region placed by rvmem (not MAP_FIXED) gets an unmapped guard page
 * after it. Return: its start, or -errno (IS_ERR_VALUE()): -EINVAL for
 * bad arguments, -EBADF or -ENODEV for a file mapping, -ENOMEM when the
 * commit charge or the address space is exhausted.
 */
unsigned long vm_mmap(unsigned long addr, unsigned long len, int prot,
		      int flags, int fd, unsigned long offset);

/**
 * vm_munmap() - unmap [@start, @start + @len), as munmap(); the pages
 * mapped there are freed, the regions around keep what lies outside
 *
 * Return: 0, -EINVAL (unaligned, empty, outside the mmap window) or
 * -ENOMEM (no memory for the region split).
 */
int vm_munmap(unsigned long start, unsigned long len);

/**
 * do_mprotect() - give [@start, @start + @len) protection @prot, as
 * mprotect()
 *
 * Return: 0; -EINVAL for bad arguments; -ENOMEM if part of the range is
 * not mapped (nothing changes) or the commit charge refused a region
 * that became writable (the regions before it have changed).
 */
int do_mprotect(unsigned long start, unsigned long len, int prot);

/**
 * do_madvise() - advice on [@start, @start + @len), as madvise():
 * MADV_DONTNEED and MADV_FREE free the pages (the next touch reads
 * zeroes); the other hints are accepted and ignored
 *
 * Return: 0, -EINVAL for bad arguments or advice, -ENOMEM if part of
 * the range is not mapped (nothing is dropped).
 */
int do_madvise(unsigned long start, unsigned long len, int advice);

/**
 * do_brk() - move the heap's break to @brk, as brk(); pages above the
 * new top are freed
 *
 * Return: 0, or -ENOMEM outside the heap window or refused by the
 * commit charge (the break stays).
 */
int do_brk(unsigned long brk);

/**
 * do_sbrk() - move the break by @incr bytes, as sbrk()
 *
 * Return: the old break, or -ENOMEM (IS_ERR_VALUE()) as do_brk().
 */
unsigned long do_sbrk(long incr);

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
