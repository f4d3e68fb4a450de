// SPDX-License-Identifier: MIT
/*
 * The page-fault path.
 *
 * The trap entry hands every page fault to do_page_fault() first, with
 * only the registers a C call clobbers saved. What that does not serve
 * goes through do_trap() with the whole frame: a fault inside a nofault
 * probe is skipped there, any other comes to mm_handle_fault(), which
 * tries once more and reports. A fault in an anonymous region the region
 * allows is demand-zero filled (core/mm/anon.c); one in the KFENCE pool
 * is a sampled object's overrun or use after free, which KFENCE reports
 * (core/mm/kfence.c); anything else
 * is fatal, and the report says what lies at the address (the NULL page,
 * a guard page and whose, kernel text, a read-only or non-executable
 * mapping, unmapped space) before die() adds registers and a backtrace.
 */
#include <errno.h>
#include <stdio.h>
#include <asm/csr.h>
#include <asm/page.h>
#include <rvmem/anon.h>
#include <rvmem/fault.h>
#include <rvmem/mm.h>
#include <rvmem/internal/pgtable.h>
#include <rvmem/sections.h>
#include <rvmem/smp.h>
#include <rvmem/trap.h>
#include <rvmem/vmalloc.h>
#include "internal.h"

#define REPORT_LEN	240

static enum fault_access cause_access(unsigned long cause)
{
	if (cause == EXC_STORE_PAGE_FAULT)
		return FAULT_WRITE;
	return cause == EXC_INST_PAGE_FAULT ? FAULT_EXEC : FAULT_READ;
}

static const char *const access_names[] = {
	[FAULT_READ] = "read", [FAULT_WRITE] = "write",
	[FAULT_EXEC] = "execute",
};

static bool in_section(unsigned long addr, const char *start,
		       const char *end)
{
	return addr >= (unsigned long)start && addr < (unsigned long)end;
}

/* What lies at @addr, for an access the page table refused. */
static void describe_mapped(unsigned long addr, enum fault_access access,
			    pte_t pte, char *buf, size_t len)
{
	const char *what = "memory";

	if (in_section(addr, _stext, _etext))
		what = "kernel text";
	else if (in_section(addr, _srodata, _erodata))
		what = "kernel read-only data";
	else if (in_section(addr, __kallsyms_start, _end))
		what = "the kernel symbol table";
	if (access == FAULT_EXEC && !(pte & _PAGE_EXEC))
		snprintf(buf, len, "%s is not executable", what);
	else if (access == FAULT_WRITE && !(pte & _PAGE_WRITE))
		snprintf(buf, len, "%s is read-only", what);
	else
		snprintf(buf, len, "%s is mapped (a stale translation?)", what);
}

static void __noreturn fault_die(struct pt_regs *regs, unsigned long addr,
				 enum fault_access access, int err)
{
	char what[REPORT_LEN / 2], line[REPORT_LEN];
	pte_t pte = pgtable_walk(&kernel_pgtable, addr, NULL);

	if (addr < PAGE_SIZE)
		snprintf(what, sizeof(what), "NULL pointer dereference");
	else if (err == -EFAULT && pte)
		describe_mapped(addr, access, pte, what, sizeof(what));
	else if (err != -EFAULT || !vmalloc_describe(addr, what, sizeof(what)))
		anon_describe_fault(addr, err, what, sizeof(what));
	snprintf(line, sizeof(line), "%s of %#lx: %s",
		 access_names[access], addr, what);
	die(regs, line);
}

/* A fault in the KFENCE pool: a bug KFENCE reports, or a retry. */
static void kfence_fault(struct pt_regs *regs, enum fault_access access)
{
	char what[REPORT_LEN / 2], line[REPORT_LEN];

	if (!kfence_handle_page_fault(regs->tval, access_names[access],
				      regs->epc, what, sizeof(what)))
		return;
	snprintf(line, sizeof(line), "%s of %#lx: %s", access_names[access],
		 regs->tval, what);
	die(regs, line);
}

void mm_handle_fault(struct pt_regs *regs)
{
	enum fault_access access = cause_access(regs->cause);
	int err;

	err = anon_handle_fault(regs->tval, access);
	if (likely(!err))
		return;
	/* no region serves the pool: a demand-zero fault pays no test */
	if (is_kfence_address((void *)regs->tval))
		kfence_fault(regs, access);
	else
		fault_die(regs, regs->tval, access, err);
}

int do_page_fault(unsigned long cause, unsigned long addr)
{
	if (this_hart()->probing)
		return -EFAULT;	/* do_trap() skips it: a probe never allocates */
	return anon_handle_fault(addr, cause_access(cause));
}

/* Byte-wise, so a fault names the first bad byte's access only. */
static int copy_nofault(volatile u8 *dst, const volatile u8 *src,
			size_t size)
{
	struct hart *h = this_hart();
	size_t i;

	h->probe_faulted = false;
	WRITE_ONCE(h->probing, true);
	for (i = 0; i < size && !READ_ONCE(h->probe_faulted); i++)
		dst[i] = src[i];
	WRITE_ONCE(h->probing, false);
	return READ_ONCE(h->probe_faulted) ? -EFAULT : 0;
}

int copy_from_kernel_nofault(void *dst, const void *src, size_t size)
{
	return copy_nofault(dst, src, size);
}

int copy_to_kernel_nofault(void *dst, const void *src, size_t size)
{
	return copy_nofault(dst, src, size);
}
