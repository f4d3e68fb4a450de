// SPDX-License-Identifier: MIT
/*
 * ktest: runs the suites registered with KTEST_SUITE() and prints KTAP.
 *
 * Suites sit in the ktest_suites linker section; the same code runs in the
 * guest (apps/selftest) and in the host test binaries. Cases run one at a
 * time on the calling hart.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <rvmem/ktest.h>
#include <rvmem/printk.h>

/* Weak: a program that registers no suite has no such section. */
extern const struct ktest_suite __start_ktest_suites[] __attribute__((weak));
extern const struct ktest_suite __stop_ktest_suites[] __attribute__((weak));

void ktest_fail(struct ktest *t, const char *file, int line,
		const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("        # %s: ASSERTION FAILED at %s:%d\n        # %s\n",
	       t->name, file, line, msg);
	t->failures++;
}

void ktest_skip(struct ktest *t, const char *reason)
{
	t->skipped = true;
	t->skip_reason = reason;
}

static bool suite_selected(const struct ktest_suite *s, const char *filter)
{
	return !filter || !*filter || !strcmp(filter, s->name);
}

static int count_cases(const struct ktest_suite *s)
{
	int n = 0;

	while (s->cases[n].name)
		n++;
	return n;
}

/* Return 1 if the case failed. */
static int run_case(const struct ktest_case *c, int nr)
{
	struct ktest t = { .name = c->name };

	c->run(&t);
	if (t.failures) {
		printk("    not ok %d %s\n", nr, c->name);
		return 1;
	}
	if (t.skipped)
		printk("    ok %d %s # SKIP %s\n", nr, c->name, t.skip_reason);
	else
		printk("    ok %d %s\n", nr, c->name);
	return 0;
}

/* Return the number of failed cases. */
static int run_suite(const struct ktest_suite *s, int nr)
{
	int i, failed = 0;

	printk("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", s->name,
	       count_cases(s));
	if (s->init && s->init()) {
		printk("ok %d %s # SKIP init failed\n", nr, s->name);
		return 0;
	}
	for (i = 0; s->cases[i].name; i++)
		failed += run_case(&s->cases[i], i + 1);
	printk("%s %d %s\n", failed ? "not ok" : "ok", nr, s->name);
	return failed;
}

int ktest_run_all(const char *filter)
{
	const struct ktest_suite *s;
	int nr = 0, failed = 0;

	for (s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		nr += suite_selected(s, filter);
	if (!nr && filter && *filter) {
		/* A misspelt suite, or a kernel parameter this image lacks */
		printk("ktest: no suite named '%s'\n", filter);
		return 1;
	}
	printk("KTAP version 1\n1..%d\n", nr);
	nr = 0;
	for (s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		if (suite_selected(s, filter))
			failed += run_suite(s, ++nr);
	return failed;
}
