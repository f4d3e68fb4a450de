// SPDX-License-Identifier: MIT
/*
 * POSIX threads: one hart each, no time slicing. Cases that need a
 * thread skip on one hart, where pthread_create() must fail with EAGAIN.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <rvmem/ktest.h>
#include <rvmem/smp.h>

static bool have_idle_hart(struct ktest *t)
{
	if (nr_cpus_online > 1)
		return true;
	ktest_skip(t, "needs 2 harts");
	return false;
}

static void *add_one(void *arg)
{
	return (void *)((uintptr_t)arg + 1);
}

/* Expect join to return what the thread returned, and pthread_exit's. */
static void *exit_early(void *arg)
{
	pthread_exit(arg);
}

static void pthread_join_returns_value(struct ktest *t)
{
	pthread_t th;
	void *ret = NULL;

	if (!have_idle_hart(t))
		return;
	KTEST_ASSERT_EQ(t, pthread_create(&th, NULL, add_one, (void *)41), 0);
	KTEST_EXPECT_EQ(t, pthread_join(th, &ret), 0);
	KTEST_EXPECT_EQ(t, (uintptr_t)ret, 42);
	KTEST_ASSERT_EQ(t, pthread_create(&th, NULL, exit_early, (void *)7), 0);
	KTEST_EXPECT_EQ(t, pthread_join(th, &ret), 0);
	KTEST_EXPECT_EQ(t, (uintptr_t)ret, 7);
	KTEST_EXPECT_EQ(t, pthread_join(pthread_self(), NULL), EDEADLK);
}

static int release;

static void *wait_release(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&release, __ATOMIC_ACQUIRE))
		sched_yield();
	return NULL;
}

/* Expect a thread on every idle hart, then EAGAIN, and harts back after
 * the joins. */
static void pthread_create_eagain_when_busy(struct ktest *t)
{
	pthread_t th[NR_CPUS];
	unsigned int n = 0, i;
	int err;

	release = 0;
	while (!(err = pthread_create(&th[n], NULL, wait_release, NULL)))
		n++;
	KTEST_EXPECT_EQ(t, err, EAGAIN);
	KTEST_EXPECT_EQ(t, n, nr_cpus_online - 1);
	__atomic_store_n(&release, 1, __ATOMIC_RELEASE);
	for (i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, pthread_join(th[i], NULL), 0);
	if (n) {	/* a joined thread's hart is free at once */
		KTEST_ASSERT_EQ(t, pthread_create(&th[0], NULL, add_one, 0), 0);
		KTEST_EXPECT_EQ(t, pthread_join(th[0], NULL), 0);
	}
}

static pthread_key_t key;
static int destroyed;

static void count_destroy(void *v)
{
	__atomic_add_fetch(&destroyed, (int)(uintptr_t)v, __ATOMIC_RELAXED);
}

static void *use_key(void *arg)
{
	void *before = pthread_getspecific(key);

	pthread_setspecific(key, arg);
	return pthread_getspecific(key) == arg ? before : (void *)1;
}

/* Expect each thread to see its own value (NULL at first) and the
 * destructor to run at its end. */
static void pthread_keys_per_thread(struct ktest *t)
{
	pthread_t th;
	void *ret = (void *)1;

	KTEST_ASSERT_EQ(t, pthread_key_create(&key, count_destroy), 0);
	KTEST_EXPECT_EQ(t, pthread_setspecific(key, (void *)100), 0);
	if (have_idle_hart(t)) {
		destroyed = 0;
		KTEST_ASSERT_EQ(t, pthread_create(&th, NULL, use_key,
						  (void *)5), 0);
		KTEST_EXPECT_EQ(t, pthread_join(th, &ret), 0);
		KTEST_EXPECT_TRUE(t, ret == NULL);
		KTEST_EXPECT_EQ(t, destroyed, 5);
	}
	KTEST_EXPECT_TRUE(t, pthread_getspecific(key) == (void *)100);
	KTEST_EXPECT_EQ(t, pthread_key_delete(key), 0);
	KTEST_EXPECT_TRUE(t, pthread_getspecific(key) == NULL);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;

static void once_init(void)
{
	__atomic_add_fetch(&once_runs, 1, __ATOMIC_RELAXED);
}

static void *call_once(void *arg)
{
	(void)arg;
	pthread_once(&once, once_init);
	return NULL;
}

/* Expect pthread_once() to run its function once across threads. */
static void pthread_once_runs_once(struct ktest *t)
{
	pthread_t th[NR_CPUS];
	unsigned int n = 0, i;

	while (n < NR_CPUS && !pthread_create(&th[n], NULL, call_once, NULL))
		n++;
	call_once(NULL);
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	KTEST_EXPECT_EQ(t, once_runs, 1);
}

/* Expect a timed wait nobody signals to end with ETIMEDOUT, not early. */
static void pthread_cond_timedwait_times_out(struct ktest *t)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c;
	pthread_condattr_t attr;
	struct timespec until, now;

	pthread_condattr_init(&attr);
	KTEST_ASSERT_EQ(t, pthread_condattr_setclock(&attr, CLOCK_MONOTONIC),
			0);
	pthread_cond_init(&c, &attr);
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += 20000000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&m);
	KTEST_EXPECT_EQ(t, pthread_cond_timedwait(&c, &m, &until), ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &now);
	KTEST_EXPECT_TRUE(t, now.tv_sec > until.tv_sec ||
			  (now.tv_sec == until.tv_sec &&
			   now.tv_nsec >= until.tv_nsec));
	KTEST_EXPECT_EQ(t, pthread_mutex_unlock(&m), 0);
}

/* Expect a recursive mutex to nest and an errorcheck one to refuse. */
static void pthread_mutex_types(struct ktest *t)
{
	pthread_mutexattr_t attr;
	pthread_mutex_t m;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&m, &attr);
	KTEST_EXPECT_EQ(t, pthread_mutex_lock(&m), 0);
	KTEST_EXPECT_EQ(t, pthread_mutex_lock(&m), 0);
	KTEST_EXPECT_EQ(t, pthread_mutex_unlock(&m), 0);
	KTEST_EXPECT_EQ(t, pthread_mutex_destroy(&m), EBUSY);
	KTEST_EXPECT_EQ(t, pthread_mutex_unlock(&m), 0);
	KTEST_EXPECT_EQ(t, pthread_mutex_unlock(&m), EPERM);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&m, &attr);
	KTEST_EXPECT_EQ(t, pthread_mutex_lock(&m), 0);
	KTEST_EXPECT_EQ(t, pthread_mutex_lock(&m), EDEADLK);
	KTEST_EXPECT_EQ(t, pthread_mutex_trylock(&m), EDEADLK);
	KTEST_EXPECT_EQ(t, pthread_mutex_unlock(&m), 0);
}

static const struct ktest_case pthread_cases[] = {
	KTEST_CASE(pthread_join_returns_value),
	KTEST_CASE(pthread_create_eagain_when_busy),
	KTEST_CASE(pthread_keys_per_thread),
	KTEST_CASE(pthread_once_runs_once),
	KTEST_CASE(pthread_cond_timedwait_times_out),
	KTEST_CASE(pthread_mutex_types),
	{}
};

KTEST_SUITE(pthread_suite) = {
	.name = "pthread",
	.cases = pthread_cases,
};
