/* SPDX-License-Identifier: MIT */
/*
 * Fault injection, as Linux's lib/fault-inject.c: a struct fault_attr
 * says when should_fail() answers true, and an allocator that asks it
 * fails that allocation as it would under real pressure. The fields are
 * Linux's (Documentation/fault-injection/fault-injection.rst):
 *
 *	<interval>,<probability>,<space>,<times>
 *
 * interval: fail only every @interval-th call that passes the other tests
 * probability: percent of those calls that fail (0 turns the attr off)
 * space: bytes (the @size of each call) to let through before failing
 * times: failures left; -1 is no limit
 *
 * "fail_page_alloc=1,100,0,1" fails the next page allocation once;
 * interval N, probability 100, times 1 fail exactly the Nth call, which
 * is how the tests walk every failure point of an operation.
 */
#ifndef RVMEM_FAULT_INJECT_H
#define RVMEM_FAULT_INJECT_H

#include <rvmem/gfp.h>
#include <rvmem/types.h>

/**
 * struct fault_attr - when to inject a failure
 * @enabled: should_fail() may answer true: @probability is non-zero and
 *           @times not spent. Hooks test this one flag before calling it.
 * @probability: percent, 0 to 100
 * @interval: fail one call in @interval (1: every call may fail)
 * @times: failures left, -1 for no limit
 * @space: bytes still to let through
 * @count: calls counted for @interval since the attr was set
 * @failed: failures injected since the attr was set
 * @armed: optional, told when fault_attr_set() arms or disarms the attr
 *         (a fast path that cannot afford to test @enabled steps aside)
 */
struct fault_attr {
	bool enabled;
	unsigned long probability;
	unsigned long interval;
	long times;
	long space;
	unsigned long count;
	unsigned long failed;
	void (*armed)(bool on);
};

/* Disarmed until fault_attr_set() or setup_fault_attr() arms it. */
#define FAULT_ATTR_INITIALIZER	{ .enabled = false }
#define DECLARE_FAULT_ATTR(name) \
	struct fault_attr name = FAULT_ATTR_INITIALIZER

/**
 * fault_attr_set() - arm or disarm @attr, resetting its counts
 * @attr: the attr
 * @interval: as the boot parameter's first field (0 counts as 1)
 * @probability: percent, at most 100; 0 disarms
 * @space: bytes to let through first
 * @times: failures to inject, -1 for no limit; 0 disarms
 *
 * Context: while no other hart allocates through @attr's hooks, or with
 * the understanding that their counts race.
 */
void fault_attr_set(struct fault_attr *attr, unsigned long interval,
		    unsigned long probability, long space, long times);

/**
 * setup_fault_attr() - apply "<interval>,<probability>,<space>,<times>"
 * @attr: the attr
 * @str: the boot parameter's value, may be NULL
 *
 * Return: 0, or -EINVAL (four fields, probability <= 100, times >= -1),
 * leaving @attr as it was.
 */
int setup_fault_attr(struct fault_attr *attr, const char *str);

/**
 * should_fail() - should this call fail?
 * @attr: an enabled attr (callers test @attr->enabled first)
 * @size: bytes the call asks for, counted against @attr->space
 *
 * Return: true to fail it. The last of @attr->times disarms @attr.
 */
bool should_fail(struct fault_attr *attr, long size);

/**
 * fault_inject_walk() - run an operation once per failure point it has
 * @attr: the attr whose calls are counted and failed
 * @op: the operation: 0, or a negative errno when it failed cleanly
 * @check: called after each run, @attr disarmed, with @op's result and
 *         whether a failure was injected: undo @op's work, verify and
 *         count leaks; return false to stop the walk
 * @arg: for @op and @check
 * @max: the most runs
 *
 * Run n (n = 1, 2, ...) fails the nth call through @attr. The walk ends
 * after the first run in which no failure was injected: @op made fewer
 * than n calls, so every point was exercised.
 * Return: the failure points exercised (runs with a failure), or -1 if
 * @check stopped the walk or @max runs all injected a failure.
 */
long fault_inject_walk(struct fault_attr *attr, int (*op)(void *arg),
		       bool (*check)(void *arg, int err, bool injected),
		       void *arg, unsigned long max);

/*
 * The allocators' attrs, set by the boot parameters of the same names or
 * by tests. Every page allocation asks fail_page_alloc (the per-hart fast
 * path steps aside while it is enabled); every slab growth (new_slab())
 * asks failslab. __GFP_NOFAIL requests never fail.
 */
extern struct fault_attr fail_page_alloc;
extern struct fault_attr failslab;

struct kmem_cache;

/** should_failslab() - fail this growth of @s? (out of line) */
bool should_failslab(struct kmem_cache *s, gfp_t gfp);

#endif /* RVMEM_FAULT_INJECT_H */
