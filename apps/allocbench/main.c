// SPDX-License-Identifier: MIT
/*
 * allocbench: guest instructions per allocator operation.
 *
 *	allocbench [WORKLOAD-PREFIX]
 *
 * Each workload runs a warm-up pass and a measured pass and prints one
 * JSON line (workload, allocator, ops, instructions, insn_per_op, harts,
 * ns_per_op) and a table row. Instruction counts come from rdinstret and
 * mean something only under QEMU -icount shift=0, where they are exact
 * and the same on every run; ns_per_op is wall time and varies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/csr.h>
#include <asm/timer.h>
#include <rvmem/gfp.h>
#include <rvmem/mm.h>
#include <rvmem/slab.h>
#include <rvmem/smp.h>

#define BURST	64

struct workload {
	const char *name;
	const char *allocator;
	unsigned long ops;		/* operations per pass */
	unsigned int order;
	size_t size;			/* bytes, for kmalloc and malloc */
	void (*run)(const struct workload *w);
};

static void page_pairs(const struct workload *w)
{
	unsigned long i;

	for (i = 0; i < w->ops; i++)
		__free_pages(alloc_pages(GFP_KERNEL, w->order), w->order);
}

static void page_bursts(const struct workload *w)
{
	struct page *pages[BURST];
	unsigned long i;
	int j;

	for (i = 0; i < w->ops; i += BURST) {
		for (j = 0; j < BURST; j++)
			pages[j] = alloc_pages(GFP_KERNEL, w->order);
		for (j = 0; j < BURST; j++)
			__free_pages(pages[j], w->order);
	}
}

/*
 * A hot LIFO pair: the object just freed is the next one handed out.
 * The pointer goes through a volatile so the pair is not optimised away.
 */
static void kmalloc_pairs(const struct workload *w)
{
	void *volatile p;
	unsigned long i;

	for (i = 0; i < w->ops; i++) {
		p = kmalloc(w->size, GFP_KERNEL);
		kfree(p);
	}
}

static struct kmem_cache *bench_cache;

static void kmem_cache_pairs(const struct workload *w)
{
	void *volatile p;
	unsigned long i;

	for (i = 0; i < w->ops; i++) {
		p = kmem_cache_alloc(bench_cache, GFP_KERNEL);
		kmem_cache_free(bench_cache, p);
	}
}

static void malloc_pairs(const struct workload *w)
{
	void *volatile p;
	unsigned long i;

	for (i = 0; i < w->ops; i++) {
		p = malloc(w->size);
		free(p);
	}
}

static const struct workload workloads[] = {
	{ "alloc_pages_pair_order0", "rvmem", 100000, 0, 0, page_pairs },
	{ "alloc_pages_pair_order3", "rvmem", 20000, 3, 0, page_pairs },
	{ "alloc_pages_pair_order9", "rvmem", 20000, 9, 0, page_pairs },
	{ "alloc_pages_burst64_order0", "rvmem", 64000, 0, 0, page_bursts },
	{ "kmalloc_pair_8", "rvmem", 100000, 0, 8, kmalloc_pairs },
	{ "kmalloc_pair_64", "rvmem", 100000, 0, 64, kmalloc_pairs },
	{ "kmalloc_pair_512", "rvmem", 100000, 0, 512, kmalloc_pairs },
	{ "kmalloc_pair_4096", "rvmem", 100000, 0, 4096, kmalloc_pairs },
	{ "kmem_cache_pair_64", "rvmem", 100000, 0, 64, kmem_cache_pairs },
	{ "malloc_pair_8", "picolibc", 100000, 0, 8, malloc_pairs },
	{ "malloc_pair_64", "picolibc", 100000, 0, 64, malloc_pairs },
	{ "malloc_pair_512", "picolibc", 100000, 0, 512, malloc_pairs },
	{ "malloc_pair_4096", "picolibc", 100000, 0, 4096, malloc_pairs },
};

static void measure(const struct workload *w)
{
	unsigned long insn;
	u64 ticks;

	w->run(w);		/* warm up: per-hart lists, caches */
	insn = rdinstret();
	ticks = timer_read();
	w->run(w);
	insn = rdinstret() - insn;
	ticks = timer_read() - ticks;
	printf("{\"workload\": \"%s\", \"allocator\": \"%s\", \"ops\": %lu, "
	       "\"instructions\": %lu, \"insn_per_op\": %lu.%02lu, "
	       "\"harts\": 1, \"ns_per_op\": %lu}\n", w->name, w->allocator,
	       w->ops, insn, insn / w->ops, insn % w->ops * 100 / w->ops,
	       (unsigned long)(ticks * 1000 / timer_ticks_per_us() / w->ops));
}

int main(int argc, char **argv)
{
	const char *prefix = argc > 1 ? argv[1] : "";
	size_t i;

	bench_cache = kmem_cache_create("allocbench_64", 64, 0, 0, NULL);
	if (!bench_cache)
		return 1;
	for (i = 0; i < ARRAY_SIZE(workloads); i++)
		if (!strncmp(workloads[i].name, prefix, strlen(prefix)))
			measure(&workloads[i]);
	return 0;
}
