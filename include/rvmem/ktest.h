/* SPDX-License-Identifier: MIT */
/*
 * ktest: a KUnit-style test harness that prints KTAP.
 *
 * A suite is a named table of cases, registered with KTEST_SUITE() into a
 * linker section, so adding a test file to a build is all it takes to run
 * it. The same harness runs in the guest (apps/selftest) and on the host
 * (tests/), and both print KTAP version 1:
 *
 *	KTAP version 1
 *	1..2
 *	    KTAP version 1
 *	    # Subtest: fdt
 *	    1..3
 *	    ok 1 fdt_path_offset_unit_name
 *	...
 *	ok 1 fdt
 *
 * EXPECT macros record a failure and go on; ASSERT macros record it and
 * return from the case function (use them only there, not in helpers).
 */
#ifndef RVMEM_KTEST_H
#define RVMEM_KTEST_H

#include <rvmem/types.h>

struct ktest {
	const char *name;	/* current case */
	int failures;		/* failed expectations in this case */
	bool skipped;
	const char *skip_reason;
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	const struct ktest_case *cases;	/* ends with an empty entry */
	int (*init)(void);		/* optional; nonzero skips the suite */
};

#define KTEST_CASE(fn)	{ .name = #fn, .run = fn }

/**
 * KTEST_SUITE() - register a suite
 * @var: a unique identifier for the suite object
 */
#define KTEST_SUITE(var) \
	static const struct ktest_suite var \
	__used __section("ktest_suites") __attribute__((aligned(8)))

/**
 * ktest_fail() - record a failed expectation of the current case
 * @t: the case
 * @file: source file of the check (__FILE__)
 * @line: its line (__LINE__)
 * @fmt: printf format of what was expected and what was found
 *
 * The EXPECT and ASSERT macros call it; a helper that checks something
 * they cannot express (a tree's shape, a region list) calls it too.
 * Prints a KTAP comment with @file:@line and the message.
 */
void ktest_fail(struct ktest *t, const char *file, int line,
		const char *fmt, ...) __printf(4, 5);

#define KTEST_EXPECT_TRUE(t, cond) do {					\
	if (!(cond))							\
		ktest_fail(t, __FILE__, __LINE__,			\
			   "expected %s", #cond);			\
} while (0)

#define KTEST_EXPECT_EQ(t, a, b) do {					\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b)							\
		ktest_fail(t, __FILE__, __LINE__,			\
			   "expected %s == %s (%lld vs %lld)",		\
			   #a, #b, __a, __b);				\
} while (0)

#define KTEST_EXPECT_NE(t, a, b) do {					\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a == __b)							\
		ktest_fail(t, __FILE__, __LINE__,			\
			   "expected %s != %s (both %lld)",		\
			   #a, #b, __a);				\
} while (0)

#define KTEST_EXPECT_STREQ(t, a, b) do {				\
	const char *__a = (a), *__b = (b);				\
	if (!__a || !__b || __builtin_strcmp(__a, __b))			\
		ktest_fail(t, __FILE__, __LINE__,			\
			   "expected %s == %s (\"%s\" vs \"%s\")",	\
			   #a, #b, __a ? __a : "(null)",		\
			   __b ? __b : "(null)");			\
} while (0)

#define KTEST_ASSERT_TRUE(t, cond) do {					\
	KTEST_EXPECT_TRUE(t, cond);					\
	if ((t)->failures)						\
		return;							\
} while (0)

#define KTEST_ASSERT_EQ(t, a, b) do {					\
	KTEST_EXPECT_EQ(t, a, b);					\
	if ((t)->failures)						\
		return;							\
} while (0)

/** ktest_skip() - mark the current case skipped (then return from it) */
void ktest_skip(struct ktest *t, const char *reason);

/**
 * ktest_run_all() - run every registered suite, printing KTAP
 * @filter: run only the suite with this name, or all if NULL or ""
 *
 * Return: number of failed cases (0 when all passed or were skipped), or
 * 1 when @filter names no suite.
 */
int ktest_run_all(const char *filter);

#endif /* RVMEM_KTEST_H */
