// SPDX-License-Identifier: MIT
/*
 * Message rate limiting (include/rvmem/ratelimit.h).
 */
#include <asm/timer.h>
#include <rvmem/printk.h>
#include <rvmem/ratelimit.h>

bool ratelimit_at(struct ratelimit_state *rs, u64 now_us)
{
	unsigned int missed = 0;
	bool ok;

	if (!spin_trylock(&rs->lock))
		return false;
	if (!rs->begin_us || now_us - rs->begin_us >= rs->interval_us) {
		missed = rs->missed;
		rs->begin_us = now_us ? now_us : 1;
		rs->printed = 0;
		rs->missed = 0;
	}
	ok = rs->printed < rs->burst;
	if (ok)
		rs->printed++;
	else
		rs->missed++;
	spin_unlock(&rs->lock);
	if (missed)
		pr_warn("%s: %u messages suppressed\n", rs->name, missed);
	return ok;
}

bool __ratelimit(struct ratelimit_state *rs)
{
	return ratelimit_at(rs, timer_read() / timer_ticks_per_us());
}
