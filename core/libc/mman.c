// SPDX-License-Identifier: MIT
/*
 * The POSIX memory calls: thin wrappers over core/mm/anon.c, which does
 * the work under the kernel's names (vm_mmap(), vm_munmap(),
 * do_mprotect(), do_madvise(), do_brk(), do_sbrk()) and returns -errno;
 * here the error goes to errno and the return value is POSIX's.
 * picolibc's malloc grows its heap with sbrk().
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
#include <rvmem/anon.h>

/* -errno to errno and -1, as a system call's libc wrapper does. */
static int to_errno(int err)
{
	if (!err)
		return 0;
	errno = -err;
	return -1;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	unsigned long start = vm_mmap((unsigned long)addr, len, prot, flags,
				      fd, offset);

	if (IS_ERR_VALUE(start)) {
		errno = -(long)start;
		return MAP_FAILED;
	}
	return (void *)start;
}

int munmap(void *addr, size_t len)
{
	return to_errno(vm_munmap((unsigned long)addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return to_errno(do_mprotect((unsigned long)addr, len, prot));
}

int madvise(void *addr, size_t len, int advice)
{
	return to_errno(do_madvise((unsigned long)addr, len, advice));
}

int brk(void *addr)
{
	return to_errno(do_brk((unsigned long)addr));
}

void *sbrk(ptrdiff_t incr)
{
	unsigned long old = do_sbrk(incr);

	if (IS_ERR_VALUE(old)) {
		errno = -(long)old;
		return (void *)-1;
	}
	return (void *)old;
}
