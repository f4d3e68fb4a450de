/* SPDX-License-Identifier: MIT */
/*
 * POSIX threads on rvmem (picolibc ships no <pthread.h>).
 *
 * A thread runs on a hart of its own, from pthread_create() to its end:
 * there is no time slicing, so pthread_create() fails with EAGAIN when no
 * hart is idle (main holds the boot hart). Each thread has its own
 * demand-paged stack with a guard page below (8 MiB unless the boot
 * parameter stack_size= or the app's rvmem_stack_size say otherwise, or
 * pthread_attr_setstacksize()), and its own thread-local data, fresh at
 * its start. Waiting (join, mutexes, condition variables) spins briefly,
 * then sleeps in wfi until woken. Implementation: core/libc/pthread.c.
 */
#ifndef _PTHREAD_H
#define _PTHREAD_H

#include <sched.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PTHREAD_KEYS_MAX		64
#define PTHREAD_DESTRUCTOR_ITERATIONS	4
#define PTHREAD_STACK_MIN		16384

#define PTHREAD_CREATE_JOINABLE	0
#define PTHREAD_CREATE_DETACHED	1

#define PTHREAD_MUTEX_NORMAL		0
#define PTHREAD_MUTEX_RECURSIVE		1
#define PTHREAD_MUTEX_ERRORCHECK	2
#define PTHREAD_MUTEX_DEFAULT		PTHREAD_MUTEX_NORMAL

typedef struct pthread *pthread_t;
typedef unsigned int pthread_key_t;

typedef struct {
	int detachstate;
	size_t stacksize;
} pthread_attr_t;

typedef struct {
	int locked;
	int type;
	unsigned int owner;	/* thread id, for recursive and errorcheck */
	unsigned int count;	/* recursive depth */
} pthread_mutex_t;

typedef struct {
	int type;
} pthread_mutexattr_t;

typedef struct {
	int seq;
	clockid_t clock;
} pthread_cond_t;

typedef struct {
	clockid_t clock;
} pthread_condattr_t;

typedef struct {
	int state;
} pthread_once_t;

#define PTHREAD_MUTEX_INITIALIZER	{ 0, PTHREAD_MUTEX_NORMAL, 0, 0 }
#define PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP \
	{ 0, PTHREAD_MUTEX_RECURSIVE, 0, 0 }
#define PTHREAD_COND_INITIALIZER	{ 0, CLOCK_REALTIME }
#define PTHREAD_ONCE_INIT		{ 0 }

int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
		   void *(*start)(void *), void *arg);
int pthread_join(pthread_t thread, void **retval);
int pthread_detach(pthread_t thread);
void pthread_exit(void *retval) __attribute__((noreturn));
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);

int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_attr_setdetachstate(pthread_attr_t *attr, int state);
int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state);
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size);

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_unlock(pthread_mutex_t *m);
int pthread_mutexattr_init(pthread_mutexattr_t *attr);
int pthread_mutexattr_destroy(pthread_mutexattr_t *attr);
int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type);
int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type);

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr);
int pthread_cond_destroy(pthread_cond_t *c);
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
			   const struct timespec *abstime);
int pthread_cond_signal(pthread_cond_t *c);
int pthread_cond_broadcast(pthread_cond_t *c);
int pthread_condattr_init(pthread_condattr_t *attr);
int pthread_condattr_destroy(pthread_condattr_t *attr);
int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock);
int pthread_condattr_getclock(const pthread_condattr_t *attr,
			      clockid_t *clock);

int pthread_once(pthread_once_t *once, void (*init)(void));

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
void *pthread_getspecific(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);

#ifdef __cplusplus
}
#endif

#endif /* _PTHREAD_H */
