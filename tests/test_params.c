// SPDX-License-Identifier: MIT
/*
 * Host tests of parse_bootargs(): which words the kernel keeps and what
 * the app's argv receives.
 */
#include <errno.h>
#include <string.h>
#include <rvmem/ktest.h>
#include <rvmem/param.h>
#include <rvmem/printk.h>
#include "host.h"

static unsigned long seen_n;
static bool seen_flag;

static int set_n(const char *val)
{
	return param_parse_uint(val, &seen_n);
}

static int set_flag(const char *val)
{
	return param_set_flag(val, &seen_flag);
}

static const struct kernel_param params[] = {
	{ .name = "mm.n", .set = set_n, .help = "mm.n=N" },
	{ .name = "flag", .set = set_flag, .help = "flag" },
};

static int split(char *line, char **argv, int max)
{
	seen_n = 0;
	seen_flag = false;
	argv[0] = "app";
	return parse_bootargs(line, params, ARRAY_SIZE(params), argv, max);
}

/* "mm.n=5 flag a b": expect the kernel to take both params, app gets a b. */
static void parse_bootargs_kernel_and_app_words(struct ktest *t)
{
	char line[] = "mm.n=5 flag a b";
	char *argv[8];

	KTEST_ASSERT_EQ(t, split(line, argv, 8), 3);
	KTEST_EXPECT_EQ(t, seen_n, 5);
	KTEST_EXPECT_TRUE(t, seen_flag);
	KTEST_EXPECT_STREQ(t, argv[1], "a");
	KTEST_EXPECT_STREQ(t, argv[2], "b");
	KTEST_EXPECT_TRUE(t, argv[3] == NULL);
}

/* "a -- flag mm.n=3": expect words after "--" to reach the app verbatim. */
static void parse_bootargs_double_dash(struct ktest *t)
{
	char line[] = "a -- flag mm.n=3 --";
	char *argv[8];

	KTEST_ASSERT_EQ(t, split(line, argv, 8), 5);
	KTEST_EXPECT_TRUE(t, !seen_flag);
	KTEST_EXPECT_EQ(t, seen_n, 0);
	KTEST_EXPECT_STREQ(t, argv[2], "flag");
	KTEST_EXPECT_STREQ(t, argv[3], "mm.n=3");
	KTEST_EXPECT_STREQ(t, argv[4], "--");
}

/* Quotes group words: expect one argument "hello world" without quotes. */
static void parse_bootargs_quotes(struct ktest *t)
{
	char line[] = "  \"hello world\"\tx=\"a b\"  ";
	char *argv[8];

	KTEST_ASSERT_EQ(t, split(line, argv, 8), 3);
	KTEST_EXPECT_STREQ(t, argv[1], "hello world");
	KTEST_EXPECT_STREQ(t, argv[2], "x=a b");
}

/* An unknown dotted word and a bad value: expect both passed or ignored,
 * never applied. */
static void parse_bootargs_unknown_and_bad(struct ktest *t)
{
	char line[] = "mm.typo=1 mm.n=zz flag=1";
	char *argv[8];

	KTEST_ASSERT_EQ(t, split(line, argv, 8), 2);
	KTEST_EXPECT_STREQ(t, argv[1], "mm.typo=1");
	KTEST_EXPECT_EQ(t, seen_n, 0);
}

/* More words than argv holds: expect a full, NULL-terminated argv. */
static void parse_bootargs_too_many(struct ktest *t)
{
	char line[] = "a b c d e f";
	char *argv[4];

	KTEST_ASSERT_EQ(t, split(line, argv, 4), 3);
	KTEST_EXPECT_STREQ(t, argv[2], "b");
	KTEST_EXPECT_TRUE(t, argv[3] == NULL);
}

/* An empty command line: expect argc 1. */
static void parse_bootargs_empty(struct ktest *t)
{
	char line[] = "";
	char *argv[4];

	KTEST_EXPECT_EQ(t, split(line, argv, 4), 1);
}

static void param_parse_uint_forms(struct ktest *t)
{
	unsigned long v = 0;

	KTEST_EXPECT_EQ(t, param_parse_uint("42", &v), 0);
	KTEST_EXPECT_EQ(t, v, 42);
	KTEST_EXPECT_EQ(t, param_parse_uint("0x1F", &v), 0);
	KTEST_EXPECT_EQ(t, v, 31);
	KTEST_EXPECT_EQ(t, param_parse_uint("0x", &v), -EINVAL);
	KTEST_EXPECT_EQ(t, param_parse_uint("", &v), -EINVAL);
	KTEST_EXPECT_EQ(t, param_parse_uint(NULL, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, param_parse_uint("12a", &v), -EINVAL);
	KTEST_EXPECT_EQ(t, param_parse_uint("99999999999999999999", &v),
			-EINVAL);
}

/* Expect K, M and G (either case) to scale, and junk to be refused. */
static void param_parse_size_suffixes(struct ktest *t)
{
	unsigned long v = 0;

	KTEST_EXPECT_EQ(t, param_parse_size("8M", &v), 0);
	KTEST_EXPECT_EQ(t, v, 8UL << 20);
	KTEST_EXPECT_EQ(t, param_parse_size("64k", &v), 0);
	KTEST_EXPECT_EQ(t, v, 64UL << 10);
	KTEST_EXPECT_EQ(t, param_parse_size("2G", &v), 0);
	KTEST_EXPECT_EQ(t, v, 2UL << 30);
	KTEST_EXPECT_EQ(t, param_parse_size("4096", &v), 0);
	KTEST_EXPECT_EQ(t, v, 4096);
	KTEST_EXPECT_EQ(t, param_parse_size("M", &v), -EINVAL);
	KTEST_EXPECT_EQ(t, param_parse_size("8T", &v), -EINVAL);
	KTEST_EXPECT_EQ(t, param_parse_size("0xffffffffffffffffK", &v),
			-EINVAL);
	KTEST_EXPECT_EQ(t, param_parse_size(NULL, &v), -EINVAL);
}

/* "0" below 1, "3" above 2: expect -EINVAL and the old value kept. */
static void param_parse_uint_range_bounds(struct ktest *t)
{
	unsigned long v = 7;

	KTEST_EXPECT_EQ(t, param_parse_uint_range("0", 1, ~0UL, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, v, 7);
	KTEST_EXPECT_EQ(t, param_parse_uint_range("3", 0, 2, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, v, 7);
	KTEST_EXPECT_EQ(t, param_parse_uint_range("zz", 0, 2, &v), -EINVAL);
	KTEST_EXPECT_EQ(t, v, 7);
	KTEST_EXPECT_EQ(t, param_parse_uint_range("2", 0, 2, &v), 0);
	KTEST_EXPECT_EQ(t, v, 2);
}

/* "flag=1": expect it reported, taken from argv and the flag left off. */
static void parse_bootargs_flag_with_value(struct ktest *t)
{
	char line[] = "flag=1";
	char *argv[4];

	KTEST_ASSERT_EQ(t, split(line, argv, 4), 1);
	KTEST_EXPECT_TRUE(t, !seen_flag);
	KTEST_EXPECT_TRUE(t, strstr(host_console_last(),
				    "bad kernel parameter 'flag=1'") != NULL);
}

/*
 * The kernel's own "quiet", as registered: expect "quiet=1" ignored
 * (console_quiet stays off) and a bare "quiet" applied.
 */
static void parse_bootargs_kernel_quiet(struct ktest *t)
{
	size_t nr = __stop_kernel_params - __start_kernel_params;
	char bad[] = "quiet=1", good[] = "quiet";
	char *argv[4] = { "app" };
	bool applied;

	KTEST_EXPECT_EQ(t, parse_bootargs(bad, __start_kernel_params, nr,
					  argv, 4), 1);
	KTEST_EXPECT_TRUE(t, !console_quiet);
	KTEST_EXPECT_EQ(t, parse_bootargs(good, __start_kernel_params, nr,
					  argv, 4), 1);
	applied = console_quiet;
	console_quiet = false;
	KTEST_EXPECT_TRUE(t, applied);
}

/* "a \"b c": expect a warning, and the open quote to run to the end. */
static void parse_bootargs_unbalanced_quote(struct ktest *t)
{
	char line[] = "a \"b c";
	char *argv[4];

	KTEST_ASSERT_EQ(t, split(line, argv, 4), 3);
	KTEST_EXPECT_STREQ(t, argv[1], "a");
	KTEST_EXPECT_STREQ(t, argv[2], "b c");
	KTEST_EXPECT_TRUE(t, strstr(host_console_last(),
				    "unbalanced quote") != NULL);
}

static const struct ktest_case params_cases[] = {
	KTEST_CASE(parse_bootargs_kernel_and_app_words),
	KTEST_CASE(parse_bootargs_double_dash),
	KTEST_CASE(parse_bootargs_quotes),
	KTEST_CASE(parse_bootargs_unknown_and_bad),
	KTEST_CASE(parse_bootargs_too_many),
	KTEST_CASE(parse_bootargs_empty),
	KTEST_CASE(param_parse_uint_forms),
	KTEST_CASE(param_parse_size_suffixes),
	KTEST_CASE(param_parse_uint_range_bounds),
	KTEST_CASE(parse_bootargs_flag_with_value),
	KTEST_CASE(parse_bootargs_kernel_quiet),
	KTEST_CASE(parse_bootargs_unbalanced_quote),
	{}
};

KTEST_SUITE(params_suite) = {
	.name = "params",
	.cases = params_cases,
};
