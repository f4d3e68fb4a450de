// SPDX-License-Identifier: MIT
/*
 * threads: a plain multi-threaded C program, as it would build on Linux.
 *
 * Producers malloc() messages of varied sizes and hand them through a
 * queue guarded by a mutex and two condition variables to consumers,
 * which check and free() them: objects allocated on one hart are freed
 * on another. Each producer also keeps a tally in thread-specific data.
 * Uses as many producers and consumers as there are idle harts (at least
 * one of each; with fewer harts main plays both roles in turn).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MESSAGES	20000
#define QUEUE_LEN	64
#define MAX_THREADS	16

struct message {
	unsigned int producer;
	unsigned int seq;
	size_t len;
	unsigned char body[];
};

static struct message *queue[QUEUE_LEN];
static unsigned int head, tail, count, producers_left;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_key_t tally_key;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static unsigned long consumed_sum, produced_sum;

static void make_key(void)
{
	pthread_key_create(&tally_key, free);
}

static void put(struct message *m)
{
	pthread_mutex_lock(&lock);
	while (count == QUEUE_LEN)
		pthread_cond_wait(&not_full, &lock);
	queue[tail] = m;
	tail = (tail + 1) % QUEUE_LEN;
	count++;
	pthread_cond_signal(&not_empty);
	pthread_mutex_unlock(&lock);
}

/* NULL once the queue is empty and every producer has finished. */
static struct message *get(void)
{
	struct message *m = NULL;

	pthread_mutex_lock(&lock);
	while (!count && producers_left)
		pthread_cond_wait(&not_empty, &lock);
	if (count) {
		m = queue[head];
		head = (head + 1) % QUEUE_LEN;
		count--;
		pthread_cond_signal(&not_full);
	}
	pthread_mutex_unlock(&lock);
	return m;
}

static void *producer(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg, i;
	unsigned long *tally;

	pthread_once(&once, make_key);
	tally = calloc(1, sizeof(*tally));
	pthread_setspecific(tally_key, tally);
	for (i = 0; i < MESSAGES; i++) {
		size_t len = 16 + (i * 37 + id * 101) % 2000;
		struct message *m = malloc(sizeof(*m) + len);

		if (!m)
			return NULL;
		m->producer = id;
		m->seq = i;
		m->len = len;
		memset(m->body, (int)(id + i), len);
		*(unsigned long *)pthread_getspecific(tally_key) += len;
		put(m);
	}
	pthread_mutex_lock(&lock);
	produced_sum += *tally;
	producers_left--;
	pthread_cond_broadcast(&not_empty);
	pthread_mutex_unlock(&lock);
	return (void *)(uintptr_t)MESSAGES;
}

static void *consumer(void *arg)
{
	unsigned long bytes = 0, bad = 0;
	struct message *m;

	(void)arg;
	while ((m = get())) {
		unsigned char want = (unsigned char)(m->producer + m->seq);

		bad += m->body[0] != want || m->body[m->len - 1] != want;
		bytes += m->len;
		free(m);
	}
	pthread_mutex_lock(&lock);
	consumed_sum += bytes;
	pthread_mutex_unlock(&lock);
	return (void *)(uintptr_t)bad;
}

static unsigned int start_threads(pthread_t *t, unsigned int n)
{
	unsigned int i, started = 0;

	producers_left = n / 2;
	for (i = 0; i < n; i++) {
		void *(*fn)(void *) = i < n / 2 ? producer : consumer;

		if (pthread_create(&t[i], NULL, fn, (void *)(uintptr_t)i))
			break;
		started++;
	}
	return started;
}

int main(void)
{
	long harts = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int n = harts > 2 ? (unsigned int)harts - 1 : 0, i;
	unsigned long produced = 0, bad = 0;
	pthread_t t[MAX_THREADS];
	void *ret;

	if (n > MAX_THREADS)
		n = MAX_THREADS;
	n &= ~1U;	/* as many producers as consumers */
	if (n < 2) {
		printf("threads: needs 3 harts or more, found %ld\n", harts);
		return 1;
	}
	if (start_threads(t, n) != n) {
		printf("threads: pthread_create failed\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		pthread_join(t[i], &ret);
		if (i < n / 2)
			produced += (uintptr_t)ret;
		else
			bad += (uintptr_t)ret;
	}
	printf("threads: %u producers, %u consumers: %lu messages, "
	       "%lu bytes sent, %lu received, %lu bad\n", n / 2, n / 2,
	       produced, produced_sum, consumed_sum, bad);
	return produced == (unsigned long)MESSAGES * (n / 2) &&
	       produced_sum == consumed_sum && !bad ? 0 : 1;
}
