// SPDX-License-Identifier: MIT
/*
 * Splitting /chosen/bootargs between kernel parameters and the app's argv.
 * Pure string work on a caller's buffer: no allocation, host-testable.
 */
#define pr_fmt(fmt) "rvmem: " fmt

#include <errno.h>
#include <string.h>
#include <rvmem/param.h>
#include <rvmem/printk.h>

/*
 * Cut the next word out of *@pos, honouring double quotes. A quote left
 * open takes the rest of the line into the word, with a warning.
 */
static char *next_word(char **pos)
{
	char *p = *pos, *word, *out;
	bool quoted = false;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!*p)
		return NULL;
	word = out = p;
	for (; *p; p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && (*p == ' ' || *p == '\t' || *p == '\n')) {
			p++;
			break;
		}
		*out++ = *p;
	}
	if (quoted)
		pr_warn("unbalanced quote in the command line at '%.*s'\n",
			(int)(out - word), word);
	*out = '\0';
	*pos = p;
	return word;
}

static const struct kernel_param *find_param(const struct kernel_param *params,
					     size_t nr, const char *word,
					     size_t name_len)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (strlen(params[i].name) == name_len &&
		    !strncmp(params[i].name, word, name_len))
			return &params[i];
	return NULL;
}

/* Return true if @word was a kernel parameter (applied or rejected). */
static bool apply_param(const struct kernel_param *params, size_t nr,
			char *word)
{
	char *eq = strchr(word, '=');
	size_t name_len = eq ? (size_t)(eq - word) : strlen(word);
	const struct kernel_param *p = find_param(params, nr, word, name_len);
	char *dot = memchr(word, '.', name_len);

	if (!p) {
		if (dot)
			pr_warn("unknown kernel parameter '%s', passed to the app\n",
				word);
		return false;
	}
	if (p->set && p->set(eq ? eq + 1 : NULL))
		pr_warn("bad kernel parameter '%s' (%s); ignored\n", word,
			p->help);
	return true;
}

int parse_bootargs(char *cmdline, const struct kernel_param *params,
		   size_t nr_params, char **argv, int max_args)
{
	bool app_only = false;
	char *pos = cmdline, *word;
	int argc = 1;

	while ((word = next_word(&pos))) {
		if (!app_only && !strcmp(word, "--")) {
			app_only = true;
			continue;
		}
		if (!app_only && apply_param(params, nr_params, word))
			continue;
		if (argc >= max_args - 1) {
			pr_warn("too many arguments; '%s' and later dropped\n",
				word);
			break;
		}
		argv[argc++] = word;
	}
	argv[argc] = NULL;
	return argc;
}

int param_parse_uint(const char *val, unsigned long *out)
{
	unsigned long v = 0, base = 10, digit;

	if (!val || !*val)
		return -EINVAL;
	if (val[0] == '0' && (val[1] == 'x' || val[1] == 'X')) {
		base = 16;
		val += 2;
		if (!*val)
			return -EINVAL;
	}
	for (; *val; val++) {
		if (*val >= '0' && *val <= '9')
			digit = *val - '0';
		else if (base == 16 && *val >= 'a' && *val <= 'f')
			digit = *val - 'a' + 10;
		else if (base == 16 && *val >= 'A' && *val <= 'F')
			digit = *val - 'A' + 10;
		else
			return -EINVAL;
		if (v > (~0UL - digit) / base)
			return -EINVAL;
		v = v * base + digit;
	}
	*out = v;
	return 0;
}

int param_parse_uint_range(const char *val, unsigned long min,
			   unsigned long max, unsigned long *out)
{
	unsigned long v;

	if (param_parse_uint(val, &v) || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int param_parse_size(const char *val, unsigned long *out)
{
	static const char suffixes[] = "kmg";
	char digits[24];
	const char *unit;
	unsigned int shift = 0;
	size_t len = val ? strlen(val) : 0;
	unsigned long v;

	if (!len || len >= sizeof(digits))
		return -EINVAL;
	memcpy(digits, val, len + 1);
	unit = strchr(suffixes, digits[len - 1] | 0x20);
	if (unit && digits[len - 1] > '9') {
		shift = 10 * (unsigned int)(unit - suffixes + 1);
		digits[len - 1] = '\0';
	}
	if (param_parse_uint(digits, &v) || v > ~0UL >> shift)
		return -EINVAL;
	*out = v << shift;
	return 0;
}

int param_set_flag(const char *val, bool *flag)
{
	if (val)
		return -EINVAL;
	*flag = true;
	return 0;
}
