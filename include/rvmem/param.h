/* SPDX-License-Identifier: MIT */
/*
 * Boot parameters: /chosen/bootargs split between the kernel and the app.
 *
 * Words before a lone "--" that name a registered kernel parameter
 * ("quiet", "maxcpus=2") are the kernel's; every other word, and every
 * word after "--", goes to the app's argv in order. An unknown word that
 * looks like a kernel parameter (it has a '.' before any '=') gets a
 * warning and is passed on, as Linux does for init. Double quotes group
 * words with spaces ("name=\"a b\"" or "\"a b\"").
 */
#ifndef RVMEM_PARAM_H
#define RVMEM_PARAM_H

#include <rvmem/types.h>

/**
 * struct kernel_param - a boot parameter the kernel understands
 * @name: "maxcpus", "mm.report", ...
 * @set: apply the value (NULL for a bare flag); return 0 or -EINVAL
 * @help: one line for the documentation and for error messages
 */
struct kernel_param {
	const char *name;
	int (*set)(const char *val);
	const char *help;
};

/** KERNEL_PARAM() - register a parameter in the kernel_params section */
#define KERNEL_PARAM(var, pname, setfn, helptext)			\
	static const struct kernel_param var				\
	__used __section("kernel_params") __attribute__((aligned(8))) = \
	{ .name = pname, .set = setfn, .help = helptext }

extern const struct kernel_param __start_kernel_params[];
extern const struct kernel_param __stop_kernel_params[];

/**
 * parse_bootargs() - apply kernel parameters and build the app's argv
 * @cmdline: writable copy of the command line; split in place
 * @params: first registered parameter
 * @nr_params: how many
 * @argv: out: argv[0] must be set by the caller; filled from argv[1]
 * @max_args: size of @argv including the terminating NULL
 *
 * Return: argc (at least 1). Words beyond @max_args are dropped with a
 * warning; a parameter whose set() fails is reported and ignored (set()
 * must then leave its setting alone); an unbalanced quote is reported and
 * ends the last word at the end of the line.
 */
int parse_bootargs(char *cmdline, const struct kernel_param *params,
		   size_t nr_params, char **argv, int max_args);

/**
 * param_parse_uint() - parse a decimal or 0x-prefixed unsigned number
 * @val: text, may be NULL
 * @out: value on success
 *
 * Return: 0, or -EINVAL for NULL, empty, junk or overflow.
 */
int param_parse_uint(const char *val, unsigned long *out);

/**
 * param_parse_uint_range() - param_parse_uint() within [@min, @max]
 * @val: text, may be NULL
 * @min: smallest value accepted
 * @max: largest value accepted
 * @out: set only on success, so a rejected value never takes effect
 *
 * Return: 0, or -EINVAL as param_parse_uint() or when out of range.
 */
int param_parse_uint_range(const char *val, unsigned long min,
			   unsigned long max, unsigned long *out);

/**
 * param_parse_size() - param_parse_uint() with a K, M or G suffix
 * @val: text, may be NULL ("8M", "512k", "65536")
 * @out: bytes, set only on success
 *
 * Return: 0, or -EINVAL as param_parse_uint() or on overflow.
 */
int param_parse_size(const char *val, unsigned long *out);

/**
 * param_set_flag() - apply a bare flag parameter ("quiet", "no4lvl")
 * @val: the value after '=', NULL for none
 * @flag: set to true only when there is no value
 *
 * Return: 0, or -EINVAL for a value ("quiet=1"), leaving @flag alone.
 */
int param_set_flag(const char *val, bool *flag);

#endif /* RVMEM_PARAM_H */
