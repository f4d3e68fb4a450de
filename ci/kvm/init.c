// SPDX-License-Identifier: MIT
/*
 * init - pid 1 of the nested KVM host in CI. Test tooling, not product.
 *
 * Mounts devtmpfs (for /dev/kvm) and sysfs (the host's device tree), then
 * runs /vmm once per line of /guests, in order, and powers the machine
 * off. Each line is three tab-separated fields:
 *
 *	LABEL <TAB> VMM OPTIONS AND IMAGE (space-separated) <TAB> BOOTARGS
 *
 * and ends with one line on the console that ci/kvm/run.sh looks for:
 *
 *	rvmem-kvm: result LABEL status N time S.SS
 *
 * where N is /vmm's exit status (128 + signal if it was killed). After
 * the last guest: "rvmem-kvm: done". QEMU's own exit code says nothing,
 * so these lines are how the guests' results leave the machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>

#define MAX_ARGS	32

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void mount_fs(const char *type, const char *dir)
{
	if (mount(type, dir, type, 0, NULL) && errno != EBUSY)
		printf("rvmem-kvm: mount %s on %s: %s\n", type, dir,
		       strerror(errno));
}

/* "/vmm", the words of @opts, "--append", @bootargs, in @argv. */
static int build_argv(char *opts, char *bootargs, char **argv)
{
	int argc = 0;
	char *word;

	argv[argc++] = "/vmm";
	argv[argc++] = "--append";
	argv[argc++] = bootargs;
	for (word = strtok(opts, " "); word && argc < MAX_ARGS - 1;
	     word = strtok(NULL, " "))
		argv[argc++] = word;
	argv[argc] = NULL;
	return word ? -1 : 0;
}

/* Run /vmm for one line of /guests; Return: its exit status. */
static int run_guest(const char *label, char **argv)
{
	int wstatus;
	pid_t pid;

	printf("rvmem-kvm: begin %s\n", label);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execv(argv[0], argv);
		perror("rvmem-kvm: exec /vmm");
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &wstatus, 0) < 0)
		return 126;
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) :
				    128 + WTERMSIG(wstatus);
}

int main(void)
{
	char line[4096], *argv[MAX_ARGS], *label, *opts, *bootargs;
	FILE *guests;
	double start;
	int status;

	mount_fs("devtmpfs", "/dev");
	mount_fs("sysfs", "/sys");
	guests = fopen("/guests", "r");
	while (guests && fgets(line, sizeof(line), guests)) {
		line[strcspn(line, "\n")] = 0;
		label = strtok(line, "\t");
		opts = strtok(NULL, "\t");
		bootargs = strtok(NULL, "\t");
		if (!label || !opts)
			continue;
		start = now();
		if (build_argv(opts, bootargs ? bootargs : "", argv))
			status = 126;
		else
			status = run_guest(label, argv);
		printf("rvmem-kvm: result %s status %d time %.2f\n", label,
		       status, now() - start);
		fflush(stdout);
	}
	printf(guests ? "rvmem-kvm: done\n" : "rvmem-kvm: no /guests\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
