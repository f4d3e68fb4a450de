/*
 * numlist - a growable list of numbers, parsed from text.
 *
 * A stand-in for third-party code: portable C99 that knows nothing of
 * rvmem and is built from outside its tree (configure.py --app).
 */
#ifndef NUMLIST_H
#define NUMLIST_H

#include <stddef.h>

struct numlist {
	long *items;
	size_t len;
	size_t cap;
};

/* Append every number in text (decimal, 0x hex or 0 octal); -1 on failure. */
int numlist_parse(struct numlist *list, const char *text);
void numlist_sort(struct numlist *list);
long numlist_sum(const struct numlist *list);
/* Write the numbers, space separated, into buf; the length it needed. */
int numlist_format(const struct numlist *list, char *buf, size_t size);
void numlist_free(struct numlist *list);

#endif
