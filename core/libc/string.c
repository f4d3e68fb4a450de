// SPDX-License-Identifier: MIT
/*
 * memset and memcpy a word at a time, in place of picolibc's, which for
 * rv64imac go byte by byte: zeroing a 4 KiB page took ~16,000
 * instructions, about 1,100 this way. __GFP_ZERO, page tables and every
 * copy go through here; demand-zero faults use clear_page(), which knows
 * its page is whole and aligned and so needs no edges, and stores 64
 * words a loop: about 535 instructions a page.
 *
 * The loops must not be turned back into calls to themselves, hence the
 * optimize attribute.
 */
#include <stdint.h>
#include <string.h>
#include <rvmem/mm.h>

#define NO_LOOP_TO_CALL	__attribute__((optimize("no-tree-loop-distribute-patterns")))

NO_LOOP_TO_CALL void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t word = (unsigned char)c * 0x0101010101010101ULL;

	while (n && ((uintptr_t)d & 7)) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= 64; n -= 64, d += 64) {
		uint64_t *w = (uint64_t *)d;

		w[0] = word; w[1] = word; w[2] = word; w[3] = word;
		w[4] = word; w[5] = word; w[6] = word; w[7] = word;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(uint64_t *)d = word;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

NO_LOOP_TO_CALL void *memcpy(void *restrict dst, const void *restrict src,
			     size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (!(((uintptr_t)d ^ (uintptr_t)s) & 7)) {
		while (n && ((uintptr_t)d & 7)) {
			*d++ = *s++;
			n--;
		}
		for (; n >= 32; n -= 32, d += 32, s += 32) {
			uint64_t *w = (uint64_t *)d;
			const uint64_t *r = (const uint64_t *)s;

			w[0] = r[0]; w[1] = r[1]; w[2] = r[2]; w[3] = r[3];
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

/* 64 stores a loop (512 bytes), 8 loops a page. */
NO_LOOP_TO_CALL void clear_page(void *page)
{
	uint64_t *w = page, *end = w + PAGE_SIZE / sizeof(*w);

	do {
		int i;

#pragma GCC unroll 64
		for (i = 0; i < 64; i++)
			w[i] = 0;
		w += 64;
	} while (w != end);
}
