/* SPDX-License-Identifier: MIT */
/* Host board calls for the test main. */
#ifndef PLATFORM_HOST_H
#define PLATFORM_HOST_H

#include <stdbool.h>
#include <stddef.h>

/**
 * host_platform_init() - register the host board; the calling thread
 * becomes cpu 0
 * @verbose: console output goes straight to stdout, else to a buffer
 */
void host_platform_init(bool verbose);

/** host_hart_enter() - make the calling thread play logical cpu @cpu */
void host_hart_enter(unsigned int cpu);

/** host_console_flush() - print and empty the console buffer */
void host_console_flush(void);

/** host_console_discard() - empty the console buffer unprinted */
void host_console_discard(void);

/**
 * host_console_last() - the last message written to the console, so a
 * test can check a warning (verbose or not)
 *
 * Return: a NUL-terminated copy, cut at 511 bytes; "" before any output.
 */
const char *host_console_last(void);

/**
 * host_phys_arena() - (re)create the simulated physical memory
 * @phys_base: the physical address the arena pretends to start at
 * @size: bytes (page-aligned); pages are committed only when touched
 *
 * Replaces any previous arena; __va()/__pa() translate into it.
 * Return: the arena's host address.
 */
void *host_phys_arena(unsigned long phys_base, size_t size);

#endif /* PLATFORM_HOST_H */
