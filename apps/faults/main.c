// SPDX-License-Identifier: MIT
/*
 * faults: does one bad thing on purpose, so the tests can check that the
 * kernel reports it clearly and exits with a failure status.
 *
 *	faults illegal | null-load | leaf-fault | abort | assert | signal |
 *	       exit N |
 *	       page-double-free | page-wrong-order | page-tail-free |
 *	       vmalloc-overflow | vmalloc-use-after-free |
 *	       stack-overflow | write-rodata |
 *	       write-text | exec-nx | unmapped | oom | oom-injected |
 *	       overcommit-strict |
 *	       slab-redzone | slab-use-after-free | slab-double-free |
 *	       slab-invalid-free | slab-freelist-corrupt |
 *	       slab-free-below-ram | slab-free-vmalloc |
 *	       slab-free-deferred | slab-cache-free-deferred |
 *	       slab-cache-free-below-ram (see slab.c) |
 *	       kfence-oob | kfence-uaf | kfence-corrupt | kfence-double-free |
 *	       kfence-malloc-uaf | kfence-exec (see kfence.c)
 */
#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <rvmem/fault-inject.h>
#include <rvmem/memlayout.h>
#include <rvmem/vmalloc.h>
#include <rvmem/mm.h>

static noinline void do_illegal(void)
{
	__asm__ __volatile__("csrr t0, mhartid" ::: "t0");
}

static noinline int do_null_load(void)
{
	volatile int *p = NULL;

	return *p;
}

/* A fault inside picolibc's strlen, a leaf built without a frame. */
static noinline int do_leaf_fault(void)
{
	const char *volatile p = (const char *)8;

	return strlen(p);
}

/* Misuse of the page allocator that every build must catch. */
static noinline int do_bad_page_free(const char *how)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	if (!page)
		return 1;
	if (!strcmp(how, "page-double-free")) {
		__free_pages(page, 2);
		__free_pages(page, 2);
	} else if (!strcmp(how, "page-wrong-order")) {
		__free_pages(page, 1);
	} else {
		__free_pages(page + 1, 0);
	}
	return 0;
}

static const char rodata_word[16] = "constant";

/* Bad accesses the fault path must report, each naming what is there. */
static noinline int do_vm_fault(const char *how)
{
	if (!strcmp(how, "vmalloc-overflow")) {
		char *p = vmalloc(3 * 4096);

		p[3 * 4096] = 1;	/* one past the end: the guard page */
	} else if (!strcmp(how, "vmalloc-use-after-free")) {
		/* Too big for a block; its range waits for the purge. */
		volatile char *p = vmalloc(64 * 4096);

		vfree((void *)p);
		return p[4096];
	} else if (!strcmp(how, "write-rodata")) {
		*(volatile char *)rodata_word = 'x';
	} else if (!strcmp(how, "write-text")) {
		*(volatile char *)(unsigned long)do_illegal = 0;
	} else if (!strcmp(how, "exec-nx")) {
		void (*fn)(void) = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		fn();
	} else if (!strcmp(how, "unmapped")) {
		return *(volatile int *)(MMAP_START + (1UL << 30));
	}
	return 0;
}

/*
 * Recurse until the stack runs into its guard page: 512 bytes a frame
 * hits main's 8 MiB stack's guard long before the depth limit, which is
 * only there to make the recursion finite in the compiler's eyes.
 */
static noinline int do_stack_overflow(unsigned long depth)
{
	volatile char frame[512];

	frame[0] = (char)depth;
	if (depth > (1UL << 20))
		return 0;
	return do_stack_overflow(depth + 1) + frame[511];
}

/* Touch more anonymous memory than there is RAM (overcommit allowed). */
static int do_oom(void)
{
	unsigned long size = 4UL << 30, off;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED) {
		perror("faults: mmap");
		return 1;
	}
	for (off = 0; off < size; off += 4096)
		p[off] = 1;
	return 0;
}

/* Touch a fresh region with every page allocation failing. */
static int do_oom_injected(void)
{
	char *p = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("faults: mmap");
		return 1;
	}
	printf("faults: first touch of %p with page allocations failing\n",
	       p);
	fault_attr_set(&fail_page_alloc, 1, 100, 0, -1);
	p[0] = 1;
	fault_attr_set(&fail_page_alloc, 1, 0, 0, 0);
	return 0;
}

/* With vm.overcommit_memory=2, a mapping past CommitLimit is refused. */
static int do_overcommit_strict(void)
{
	void *p = mmap(NULL, 1UL << 30, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED || errno != ENOMEM) {
		printf("faults: 1 GiB mmap was not refused\n");
		return 1;
	}
	printf("faults: mmap of 1 GiB refused with ENOMEM\n");
	return 0;
}

int slab_fault(const char *mode);	/* apps/faults/slab.c */
int kfence_fault(const char *mode);	/* apps/faults/kfence.c */

static void usage(void)
{
	fprintf(stderr, "usage: faults illegal|null-load|leaf-fault|abort|"
		"assert|signal|"
		"exit N|page-double-free|page-wrong-order|page-tail-free|"
		"vmalloc-overflow|vmalloc-use-after-free|stack-overflow|"
		"write-rodata|write-text|"
		"exec-nx|unmapped|oom|oom-injected|overcommit-strict|"
		"slab-redzone|"
		"slab-use-after-free|slab-double-free|slab-invalid-free|"
		"slab-freelist-corrupt|slab-free-below-ram|slab-free-vmalloc|"
		"slab-free-deferred|slab-cache-free-deferred|"
		"slab-cache-free-below-ram|kfence-oob|kfence-uaf|"
		"kfence-corrupt|"
		"kfence-double-free|kfence-malloc-uaf|kfence-exec\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	printf("faults: %s\n", argv[1]);
	if (!strcmp(argv[1], "illegal"))
		do_illegal();
	else if (!strcmp(argv[1], "null-load"))
		return do_null_load();
	else if (!strcmp(argv[1], "leaf-fault"))
		return do_leaf_fault();
	else if (!strcmp(argv[1], "abort"))
		abort();
	else if (!strcmp(argv[1], "assert"))
		assert(argc == 42);
	else if (!strcmp(argv[1], "signal"))
		raise(SIGTERM);
	else if (!strncmp(argv[1], "slab-", 5))
		slab_fault(argv[1]);
	else if (!strncmp(argv[1], "kfence-", 7))
		return kfence_fault(argv[1]);
	else if (!strncmp(argv[1], "page-", 5))
		do_bad_page_free(argv[1]);
	else if (!strcmp(argv[1], "stack-overflow"))
		return do_stack_overflow(0);
	else if (!strcmp(argv[1], "oom"))
		return do_oom();
	else if (!strcmp(argv[1], "oom-injected"))
		return do_oom_injected();
	else if (!strcmp(argv[1], "overcommit-strict"))
		return do_overcommit_strict();
	else if (!strncmp(argv[1], "vmalloc-", 8) ||
		 !strncmp(argv[1], "write-", 6) ||
		 !strcmp(argv[1], "exec-nx") || !strcmp(argv[1], "unmapped"))
		return do_vm_fault(argv[1]);
	else if (!strcmp(argv[1], "exit") && argc == 3)
		return atoi(argv[2]);
	else
		usage();
	fprintf(stderr, "faults: %s did not fault\n", argv[1]);
	return 1;
}
