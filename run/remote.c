// SPDX-License-Identifier: MIT
/*
 * remote.c - the program's file and I/O calls, forwarded to scf-shadow.
 * Its fds are the shadow's; its paths are rewritten to be relative to
 * the shadow's --root (an absolute path starts there, a relative one at
 * the program's working directory beneath it), so the shadow's
 * RESOLVE_BENEATH decides every escape (EXDEV).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "calls.h"

#define C	(runtime.c)
#define FWD(k, call)	run_forwarded((k), (call))
#define PTR(x)	((void *)(uintptr_t)(x))

const char *run_path(const char *path, int *dirfd, char *buf)
{
	size_t n;

	if (path[0] == '/') {
		while (*path == '/')
			path++;
		*dirfd = SCF_AT_FDCWD;
		return *path ? path : ".";
	}
	if (*dirfd != SCF_AT_FDCWD || !runtime.cwd[0])
		return path[0] ? path : ".";
	n = strlen(runtime.cwd);
	if (n + 1 + strlen(path) + 1 > SCF_PATH_MAX)
		return NULL;
	memcpy(buf, runtime.cwd, n);
	buf[n] = '/';
	strcpy(buf + n + 1, path);
	return buf;
}

/* The program's fds, so an exec can close those with FD_CLOEXEC. */
#define FD_WORDS	(4096 / 64)
static uint64_t fds[FD_WORDS] = { 7 };	/* 0, 1, 2: the shadow's stdio */

static void fd_closed(int64_t fd)
{
	if (fd >= 0 && fd < FD_WORDS * 64)
		fds[fd / 64] &= ~(1ull << (fd % 64));
}

/* A new fd of the program's. */
static int64_t opened(int64_t fd)
{
	if (fd >= 0 && fd < FD_WORDS * 64)
		fds[fd / 64] |= 1ull << (fd % 64);
	return fd;
}

/* exec closes what carries FD_CLOEXEC; the shadow holds the flags. */
void run_close_on_exec(struct run_call *k)
{
	int fd;

	for (fd = 0; fd < FD_WORDS * 64; fd++) {
		if (!(fds[fd / 64] >> (fd % 64) & 1))
			continue;
		if (run_forwarded(k, scf_fcntl(C, fd, F_GETFD, 0)) & FD_CLOEXEC) {
			run_forwarded(k, scf_close(C, fd));
			fd_closed(fd);
		}
	}
}

/* Reads and writes longer than a pool chunk: one forwarded call per chunk. */
static int64_t rw_loop(struct run_call *k, bool wr, int fd, char *buf,
		       uint64_t count, bool pos, int64_t off)
{
	uint64_t chunk = scf_client_chunk(C), done = 0;

	do {
		uint64_t n = count - done > chunk ? chunk : count - done;
		int64_t r;

		if (wr)
			r = pos ? scf_pwrite64(C, fd, buf + done, n, off + (int64_t)done) :
				  scf_write(C, fd, buf + done, n);
		else
			r = pos ? scf_pread64(C, fd, buf + done, n, off + (int64_t)done) :
				  scf_read(C, fd, buf + done, n);
		FWD(k, r);
		if (r < 0)
			return done ? (int64_t)done : r;
		done += (uint64_t)r;
		if ((uint64_t)r < n)
			break;		/* short: end of file, a pipe's fill */
	} while (done < count);
	return (int64_t)done;
}

int64_t rc_read(struct run_call *k)
{
	return rw_loop(k, false, (int)k->a[0], PTR(k->a[1]), k->a[2], false, 0);
}

int64_t rc_write(struct run_call *k)
{
	return rw_loop(k, true, (int)k->a[0], PTR(k->a[1]), k->a[2], false, 0);
}

int64_t rc_pread64(struct run_call *k)
{
	return rw_loop(k, false, (int)k->a[0], PTR(k->a[1]), k->a[2], true,
		       (int64_t)k->a[3]);
}

int64_t rc_pwrite64(struct run_call *k)
{
	return rw_loop(k, true, (int)k->a[0], PTR(k->a[1]), k->a[2], true,
		       (int64_t)k->a[3]);
}

/* readv, writev: piece by piece when the whole does not fit one chunk. */
static int64_t rw_vec(struct run_call *k, bool wr)
{
	const struct iovec *iov = PTR(k->a[1]);
	int cnt = (int)k->a[2], i;
	uint64_t total = 0;
	int64_t done = 0, r;

	if (cnt < 0 || cnt > 1024)
		return -EINVAL;
	for (i = 0; i < cnt; i++)
		total += iov[i].iov_len;
	if (wr && cnt <= SCF_IOV_MAX &&
	    total + 16ull * (uint64_t)cnt <= scf_client_chunk(C)) {
		struct scf_iovec v[SCF_IOV_MAX];

		for (i = 0; i < cnt; i++) {
			v[i].base = (uint64_t)(uintptr_t)iov[i].iov_base;
			v[i].len = iov[i].iov_len;
		}
		return FWD(k, scf_writev(C, (int)k->a[0], v, cnt));
	}
	for (i = 0; i < cnt; i++) {
		if (!iov[i].iov_len)
			continue;
		r = rw_loop(k, wr, (int)k->a[0], iov[i].iov_base,
			    iov[i].iov_len, false, 0);
		if (r < 0)
			return done ? done : r;
		done += r;
		if ((uint64_t)r < iov[i].iov_len)
			break;
	}
	return done;
}

int64_t rc_readv(struct run_call *k)
{
	return rw_vec(k, false);
}

int64_t rc_writev(struct run_call *k)
{
	return rw_vec(k, true);
}

static int64_t do_openat(struct run_call *k, int dirfd, const char *path,
			 uint64_t flags, uint64_t mode)
{
	char buf[SCF_PATH_MAX];
	const char *p = run_path(path, &dirfd, buf);

	if (!p)
		return -ENAMETOOLONG;
	/* O_LARGEFILE is implied on x86-64; the shadow does not take it. */
	flags &= ~(uint64_t)O_LARGEFILE;
	return opened(FWD(k, scf_openat(C, dirfd, p, (int)flags, (int)mode)));
}

int64_t rc_open(struct run_call *k)
{
	return do_openat(k, SCF_AT_FDCWD, PTR(k->a[0]), k->a[1], k->a[2]);
}

int64_t rc_openat(struct run_call *k)
{
	return do_openat(k, (int)k->a[0], PTR(k->a[1]), k->a[2], k->a[3]);
}

int64_t rc_close(struct run_call *k)
{
	int64_t r = FWD(k, scf_close(C, (int)k->a[0]));

	if (!r)
		fd_closed((int64_t)k->a[0]);
	return r;
}

int64_t rc_lseek(struct run_call *k)
{
	return FWD(k, scf_lseek(C, (int)k->a[0], (int64_t)k->a[1], (int)k->a[2]));
}

int64_t rc_fstat(struct run_call *k)
{
	return FWD(k, scf_fstat(C, (int)k->a[0], PTR(k->a[1])));
}

static int64_t do_fstatat(struct run_call *k, int dirfd, const char *path,
			  void *st, uint64_t flags)
{
	char buf[SCF_PATH_MAX];
	const char *p;

	if (!path[0] && (flags & AT_EMPTY_PATH))
		return FWD(k, scf_newfstatat(C, dirfd, "", st, (int)flags));
	p = run_path(path, &dirfd, buf);
	if (!p)
		return -ENAMETOOLONG;
	return FWD(k, scf_newfstatat(C, dirfd, p, st, (int)flags));
}

int64_t rc_stat(struct run_call *k)
{
	return do_fstatat(k, SCF_AT_FDCWD, PTR(k->a[0]), PTR(k->a[1]), 0);
}

int64_t rc_lstat(struct run_call *k)
{
	return do_fstatat(k, SCF_AT_FDCWD, PTR(k->a[0]), PTR(k->a[1]),
			  AT_SYMLINK_NOFOLLOW);
}

int64_t rc_newfstatat(struct run_call *k)
{
	return do_fstatat(k, (int)k->a[0], PTR(k->a[1]), PTR(k->a[2]), k->a[3]);
}

/* statx, answered from the shadow's stat */
int64_t rc_statx(struct run_call *k)
{
	struct statx *sx = PTR(k->a[4]);
	struct scf_stat st;
	int64_t r = do_fstatat(k, (int)k->a[0], PTR(k->a[1]), &st,
			       k->a[2] & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH));

	if (r < 0)
		return r;
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS;
	sx->stx_blksize = (uint32_t)st.st_blksize;
	sx->stx_nlink = (uint32_t)st.st_nlink;
	sx->stx_uid = st.st_uid;
	sx->stx_gid = st.st_gid;
	sx->stx_mode = (uint16_t)st.st_mode;
	sx->stx_ino = st.st_ino;
	sx->stx_size = (uint64_t)st.st_size;
	sx->stx_blocks = (uint64_t)st.st_blocks;
	sx->stx_atime.tv_sec = (int64_t)st.st_atime_sec;
	sx->stx_atime.tv_nsec = (uint32_t)st.st_atime_nsec;
	sx->stx_mtime.tv_sec = (int64_t)st.st_mtime_sec;
	sx->stx_mtime.tv_nsec = (uint32_t)st.st_mtime_nsec;
	sx->stx_ctime.tv_sec = (int64_t)st.st_ctime_sec;
	sx->stx_ctime.tv_nsec = (uint32_t)st.st_ctime_nsec;
	sx->stx_rdev_major = major(st.st_rdev);
	sx->stx_rdev_minor = minor(st.st_rdev);
	sx->stx_dev_major = major(st.st_dev);
	sx->stx_dev_minor = minor(st.st_dev);
	return 0;
}

/* access, faccessat: existence through the shadow's stat */
static int64_t do_access(struct run_call *k, int dirfd, const char *path)
{
	struct scf_stat st;

	return do_fstatat(k, dirfd, path, &st, 0);
}

int64_t rc_access(struct run_call *k)
{
	return do_access(k, SCF_AT_FDCWD, PTR(k->a[0]));
}

int64_t rc_faccessat(struct run_call *k)
{
	return do_access(k, (int)k->a[0], PTR(k->a[1]));
}

int64_t rc_getdents64(struct run_call *k)
{
	uint64_t n = k->a[2] > scf_client_chunk(C) ? scf_client_chunk(C) : k->a[2];

	return FWD(k, scf_getdents64(C, (int)k->a[0], PTR(k->a[1]), n));
}

int64_t rc_ioctl(struct run_call *k)
{
	if (k->a[1] != SCF_TCGETS && k->a[1] != SCF_TIOCGWINSZ)
		return -ENOTTY;		/* what a file says to a tty ioctl */
	return FWD(k, scf_ioctl(C, (int)k->a[0], (uint32_t)k->a[1], PTR(k->a[2])));
}

int64_t rc_dup(struct run_call *k)
{
	return opened(FWD(k, scf_fcntl(C, (int)k->a[0], F_DUPFD, 0)));
}

int64_t rc_dup2(struct run_call *k)
{
	if (k->a[0] == k->a[1])	/* dup2(fd, fd): fd, if it is open */
		return FWD(k, scf_fcntl(C, (int)k->a[0], F_GETFD, 0)) < 0 ?
		       -EBADF : (int64_t)k->a[0];
	return opened(FWD(k, scf_dup3(C, (int)k->a[0], (int)k->a[1], 0)));
}

int64_t rc_dup3(struct run_call *k)
{
	return opened(FWD(k, scf_dup3(C, (int)k->a[0], (int)k->a[1], (int)k->a[2])));
}

int64_t rc_fcntl(struct run_call *k)
{
	int64_t r;

	switch (k->a[1]) {
	case F_GETLK: case F_SETLK: case F_OFD_GETLK: case F_OFD_SETLK:
		return FWD(k, scf_fcntl_lock(C, (int)k->a[0], (int)k->a[1],
					     PTR(k->a[2])));
	case F_SETLKW: case F_OFD_SETLKW:
		return -EINVAL;	/* a wait would stop the shadow serving */
	}
	r = FWD(k, scf_fcntl(C, (int)k->a[0], (int)k->a[1], k->a[2]));

	if (k->a[1] == F_DUPFD || k->a[1] == F_DUPFD_CLOEXEC)
		opened(r);
	return r;
}

int64_t rc_fsync(struct run_call *k)
{
	return FWD(k, scf_fsync(C, (int)k->a[0], k->nr == SYS_fdatasync));
}

int64_t rc_ftruncate(struct run_call *k)
{
	return FWD(k, scf_ftruncate(C, (int)k->a[0], (int64_t)k->a[1]));
}

int64_t rc_sendfile(struct run_call *k)
{
	if (k->a[2])
		return -EINVAL;	/* with an offset: the caller falls back */
	return FWD(k, scf_sendfile(C, (int)k->a[0], (int)k->a[1], k->a[3]));
}

static int64_t path_op(struct run_call *k, bool mk, int dirfd,
		       const char *path, uint64_t arg)
{
	char buf[SCF_PATH_MAX];
	const char *p = run_path(path, &dirfd, buf);

	if (!p)
		return -ENAMETOOLONG;
	return FWD(k, mk ? scf_mkdirat(C, dirfd, p, (int)arg) :
			   scf_unlinkat(C, dirfd, p, (int)arg));
}

int64_t rc_mkdir(struct run_call *k)
{
	return path_op(k, true, SCF_AT_FDCWD, PTR(k->a[0]), k->a[1]);
}

int64_t rc_mkdirat(struct run_call *k)
{
	return path_op(k, true, (int)k->a[0], PTR(k->a[1]), k->a[2]);
}

int64_t rc_unlink(struct run_call *k)
{
	return path_op(k, false, SCF_AT_FDCWD, PTR(k->a[0]), 0);
}

int64_t rc_rmdir(struct run_call *k)
{
	return path_op(k, false, SCF_AT_FDCWD, PTR(k->a[0]), SCF_AT_REMOVEDIR);
}

int64_t rc_unlinkat(struct run_call *k)
{
	return path_op(k, false, (int)k->a[0], PTR(k->a[1]), k->a[2]);
}

/*
 * pipe, pipe2: the shadow's pipe.  A forked child's shadow inherits both
 * ends, so a pipeline between the program's processes works as natively.
 */
static int64_t do_pipe(struct run_call *k, int *out, uint64_t flags)
{
	int fds[2];
	int64_t r = FWD(k, scf_pipe2(C, fds, (int)flags));

	if (r < 0)
		return r;
	out[0] = opened(fds[0]);
	out[1] = opened(fds[1]);
	return 0;
}

int64_t rc_pipe(struct run_call *k)
{
	return do_pipe(k, PTR(k->a[0]), 0);
}

int64_t rc_pipe2(struct run_call *k)
{
	return do_pipe(k, PTR(k->a[0]), k->a[1]);
}

/* rename, renameat, renameat2: both paths beneath --root. */
static int64_t do_rename(struct run_call *k, int odir, const char *from,
			 int ndir, const char *to, uint64_t flags)
{
	char ob[SCF_PATH_MAX], nb[SCF_PATH_MAX];
	const char *o = run_path(from, &odir, ob);
	const char *n = run_path(to, &ndir, nb);

	if (!o || !n)
		return -ENAMETOOLONG;
	if (flags > 0xffffffffull)
		return -EINVAL;
	return FWD(k, scf_renameat2(C, odir, o, ndir, n, (uint32_t)flags));
}

int64_t rc_rename(struct run_call *k)
{
	return do_rename(k, SCF_AT_FDCWD, PTR(k->a[0]), SCF_AT_FDCWD,
			 PTR(k->a[1]), 0);
}

int64_t rc_renameat(struct run_call *k)
{
	return do_rename(k, (int)k->a[0], PTR(k->a[1]), (int)k->a[2],
			 PTR(k->a[3]), k->nr == SYS_renameat2 ? k->a[4] : 0);
}

/* chown, lchown, fchown, fchownat: the owner of the shadow's file. */
static int64_t do_chown(struct run_call *k, int dirfd, const char *path,
			uint64_t uid, uint64_t gid, uint64_t flags)
{
	char buf[SCF_PATH_MAX];
	const char *p = path;

	if (path[0] || !(flags & AT_EMPTY_PATH))
		p = run_path(path, &dirfd, buf);
	if (!p)
		return -ENAMETOOLONG;
	return FWD(k, scf_fchownat(C, dirfd, p, (uint32_t)uid, (uint32_t)gid,
				   (int)flags));
}

int64_t rc_chown(struct run_call *k)
{
	return do_chown(k, SCF_AT_FDCWD, PTR(k->a[0]), k->a[1], k->a[2],
			k->nr == SYS_lchown ? AT_SYMLINK_NOFOLLOW : 0);
}

int64_t rc_fchown(struct run_call *k)
{
	return do_chown(k, (int)k->a[0], "", k->a[1], k->a[2], AT_EMPTY_PATH);
}

int64_t rc_fchownat(struct run_call *k)
{
	return do_chown(k, (int)k->a[0], PTR(k->a[1]), k->a[2], k->a[3],
			k->a[4]);
}
