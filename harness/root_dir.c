// SPDX-License-Identifier: MIT
/*
 * root_dir.c - remove the temporary directory the shadow served, with no
 * external tool (a busybox find, as in the VM, has no -delete): only the
 * plain files directly in it, then the directory, which fails and stays
 * if anything else is left there.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

void bench_root_remove(const char *dir)
{
	struct dirent *e;
	struct stat st;
	DIR *d;
	int fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((e = readdir(d)))
		if (!fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) &&
		    S_ISREG(st.st_mode))
			unlinkat(fd, e->d_name, 0);
	closedir(d);
	rmdir(dir);
}

/*
 * The roots that runs killed outright (SIGKILL: no cleanup ran) left in
 * tmp: scf-root.<pid>.XXXXXX whose pid no longer exists.  A live run's
 * root, or one whose pid was reused meanwhile, is left alone.
 */
void bench_root_sweep(const char *tmp)
{
	const size_t plen = strlen(BENCH_ROOT_PREFIX);
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(tmp);
	char *end;
	long pid;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, BENCH_ROOT_PREFIX, plen))
			continue;
		errno = 0;
		pid = strtol(e->d_name + plen, &end, 10);
		if (errno || *end != '.' || pid <= 0 || pid > INT_MAX ||
		    pid == getpid())
			continue;
		if (!kill((pid_t)pid, 0) || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmp, e->d_name);
		bench_root_remove(path);
	}
	closedir(d);
}
