/* SPDX-License-Identifier: MIT */
/*
 * Memory mappings (POSIX <sys/mman.h>, Linux values), which picolibc does
 * not provide. rvmem maps anonymous memory only: there are no files.
 */
#ifndef RVMEM_LIBC_SYS_MMAN_H
#define RVMEM_LIBC_SYS_MMAN_H

#include <stddef.h>
#include <sys/types.h>

#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4

#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_ANON	MAP_ANONYMOUS
#define MAP_NORESERVE	0x4000
#define MAP_POPULATE	0x8000

#define MAP_FAILED	((void *)-1)

#define MADV_NORMAL	0
#define MADV_RANDOM	1
#define MADV_SEQUENTIAL	2
#define MADV_WILLNEED	3
#define MADV_DONTNEED	4
#define MADV_FREE	8

/* Anonymous memory only: fd must be -1 and offset 0. */
void *mmap(void *addr, size_t length, int prot, int flags, int fd,
	   off_t offset);
int munmap(void *addr, size_t length);
int mprotect(void *addr, size_t length, int prot);
int madvise(void *addr, size_t length, int advice);

#endif /* RVMEM_LIBC_SYS_MMAN_H */
