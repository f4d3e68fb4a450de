/* SPDX-License-Identifier: MIT */
/* Host board calls for the test main. */
#ifndef PLATFORM_HOST_H
#define PLATFORM_HOST_H

#include <stdbool.h>

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

#endif /* PLATFORM_HOST_H */
