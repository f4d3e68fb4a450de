/* SPDX-License-Identifier: MIT */
/*
 * Threads that play harts, for the host's concurrency tests and its
 * benchmark. Each thread calls host_hart_enter() with its cpu number
 * before anything else, so this_hart(), the per-hart page lists and the
 * slab sheaves it reaches are its own; cpu 0 is the main thread's
 * (host_platform_init()).
 */
#ifndef RVMEM_TESTS_HARTS_H
#define RVMEM_TESTS_HARTS_H

#include <pthread.h>
#include <stddef.h>

/* struct hart_thread - one thread playing a hart; filled by hart_thread_start() */
struct hart_thread {
	pthread_t thread;
	unsigned int cpu;
	void (*fn)(void *arg);
	void *arg;
};

/**
 * hart_thread_start() - start a thread that plays cpu @cpu and runs @fn
 * @ht: the thread's record, which must live until hart_thread_join()
 * @cpu: the logical cpu, 1 to NR_CPUS - 1
 * @fn: what the thread runs
 * @arg: @fn's argument
 *
 * Return: 0, EINVAL for a @cpu out of range, or pthread_create()'s error.
 */
int hart_thread_start(struct hart_thread *ht, unsigned int cpu,
		      void (*fn)(void *arg), void *arg);

/** hart_thread_join() - wait until @ht's function has returned */
void hart_thread_join(struct hart_thread *ht);

/**
 * harts_run() - run @fn on @nr threads playing cpus 1 to @nr, and wait
 * until every one has returned
 * @nr: how many threads, 1 to NR_CPUS - 1
 * @fn: what each thread runs
 * @args: thread i's argument is @args + i * @stride bytes
 * @stride: 0 when all threads share @args
 *
 * Return: 0, or the error of the first thread that could not start (the
 * ones already started have been joined by then).
 */
int harts_run(unsigned int nr, void (*fn)(void *arg), void *args,
	      size_t stride);

#endif /* RVMEM_TESTS_HARTS_H */
