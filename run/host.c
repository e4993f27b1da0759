// SPDX-License-Identifier: MIT
/*
 * host.c - what scf-run does on the host for itself, outside the
 * program's dispatched world: read the first image (as an RTOS boots the
 * programs of its own image) and run the program natively for
 * --compare-native.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

uint64_t run_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The first image comes from the host, as an RTOS boots its own. */
int run_host_fetch(const char *path, uint8_t **buf, uint64_t *len)
{
	struct stat st;
	uint64_t done = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || !(*buf = malloc(
	    (size_t)st.st_size + 1))) {
		close(fd);
		return -EACCES;
	}
	while (done < (uint64_t)st.st_size &&
	       (n = read(fd, *buf + done, (size_t)st.st_size - done)) > 0)
		done += (uint64_t)n;
	close(fd);
	if (done < (uint64_t)st.st_size) {
		free(*buf);
		return -EIO;
	}
	*len = done;
	return 0;
}

/*
 * The native run, for --compare-native: same program, same arguments,
 * stdout to /dev/null.  A regular file on stdin is read again from where
 * it was for the scf-run; anything else on stdin is the scf-run's alone.
 */
double run_native(const char *path, char **argv)
{
	off_t pos = lseek(0, 0, SEEK_CUR);
	struct stat st;
	bool file = !fstat(0, &st) && S_ISREG(st.st_mode) && pos >= 0;
	uint64_t t0 = run_mono_ns();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (!freopen("/dev/null", "w", stdout) ||
		    (!file && !freopen("/dev/null", "r", stdin)))
			_exit(127);
		execv(path, argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (file)
		lseek(0, pos, SEEK_SET);
	return (double)(run_mono_ns() - t0);
}
