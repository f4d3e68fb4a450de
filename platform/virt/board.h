/* SPDX-License-Identifier: MIT */
/*
 * The QEMU/KVM `virt` board as seen from the platform layer: how its device
 * tree becomes the struct boot_info that core/ reads. Only platform code
 * includes this header.
 */
#ifndef RVMEM_VIRT_BOARD_H
#define RVMEM_VIRT_BOARD_H

#include <rvmem/boot.h>

enum boot_poweroff_kind {
	BOOT_POWEROFF_NONE,	/* no finisher: use SBI SRST (KVM guests) */
	BOOT_POWEROFF_SIFIVE_TEST,
};

/**
 * struct boot_poweroff - the test finisher that ends QEMU with a status
 * @kind: which device, or BOOT_POWEROFF_NONE
 * @addr: physical address of its 32-bit control register
 *
 * Found either as a "sifive,test0"/"sifive,test1" node or through a
 * "syscon-poweroff" node's regmap pointing at one.
 */
struct boot_poweroff {
	enum boot_poweroff_kind kind;
	u64 addr;
};


/**
 * board_parse_fdt() - describe the machine from its device tree
 * @fdt: the blob OpenSBI handed over (a1 at entry)
 * @max_size: bytes readable at @fdt; the header's totalsize must fit
 * @boot_hartid: the hart running this (a0 at entry)
 * @bi: filled on success: RAM from every device_type = "memory" node
 *	(sorted, zero-size entries dropped), reserved ranges from the
 *	/memreserve/ block and /reserved-memory, usable harts under /cpus
 *	(the first NR_CPUS, always including @boot_hartid), timebase, the boot
 *	hart's ISA string and MMU type, /chosen bootargs and stdout-path
 *	(pointing into the blob, "" when absent)
 * @poweroff: set to the test finisher, or to BOOT_POWEROFF_NONE. It is
 *	read first, right after the structure block, so it is set even when
 *	a later step refuses the tree: the boot can still end with a status
 * @err: on failure, one line (no newline) naming the node or property at
 *	fault and what is wrong with it
 * @errlen: size of @err
 *
 * A usable tree has a valid header and structure block, at least
 * BOOT_MIN_RAM of non-overlapping RAM, /cpus with a nonzero
 * timebase-frequency and the boot hart among its usable cpus, and no
 * malformed property among those read. Anything that does not fit the
 * fixed arrays of struct boot_info, apart from harts beyond NR_CPUS, is
 * refused rather than dropped.
 *
 * Context: boot hart, early boot, MMU off; reads nothing outside
 * [@fdt, @fdt + @max_size).
 *
 * Return: 0, or -EINVAL with @err set (and @bi partly filled).
 */
int board_parse_fdt(const void *fdt, size_t max_size, u32 boot_hartid,
		    struct boot_info *bi, struct boot_poweroff *poweroff,
		    char *err, size_t errlen);

/**
 * board_find_rtc() - find the real-time clock (a goldfish RTC, as QEMU
 * virt has)
 * @fdt: the blob, already checked by board_parse_fdt()
 * @max_size: bytes readable at @fdt
 * @addr: set to its registers' physical address, or 0 if there is none
 *
 * Return: 0, or -EINVAL if its node is malformed.
 */
int board_find_rtc(const void *fdt, size_t max_size, u64 *addr);

#endif /* RVMEM_VIRT_BOARD_H */
