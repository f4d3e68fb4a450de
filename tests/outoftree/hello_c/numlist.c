#include <stdlib.h>
#include <stdio.h>
#include <errno.h>
#include "numlist.h"

static int numlist_push(struct numlist *list, long value)
{
	if (list->len == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 2;
		long *items = realloc(list->items, cap * sizeof(*items));

		if (!items)
			return -1;
		list->items = items;
		list->cap = cap;
	}
	list->items[list->len++] = value;
	return 0;
}

int numlist_parse(struct numlist *list, const char *text)
{
	char *end;

	for (;;) {
		long value;

		errno = 0;
		value = strtol(text, &end, 0);
		if (end == text)
			return 0;
		if (errno || numlist_push(list, value))
			return -1;
		text = end;
	}
}

static int compare(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

void numlist_sort(struct numlist *list)
{
	qsort(list->items, list->len, sizeof(*list->items), compare);
}

long numlist_sum(const struct numlist *list)
{
	long sum = 0;
	int i;

	/* int against size_t: -Wsign-compare (-Wextra) would complain. */
	for (i = 0; i < list->len; i++)
		sum += list->items[i];
	return sum;
}

int numlist_format(const struct numlist *list, char *buf, size_t size)
{
	size_t i;
	int n = 0;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < list->len; i++) {
		size_t used = (size_t)n < size ? (size_t)n : size;

		n += snprintf(buf + used, size - used, "%s%ld", i ? " " : "",
			      list->items[i]);
	}
	return n;
}

void numlist_free(struct numlist *list)
{
	free(list->items);
	list->items = NULL;
	list->len = list->cap = 0;
}
