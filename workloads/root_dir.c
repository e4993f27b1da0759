// SPDX-License-Identifier: MIT
/*
 * root_dir.c - remove the temporary directory the shadow served, with no
 * external tool (a busybox find, as in the VM, has no -delete): only the
 * plain files directly in it, then the directory, which fails and stays
 * if anything else is left there.
 */
#include <dirent.h>
#include <fcntl.h>
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
