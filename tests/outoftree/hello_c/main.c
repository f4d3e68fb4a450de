/*
 * hello_c: parse, sort and sum a list of numbers, then check the clock.
 * Prints "hello_c: ok" when every step gave what it should.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "numlist.h"

#define INPUT "42 7 -3 0x1f 100 010 19"
#define SORTED "-3 7 8 19 31 42 100"

/* A callback-style signature: ctx goes unused (-Wunused-parameter). */
static int report(const char *what, const char *value, void *ctx)
{
	return printf("hello_c: %s: %s\n", what, value);
}

int main(int argc, char **argv)
{
	struct numlist list = { 0 };
	char text[64], sum[32];
	time_t now = time(NULL);
	int ok;

	if (numlist_parse(&list, INPUT)) {
		fprintf(stderr, "hello_c: cannot parse %s\n", INPUT);
		return 1;
	}
	numlist_sort(&list);
	assert(list.len == 7);
#ifdef NDEBUG
	printf("hello_c: built with NDEBUG\n");
#endif
	numlist_format(&list, text, sizeof(text));
	snprintf(sum, sizeof(sum), "%ld", numlist_sum(&list));
	report("sorted", text, NULL);
	report("sum", sum, NULL);
	/* After 2020-01-01: the wall clock came from the board's RTC. */
	ok = !strcmp(text, SORTED) && numlist_sum(&list) == 204 &&
	     now > 1577836800;
	printf("hello_c: %s (%d numbers, %s)\n", ok ? "ok" : "FAILED",
	       (int)list.len, argc > 0 ? argv[0] : "?");
	numlist_free(&list);
	return ok ? 0 : 1;
}
