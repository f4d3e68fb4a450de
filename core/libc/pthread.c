// SPDX-License-Identifier: MIT
/*
 * POSIX threads, one hart each, and the app stacks they run on.
 *
 * main() is thread 1 on the boot hart. pthread_create() hands a thread to
 * an idle hart (smp_start_work()), which runs it in normal context with
 * interrupts on until it ends; with no idle hart it fails with EAGAIN,
 * as there is no time slicing. Every thread, main included, runs on a
 * demand-zero stack from anon_map_stack(): only the pages it touches cost
 * memory, and an overflow hits a guard page that the fault report names.
 * The size is the boot parameter stack_size=, else the app's
 * rvmem_stack_size, else 8 MiB; pthread_attr_setstacksize() overrides it
 * per thread.
 *
 * A thread's struct and stack are freed by whoever sees it last: the
 * joiner, or the hart it ran on if it was detached (the state word says
 * which, with one compare-and-swap each side). The hart frees them on its
 * own stack, after the thread's has been left.
 *
 * Waiting (join, mutexes, condition variables, once) spins briefly, then
 * sleeps in cpu_wait_event() with the hart's bit set in sleeping_harts;
 * whoever changes a word others may wait on kicks the sleepers. A missed
 * kick costs at most cpu_wait_event()'s slice (a millisecond).
 *
 * The current thread is thread-local: each hart's TLS block is fresh at a
 * thread's start, so a thread also sees its own errno and __thread data.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdlib.h>
#include <asm/barrier.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <rvmem/anon.h>
#include <rvmem/panic.h>
#include <rvmem/param.h>
#include <rvmem/smp.h>
#include <rvmem/spinlock.h>
#include <rvmem/thread.h>

#define SPIN_BEFORE_SLEEP	1024

enum thread_state {
	THREAD_RUNNING,
	THREAD_EXITED,		/* joinable, not joined yet */
	THREAD_DETACHED,	/* still running, frees itself at the end */
};

/**
 * struct pthread - one thread
 * @start: its start routine
 * @arg: start's argument
 * @ret: what it returned or passed to pthread_exit()
 * @exit_jmp: where pthread_exit() leaves to
 * @stack_top: its stack, from anon_map_stack()
 * @stack_size: the size that was asked for
 * @tid: its id (main is 1), named by stack-overflow reports
 * @state: enum thread_state
 * @values: pthread_setspecific() values, valid while @gens match the key's
 * @gens: the generation of the key each value was set under
 */
struct pthread {
	void *(*start)(void *arg);
	void *arg;
	void *ret;
	jmp_buf exit_jmp;
	unsigned long stack_top;
	size_t stack_size;
	unsigned int tid;
	int state;
	const void *values[PTHREAD_KEYS_MAX];
	unsigned int gens[PTHREAD_KEYS_MAX];
};

/* What the app may set at link time: const unsigned long rvmem_stack_size. */
__attribute__((weak)) const unsigned long rvmem_stack_size = 8UL << 20;

static unsigned long stack_size_param;
static struct pthread main_thread = { .tid = ANON_MAIN_TID };
static __thread struct pthread *current_thread;
static unsigned int next_tid = ANON_MAIN_TID + 1;
static int nr_threads;			/* started and not yet ended */
static unsigned long sleeping_harts;

/* Keys: a generation per slot, odd while the key exists. */
static unsigned int key_gens[PTHREAD_KEYS_MAX];
static void (*key_dtors[PTHREAD_KEYS_MAX])(void *);
static DEFINE_SPINLOCK(keys_lock);

static int set_stack_size(const char *val)
{
	unsigned long size;

	if (param_parse_size(val, &size) || size < PTHREAD_STACK_MIN)
		return -EINVAL;
	stack_size_param = size;
	return 0;
}
KERNEL_PARAM(param_stack_size, "stack_size", set_stack_size,
	     "stack_size=BYTES[K|M|G]: stack of main and of every thread "
	     "(at least 16K; default 8M or the app's rvmem_stack_size)");

size_t thread_stack_size(void)
{
	return stack_size_param ? stack_size_param : rvmem_stack_size;
}

/* Sleep until kicked (or a slice passes) unless *@word changed already. */
static void sleep_while(const int *word, int val)
{
	unsigned long bit = 1UL << smp_processor_id();

	__atomic_fetch_or(&sleeping_harts, bit, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(word, __ATOMIC_SEQ_CST) == val)
		cpu_wait_event();
	__atomic_fetch_and(&sleeping_harts, ~bit, __ATOMIC_RELAXED);
}

/* Kick every sleeping hart; call after changing a word one may wait on. */
static void wake_sleepers(void)
{
	unsigned long mask;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	mask = __atomic_load_n(&sleeping_harts, __ATOMIC_RELAXED);
	mask &= ~(1UL << smp_processor_id());
	for (; mask; mask &= mask - 1)
		smp_kick(__builtin_ctzl(mask));
}

static bool deadline_passed(clockid_t clock, const struct timespec *until)
{
	struct timespec now;

	clock_gettime(clock, &now);
	return now.tv_sec > until->tv_sec ||
	       (now.tv_sec == until->tv_sec && now.tv_nsec >= until->tv_nsec);
}

/* Wait while *@word is @val; Return: 0, or ETIMEDOUT past @until. */
static int wait_while(const int *word, int val, clockid_t clock,
		      const struct timespec *until)
{
	unsigned int spins = 0;

	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == val) {
		if (until && deadline_passed(clock, until))
			return ETIMEDOUT;
		if (++spins < SPIN_BEFORE_SLEEP)
			cpu_relax();
		else
			sleep_while(word, val);
	}
	return 0;
}

static unsigned int current_tid(void)
{
	return current_thread ? current_thread->tid : 0;
}

pthread_t pthread_self(void)
{
	return current_thread;
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

int sched_yield(void)
{
	cpu_relax();	/* a thread has its hart to itself */
	return 0;
}

void thread_run_main(void (*fn)(void *arg), void *arg)
{
	size_t size = thread_stack_size();
	unsigned long top = anon_map_stack(size, ANON_MAIN_TID);

	if (!top)
		boot_fail("thread: no memory for main's %zu KiB stack",
			  size >> 10);
	main_thread.stack_top = top;
	main_thread.stack_size = size;
	current_thread = &main_thread;
	this_hart()->busy = true;
	smp_run_on_app_stack(top - PAGE_ALIGN(size), top, fn, arg);
	panic("thread: main's thread function returned");
}

static void run_key_destructors(struct pthread *t)
{
	unsigned int round, k;
	bool again = true;

	for (round = 0; again && round < PTHREAD_DESTRUCTOR_ITERATIONS;
	     round++) {
		again = false;
		for (k = 0; k < PTHREAD_KEYS_MAX; k++) {
			void *v = pthread_getspecific(k);

			if (!v || !key_dtors[k])
				continue;
			t->values[k] = NULL;
			key_dtors[k](v);
			again = true;
		}
	}
}

/* On the thread's own stack. */
static void thread_main(void *arg)
{
	struct pthread *t = arg;

	current_thread = t;
	if (!setjmp(t->exit_jmp))
		t->ret = t->start(t->arg);
	run_key_destructors(t);
}

static void thread_free(struct pthread *t)
{
	anon_unmap_stack(t->stack_top, t->stack_size);
	free(t);
}

/* On the hart's stack: the thread's is left by now. */
static void thread_run(void *arg)
{
	struct pthread *t = arg;
	int running = THREAD_RUNNING;

	smp_run_on_app_stack(t->stack_top - PAGE_ALIGN(t->stack_size),
			     t->stack_top, thread_main, t);
	current_thread = NULL;
	smp_work_done();	/* a joiner may start a thread here at once */
	if (__atomic_compare_exchange_n(&t->state, &running, THREAD_EXITED,
					false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE))
		wake_sleepers();	/* a joiner may wait */
	else
		thread_free(t);		/* detached */
	__atomic_sub_fetch(&nr_threads, 1, __ATOMIC_RELEASE);
	wake_sleepers();		/* main may wait in pthread_exit() */
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
		   void *(*start)(void *), void *arg)
{
	size_t size = attr && attr->stacksize ? attr->stacksize :
		      thread_stack_size();
	struct pthread *t = calloc(1, sizeof(*t));

	if (!t)
		return EAGAIN;
	t->start = start;
	t->arg = arg;
	t->stack_size = size;
	t->tid = __atomic_fetch_add(&next_tid, 1, __ATOMIC_RELAXED);
	if (attr && attr->detachstate == PTHREAD_CREATE_DETACHED)
		t->state = THREAD_DETACHED;
	t->stack_top = anon_map_stack(size, t->tid);
	if (!t->stack_top) {
		free(t);
		return EAGAIN;
	}
	*thread = t;
	__atomic_add_fetch(&nr_threads, 1, __ATOMIC_RELAXED);
	if (smp_start_work(thread_run, t) < 0) {
		__atomic_sub_fetch(&nr_threads, 1, __ATOMIC_RELAXED);
		thread_free(t);
		return EAGAIN;
	}
	return 0;
}

int pthread_join(pthread_t t, void **retval)
{
	if (t == current_thread || t == &main_thread)
		return EDEADLK;
	if (__atomic_load_n(&t->state, __ATOMIC_RELAXED) == THREAD_DETACHED)
		return EINVAL;
	wait_while(&t->state, THREAD_RUNNING, CLOCK_MONOTONIC, NULL);
	if (retval)
		*retval = t->ret;
	thread_free(t);
	return 0;
}

int pthread_detach(pthread_t t)
{
	int running = THREAD_RUNNING;

	if (t == &main_thread)
		return EINVAL;
	if (__atomic_compare_exchange_n(&t->state, &running, THREAD_DETACHED,
					false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE))
		return 0;
	if (running == THREAD_DETACHED)
		return EINVAL;
	thread_free(t);		/* it has ended: nobody will join it */
	return 0;
}

/*
 * From main: the program goes on until the other threads end, then exits
 * with status 0, as POSIX has it.
 */
void pthread_exit(void *retval)
{
	struct pthread *t = current_thread;
	int n;

	if (t != &main_thread) {
		t->ret = retval;
		longjmp(t->exit_jmp, 1);
	}
	while ((n = __atomic_load_n(&nr_threads, __ATOMIC_ACQUIRE)))
		wait_while(&nr_threads, n, CLOCK_MONOTONIC, NULL);
	exit(0);
}

int pthread_attr_init(pthread_attr_t *attr)
{
	*attr = (pthread_attr_t){ PTHREAD_CREATE_JOINABLE, 0 };
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
	if (state != PTHREAD_CREATE_JOINABLE &&
	    state != PTHREAD_CREATE_DETACHED)
		return EINVAL;
	attr->detachstate = state;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
	*state = attr->detachstate;
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
	if (size < PTHREAD_STACK_MIN)
		return EINVAL;
	attr->stacksize = size;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
	*size = attr->stacksize ? attr->stacksize : thread_stack_size();
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	*m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	if (attr)
		m->type = attr->type;
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	return m->locked ? EBUSY : 0;
}

/* Already ours? Recursive: one level more; errorcheck: EDEADLK. */
static bool mutex_relock(pthread_mutex_t *m, unsigned int self, int *err)
{
	if (m->type == PTHREAD_MUTEX_NORMAL || !self ||
	    __atomic_load_n(&m->owner, __ATOMIC_RELAXED) != self)
		return false;
	if (m->type == PTHREAD_MUTEX_RECURSIVE)
		m->count++;
	*err = m->type == PTHREAD_MUTEX_RECURSIVE ? 0 : EDEADLK;
	return true;
}

static void mutex_take(pthread_mutex_t *m, unsigned int self)
{
	WRITE_ONCE(m->owner, self);
	m->count = 1;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	unsigned int self = current_tid();
	int err;

	if (mutex_relock(m, self, &err))
		return err;
	if (__atomic_exchange_n(&m->locked, 1, __ATOMIC_ACQUIRE))
		return EBUSY;
	mutex_take(m, self);
	return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	unsigned int self = current_tid();
	int err;

	if (mutex_relock(m, self, &err))
		return err;
	while (__atomic_exchange_n(&m->locked, 1, __ATOMIC_ACQUIRE))
		wait_while(&m->locked, 1, CLOCK_MONOTONIC, NULL);
	mutex_take(m, self);
	return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (m->type != PTHREAD_MUTEX_NORMAL &&
	    (!m->locked || m->owner != current_tid()))
		return EPERM;
	if (--m->count)
		return 0;	/* recursive, still held */
	WRITE_ONCE(m->owner, 0);
	smp_store_release(&m->locked, 0);
	wake_sleepers();
	return 0;
}

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
	attr->type = PTHREAD_MUTEX_DEFAULT;
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
	if (type < PTHREAD_MUTEX_NORMAL || type > PTHREAD_MUTEX_ERRORCHECK)
		return EINVAL;
	attr->type = type;
	return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type)
{
	*type = attr->type;
	return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
	*c = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
	if (attr)
		c->clock = attr->clock;
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	(void)c;
	return 0;
}

/* A waiter sleeps until the sequence moves; every signal moves it. */
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
			   const struct timespec *abstime)
{
	int seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
	int err;

	pthread_mutex_unlock(m);
	err = wait_while(&c->seq, seq, c->clock, abstime);
	pthread_mutex_lock(m);
	return err;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return pthread_cond_timedwait(c, m, NULL);
}

/* Waking every waiter is allowed: each rechecks its predicate. */
int pthread_cond_broadcast(pthread_cond_t *c)
{
	__atomic_add_fetch(&c->seq, 1, __ATOMIC_RELEASE);
	wake_sleepers();
	return 0;
}

int pthread_cond_signal(pthread_cond_t *c)
{
	return pthread_cond_broadcast(c);
}

int pthread_condattr_init(pthread_condattr_t *attr)
{
	attr->clock = CLOCK_REALTIME;
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
	(void)attr;
	return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock)
{
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return EINVAL;
	attr->clock = clock;
	return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *attr,
			      clockid_t *clock)
{
	*clock = attr->clock;
	return 0;
}

enum { ONCE_NEW, ONCE_RUNNING, ONCE_DONE };

int pthread_once(pthread_once_t *once, void (*init)(void))
{
	int state = ONCE_NEW;

	if (__atomic_load_n(&once->state, __ATOMIC_ACQUIRE) == ONCE_DONE)
		return 0;
	if (__atomic_compare_exchange_n(&once->state, &state, ONCE_RUNNING,
					false, __ATOMIC_ACQUIRE,
					__ATOMIC_ACQUIRE)) {
		init();
		smp_store_release(&once->state, ONCE_DONE);
		wake_sleepers();
		return 0;
	}
	wait_while(&once->state, ONCE_RUNNING, CLOCK_MONOTONIC, NULL);
	return 0;
}

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	unsigned int k;

	spin_lock(&keys_lock);
	for (k = 0; k < PTHREAD_KEYS_MAX && key_gens[k] % 2; k++)
		;
	if (k < PTHREAD_KEYS_MAX) {
		key_gens[k]++;
		key_dtors[k] = destructor;
	}
	spin_unlock(&keys_lock);
	if (k == PTHREAD_KEYS_MAX)
		return EAGAIN;
	*key = k;
	return 0;
}

int pthread_key_delete(pthread_key_t key)
{
	int err = EINVAL;

	spin_lock(&keys_lock);
	if (key < PTHREAD_KEYS_MAX && key_gens[key] % 2) {
		key_gens[key]++;
		key_dtors[key] = NULL;
		err = 0;
	}
	spin_unlock(&keys_lock);
	return err;
}

void *pthread_getspecific(pthread_key_t key)
{
	struct pthread *t = current_thread;

	if (!t || key >= PTHREAD_KEYS_MAX || t->gens[key] != key_gens[key])
		return NULL;
	return (void *)t->values[key];
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	struct pthread *t = current_thread;

	if (!t || key >= PTHREAD_KEYS_MAX || !(key_gens[key] % 2))
		return EINVAL;
	t->values[key] = value;
	t->gens[key] = key_gens[key];
	return 0;
}
