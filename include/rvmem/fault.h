/* SPDX-License-Identifier: MIT */
/*
 * The page-fault path, and reading memory that may not be mapped.
 */
#ifndef RVMEM_FAULT_H
#define RVMEM_FAULT_H

#include <rvmem/types.h>

struct pt_regs;

/**
 * do_page_fault() - the trap entry's short path for a page fault
 * @cause: scause, a page-fault cause
 * @addr: stval, the faulting address
 *
 * Called with only the caller-saved registers in the frame.
 * Return: 0 if the fault was served (a demand-zero fill); otherwise the
 * entry saves the whole frame and calls do_trap(). Context: trap,
 * interrupts off; takes no trap itself.
 */
int do_page_fault(unsigned long cause, unsigned long addr);

/**
 * mm_handle_fault() - handle a page fault trap
 * @regs: the trap frame (cause and stval say what and where)
 *
 * Demand-zero faults in anonymous regions are served and return; any
 * other fault ends the boot with a report that names the address, the
 * access and what lies there. Context: trap, interrupts off.
 */
void mm_handle_fault(struct pt_regs *regs);

/**
 * copy_from_kernel_nofault() - read memory that may not be mapped
 * @dst: destination
 * @src: source
 * @size: bytes
 *
 * Return: 0, or -EFAULT if some byte of @src faulted (no fault report,
 * no demand-zero fill: a probe never allocates).
 */
int copy_from_kernel_nofault(void *dst, const void *src, size_t size);

/** copy_to_kernel_nofault() - write memory that may not be mapped */
int copy_to_kernel_nofault(void *dst, const void *src, size_t size);

#endif /* RVMEM_FAULT_H */
