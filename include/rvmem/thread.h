/* SPDX-License-Identifier: MIT */
/*
 * The kernel's side of app threads (core/libc/pthread.c): main() runs as
 * thread 1 on a demand-zero stack of its own, as every pthread does.
 */
#ifndef RVMEM_THREAD_H
#define RVMEM_THREAD_H

#include <rvmem/types.h>

/**
 * thread_stack_size() - the stack main and every thread get by default
 *
 * Return: bytes: the boot parameter stack_size=, else the app's
 * const unsigned long rvmem_stack_size, else 8 MiB.
 */
size_t thread_stack_size(void);

/**
 * thread_run_main() - run @fn(@arg) as the main thread, on its own stack
 * @fn: must not return (it ends with exit())
 * @arg: its argument
 *
 * Context: boot hart, once, interrupts on. Fails the boot when the stack
 * cannot be mapped.
 */
void __noreturn thread_run_main(void (*fn)(void *arg), void *arg);

#endif /* RVMEM_THREAD_H */
