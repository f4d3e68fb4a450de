// SPDX-License-Identifier: MIT
/*
 * vmm - boot one rvmem image as a KVM guest. CI test tooling, not product.
 *
 *	vmm [--cpus N] [--mem MIB] [--timeout S] [--console dbcn|legacy]
 *	    [--mmu sv39|sv48|sv57] [--append BOOTARGS] IMAGE.elf
 *
 * The guest sees what QEMU's virt machine shows a kernel started by
 * OpenSBI, minus every device: RAM at 0x80000000, the image's PT_LOAD
 * segments at their physical addresses, a device tree written here
 * (/memory, /cpus, /chosen; no test finisher) near the top of RAM, and
 * vCPU 0 entering the image in S-mode with a0 = hart id 0 and a1 = the
 * tree. KVM's in-kernel SBI does the rest (base, TIME, IPI, RFENCE, HSM,
 * SRST): vCPUs other than 0 start powered off and wait in KVM_RUN until
 * the guest starts them with HSM hart_start; hart id = vCPU id.
 *
 * Exits reaching this process: the SBI console (legacy putchar/getchar,
 * and DBCN when --console dbcn enables it) goes to stdout; SRST ends the
 * run. Any MMIO access is a failure: rvmem must not touch devices here.
 *
 * Exit status: the guest's, taken from its last console line
 * "rvmem: poweroff, exit status N" (SRST itself only says success or
 * failure: without that line, 0 for a normal shutdown, 1 for a failure);
 * 124 when --timeout expires; 125 for an unexpected exit (MMIO, a KVM
 * error) or a setup failure. Messages of our own go to stderr, prefixed
 * "vmm: ".
 *
 * Threads: one per vCPU, each looping on KVM_RUN; the main thread is the
 * watchdog. console_lock serialises console output and the status it
 * parses; the run ends with _exit() from whichever thread saw the end.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define RAM_BASE		0x80000000UL
#define FDT_ALIGN		(2UL << 20)	/* where QEMU virt puts it too */
#define MAX_VCPUS		16

#define EXIT_TIMEOUT		124
#define EXIT_VMM_ERROR		125

/*
 * ONE_REG ids from Linux 6.12 (Debian 12's cross headers are 6.1 and lack
 * the SBI extension registers).
 */
#define REG_RISCV_SBI_EXT	(0x08ULL << KVM_REG_RISCV_TYPE_SHIFT)
#define SBI_EXT_ID_DBCN		9	/* enum KVM_RISCV_SBI_EXT_ID */
#define REG_U64(type, idx)	(KVM_REG_RISCV | KVM_REG_SIZE_U64 | (type) | (idx))

/* Core register indexes: struct kvm_riscv_core, unsigned longs */
#define CORE_PC			0
#define CORE_A0			10
#define CORE_A1			11

/* SBI extensions and functions the VMM answers (SBI spec v2.0) */
#define SBI_EXT_LEGACY_PUTCHAR	0x01
#define SBI_EXT_LEGACY_GETCHAR	0x02
#define SBI_EXT_DBCN		0x4442434e
#define SBI_DBCN_WRITE		0
#define SBI_DBCN_READ		1
#define SBI_DBCN_WRITE_BYTE	2
#define SBI_SUCCESS		0
#define SBI_ERR_NOT_SUPPORTED	(-2)
#define SBI_ERR_INVALID_PARAM	(-3)
#define SBI_SRST_REASON_NONE	0

#define STATUS_LINE		"rvmem: poweroff, exit status "

struct options {
	unsigned int cpus;
	unsigned long mem_mib;
	unsigned int timeout_s;
	bool dbcn;
	const char *mmu;	/* NULL: from the host's device tree */
	const char *append;
	const char *image;
};

struct vm;

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
};

struct vm {
	int kvm_fd, fd;
	uint8_t *ram;
	unsigned long ram_size;
	unsigned long entry;
	unsigned int nr_vcpus;
	struct vcpu vcpus[MAX_VCPUS];
};

static pthread_mutex_t console_lock = PTHREAD_MUTEX_INITIALIZER;
static char console_line[512];
static size_t console_len;
static int guest_status = -1;	/* from STATUS_LINE; -1 until seen */

static void __attribute__((noreturn, format(printf, 2, 3)))
die(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("vmm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(status);
}

#define die_errno(what)	die(EXIT_VMM_ERROR, "%s: %s", what, strerror(errno))

/* ---- device tree writer (flattened tree, version 17) ---- */

#define FDT_MAGIC	0xd00dfeed
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_END		9
#define FDT_HEADER_SIZE	40
#define FDT_RSVMAP_SIZE	16	/* one terminating (0, 0) entry */

struct fdt {
	uint8_t dt[8192];
	size_t dt_len;
	char strings[1024];
	size_t strings_len;
};

static void fdt_put(struct fdt *f, const void *data, size_t len)
{
	size_t padded = (len + 3) & ~3UL;

	if (f->dt_len + padded > sizeof(f->dt))
		die(EXIT_VMM_ERROR, "device tree too large");
	memcpy(f->dt + f->dt_len, data, len);
	memset(f->dt + f->dt_len + len, 0, padded - len);
	f->dt_len += padded;
}

static void fdt_put_u32(struct fdt *f, uint32_t v)
{
	v = htobe32(v);
	fdt_put(f, &v, 4);
}

/* Offset of @name in the strings block, added on first use. */
static uint32_t fdt_string(struct fdt *f, const char *name)
{
	size_t len = strlen(name) + 1, off = 0;

	while (off < f->strings_len) {
		if (!strcmp(f->strings + off, name))
			return off;
		off += strlen(f->strings + off) + 1;
	}
	if (f->strings_len + len > sizeof(f->strings))
		die(EXIT_VMM_ERROR, "device tree strings too large");
	memcpy(f->strings + f->strings_len, name, len);
	f->strings_len += len;
	return off;
}

static void fdt_begin_node(struct fdt *f, const char *name)
{
	fdt_put_u32(f, FDT_BEGIN_NODE);
	fdt_put(f, name, strlen(name) + 1);
}

static void fdt_end_node(struct fdt *f)
{
	fdt_put_u32(f, FDT_END_NODE);
}

static void fdt_prop(struct fdt *f, const char *name, const void *val,
		     size_t len)
{
	fdt_put_u32(f, FDT_PROP);
	fdt_put_u32(f, len);
	fdt_put_u32(f, fdt_string(f, name));
	fdt_put(f, val, len);
}

static void fdt_prop_str(struct fdt *f, const char *name, const char *val)
{
	fdt_prop(f, name, val, strlen(val) + 1);
}

/* A property of @n 32-bit cells. */
static void fdt_prop_cells(struct fdt *f, const char *name,
			   const uint32_t *cells, unsigned int n)
{
	uint32_t be[4];
	unsigned int i;

	for (i = 0; i < n; i++)
		be[i] = htobe32(cells[i]);
	fdt_prop(f, name, be, n * 4);
}

static void fdt_prop_u32(struct fdt *f, const char *name, uint32_t val)
{
	fdt_prop_cells(f, name, &val, 1);
}

/* Header, reserve map, structure and strings into @out; Return: size. */
static size_t fdt_finish(struct fdt *f, uint8_t *out, size_t room)
{
	uint32_t off_struct = FDT_HEADER_SIZE + FDT_RSVMAP_SIZE;
	uint32_t off_strings, total, header[10];
	unsigned int i;

	fdt_put_u32(f, FDT_END);
	off_strings = off_struct + f->dt_len;
	total = off_strings + f->strings_len;
	if (total > room)
		die(EXIT_VMM_ERROR, "device tree does not fit in RAM");
	header[0] = FDT_MAGIC;
	header[1] = total;
	header[2] = off_struct;
	header[3] = off_strings;
	header[4] = FDT_HEADER_SIZE;	/* off_mem_rsvmap */
	header[5] = 17;			/* version */
	header[6] = 16;			/* last_comp_version */
	header[7] = 0;			/* boot_cpuid_phys */
	header[8] = f->strings_len;
	header[9] = f->dt_len;
	for (i = 0; i < 10; i++)
		header[i] = htobe32(header[i]);
	memcpy(out, header, FDT_HEADER_SIZE);
	memset(out + FDT_HEADER_SIZE, 0, FDT_RSVMAP_SIZE);
	memcpy(out + off_struct, f->dt, f->dt_len);
	memcpy(out + off_strings, f->strings, f->strings_len);
	return total;
}

/* ---- what KVM offers the guest ---- */

static int get_reg(int vcpu_fd, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)val };

	return ioctl(vcpu_fd, KVM_GET_ONE_REG, &reg);
}

static int set_reg(int vcpu_fd, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	return ioctl(vcpu_fd, KVM_SET_ONE_REG, &reg);
}

/*
 * Multi-letter extensions KVM can give a guest, in the order an ISA
 * string lists them (Z by category, then S); ids are Linux 6.12's
 * enum KVM_RISCV_ISA_EXT_ID.
 */
static const struct {
	unsigned int id;
	const char *name;
} isa_exts[] = {
	{ 11, "zicbom" }, { 12, "zicboz" }, { 19, "zicntr" },
	{ 24, "zicond" }, { 20, "zicsr" }, { 21, "zifencei" },
	{ 49, "zihintntl" }, { 10, "zihintpause" }, { 22, "zihpm" },
	{ 56, "zimop" }, { 54, "zacas" }, { 62, "zawrs" }, { 52, "zfa" },
	{ 47, "zfh" }, { 48, "zfhmin" }, { 57, "zca" }, { 58, "zcb" },
	{ 59, "zcd" }, { 60, "zcf" }, { 61, "zcmop" }, { 17, "zba" },
	{ 13, "zbb" }, { 25, "zbc" }, { 26, "zbkb" }, { 27, "zbkc" },
	{ 28, "zbkx" }, { 18, "zbs" }, { 53, "ztso" }, { 23, "smstateen" },
	{ 14, "ssaia" }, { 55, "sscofpmf" }, { 8, "sstc" }, { 9, "svinval" },
	{ 16, "svnapot" }, { 7, "svpbmt" },
};

/* "rv64imafdc_zicsr_..._sstc": the base letters and the enabled extensions. */
static void guest_isa(int vcpu_fd, char *buf, size_t size)
{
	static const char letters[] = "imafdqcbv";
	uint64_t isa = 0, on;
	size_t len, i;

	if (get_reg(vcpu_fd, REG_U64(KVM_REG_RISCV_CONFIG,
				     KVM_REG_RISCV_CONFIG_REG(isa)), &isa))
		die_errno("KVM_GET_ONE_REG(config.isa)");
	len = snprintf(buf, size, "rv64");
	for (i = 0; letters[i] && len + 1 < size; i++)
		if (isa & (1UL << (letters[i] - 'a')))
			buf[len++] = letters[i];
	buf[len] = 0;
	for (i = 0; i < sizeof(isa_exts) / sizeof(isa_exts[0]); i++) {
		if (get_reg(vcpu_fd, REG_U64(KVM_REG_RISCV_ISA_EXT,
					     isa_exts[i].id), &on) || !on)
			continue;	/* ENOENT: this host lacks it */
		len += snprintf(buf + len, len < size ? size - len : 0, "_%s",
				isa_exts[i].name);
	}
	if (len >= size)
		die(EXIT_VMM_ERROR, "ISA string too long");
}

/*
 * The MMU mode for "mmu-type": the host's own (VS-stage paging offers
 * what the hart does), or Sv39, which every RV64 hart with paging has.
 */
static void host_mmu_type(char *buf, size_t size)
{
	FILE *f = fopen("/sys/firmware/devicetree/base/cpus/cpu@0/mmu-type",
			"r");
	size_t n = f ? fread(buf, 1, size - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = 0;
	if (!n)
		snprintf(buf, size, "riscv,sv39");
}

/* ---- the guest's device tree ---- */

static void fdt_cpus(struct fdt *f, const struct vm *vm, const char *isa,
		     const char *mmu, uint64_t timebase)
{
	char name[32];
	unsigned int i;

	fdt_begin_node(f, "cpus");
	fdt_prop_u32(f, "#address-cells", 1);
	fdt_prop_u32(f, "#size-cells", 0);
	fdt_prop_u32(f, "timebase-frequency", timebase);
	for (i = 0; i < vm->nr_vcpus; i++) {
		snprintf(name, sizeof(name), "cpu@%u", i);
		fdt_begin_node(f, name);
		fdt_prop_str(f, "device_type", "cpu");
		fdt_prop_u32(f, "reg", i);
		fdt_prop_str(f, "status", "okay");
		fdt_prop_str(f, "compatible", "riscv");
		fdt_prop_str(f, "riscv,isa", isa);
		fdt_prop_str(f, "mmu-type", mmu);
		fdt_end_node(f);
	}
	fdt_end_node(f);
}

/* Write the tree at the highest 2 MiB boundary that holds it; Return: GPA. */
static unsigned long write_fdt(struct vm *vm, const struct options *opt)
{
	static struct fdt f;
	uint32_t reg[4] = { RAM_BASE >> 32, (uint32_t)RAM_BASE,
			    vm->ram_size >> 32, (uint32_t)vm->ram_size };
	char isa[512], mmu[32], name[32];
	uint64_t timebase;
	unsigned long off = vm->ram_size - FDT_ALIGN;
	size_t size;

	if (get_reg(vm->vcpus[0].fd, REG_U64(KVM_REG_RISCV_TIMER,
			KVM_REG_RISCV_TIMER_REG(frequency)), &timebase))
		die_errno("KVM_GET_ONE_REG(timer.frequency)");
	guest_isa(vm->vcpus[0].fd, isa, sizeof(isa));
	if (opt->mmu)
		snprintf(mmu, sizeof(mmu), "riscv,%s", opt->mmu);
	else
		host_mmu_type(mmu, sizeof(mmu));

	fdt_begin_node(&f, "");
	fdt_prop_u32(&f, "#address-cells", 2);
	fdt_prop_u32(&f, "#size-cells", 2);
	fdt_prop_str(&f, "compatible", "riscv-virtio");
	fdt_prop_str(&f, "model", "riscv-virtio,rvmem-kvm-vmm");
	fdt_begin_node(&f, "chosen");
	fdt_prop_str(&f, "bootargs", opt->append);
	fdt_end_node(&f);
	snprintf(name, sizeof(name), "memory@%lx", RAM_BASE);
	fdt_begin_node(&f, name);
	fdt_prop_str(&f, "device_type", "memory");
	fdt_prop_cells(&f, "reg", reg, 4);
	fdt_end_node(&f);
	fdt_cpus(&f, vm, isa, mmu, timebase);
	fdt_end_node(&f);
	size = fdt_finish(&f, vm->ram + off, FDT_ALIGN);
	fprintf(stderr, "vmm: %u vCPU%s, %lu MiB at 0x%lx, device tree at "
		"0x%lx (%zu bytes): %s, %s, timebase %llu Hz\n", vm->nr_vcpus,
		vm->nr_vcpus > 1 ? "s" : "", vm->ram_size >> 20, RAM_BASE,
		RAM_BASE + off, size, isa, mmu, (unsigned long long)timebase);
	return RAM_BASE + off;
}

/* ---- loading the image ---- */

/* Copy @ph's bytes of @file to RAM and zero the rest of its memsz. */
static void load_segment(struct vm *vm, const uint8_t *file, size_t file_size,
			 const Elf64_Phdr *ph)
{
	uint64_t off = ph->p_paddr - RAM_BASE;

	if (ph->p_paddr < RAM_BASE || ph->p_memsz > vm->ram_size ||
	    off > vm->ram_size - ph->p_memsz || ph->p_filesz > ph->p_memsz ||
	    ph->p_offset > file_size || ph->p_filesz > file_size - ph->p_offset)
		die(EXIT_VMM_ERROR, "segment [0x%llx, +0x%llx) does not fit "
		    "RAM [0x%lx, +0x%lx) or the file",
		    (unsigned long long)ph->p_paddr,
		    (unsigned long long)ph->p_memsz, RAM_BASE, vm->ram_size);
	memcpy(vm->ram + off, file + ph->p_offset, ph->p_filesz);
	memset(vm->ram + off + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
}

static void load_elf(struct vm *vm, const char *path)
{
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	struct stat st;
	uint8_t *file;
	int fd, i;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		die(EXIT_VMM_ERROR, "%s: %s", path, strerror(errno));
	file = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (file == MAP_FAILED)
		die_errno("mmap image");
	eh = (const Elf64_Ehdr *)file;
	if ((size_t)st.st_size < sizeof(*eh) ||
	    memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_RISCV ||
	    eh->e_phentsize != sizeof(*ph) ||
	    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(*ph) > (size_t)st.st_size)
		die(EXIT_VMM_ERROR, "%s: not a 64-bit RISC-V ELF image", path);
	ph = (const Elf64_Phdr *)(file + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD)
			load_segment(vm, file, st.st_size, &ph[i]);
	vm->entry = eh->e_entry;
	munmap(file, st.st_size);
	close(fd);
}

/* ---- the VM and its vCPUs ---- */

static void create_vm(struct vm *vm, const struct options *opt)
{
	struct kvm_userspace_memory_region region;
	int version;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		die_errno("/dev/kvm");
	version = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION)
		die(EXIT_VMM_ERROR, "KVM API version %d, want %d", version,
		    KVM_API_VERSION);
	vm->fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		die_errno("KVM_CREATE_VM");

	vm->ram_size = opt->mem_mib << 20;
	vm->ram = mmap(NULL, vm->ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED)
		die_errno("mmap guest RAM");
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = RAM_BASE,
		.memory_size = vm->ram_size,
		.userspace_addr = (uintptr_t)vm->ram,
	};
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region))
		die_errno("KVM_SET_USER_MEMORY_REGION");
}

static void create_vcpu(struct vm *vm, struct vcpu *v, bool dbcn)
{
	int run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);

	if (run_size < (int)sizeof(struct kvm_run))
		die_errno("KVM_GET_VCPU_MMAP_SIZE");
	v->fd = ioctl(vm->fd, KVM_CREATE_VCPU, v->id);
	if (v->fd < 0)
		die_errno("KVM_CREATE_VCPU");
	v->run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      v->fd, 0);
	if (v->run == MAP_FAILED)
		die_errno("mmap kvm_run");
	/* DBCN is off by default in KVM; per vCPU, before it first runs. */
	if (set_reg(v->fd, REG_U64(REG_RISCV_SBI_EXT, SBI_EXT_ID_DBCN), dbcn) &&
	    dbcn)
		die_errno("enabling SBI DBCN (needs Linux 6.8 or later)");
}

/* vCPU 0 enters the image like a kernel started by OpenSBI. */
static void set_boot_regs(struct vcpu *v, unsigned long entry,
			  unsigned long fdt)
{
	if (set_reg(v->fd, REG_U64(KVM_REG_RISCV_CORE, CORE_PC), entry) ||
	    set_reg(v->fd, REG_U64(KVM_REG_RISCV_CORE, CORE_A0), v->id) ||
	    set_reg(v->fd, REG_U64(KVM_REG_RISCV_CORE, CORE_A1), fdt))
		die_errno("KVM_SET_ONE_REG(core)");
}

/* ---- exits ---- */

/* Guest console bytes to stdout; remembers the guest's exit status line. */
static void console_write(const char *buf, size_t len)
{
	const char *p;
	size_t i;

	pthread_mutex_lock(&console_lock);
	if (write(STDOUT_FILENO, buf, len) < 0) {
		/* nowhere to report it; the status line still counts */
	}
	for (i = 0; i < len; i++) {
		if (buf[i] != '\n') {
			if (console_len < sizeof(console_line) - 1)
				console_line[console_len++] = buf[i];
			continue;
		}
		console_line[console_len] = 0;
		p = strstr(console_line, STATUS_LINE);
		if (p)
			guest_status = atoi(p + strlen(STATUS_LINE)) & 0xff;
		console_len = 0;
	}
	pthread_mutex_unlock(&console_lock);
}

/* DBCN write: @len bytes at guest-physical @gpa; Return: SBI error. */
static long dbcn_write(struct vm *vm, unsigned long len, uint64_t gpa,
		       unsigned long *written)
{
	static bool warned;

	if (gpa < RAM_BASE || gpa - RAM_BASE > vm->ram_size ||
	    len > vm->ram_size - (gpa - RAM_BASE)) {
		if (!warned)
			fprintf(stderr, "vmm: DBCN write of %lu bytes at 0x%llx, "
				"outside RAM: refused (a virtual address?)\n",
				len, (unsigned long long)gpa);
		warned = true;
		return SBI_ERR_INVALID_PARAM;
	}
	console_write((const char *)vm->ram + (gpa - RAM_BASE), len);
	*written = len;
	return SBI_SUCCESS;
}

/* The SBI calls KVM forwards: the legacy console and DBCN. */
static void handle_sbi(struct vm *vm, struct kvm_run *run)
{
	unsigned long *args = run->riscv_sbi.args, value = 0;
	long error = SBI_ERR_NOT_SUPPORTED;
	char c;

	switch (run->riscv_sbi.extension_id) {
	case SBI_EXT_LEGACY_PUTCHAR:
		c = args[0];
		console_write(&c, 1);
		error = 0;
		break;
	case SBI_EXT_LEGACY_GETCHAR:
		error = -1;		/* no input */
		break;
	case SBI_EXT_DBCN:
		if (run->riscv_sbi.function_id == SBI_DBCN_WRITE) {
			error = dbcn_write(vm, args[0],
					   args[1] | (uint64_t)args[2] << 32,
					   &value);
		} else if (run->riscv_sbi.function_id == SBI_DBCN_WRITE_BYTE) {
			c = args[0];
			console_write(&c, 1);
			error = SBI_SUCCESS;
		} else if (run->riscv_sbi.function_id == SBI_DBCN_READ) {
			error = SBI_SUCCESS;	/* nothing to read */
		}
		break;
	}
	run->riscv_sbi.ret[0] = error;
	run->riscv_sbi.ret[1] = value;
}

/* SRST: the run is over; exit with the guest's status. */
static void __attribute__((noreturn))
handle_system_event(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	bool failure = run->system_event.ndata > 0 &&
		       run->system_event.data[0] != SBI_SRST_REASON_NONE;
	const char *what = run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN ?
			   "shutdown" :
			   run->system_event.type == KVM_SYSTEM_EVENT_RESET ?
			   "reset" : "system event";
	int status;

	pthread_mutex_lock(&console_lock);
	status = guest_status >= 0 ? guest_status : failure;
	if (run->system_event.type != KVM_SYSTEM_EVENT_SHUTDOWN &&
	    guest_status < 0)
		status = 1;
	fprintf(stderr, "vmm: vCPU %u: SBI SRST %s (%s reason), exit status %d%s\n",
		v->id, what, failure ? "failure" : "no", status,
		guest_status >= 0 ? "" : " (no status line on the console)");
	_exit(status);
}

static unsigned long guest_pc(struct vcpu *v)
{
	uint64_t pc = 0;

	get_reg(v->fd, REG_U64(KVM_REG_RISCV_CORE, CORE_PC), &pc);
	return pc;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct vm *vm = v->vm;

	for (;;) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die(EXIT_VMM_ERROR, "vCPU %u: KVM_RUN: %s", v->id,
			    strerror(errno));
		}
		switch (v->run->exit_reason) {
		case KVM_EXIT_RISCV_SBI:
			handle_sbi(vm, v->run);
			break;
		case KVM_EXIT_SYSTEM_EVENT:
			handle_system_event(v);
		case KVM_EXIT_INTR:
			break;
		case KVM_EXIT_MMIO:
			die(EXIT_VMM_ERROR, "vCPU %u: MMIO %s of %u bytes at "
			    "0x%llx (pc 0x%lx): rvmem must not touch devices "
			    "under KVM", v->id,
			    v->run->mmio.is_write ? "write" : "read",
			    v->run->mmio.len,
			    (unsigned long long)v->run->mmio.phys_addr,
			    guest_pc(v));
		default:
			die(EXIT_VMM_ERROR, "vCPU %u: unexpected KVM exit %u "
			    "(pc 0x%lx)", v->id, v->run->exit_reason,
			    guest_pc(v));
		}
	}
}

/* ---- main ---- */

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr,
		"usage: vmm [--cpus N] [--mem MIB] [--timeout S] "
		"[--console dbcn|legacy]\n"
		"           [--mmu sv39|sv48|sv57] [--append BOOTARGS] IMAGE.elf\n");
	exit(2);
}

static unsigned long number(const char *s, unsigned long min,
			    unsigned long max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (*s == 0 || *end || v < min || v > max)
		usage();
	return v;
}

static void parse_options(int argc, char **argv, struct options *opt)
{
	static const struct option longopts[] = {
		{ "cpus", required_argument, NULL, 'c' },
		{ "mem", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "console", required_argument, NULL, 'C' },
		{ "mmu", required_argument, NULL, 'u' },
		{ "append", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*opt = (struct options){ .cpus = 1, .mem_mib = 256, .timeout_s = 60,
				 .dbcn = true, .append = "" };
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': opt->cpus = number(optarg, 1, MAX_VCPUS); break;
		case 'm': opt->mem_mib = number(optarg, 16, 1UL << 20); break;
		case 't': opt->timeout_s = number(optarg, 1, 86400); break;
		case 'u': opt->mmu = optarg; break;
		case 'a': opt->append = optarg; break;
		case 'C':
			if (strcmp(optarg, "dbcn") && strcmp(optarg, "legacy"))
				usage();
			opt->dbcn = !strcmp(optarg, "dbcn");
			break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	opt->image = argv[optind];
}

int main(int argc, char **argv)
{
	static struct vm vm;
	struct options opt;
	struct timespec deadline;
	unsigned long fdt;
	unsigned int i;

	parse_options(argc, argv, &opt);
	create_vm(&vm, &opt);
	load_elf(&vm, opt.image);
	vm.nr_vcpus = opt.cpus;
	for (i = 0; i < vm.nr_vcpus; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].id = i;
		create_vcpu(&vm, &vm.vcpus[i], opt.dbcn);
	}
	fdt = write_fdt(&vm, &opt);
	set_boot_regs(&vm.vcpus[0], vm.entry, fdt);
	fprintf(stderr, "vmm: %s: entry 0x%lx, console %s, bootargs \"%s\"\n",
		opt.image, vm.entry, opt.dbcn ? "DBCN" : "legacy", opt.append);

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += opt.timeout_s;
	for (i = 0; i < vm.nr_vcpus; i++)
		if (pthread_create(&vm.vcpus[i].thread, NULL, vcpu_thread,
				   &vm.vcpus[i]))
			die(EXIT_VMM_ERROR, "pthread_create failed");
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL))
		;
	pthread_mutex_lock(&console_lock);
	die(EXIT_TIMEOUT, "timeout: the guest ran %u s without powering off",
	    opt.timeout_s);
}
