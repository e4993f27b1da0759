// SPDX-License-Identifier: MIT
/*
 * host.c - what scf-run does on the host for itself, outside the
 * program's dispatched world: read the first image (as an RTOS boots the
 * programs of its own image) and run the program natively for
 * --compare-native.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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
static int fetch_fd(int fd, uint8_t **buf, uint64_t *len)
{
	struct stat st;
	uint64_t done = 0;
	ssize_t n;

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

int run_host_fetch(const char *path, uint8_t **buf, uint64_t *len)
{
	return fetch_fd(open(path, O_RDONLY | O_CLOEXEC), buf, len);
}

/*
 * The first program's interpreter, from --root as in a chroot: its
 * absolute path and every absolute link on the way start at --root.
 * The program itself is named by a host path (the first fetch).
 */
int run_first_fetch(const char *path, uint8_t **buf, uint64_t *len)
{
	static bool prog_done;
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int root, fd, err;

	if (!prog_done || runtime.root_is_host) {
		prog_done = true;
		return run_host_fetch(path, buf, len);
	}
	root = open(runtime.root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -errno;
	fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
	err = fetch_fd(fd, buf, len);
	close(root);
	return err;
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
