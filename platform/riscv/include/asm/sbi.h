/* SPDX-License-Identifier: MIT */
/*
 * Supervisor Binary Interface calls (SBI spec 1.0, plus DBCN from 2.0).
 *
 * Only what rvmem uses: base probing, console (DBCN or legacy putchar),
 * TIME, IPI, RFENCE, HSM and SRST. Errors are SBI_ERR_* (negative).
 */
#ifndef ASM_SBI_H
#define ASM_SBI_H

#include <rvmem/types.h>

#define SBI_EXT_LEGACY_PUTCHAR	0x01
#define SBI_EXT_LEGACY_GETCHAR	0x02
#define SBI_EXT_BASE		0x10
#define SBI_EXT_TIME		0x54494d45	/* "TIME" */
#define SBI_EXT_IPI		0x735049	/* "sPI" */
#define SBI_EXT_RFENCE		0x52464e43	/* "RFNC" */
#define SBI_EXT_HSM		0x48534d	/* "HSM" */
#define SBI_EXT_SRST		0x53525354	/* "SRST" */
#define SBI_EXT_DBCN		0x4442434e	/* "DBCN" */

enum sbi_base_fid {
	SBI_BASE_GET_SPEC_VERSION,
	SBI_BASE_GET_IMPL_ID,
	SBI_BASE_GET_IMPL_VERSION,
	SBI_BASE_PROBE_EXT,
	SBI_BASE_GET_MVENDORID,
	SBI_BASE_GET_MARCHID,
	SBI_BASE_GET_MIMPID,
};

#define SBI_RFENCE_REMOTE_SFENCE_VMA	1
#define SBI_HSM_HART_START		0
#define SBI_HSM_HART_STOP		1
#define SBI_HSM_HART_STATUS		2
#define SBI_DBCN_WRITE			0
#define SBI_DBCN_WRITE_BYTE		2
#define SBI_SRST_RESET			0
#define SBI_SRST_TYPE_SHUTDOWN		0
#define SBI_SRST_REASON_NONE		0
#define SBI_SRST_REASON_FAILURE		1

#define SBI_HSM_STARTED			0
#define SBI_HSM_STOPPED			1

/* sbi_get_spec_version(): bit 31 reserved, major in 30:24, minor in 23:0 */
#define SBI_SPEC_VERSION_MAJOR_SHIFT	24
#define SBI_SPEC_VERSION_MAJOR_MASK	0x7f
#define SBI_SPEC_VERSION_MINOR_MASK	0xffffff

/* OpenSBI's implementation version: major << 16 | minor */
#define OPENSBI_VERSION_MAJOR_SHIFT	16
#define OPENSBI_VERSION_MINOR_MASK	0xffff

/* Implementation ids (SBI spec, "Base extension") */
#define SBI_IMPL_OPENSBI		1
#define SBI_IMPL_KVM			3

#define SBI_SUCCESS		0
#define SBI_ERR_FAILED		-1
#define SBI_ERR_NOT_SUPPORTED	-2
#define SBI_ERR_INVALID_PARAM	-3
#define SBI_ERR_DENIED		-4
#define SBI_ERR_INVALID_ADDRESS	-5
#define SBI_ERR_ALREADY_AVAILABLE -6

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid,
			unsigned long a0, unsigned long a1, unsigned long a2,
			unsigned long a3, unsigned long a4);

/**
 * struct sbi_info - what the firmware (or hypervisor) below us offers,
 * probed once by sbi_init() on the boot hart
 */
struct sbi_info {
	unsigned long spec_version;	/* major << 24 | minor */
	unsigned long impl_id;
	unsigned long impl_version;
	bool has_time, has_ipi, has_rfence, has_hsm, has_srst, has_dbcn;
	bool has_legacy_putchar, has_legacy_getchar;
};

extern struct sbi_info sbi_info;

/**
 * sbi_spec_major() - the major number of an SBI spec version
 * @version: sbi_info.spec_version
 *
 * Return: 1 for spec v1.0.
 */
static inline unsigned long sbi_spec_major(unsigned long version)
{
	return (version >> SBI_SPEC_VERSION_MAJOR_SHIFT) &
	       SBI_SPEC_VERSION_MAJOR_MASK;
}

/**
 * sbi_spec_minor() - the minor number of an SBI spec version
 * @version: sbi_info.spec_version
 *
 * Return: 0 for spec v1.0.
 */
static inline unsigned long sbi_spec_minor(unsigned long version)
{
	return version & SBI_SPEC_VERSION_MINOR_MASK;
}

/**
 * sbi_show_info() - log the SBI version, implementation and extensions,
 * and which of them the console and the timer use
 *
 * Context: after sbi_init() and the boot hart's timer_init().
 */
void sbi_show_info(void);

/**
 * sbi_err_to_errno() - the errno for an SBI error
 * @err: SBI_SUCCESS or an SBI_ERR_* code
 *
 * Return: 0, or a negative errno (-EIO for a code without a closer one).
 */
int sbi_err_to_errno(long err);

/** sbi_init() - probe the base extension and the extensions rvmem uses */
void sbi_init(void);

/** sbi_impl_name() - "OpenSBI", "KVM", ... for sbi_info.impl_id */
const char *sbi_impl_name(unsigned long impl_id);

/** sbi_console_write() - write bytes to the SBI console (DBCN or legacy) */
void sbi_console_write(const char *s, size_t len);

/** sbi_console_getchar() - one byte from the console, or -1 if none */
long sbi_console_getchar(void);

/** sbi_set_timer() - program this hart's next timer interrupt (absolute) */
void sbi_set_timer(u64 stime_value);

/** sbi_send_ipi() - raise a supervisor software interrupt on one hart */
int sbi_send_ipi(u32 hartid);

/**
 * sbi_remote_sfence_vma() - flush [@start, @start + @size) on other harts
 * @hart_mask: bit n set means hart (@hart_mask_base + n)
 * @hart_mask_base: first hart id of the mask
 * @start: first virtual address
 * @size: bytes, or (unsigned long)-1 for the whole address space
 *
 * Return: 0 or an SBI_ERR_* code.
 */
int sbi_remote_sfence_vma(unsigned long hart_mask, unsigned long hart_mask_base,
			  unsigned long start, unsigned long size);

/** sbi_hart_start() - start hart @hartid at @start_addr, a1 = @opaque */
int sbi_hart_start(u32 hartid, unsigned long start_addr, unsigned long opaque);

/** sbi_hart_stop() - stop the calling hart; returns only on failure */
int sbi_hart_stop(void);

/** sbi_hart_status() - SBI_HSM_* state of @hartid, or a negative error */
long sbi_hart_status(u32 hartid);

/**
 * sbi_system_shutdown() - power off through SRST
 * @failure: report a failure reason rather than none
 *
 * Return: only if SRST is missing or refused, with the SBI error.
 */
int sbi_system_shutdown(bool failure);

#endif /* ASM_SBI_H */
