// SPDX-License-Identifier: MIT
/*
 * TLB shootdowns and the satp switch.
 *
 * All harts share one page-table tree with global mappings, so a change
 * is flushed by address on the calling hart and, through SBI RFENCE, on
 * every other online hart. Past a few dozen pages a full flush is cheaper
 * than one sfence.vma per page. Locally a run of pages uses Svinval where
 * the hart has it; remotely, SBI RFENCE does what the firmware knows.
 */
#include <asm/csr.h>
#include <asm/page.h>
#include <asm/sbi.h>
#include <asm/tlbflush.h>
#include <rvmem/smp.h>
#include <rvmem/vmstat.h>

#define FLUSH_ALL_THRESHOLD	(64 * PAGE_SIZE)

unsigned long kernel_satp;

static void local_flush_tlb_range(unsigned long start, unsigned long end)
{
	if (end - start > FLUSH_ALL_THRESHOLD) {
		local_flush_tlb_all();
		return;
	}
	local_flush_tlb_pages(start, PAGE_ALIGN(end - start) >> PAGE_SHIFT);
}

/*
 * Flush on the other online harts: one SBI call for hart ids below 64
 * (a mask based at 0), one call each for any above.
 */
static void remote_flush(unsigned long start, unsigned long size)
{
	unsigned long mask = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		const struct hart *h = &harts[cpu];

		if (h == this_hart() || !READ_ONCE(h->online))
			continue;
		if (h->hartid < 64)
			mask |= 1UL << h->hartid;
		else
			sbi_remote_sfence_vma(1, h->hartid, start, size);
	}
	if (mask)
		sbi_remote_sfence_vma(mask, 0, start, size);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	unsigned long size = end - start;

	count_vm_event(TLB_LOCAL_FLUSH);
	local_flush_tlb_range(start, end);
	if (READ_ONCE(nr_cpus_online) < 2)
		return;
	count_vm_event(TLB_REMOTE_FLUSH);
	if (size > FLUSH_ALL_THRESHOLD)
		start = 0, size = -1UL;
	remote_flush(start, size);
}

static unsigned long make_satp(unsigned long root_pa, unsigned int levels)
{
	/* Sv39, Sv48 and Sv57 are modes 8, 9 and 10. */
	unsigned long mode = SATP_MODE_SV39 + levels - 3;

	return mode << SATP_MODE_SHIFT | root_pa >> PAGE_SHIFT;
}

bool arch_paging_mode_ok(unsigned long root_pa, unsigned int levels)
{
	unsigned long satp = make_satp(root_pa, levels);
	bool ok;

	local_flush_tlb_all();
	csr_write(satp, satp);
	ok = csr_read(satp) == satp;
	csr_write(satp, SATP_MODE_BARE << SATP_MODE_SHIFT);
	local_flush_tlb_all();
	return ok;
}

bool arch_enable_paging(unsigned long root_pa, unsigned int levels)
{
	unsigned long satp = make_satp(root_pa, levels);

	local_flush_tlb_all();
	csr_write(satp, satp);
	if (csr_read(satp) != satp)
		return false;	/* mode unsupported: the write did nothing */
	local_flush_tlb_all();
	kernel_satp = satp;
	return true;
}
