// SPDX-License-Identifier: MIT
/*
 * SBI calls: the only way rvmem talks to the firmware or hypervisor below.
 *
 * sbi_init() probes once, on the boot hart before any other hart runs, and
 * fills sbi_info; every other function here reads sbi_info and is safe on
 * any hart afterwards. Nothing here assumes OpenSBI: under KVM the same
 * calls reach the in-kernel SBI (or the VMM, for console and SRST).
 */
#define pr_fmt(fmt) "rvmem: " fmt	/* banner lines, as start_kernel()'s */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <asm/sbi.h>
#include <asm/timer.h>
#include <rvmem/memlayout.h>
#include <rvmem/printk.h>

struct sbi_info sbi_info;

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid,
			unsigned long a0, unsigned long a1, unsigned long a2,
			unsigned long a3, unsigned long a4)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r4 __asm__("a4") = a4;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall"
			     : "+r"(r0), "+r"(r1)
			     : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7)
			     : "memory");
	return (struct sbiret){ .error = (long)r0, .value = (long)r1 };
}

static bool sbi_probe(unsigned long ext)
{
	struct sbiret ret = sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, ext,
				      0, 0, 0, 0);

	return ret.error == SBI_SUCCESS && ret.value != 0;
}

static unsigned long sbi_base_value(enum sbi_base_fid fid)
{
	return sbi_ecall(SBI_EXT_BASE, fid, 0, 0, 0, 0, 0).value;
}

void sbi_init(void)
{
	sbi_info.spec_version = sbi_base_value(SBI_BASE_GET_SPEC_VERSION);
	sbi_info.impl_id = sbi_base_value(SBI_BASE_GET_IMPL_ID);
	sbi_info.impl_version = sbi_base_value(SBI_BASE_GET_IMPL_VERSION);
	sbi_info.has_time = sbi_probe(SBI_EXT_TIME);
	sbi_info.has_ipi = sbi_probe(SBI_EXT_IPI);
	sbi_info.has_rfence = sbi_probe(SBI_EXT_RFENCE);
	sbi_info.has_hsm = sbi_probe(SBI_EXT_HSM);
	sbi_info.has_srst = sbi_probe(SBI_EXT_SRST);
	sbi_info.has_dbcn = sbi_probe(SBI_EXT_DBCN);
	sbi_info.has_legacy_putchar = sbi_probe(SBI_EXT_LEGACY_PUTCHAR);
	sbi_info.has_legacy_getchar = sbi_probe(SBI_EXT_LEGACY_GETCHAR);
}

const char *sbi_impl_name(unsigned long impl_id)
{
	static const char *const names[] = {
		"Berkeley BBL", "OpenSBI", "Xvisor", "KVM", "RustSBI",
		"Diosix", "Coffer", "Xen", "PolarFire HSS",
	};

	return impl_id < ARRAY_SIZE(names) ? names[impl_id] : "unknown";
}

/* "OpenSBI v1.1", or the name and raw version of another implementation */
static const char *sbi_firmware(void)
{
	static char buf[96];
	unsigned long v = sbi_info.impl_version;

	if (sbi_info.impl_id == SBI_IMPL_OPENSBI)
		snprintf(buf, sizeof(buf), "%s v%lu.%lu",
			 sbi_impl_name(sbi_info.impl_id),
			 v >> OPENSBI_VERSION_MAJOR_SHIFT,
			 v & OPENSBI_VERSION_MINOR_MASK);
	else
		snprintf(buf, sizeof(buf), "%s (version 0x%lx)",
			 sbi_impl_name(sbi_info.impl_id), v);
	return buf;
}

void sbi_show_info(void)
{
	pr_info("SBI: spec v%lu.%lu, %s; extensions:%s%s%s%s%s%s\n",
		sbi_spec_major(sbi_info.spec_version),
		sbi_spec_minor(sbi_info.spec_version), sbi_firmware(),
		sbi_info.has_time ? " TIME" : "", sbi_info.has_ipi ? " IPI" : "",
		sbi_info.has_rfence ? " RFENCE" : "",
		sbi_info.has_hsm ? " HSM" : "", sbi_info.has_srst ? " SRST" : "",
		sbi_info.has_dbcn ? " DBCN" : "");
	pr_info("console: %s; timer: %s\n",
		sbi_info.has_dbcn ? "SBI DBCN" : "SBI legacy putchar",
		timer_has_sstc ? "Sstc stimecmp" : "SBI TIME");
}

int sbi_err_to_errno(long err)
{
	switch (err) {
	case SBI_SUCCESS:
		return 0;
	case SBI_ERR_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case SBI_ERR_INVALID_PARAM:
		return -EINVAL;
	case SBI_ERR_DENIED:
		return -EPERM;
	case SBI_ERR_INVALID_ADDRESS:
		return -EFAULT;
	case SBI_ERR_ALREADY_AVAILABLE:
		return -EALREADY;
	default:
		return -EIO;
	}
}

/* Bytes copied per DBCN write from a buffer outside the identity map */
#define DBCN_BOUNCE_SIZE	256

/*
 * DBCN takes a physical address. RAM is identity-mapped (VA == PA) in the
 * lower half, so a buffer there goes as is; one at or above VMALLOC_START
 * (a vmalloc'd hart stack, an mmap region, the app heap) is copied through
 * dbcn_bounce, which lies in bss and so in the identity map. Callers hold
 * console_lock, so one bounce buffer serves every hart.
 */
static char dbcn_bounce[DBCN_BOUNCE_SIZE];

/* Write [@s, @s + @len), which must be identity-mapped; 0 or -1. */
static int sbi_dbcn_write(const char *s, size_t len)
{
	while (len) {
		struct sbiret ret = sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE, len,
					      (unsigned long)s, 0, 0, 0);

		if (ret.error || ret.value <= 0)
			return -1;
		s += ret.value;
		len -= ret.value;
	}
	return 0;
}

static void sbi_dbcn_write_bounced(const char *s, size_t len)
{
	size_t n;

	if ((unsigned long)s < VMALLOC_START) {
		sbi_dbcn_write(s, len);
		return;
	}
	for (; len; s += n, len -= n) {
		n = len < DBCN_BOUNCE_SIZE ? len : DBCN_BOUNCE_SIZE;
		memcpy(dbcn_bounce, s, n);
		if (sbi_dbcn_write(dbcn_bounce, n))
			return;
	}
}

void sbi_console_write(const char *s, size_t len)
{
	if (sbi_info.has_dbcn) {
		sbi_dbcn_write_bounced(s, len);
		return;
	}
	while (len--)
		sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (u8)*s++, 0, 0, 0, 0);
}

long sbi_console_getchar(void)
{
	return sbi_ecall(SBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0, 0, 0).error;
}

void sbi_set_timer(u64 stime_value)
{
	sbi_ecall(SBI_EXT_TIME, 0, stime_value, 0, 0, 0, 0);
}

int sbi_send_ipi(u32 hartid)
{
	return sbi_ecall(SBI_EXT_IPI, 0, 1, hartid, 0, 0, 0).error;
}

int sbi_remote_sfence_vma(unsigned long hart_mask, unsigned long hart_mask_base,
			  unsigned long start, unsigned long size)
{
	return sbi_ecall(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA,
			 hart_mask, hart_mask_base, start, size, 0).error;
}

int sbi_hart_start(u32 hartid, unsigned long start_addr, unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_START, hartid, start_addr,
			 opaque, 0, 0).error;
}

int sbi_hart_stop(void)
{
	return sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0, 0).error;
}

long sbi_hart_status(u32 hartid)
{
	struct sbiret ret = sbi_ecall(SBI_EXT_HSM, SBI_HSM_HART_STATUS, hartid,
				      0, 0, 0, 0);

	return ret.error ? ret.error : ret.value;
}

int sbi_system_shutdown(bool failure)
{
	unsigned long reason = failure ? SBI_SRST_REASON_FAILURE :
					 SBI_SRST_REASON_NONE;

	if (!sbi_info.has_srst)
		return SBI_ERR_NOT_SUPPORTED;
	return sbi_ecall(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_TYPE_SHUTDOWN,
			 reason, 0, 0, 0).error;
}
