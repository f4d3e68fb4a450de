// SPDX-License-Identifier: MIT
/*
 * hello: the smallest rvmem app. A greeting from every hart, then what the
 * kernel found: memory map, reserved ranges, SBI and ISA facts, arguments.
 */
#include <stdio.h>
#include <asm/sbi.h>
#include <asm/timer.h>
#include <rvmem/boot.h>
#include <rvmem/smp.h>

static void greet(void *arg)
{
	(void)arg;
	printf("Hello from hart %u (cpu %u)\n", this_hart()->hartid,
	       smp_processor_id());
}

static void show_memory(void)
{
	unsigned int i;

	printf("Memory map (%llu MiB):\n",
	       (unsigned long long)(boot_mem_total(&boot_info) >> 20));
	for (i = 0; i < boot_info.nr_mem; i++)
		printf("  [%#010llx-%#010llx] %6llu MiB RAM\n",
		       (unsigned long long)boot_info.mem[i].base,
		       (unsigned long long)(boot_info.mem[i].base +
					    boot_info.mem[i].size),
		       (unsigned long long)(boot_info.mem[i].size >> 20));
	printf("Reserved ranges:\n");
	for (i = 0; i < boot_info.nr_resv; i++)
		printf("  [%#010llx-%#010llx] %6llu KiB %s%s\n",
		       (unsigned long long)boot_info.resv[i].base,
		       (unsigned long long)(boot_info.resv[i].base +
					    boot_info.resv[i].size),
		       (unsigned long long)(boot_info.resv[i].size >> 10),
		       boot_info.resv[i].name,
		       boot_info.resv[i].no_map ? " (no-map)" : "");
}

static void show_platform(void)
{
	printf("SBI: spec %lu.%lu, implementation %s (id %lu, version %#lx)\n",
	       sbi_spec_major(sbi_info.spec_version),
	       sbi_spec_minor(sbi_info.spec_version),
	       sbi_impl_name(sbi_info.impl_id), sbi_info.impl_id,
	       sbi_info.impl_version);
	printf("ISA: %s; MMU: %s; Sstc: %s; timebase: %llu Hz\n",
	       boot_info.isa, boot_mmu_name(boot_info.mmu),
	       timer_has_sstc ? "yes" : "no",
	       (unsigned long long)boot_info.timebase_hz);
	printf("Harts: %u online of %u in the device tree (%u used)\n",
	       nr_cpus_online, boot_info.nr_harts_listed, boot_info.nr_harts);
}

int main(int argc, char **argv)
{
	int i;

	on_each_hart(greet, NULL);
	show_memory();
	show_platform();
	for (i = 0; i < argc; i++)
		printf("argv[%d] = \"%s\"\n", i, argv[i]);
	return 0;
}
