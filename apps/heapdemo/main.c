// SPDX-License-Identifier: MIT
/*
 * heapdemo: anonymous memory costs only what is touched.
 *
 * Maps 1 GiB, touches one page in every 4 MiB, and shows with meminfo
 * figures that only those pages (and the page tables over them) were
 * paid for; then mallocs 32 MiB and frees it (malloc is the kernel's:
 * the memory goes back), and grows the brk heap by 32 MiB and shrinks it.
 * The 1 GiB mapping says MAP_NORESERVE: under the default overcommit
 * policy (vm.overcommit_memory=0) a single mapping larger than RAM is
 * refused, as in Linux, unless it asks not to be charged.
 * Exits 1 if any figure is not what demand-zero paging promises.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <rvmem/anon.h>
#include <rvmem/mm.h>
#include <rvmem/vmalloc.h>

#define REGION		(1UL << 30)
#define STRIDE		(4UL << 20)
#define HEAP_GROWTH	(32UL << 20)
#define CHUNK		(1UL << 20)

struct snapshot {
	unsigned long free, anon, tables;
};

static void snap(struct snapshot *s)
{
	s->free = nr_free_pages();
	s->anon = nr_anon_pages();
	s->tables = nr_page_tables();
}

static void show(const char *when, const struct snapshot *s)
{
	printf("%-28s MemFree %8lu kB  AnonPages %7lu kB  PageTables "
	       "%5lu kB\n", when, s->free * 4, s->anon * 4, s->tables * 4);
}

/* Touch one page per STRIDE; each must read zero, then hold its mark. */
static int touch_sparse(char *base)
{
	unsigned long off;
	int bad = 0;

	for (off = 0; off < REGION; off += STRIDE) {
		bad |= base[off] != 0;
		base[off] = (char)(off / STRIDE) | 1;
	}
	for (off = 0; off < REGION; off += STRIDE)
		bad |= base[off] != ((char)(off / STRIDE) | 1);
	return bad;
}

static int demo_mmap(void)
{
	struct snapshot before, after, unmapped;
	unsigned long touched = REGION / STRIDE;
	char *base;
	int bad;

	snap(&before);
	show("before mmap(1 GiB)", &before);
	base = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		perror("heapdemo: mmap");
		return 1;
	}
	bad = touch_sparse(base);
	snap(&after);
	show("after touching 256 pages", &after);
	printf("  %lu pages touched of %lu mapped: AnonPages +%lu, "
	       "PageTables +%lu, MemFree -%lu pages\n", touched,
	       REGION >> 12, after.anon - before.anon,
	       after.tables - before.tables, before.free - after.free);
	bad |= after.anon - before.anon != touched;
	munmap(base, REGION);
	snap(&unmapped);
	show("after munmap", &unmapped);
	bad |= unmapped.anon != before.anon || unmapped.tables != before.tables;
	return bad;
}

/* malloc'd blocks come from the kernel and go back to it on free. */
static int demo_malloc(void)
{
	char *chunks[HEAP_GROWTH / CHUNK];
	struct snapshot before, grown, freed;
	unsigned int i, n = HEAP_GROWTH / CHUNK;
	int bad = 0;

	snap(&before);
	for (i = 0; i < n; i++) {
		chunks[i] = malloc(CHUNK);
		if (!chunks[i])
			return 1;
		memset(chunks[i], i, CHUNK);
	}
	snap(&grown);
	printf("malloc'd %lu MiB: MemFree -%lu kB\n", HEAP_GROWTH >> 20,
	       (before.free - grown.free) * 4);
	for (i = 0; i < n; i++) {
		bad |= chunks[i][CHUNK - 1] != (char)i;
		free(chunks[i]);
	}
	vm_unmap_aliases();	/* vfree() gives pages back at its next purge */
	snap(&freed);
	printf("free'd it all: MemFree -%lu kB against before\n",
	       before.free > freed.free ? (before.free - freed.free) * 4 : 0);
	/* MemFree leaves out the per-hart page lists: allow their slack. */
	bad |= before.free - grown.free < (HEAP_GROWTH - CHUNK) >> 12;
	bad |= before.free > freed.free + (CHUNK >> 12);
	return bad;
}

/* The brk heap: anonymous memory too, paid for as it is touched. */
static int demo_brk(void)
{
	struct snapshot before, grown, shrunk;
	char *start = sbrk(HEAP_GROWTH);
	unsigned long off;
	int bad = 0;

	if (start == (char *)-1)
		return 1;
	snap(&before);
	for (off = 0; off < HEAP_GROWTH; off += PAGE_SIZE)
		start[off] = 1;
	snap(&grown);
	printf("sbrk(%lu MiB) and touched: break moved by %lu MiB, AnonPages "
	       "+%lu kB\n", HEAP_GROWTH >> 20,
	       (unsigned long)((char *)sbrk(0) - start) >> 20,
	       (grown.anon - before.anon) * 4);
	sbrk(-(long)HEAP_GROWTH);
	snap(&shrunk);
	printf("sbrk(-%lu MiB): AnonPages %lu kB\n", HEAP_GROWTH >> 20,
	       shrunk.anon * 4);
	bad |= grown.anon - before.anon != HEAP_GROWTH >> 12;
	bad |= shrunk.anon != before.anon;
	return bad;
}

int main(void)
{
	int bad = demo_mmap() | demo_malloc() | demo_brk();

	printf("heapdemo: %s\n", bad ? "FAILED" : "ok");
	return bad;
}
