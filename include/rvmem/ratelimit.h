/* SPDX-License-Identifier: MIT */
/*
 * Rate limiting for messages that a failure can repeat without end (an
 * allocation failing in a loop), as Linux's printk_ratelimit: at most
 * @burst messages each @interval; when a new interval begins, one line
 * says how many were suppressed.
 */
#ifndef RVMEM_RATELIMIT_H
#define RVMEM_RATELIMIT_H

#include <rvmem/spinlock.h>
#include <rvmem/types.h>

/* Linux's defaults: 10 messages every 5 seconds. */
#define DEFAULT_RATELIMIT_INTERVAL_US	(5UL * 1000 * 1000)
#define DEFAULT_RATELIMIT_BURST		10

/**
 * struct ratelimit_state - one message's allowance
 * @lock: serialises the counts (a contended caller is suppressed)
 * @interval_us: the length of an interval
 * @burst: messages allowed in one interval
 * @begin_us: when the current interval began (0: not yet)
 * @printed: messages let through in it
 * @missed: messages suppressed in it
 * @name: names the message in the "suppressed" line
 */
struct ratelimit_state {
	spinlock_t lock;
	u64 interval_us;
	unsigned int burst;
	u64 begin_us;
	unsigned int printed;
	unsigned int missed;
	const char *name;
};

#define DEFINE_RATELIMIT_STATE(var, what, interval, nr) \
	struct ratelimit_state var = { .lock = SPINLOCK_INIT, \
		.interval_us = (interval), .burst = (nr), .name = (what) }

/**
 * ratelimit_at() - may a message be printed at @now_us?
 * @rs: its state
 * @now_us: the time in microseconds (any monotonic origin)
 *
 * Return: true to print it. Opening a new interval after suppressed
 * messages prints how many there were. Context: any.
 */
bool ratelimit_at(struct ratelimit_state *rs, u64 now_us);

/**
 * __ratelimit() - ratelimit_at() now
 * @rs: its state
 *
 * Return: true to print the message. Context: any.
 */
bool __ratelimit(struct ratelimit_state *rs);

#endif /* RVMEM_RATELIMIT_H */
