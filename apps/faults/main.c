// SPDX-License-Identifier: MIT
/*
 * faults: does one bad thing on purpose, so the tests can check that the
 * kernel reports it clearly and exits with a failure status.
 *
 *	faults illegal | null-load | abort | assert | signal | exit N |
 *	       page-double-free | page-wrong-order | page-tail-free
 */
#include <assert.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static void usage(void)
{
	fprintf(stderr, "usage: faults illegal|null-load|abort|assert|signal|"
		"exit N|page-double-free|page-wrong-order|page-tail-free\n");
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
	else if (!strcmp(argv[1], "abort"))
		abort();
	else if (!strcmp(argv[1], "assert"))
		assert(argc == 42);
	else if (!strcmp(argv[1], "signal"))
		raise(SIGTERM);
	else if (!strncmp(argv[1], "page-", 5))
		do_bad_page_free(argv[1]);
	else if (!strcmp(argv[1], "exit") && argc == 3)
		return atoi(argv[2]);
	else
		usage();
	fprintf(stderr, "faults: %s did not fault\n", argv[1]);
	return 1;
}
