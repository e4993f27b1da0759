// SPDX-License-Identifier: MIT
/*
 * gaps.c MODE - what scf-run must do as Linux does, one mode a run; it
 * prints what each call returned, so a run under scf-run and a native
 * one are compared line by line.  Static: it runs under any --root.
 *
 *   files   rename, renameat, renameat2 (NOREPLACE, EXCHANGE), chown,
 *           lchown, fchown, fchownat to the caller's own uid and gid
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	1
#define RENAME_EXCHANGE		2
#endif

static void said(const char *what, long r)
{
	printf("%s %ld errno %d\n", what, r, r < 0 ? errno : 0);
	errno = 0;
}

/* The file's first bytes, or "-" when it cannot be read. */
static void show(const char *path)
{
	char b[16] = "-";
	int fd = open(path, O_RDONLY);
	long n;

	if (fd >= 0) {
		n = read(fd, b, sizeof(b) - 1);
		b[n > 0 ? n : 0] = 0;
		close(fd);
	}
	printf("  %s: %s\n", path, b);
}

static void put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0) {
		if (write(fd, s, strlen(s)) < 0)
			perror("write");
		close(fd);
	}
}

static int files(void)
{
	long uid = getuid(), gid = getgid();
	struct stat st;
	int fd, dfd;

	mkdir("gd", 0755);
	put("ga", "alpha");
	put("gb", "beta");
	said("rename ga gc", syscall(SYS_rename, "ga", "gc"));
	show("ga");
	show("gc");
	said("rename missing", syscall(SYS_rename, "nothere", "gx"));
	said("renameat gc gd/ga", syscall(SYS_renameat, AT_FDCWD, "gc",
					 AT_FDCWD, "gd/ga"));
	show("gd/ga");
	dfd = open("gd", O_RDONLY | O_DIRECTORY);
	said("renameat dirfd", syscall(SYS_renameat, dfd, "ga", dfd, "gz"));
	show("gd/gz");
	said("renameat2 noreplace onto a file",
	     syscall(SYS_renameat2, AT_FDCWD, "gb", dfd, "gz",
		     RENAME_NOREPLACE));
	said("renameat2 exchange", syscall(SYS_renameat2, AT_FDCWD, "gb", dfd,
					   "gz", RENAME_EXCHANGE));
	show("gb");
	show("gd/gz");
	said("renameat2 bad flags", syscall(SYS_renameat2, AT_FDCWD, "gb",
					    AT_FDCWD, "gy", 3));
	said("rename over a file", syscall(SYS_rename, "gb", "gd/gz"));
	show("gb");
	show("gd/gz");

	fd = open("gd/gz", O_RDWR);
	said("fchown own", syscall(SYS_fchown, fd, uid, gid));
	said("fchown -1 -1", syscall(SYS_fchown, fd, -1L, -1L));
	said("fchown bad fd", syscall(SYS_fchown, 999, uid, gid));
	said("chown own", syscall(SYS_chown, "gd/gz", uid, gid));
	said("chown missing", syscall(SYS_chown, "gd/nothere", uid, gid));
	said("lchown own", syscall(SYS_lchown, "gd/gz", uid, -1L));
	said("fchownat own", syscall(SYS_fchownat, dfd, "gz", -1L, gid,
				     AT_SYMLINK_NOFOLLOW));
	said("fchownat empty path", syscall(SYS_fchownat, fd, "", uid, gid,
					    AT_EMPTY_PATH));
	said("fchownat bad flags", syscall(SYS_fchownat, dfd, "gz", uid, gid,
					   0x4));
	if (!fstat(fd, &st))
		printf("owner is caller: %d\n", st.st_uid == (uid_t)uid &&
		       st.st_gid == (gid_t)gid);
	close(fd);
	close(dfd);
	said("unlink", syscall(SYS_unlinkat, AT_FDCWD, "gd/gz", 0));
	said("rmdir", syscall(SYS_unlinkat, AT_FDCWD, "gd", AT_REMOVEDIR));
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(m, "files"))
		return files();
	fprintf(stderr, "usage: gaps files\n");
	return 2;
}
