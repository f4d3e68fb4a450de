// SPDX-License-Identifier: MIT
/*
 * The machine description the platform layer hands to core/: the one
 * struct boot_info, written by the boot hart before anything else runs and
 * read-only from then on, and the small questions core/ asks of it.
 */
#include <string.h>
#include <rvmem/boot.h>

struct boot_info boot_info;

u64 boot_mem_total(const struct boot_info *bi)
{
	u64 total = 0;
	unsigned int i;

	for (i = 0; i < bi->nr_mem; i++)
		total += bi->mem[i].size;
	return total;
}

const char *boot_mmu_name(enum boot_mmu mmu)
{
	switch (mmu) {
	case BOOT_MMU_NONE:
		return "none";
	case BOOT_MMU_SV39:
		return "sv39";
	case BOOT_MMU_SV48:
		return "sv48";
	case BOOT_MMU_SV57:
		return "sv57";
	}
	return "unknown";
}

bool boot_isa_has(const struct boot_info *bi, const char *ext)
{
	size_t len = strlen(ext);
	const char *p = strchr(bi->isa, '_');

	for (; p; p = strchr(p + 1, '_'))
		if (!strncmp(p + 1, ext, len) &&
		    (p[1 + len] == '_' || p[1 + len] == '\0'))
			return true;
	return false;
}

unsigned int boot_hart_node(const struct boot_info *bi, u32 hartid)
{
	unsigned int i;

	for (i = 0; i < bi->nr_harts; i++)
		if (bi->hartid[i] == hartid)
			return bi->hart_node[i];
	return 0;
}
