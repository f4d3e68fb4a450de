// SPDX-License-Identifier: MIT
/*
 * Which of the extensions rvmem knows the hart has: the device tree's
 * riscv,isa string says so (as in Linux, it is trusted, not probed: a
 * reserved PTE bit or an unknown instruction would fault, not report).
 * Only extensions the kernel acts on are listed here.
 */
#include <asm/cpufeature.h>
#include <rvmem/boot.h>

unsigned long riscv_isa_ext;

/* Each as riscv,isa spells it. */
static const char *const isa_ext[RISCV_ISA_EXT_MAX] = {
	[RISCV_ISA_EXT_SVINVAL] = "svinval",
	[RISCV_ISA_EXT_SVNAPOT] = "svnapot",
	[RISCV_ISA_EXT_SVPBMT] = "svpbmt",
};

void riscv_fill_hwcap(void)
{
	unsigned int i;

	for (i = 0; i < RISCV_ISA_EXT_MAX; i++)
		if (boot_isa_has(&boot_info, isa_ext[i]))
			riscv_isa_ext |= 1UL << i;
}
