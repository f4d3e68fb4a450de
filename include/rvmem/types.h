/* SPDX-License-Identifier: MIT */
/*
 * Fixed-width kernel types and the few helpers every layer uses.
 */
#ifndef RVMEM_TYPES_H
#define RVMEM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef uint64_t phys_addr_t;

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN(x, a)		ALIGN_DOWN((x) + (a) - 1, (a))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define clamp(v, lo, hi)	min(max((v), (lo)), (hi))

/*
 * Data written by one hart and read by others on a fast path gets a line
 * of its own, so a write on one hart does not take the line from the
 * others (as Linux's ____cacheline_aligned).
 */
#define L1_CACHE_BYTES		64
#define ____cacheline_aligned	__attribute__((aligned(L1_CACHE_BYTES)))

#define SZ_4K	0x1000UL
#define SZ_1M	0x100000UL
#define SZ_2M	0x200000UL
#define SZ_1G	0x40000000UL

#define __noreturn	__attribute__((noreturn))
#define noinline	__attribute__((__noinline__))
/*
 * A fast path that calls nothing but tail calls needs no frame record:
 * without one it is a few instructions shorter and backtraces still work
 * (ra and fp stay the caller's). Slow paths keep theirs. Its slow paths
 * are tail calls that find the caller in ra, so sibling calls stay on
 * even where the build's -O level (the host's -O1) would not make them.
 */
#define __frameless	__attribute__((optimize("omit-frame-pointer", \
					"optimize-sibling-calls")))
#ifndef __always_inline
#define __always_inline	inline __attribute__((__always_inline__))
#endif
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#ifndef __used		/* libc headers may have them already */
#define __used		__attribute__((used))
#endif
#ifndef __section
#define __section(s)	__attribute__((section(s)))
#endif
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define _RET_IP_	((unsigned long)__builtin_return_address(0))

/*
 * A single access another hart may race with: a relaxed atomic, so it is
 * no data race in C (ThreadSanitizer agrees) and a load is one plain ld.
 * GCC before 13 makes every RISC-V atomic store an amoswap, though, so
 * the kernel's stores are volatile ones, one plain sd, as Linux's
 * WRITE_ONCE(); the host build keeps the atomic for ThreadSanitizer.
 */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#ifdef __riscv
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#else
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#endif

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#endif /* RVMEM_TYPES_H */
