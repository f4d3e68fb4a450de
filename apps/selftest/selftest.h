/* SPDX-License-Identifier: MIT */
/* Checks more than one suite of selftest uses. */
#ifndef SELFTEST_H
#define SELFTEST_H

#include <stdbool.h>

/**
 * vmemmap_shows() - does the vmemmap window show @pfn's struct page as
 * mem_map has it, or a zeroed one while it is not initialised
 * @pfn: a pfn in RAM
 */
bool vmemmap_shows(unsigned long pfn);

#endif /* SELFTEST_H */
