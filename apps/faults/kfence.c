// SPDX-License-Identifier: MIT
/*
 * Misuses of an object KFENCE sampled, one per mode, each of which must
 * end the boot with a "BUG: KFENCE: ..." report naming the object, its
 * cache and where it was allocated (and freed), and exit status 70. Boot
 * with a short kfence.sample_interval (1 ms): each mode allocates until
 * an object comes from the pool.
 *
 *	kfence-oob		write one byte past a kmalloc(64) object
 *				(the guard page after it)
 *	kfence-uaf		read a kmalloc(64) object after kfree()
 *	kfence-corrupt		write one byte before a kmalloc(64) object
 *				(its canary), then kfree() it
 *	kfence-double-free	kfree() it twice
 *	kfence-malloc-uaf	write into a malloc(40) block after free()
 *	kfence-exec		jump into a live kmalloc(64) object (its
 *				page is mapped, but never executable)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rvmem/kfence.h>
#include <rvmem/slab.h>

int kfence_fault(const char *mode);

#define MAX_BURSTS	16384

static void *kmalloc_kernel(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

static void kfree_kernel(void *p)
{
	kfree(p);
}

/*
 * A block of @size from @alloc that KFENCE served (see
 * kfence_alloc_until_sampled()), or NULL after MAX_BURSTS bursts.
 */
static noinline void *sampled(void *(*alloc)(size_t), void (*free)(void *),
			      size_t size)
{
	void *found = kfence_alloc_until_sampled(alloc, free, size,
						 MAX_BURSTS, NULL);

	if (!found)
		printf("faults: no KFENCE object after %u bursts\n",
		       MAX_BURSTS);
	else
		printf("faults: KFENCE object %p\n", found);
	return found;
}

static noinline void kfence_oob(void)
{
	u8 *p = sampled(kmalloc_kernel, kfree_kernel, 64);

	if (p)
		((volatile u8 *)p)[64] = 0x78;
}

static noinline void kfence_uaf(void)
{
	u8 *p = sampled(kmalloc_kernel, kfree_kernel, 64);

	if (!p)
		return;
	kfree(p);
	printf("faults: read %#x\n", ((volatile u8 *)p)[10]);
}

static noinline void kfence_corrupt(void)
{
	u8 *p = sampled(kmalloc_kernel, kfree_kernel, 64);

	if (!p)
		return;
	((volatile u8 *)p)[-1] = 0x78;
	kfree(p);
	printf("faults: kfree() did not see it\n");
}

static noinline void kfence_double_free(void)
{
	u8 *p = sampled(kmalloc_kernel, kfree_kernel, 64);

	if (!p)
		return;
	kfree(p);
	kfree(p);
	printf("faults: the second kfree() went through\n");
}

static noinline void kfence_malloc_uaf(void)
{
	u8 *p = sampled(malloc, free, 40);

	if (!p)
		return;
	free(p);
	((volatile u8 *)p)[0] = 0x42;
}

static noinline void kfence_exec(void)
{
	u8 *p = sampled(kmalloc_kernel, kfree_kernel, 64);

	if (p)
		((void (*)(void))p)();
}

static const struct {
	const char *name;
	void (*fn)(void);
} kfence_modes[] = {
	{ "kfence-oob", kfence_oob },
	{ "kfence-uaf", kfence_uaf },
	{ "kfence-corrupt", kfence_corrupt },
	{ "kfence-double-free", kfence_double_free },
	{ "kfence-malloc-uaf", kfence_malloc_uaf },
	{ "kfence-exec", kfence_exec },
};

/**
 * kfence_fault() - run the KFENCE misuse @mode names
 * @mode: "kfence-oob", ... (see above)
 *
 * Return: 1 if the misuse went unnoticed (or no object was sampled), 2
 * for an unknown mode; a caught misuse does not return.
 */
int kfence_fault(const char *mode)
{
	unsigned int i;

	for (i = 0; i < sizeof(kfence_modes) / sizeof(kfence_modes[0]); i++) {
		if (strcmp(mode, kfence_modes[i].name))
			continue;
		kfence_modes[i].fn();
		return 1;
	}
	fprintf(stderr, "faults: unknown kfence mode %s\n", mode);
	return 2;
}
