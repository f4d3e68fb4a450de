/* SPDX-License-Identifier: MIT */
/* picolibc's <unistd.h>, plus brk(), which rvmem's heap provides. */
#ifndef RVMEM_LIBC_UNISTD_H
#define RVMEM_LIBC_UNISTD_H

#include_next <unistd.h>

int brk(void *addr);

#endif /* RVMEM_LIBC_UNISTD_H */
