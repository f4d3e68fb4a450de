// SPDX-License-Identifier: MIT
/*
 * Threads playing harts for host tests and hostbench. See harts.h.
 */
#include <errno.h>
#include <rvmem/boot.h>

#include "harts.h"
#include "host.h"

static void *hart_thread_main(void *arg)
{
	struct hart_thread *ht = arg;

	host_hart_enter(ht->cpu);
	ht->fn(ht->arg);
	return NULL;
}

int hart_thread_start(struct hart_thread *ht, unsigned int cpu,
		      void (*fn)(void *arg), void *arg)
{
	if (cpu == 0 || cpu >= NR_CPUS)
		return EINVAL;
	ht->cpu = cpu;
	ht->fn = fn;
	ht->arg = arg;
	return pthread_create(&ht->thread, NULL, hart_thread_main, ht);
}

void hart_thread_join(struct hart_thread *ht)
{
	pthread_join(ht->thread, NULL);
}

int harts_run(unsigned int nr, void (*fn)(void *arg), void *args,
	      size_t stride)
{
	struct hart_thread ht[NR_CPUS];
	unsigned int i, started;
	int err = 0;

	if (nr >= NR_CPUS)
		return EINVAL;
	for (started = 0; started < nr; started++) {
		err = hart_thread_start(&ht[started], started + 1, fn,
					(char *)args + started * stride);
		if (err)
			break;
	}
	for (i = 0; i < started; i++)
		hart_thread_join(&ht[i]);
	return err;
}
