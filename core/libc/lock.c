// SPDX-License-Identifier: MIT
/*
 * picolibc's retargetable locks (<sys/lock.h>) as pthread mutexes, so
 * what picolibc guards (buffered FILEs, atexit, the time zone, the
 * environment, arc4random) is safe from every hart. Defining them all
 * here keeps picolibc's no-op stubs out of the link.
 *
 * A lock whose init could not allocate is NULL and takes no lock, as
 * picolibc's own stubs: init has no way to report the failure.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/lock.h>

struct __lock {
	pthread_mutex_t mutex;
};

struct __lock __lock___libc_recursive_mutex = {
	PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP
};

static void lock_init(_LOCK_T *lock, int type)
{
	*lock = malloc(sizeof(**lock));
	if (*lock)
		(*lock)->mutex = (pthread_mutex_t){ .type = type };
}

void __retarget_lock_init(_LOCK_T *lock)
{
	lock_init(lock, PTHREAD_MUTEX_NORMAL);
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	lock_init(lock, PTHREAD_MUTEX_RECURSIVE);
}

void __retarget_lock_close(_LOCK_T lock)
{
	free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	free(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	if (lock)
		pthread_mutex_lock(&lock->mutex);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	__retarget_lock_acquire(lock);
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return lock ? !pthread_mutex_trylock(&lock->mutex) : 1;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	return __retarget_lock_try_acquire(lock);
}

void __retarget_lock_release(_LOCK_T lock)
{
	if (lock)
		pthread_mutex_unlock(&lock->mutex);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	__retarget_lock_release(lock);
}
