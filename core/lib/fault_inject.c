// SPDX-License-Identifier: MIT
/*
 * Fault injection (see include/rvmem/fault-inject.h): the decision
 * should_fail() makes from a struct fault_attr, and the parser for the
 * boot parameters that set one. Counts are updated with atomics, so
 * harts may share an attr; the random draw is a shared xorshift whose
 * races only reorder its numbers.
 */
#include <errno.h>
#include <asm/barrier.h>
#include <rvmem/fault-inject.h>
#include <rvmem/param.h>

static u64 fault_rand_state = 0x9e3779b97f4a7c15ULL;

/* A number in [0, 100). */
static unsigned long fault_rand_percent(void)
{
	u64 x = __atomic_load_n(&fault_rand_state, __ATOMIC_RELAXED);

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	WRITE_ONCE(fault_rand_state, x);
	return (x * 0x2545F4914F6CDD1DULL >> 32) % 100;
}

void fault_attr_set(struct fault_attr *attr, unsigned long interval,
		    unsigned long probability, long space, long times)
{
	WRITE_ONCE(attr->enabled, false);
	attr->interval = interval ? interval : 1;
	attr->probability = probability;
	attr->space = space;
	attr->times = times;
	attr->count = 0;
	attr->failed = 0;
	smp_store_release(&attr->enabled, probability && times);
	if (attr->armed)
		attr->armed(probability && times);
}

/* Parse one field of @str up to @end ('\0' for the last). */
static int next_field(const char **str, char end, unsigned long *out)
{
	char buf[24];
	unsigned int n = 0;

	while (**str && **str != end && n < sizeof(buf) - 1)
		buf[n++] = *(*str)++;
	if (**str != end)
		return -EINVAL;
	if (end)
		(*str)++;
	buf[n] = '\0';
	return param_parse_uint(buf, out);
}

int setup_fault_attr(struct fault_attr *attr, const char *str)
{
	unsigned long interval, probability, space, times;

	if (!str)
		return -EINVAL;
	if (next_field(&str, ',', &interval) ||
	    next_field(&str, ',', &probability) ||
	    next_field(&str, ',', &space) || probability > 100)
		return -EINVAL;
	if (str[0] == '-' && str[1] == '1' && !str[2])
		times = -1UL;
	else if (next_field(&str, '\0', &times) || (long)times < 0)
		return -EINVAL;
	fault_attr_set(attr, interval, probability, space, times);
	return 0;
}

/* Take one of @attr's times; the last disarms it. Return: one was left. */
static bool fault_take_time(struct fault_attr *attr)
{
	long times = __atomic_load_n(&attr->times, __ATOMIC_RELAXED);

	do {
		if (!times)
			return false;
		if (times < 0)
			return true;
	} while (!__atomic_compare_exchange_n(&attr->times, &times, times - 1,
					      false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	if (times == 1)
		WRITE_ONCE(attr->enabled, false);
	return true;
}

bool should_fail(struct fault_attr *attr, long size)
{
	if (__atomic_load_n(&attr->space, __ATOMIC_RELAXED) > size) {
		__atomic_sub_fetch(&attr->space, size, __ATOMIC_RELAXED);
		return false;
	}
	if (attr->interval > 1 &&
	    __atomic_add_fetch(&attr->count, 1, __ATOMIC_RELAXED) %
	    attr->interval)
		return false;
	if (attr->probability <= fault_rand_percent() ||
	    !fault_take_time(attr))
		return false;
	__atomic_add_fetch(&attr->failed, 1, __ATOMIC_RELAXED);
	return true;
}

long fault_inject_walk(struct fault_attr *attr, int (*op)(void *arg),
		       bool (*check)(void *arg, int err, bool injected),
		       void *arg, unsigned long max)
{
	unsigned long n;

	for (n = 1; n <= max; n++) {
		bool injected;
		int err;

		fault_attr_set(attr, n, 100, 0, 1);
		err = op(arg);
		injected = attr->failed;
		fault_attr_set(attr, 0, 0, 0, 0);
		if (!check(arg, err, injected))
			return -1;
		if (!injected)
			return n - 1;
	}
	return -1;
}
