// SPDX-License-Identifier: MIT
/*
 * Host tests of the message rate limit, on a clock the test sets.
 */
#include <string.h>
#include <rvmem/ktest.h>
#include <rvmem/ratelimit.h>
#include "host.h"

/*
 * 3 a second: expect the first 3 of 5 calls in one second through, the
 * 4th and 5th suppressed, and the first call of the next second through
 * after one line saying 2 were suppressed; the next second's first call
 * through too.
 */
static void ratelimit_burst_then_suppressed_count(struct ktest *t)
{
	static DEFINE_RATELIMIT_STATE(rs, "test messages", 1000000, 3);
	unsigned int i, ok = 0;

	for (i = 0; i < 5; i++)
		ok += ratelimit_at(&rs, 10 + i);
	KTEST_EXPECT_EQ(t, ok, 3);
	KTEST_EXPECT_TRUE(t, ratelimit_at(&rs, 10 + 1000000));
	KTEST_EXPECT_TRUE(t, strstr(host_console_last(),
				    "test messages: 2 messages suppressed") !=
			     NULL);
	KTEST_EXPECT_TRUE(t, ratelimit_at(&rs, 10 + 2000000));
}

static const struct ktest_case ratelimit_cases[] = {
	KTEST_CASE(ratelimit_burst_then_suppressed_count),
	{}
};

KTEST_SUITE(ratelimit_suite) = {
	.name = "ratelimit",
	.cases = ratelimit_cases,
};
