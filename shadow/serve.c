// SPDX-License-Identifier: MIT
/*
 * serve.c - validate one forwarded request and serve it with a real Linux
 * system call.  The descriptor is read once into private memory; every
 * fd, length, offset, pointer and path is checked against what the shadow
 * itself knows (its fd table, the descriptor's own pool chunk, the synced
 * ranges, --root) before anything is touched.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "scf_probe.h"
#include "shadow.h"

/* The request as read, once, from the shared descriptor. */
struct req {
	uint32_t opcode;
	uint32_t flags;
	uint64_t args[6];
	uint32_t payload_off;
	uint32_t payload_len;
	struct scf_desc *d;	/* the shared descriptor, for lazy reads */
	uint32_t idx;
	uint8_t *chunk;		/* this descriptor's pool chunk */
	uint32_t out_len;	/* answer bytes left in the chunk */
	bool validated;		/* S2 stamped */
	bool serviced;		/* S3 stamped */
	uint64_t *probe;	/* the response's S2/S3 stamps; NULL: none */
};

/* Every check passed: what follows is the service phase. */
#define VALIDATED(r) do { \
	scf_probe_if((r)->probe, (r)->probe, SCF_S2_VALIDATED); \
	(r)->validated = true; \
} while (0)

/*
 * Open flags a client may ask for; anything else is -EINVAL.  O_TMPFILE
 * is __O_TMPFILE | O_DIRECTORY, so it is only ever tested as a whole.
 */
#define OPEN_FLAGS_OK	(O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | \
			 O_NONBLOCK | O_DSYNC | O_SYNC | O_DIRECTORY | \
			 O_NOFOLLOW | O_CLOEXEC | O_NOATIME | O_NOCTTY | \
			 O_TMPFILE)
#define STAT_FLAGS_OK	(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)

static bool mapped(const struct req *r)
{
	return r->flags & SCF_DF_MAP;
}

/*
 * The payload fields, read (once) only by calls that use the pool: a call
 * without a payload never touches the descriptor's second line, which the
 * shadow will write the answer into, so it costs one transfer, not two.
 */
static int payload(struct shadow *s, struct req *r)
{
	r->payload_off = SCF_READ_ONCE(r->d->payload_off);
	r->payload_len = SCF_READ_ONCE(r->d->payload_len);
	/* A descriptor may only use its own chunk of the pool. */
	if (r->payload_off != (uint64_t)r->idx * s->q.pool_chunk ||
	    r->payload_len > s->q.pool_chunk)
		return -EINVAL;
	return 0;
}

/* A user buffer: the pool chunk (copy) or a synced range (map). */
static int user_buf(struct shadow *s, struct req *r, uint64_t ptr,
		    uint64_t len, bool in, void **out)
{
	int err;

	if (mapped(r)) {
		if (len && !syncmap_contains(&s->sync, ptr, len))
			return -EFAULT;
		*out = (void *)(uintptr_t)ptr;
		return 0;
	}
	err = payload(s, r);
	if (err)
		return err;
	/* copy: input must have arrived in the payload, output must fit */
	if (len > (in ? r->payload_len : s->q.pool_chunk))
		return -EINVAL;
	*out = r->chunk;
	return 0;
}

/*
 * Copy a path into buf, NUL inside the bounds it came with; copy mode:
 * the path at off in the payload (a second path follows the first).
 */
static int user_path_off(struct shadow *s, struct req *r, uint64_t ptr,
			 uint64_t off, char *buf)
{
	const char *src;
	uint64_t room, n;
	int err;

	if (mapped(r)) {
		uint64_t len;

		/* Largest span from ptr that is synced, up to PATH_MAX. */
		for (len = SCF_PATH_MAX; len; len /= 2)
			if (syncmap_contains(&s->sync, ptr, len))
				break;
		if (!len)
			return -EFAULT;
		src = (const char *)(uintptr_t)ptr;
		room = len;
	} else {
		err = payload(s, r);
		if (err)
			return err;
		if (off >= r->payload_len)
			return -EINVAL;
		src = (const char *)r->chunk + off;
		room = r->payload_len - off;
	}
	if (room > SCF_PATH_MAX)
		room = SCF_PATH_MAX;
	/* Copy first, then look for the NUL: the client may still write. */
	memcpy(buf, src, room);
	for (n = 0; n < room; n++)
		if (!buf[n])
			return 0;
	return mapped(r) ? -EFAULT : -EINVAL;
}

static int user_path(struct shadow *s, struct req *r, uint64_t ptr,
		     char *buf)
{
	return user_path_off(s, r, ptr, 0, buf);
}

static int dir_fd(struct shadow *s, uint64_t arg)
{
	int64_t fd = (int64_t)arg;

	return fd == SCF_AT_FDCWD ? s->root_fd : fdtab_check(&s->fds, fd);
}

/* Whether open(2) takes a mode with these flags (openat2 insists). */
static bool takes_mode(uint64_t flags)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

/* Whether a relative path's own components never climb above its start. */
static bool stays_beneath(const char *path)
{
	long depth = 0;
	const char *p = path, *e;

	while (*p) {
		e = strchr(p, '/');
		if (!e)
			e = p + strlen(p);
		if (e - p == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return false;
		} else if (e > p && !(e - p == 1 && p[0] == '.')) {
			depth++;
		}
		p = *e ? e + 1 : e;
	}
	return path[0] != '/';
}

/*
 * Resolve path beneath dirfd: never outside --root, no magic links.  A
 * path that leaves by its own ".." or a leading "/" is an escape
 * (EXDEV).  One that leaves only through a symlink met on the way, from
 * --root itself, resolves as in a chroot (RESOLVE_IN_ROOT): an absolute
 * link starts at --root and ".." stops there, so a root that holds a
 * system's tree (/lib64/ld-linux-x86-64.so.2 -> /lib/...) works.
 */
static int open_beneath(int dirfd, const char *path, uint64_t flags,
			uint64_t mode, int root_fd)
{
	struct open_how how = {
		.flags = flags | O_CLOEXEC,
		.mode = takes_mode(flags) ? (mode & 07777) : 0,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	if (fd < 0 && errno == EXDEV && dirfd == root_fd &&
	    stays_beneath(path)) {
		how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
		fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	}
	return fd < 0 ? -errno : (int)fd;
}

/*
 * The directory a path's last component lives in, opened beneath dirfd;
 * *base points at that component.  "." and ".." as the last component
 * name no entry to create or remove: -EEXIST to mkdir, as Linux says,
 * and -EINVAL to unlink.
 */
static int parent_beneath(int dirfd, char *path, bool mk, const char **base,
			  int root_fd)
{
	char *slash = strrchr(path, '/');
	int fd;

	while (slash && slash > path && slash[1] == 0) {
		*slash = 0;		/* "dir/" names dir */
		slash = strrchr(path, '/');
	}
	*base = slash ? slash + 1 : path;
	if (!strcmp(*base, ".") || !strcmp(*base, ".."))
		return mk ? -EEXIST : -EINVAL;
	if (!**base)
		return -ENOENT;
	if (!slash)
		return open_beneath(dirfd, ".", O_PATH | O_DIRECTORY, 0, root_fd);
	if (slash == path)
		return -EXDEV;		/* "/name": outside, as openat2 says */
	*slash = 0;
	fd = open_beneath(dirfd, path, O_PATH | O_DIRECTORY, 0, root_fd);
	*slash = '/';
	return fd;
}

/* Where dup3/F_DUPFD may put a client fd: its own, or one nobody uses. */
static bool dup_target_ok(const struct fdtab *t, int64_t fd)
{
	if (fd < 0 || fd >= SHADOW_FD_MAX)
		return false;
	return fdtab_check(t, fd) >= 0 || fcntl((int)fd, F_GETFD) < 0;
}

static int64_t ret_errno(long r)
{
	return r < 0 ? -errno : r;
}

static void to_scf_stat(const struct stat *in, struct scf_stat *o)
{
	memset(o, 0, sizeof(*o));
	o->st_dev = in->st_dev;
	o->st_ino = in->st_ino;
	o->st_nlink = in->st_nlink;
	o->st_mode = in->st_mode;
	o->st_uid = in->st_uid;
	o->st_gid = in->st_gid;
	o->st_rdev = in->st_rdev;
	o->st_size = in->st_size;
	o->st_blksize = in->st_blksize;
	o->st_blocks = in->st_blocks;
	o->st_atime_sec = (uint64_t)in->st_atim.tv_sec;
	o->st_atime_nsec = (uint64_t)in->st_atim.tv_nsec;
	o->st_mtime_sec = (uint64_t)in->st_mtim.tv_sec;
	o->st_mtime_nsec = (uint64_t)in->st_mtim.tv_nsec;
	o->st_ctime_sec = (uint64_t)in->st_ctim.tv_sec;
	o->st_ctime_nsec = (uint64_t)in->st_ctim.tv_nsec;
}

/* Put a stat answer where the request said: the chunk or a synced pointer. */
static int64_t put_stat(struct shadow *s, struct req *r, uint64_t ptr,
			const struct stat *st)
{
	struct scf_stat out;
	void *dst;
	int err = user_buf(s, r, ptr, sizeof(out), false, &dst);

	if (err)
		return err;
	to_scf_stat(st, &out);
	memcpy(dst, &out, sizeof(out));
	if (!mapped(r))
		r->out_len = sizeof(out);
	return 0;
}

/* Build a private iovec array from the request, every piece checked. */
static int get_iov(struct shadow *s, struct req *r, struct iovec *iov,
		   int cnt)
{
	struct scf_iovec tab[SCF_IOV_MAX];
	uint64_t tab_len = sizeof(tab[0]) * (uint64_t)cnt;
	int i, err;

	if (mapped(r)) {
		/* No table: nothing to check, and no copy from any pointer. */
		if (!cnt)
			return 0;
		if (!syncmap_contains(&s->sync, r->args[1], tab_len))
			return -EFAULT;
		memcpy(tab, (const void *)(uintptr_t)r->args[1], tab_len);
	} else {
		err = payload(s, r);
		if (err)
			return err;
		if (tab_len > r->payload_len)
			return -EINVAL;
		memcpy(tab, r->chunk, tab_len);
	}
	for (i = 0; i < cnt; i++) {
		uint64_t base = tab[i].base, len = tab[i].len;

		if (mapped(r)) {
			if (len && !syncmap_contains(&s->sync, base, len))
				return -EFAULT;
			iov[i].iov_base = (void *)(uintptr_t)base;
		} else {
			/* Pieces lie after the table, inside the payload. */
			if (base < tab_len || base > r->payload_len ||
			    len > r->payload_len - base)
				return -EINVAL;
			iov[i].iov_base = r->chunk + base;
		}
		iov[i].iov_len = len;
	}
	return 0;
}

static void service_delay(uint64_t ns)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((uint64_t)(b.tv_sec - a.tv_sec) * 1000000000ull +
	       (uint64_t)b.tv_nsec - (uint64_t)a.tv_nsec < ns);
}

/*
 * The allowlist: one handler per opcode.  Each checks its arguments and
 * returns -errno before VALIDATED() if any is wrong, or makes the call
 * after it; nothing is serviced unless it was validated.
 */
typedef int64_t (*op_fn)(struct shadow *s, struct req *r);

static int64_t op_null(struct shadow *s, struct req *r)
{
	(void)s;
	VALIDATED(r);
	return 0;
}

static int64_t op_openat(struct shadow *s, struct req *r)
{
	char path[SCF_PATH_MAX];
	uint64_t *a = r->args;
	int64_t ret;
	int fd, err;

	fd = dir_fd(s, a[0]);
	if (fd < 0)
		return fd;
	if (a[2] & ~(uint64_t)OPEN_FLAGS_OK || a[3] > 07777)
		return -EINVAL;
	err = user_path(s, r, a[1], path);
	if (err)
		return err;
	VALIDATED(r);
	ret = open_beneath(fd, path, a[2], a[3], s->root_fd);
	if (ret >= 0)
		ret = fdtab_add(&s->fds, (int)ret);
	return ret;
}

static int64_t op_close(struct shadow *s, struct req *r)
{
	int fd = fdtab_del(&s->fds, (int64_t)r->args[0]);

	if (fd < 0)
		return fd;
	VALIDATED(r);
	return ret_errno(close(fd));
}

/* read, write, pread64, pwrite64: fd, buffer, length. */
static int rw_check(struct shadow *s, struct req *r, bool in, int *fd,
		    void **buf)
{
	*fd = fdtab_check(&s->fds, (int64_t)r->args[0]);
	if (*fd < 0)
		return *fd;
	return user_buf(s, r, r->args[1], r->args[2], in, buf);
}

/* What a read returned goes back in the chunk (copy mode). */
static int64_t read_done(struct req *r, int64_t ret)
{
	if (ret > 0 && !mapped(r))
		r->out_len = (uint32_t)ret;
	return ret;
}

static int64_t op_read(struct shadow *s, struct req *r)
{
	void *buf;
	int fd, err = rw_check(s, r, false, &fd, &buf);

	if (err)
		return err;
	VALIDATED(r);
	return read_done(r, ret_errno(read(fd, buf, r->args[2])));
}

static int64_t op_pread64(struct shadow *s, struct req *r)
{
	void *buf;
	int fd, err = rw_check(s, r, false, &fd, &buf);

	if (err)
		return err;
	VALIDATED(r);
	return read_done(r, ret_errno(pread(fd, buf, r->args[2],
					    (off_t)r->args[3])));
}

static int64_t write_nomem(struct shadow *s, struct req *r);
static int64_t write_noservice(struct req *r, const void *buf);

static int64_t op_write(struct shadow *s, struct req *r)
{
	void *buf;
	int fd, err;

	if (r->flags & SCF_DF_NOMEM)
		return write_nomem(s, r);
	err = rw_check(s, r, true, &fd, &buf);
	if (err)
		return err;
	if (r->flags & SCF_DF_NOSERVICE)
		return write_noservice(r, buf);
	VALIDATED(r);
	return ret_errno(write(fd, buf, r->args[2]));
}

/*
 * lat_write's other two configurations (scf_abi.h, SCF_DF_NOSERVICE and
 * SCF_DF_NOMEM): the same checks, then no system call.  Both answer the
 * length asked, which the checks bound as write's own would.
 */
static int64_t write_nomem(struct shadow *s, struct req *r)
{
	uint64_t len = r->args[2];
	int fd = fdtab_check(&s->fds, (int64_t)r->args[0]);

	if (fd < 0)
		return fd;
	/*
	 * The answer is the length asked, so the length must be one a write
	 * could have moved: inside a synced range (map), or no more than one
	 * pool chunk (copy).  Unchecked, any 64-bit value came back as the
	 * "count", a negative one included.  No payload byte is touched.
	 */
	if (mapped(r) ? len && !syncmap_contains(&s->sync, r->args[1], len) :
	    len > s->q.pool_chunk)
		return mapped(r) ? -EFAULT : -EINVAL;
	VALIDATED(r);
	return (int64_t)len;
}

static int64_t write_noservice(struct req *r, const void *buf)
{
	const volatile uint8_t *p = buf;
	uint64_t i;
	uint8_t x = 0;

	/* Read the payload as write() would have: its memory sync stays. */
	for (i = 0; i < r->args[2]; i++)
		x ^= p[i];
	(void)x;
	VALIDATED(r);
	return (int64_t)r->args[2];
}

static int64_t op_pwrite64(struct shadow *s, struct req *r)
{
	void *buf;
	int fd, err = rw_check(s, r, true, &fd, &buf);

	if (err)
		return err;
	VALIDATED(r);
	return ret_errno(pwrite(fd, buf, r->args[2], (off_t)r->args[3]));
}

static int64_t op_lseek(struct shadow *s, struct req *r)
{
	uint64_t *a = r->args;
	int fd = fdtab_check(&s->fds, (int64_t)a[0]);

	if (fd < 0)
		return fd;
	if (a[2] > SEEK_HOLE)
		return -EINVAL;
	VALIDATED(r);
	return ret_errno(lseek(fd, (off_t)a[1], (int)a[2]));
}

static int64_t op_fstat(struct shadow *s, struct req *r)
{
	struct stat st;
	int64_t ret;
	int fd = fdtab_check(&s->fds, (int64_t)r->args[0]);

	if (fd < 0)
		return fd;
	VALIDATED(r);
	ret = ret_errno(fstat(fd, &st));
	if (!ret)
		ret = put_stat(s, r, r->args[1], &st);
	return ret;
}

static int64_t op_newfstatat(struct shadow *s, struct req *r)
{
	char path[SCF_PATH_MAX];
	struct stat st;
	uint64_t *a = r->args;
	int64_t ret;
	int fd, err;

	fd = dir_fd(s, a[0]);
	if (fd < 0)
		return fd;
	if (a[3] & ~(uint64_t)STAT_FLAGS_OK)
		return -EINVAL;
	err = user_path(s, r, a[1], path);
	if (err)
		return err;
	VALIDATED(r);
	if (!path[0] && (a[3] & AT_EMPTY_PATH)) {
		ret = ret_errno(fstat(fd, &st));
	} else {
		int pfd = open_beneath(fd, path, O_PATH |
			((a[3] & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0), 0,
			s->root_fd);

		if (pfd < 0)
			return pfd;
		ret = ret_errno(fstat(pfd, &st));
		close(pfd);
	}
	if (!ret)
		ret = put_stat(s, r, a[2], &st);
	return ret;
}

static int64_t op_writev(struct shadow *s, struct req *r)
{
	struct iovec iov[SCF_IOV_MAX];
	uint64_t *a = r->args;
	int fd, err;

	fd = fdtab_check(&s->fds, (int64_t)a[0]);
	if (fd < 0)
		return fd;
	if (a[2] > SCF_IOV_MAX)
		return -EINVAL;
	err = get_iov(s, r, iov, (int)a[2]);
	if (err)
		return err;
	VALIDATED(r);
	return ret_errno(writev(fd, iov, (int)a[2]));
}

static int64_t op_syncmap(struct shadow *s, struct req *r)
{
	VALIDATED(r);
	return syncmap_map(&s->sync, r->args[0], r->args[1], r->args[2]);
}

static int64_t op_syncunmap(struct shadow *s, struct req *r)
{
	VALIDATED(r);
	return syncmap_unmap(&s->sync, r->args[0], r->args[1]);
}

/* Answered at once; the serve loop then sleeps while qhdr.park is set. */
static int64_t op_park(struct shadow *s, struct req *r)
{
	VALIDATED(r);
	s->park_asked = true;
	return 0;
}

/* SYNCFORK, EXIT, CLONE: dual.c checks and serves them. */
static int64_t op_dual(struct shadow *s, struct req *r)
{
	int err = dual_check(s, r->opcode, r->args);

	if (err)
		return err;
	VALIDATED(r);
	return dual_serve(s, r->opcode, r->args);
}

static int64_t op_getdents64(struct shadow *s, struct req *r)
{
	void *buf;
	int fd, err = rw_check(s, r, false, &fd, &buf);

	if (err)
		return err;
	VALIDATED(r);
	return read_done(r, ret_errno(syscall(SYS_getdents64, fd, buf,
					      r->args[2])));
}

/* Only the two terminal queries a program asks of its stdio. */
static int64_t op_ioctl(struct shadow *s, struct req *r)
{
	uint64_t *a = r->args;
	uint32_t len = a[1] == SCF_TCGETS ? SCF_TERMIOS_SIZE : SCF_WINSIZE_SIZE;
	int64_t ret;
	void *buf;
	int fd, err;

	fd = fdtab_check(&s->fds, (int64_t)a[0]);
	if (fd < 0)
		return fd;
	if (a[1] != SCF_TCGETS && a[1] != SCF_TIOCGWINSZ)
		return -EINVAL;
	err = user_buf(s, r, a[2], len, false, &buf);
	if (err)
		return err;
	VALIDATED(r);
	ret = ret_errno(ioctl(fd, (unsigned long)a[1], buf));
	if (!ret && !mapped(r))
		r->out_len = len;
	return ret;
}

static int64_t op_dup3(struct shadow *s, struct req *r)
{
	uint64_t *a = r->args;
	int64_t ret;
	int fd = fdtab_check(&s->fds, (int64_t)a[0]);

	if (fd < 0)
		return fd;
	if (a[0] == a[1] || (a[2] & ~(uint64_t)O_CLOEXEC))
		return -EINVAL;
	if (!dup_target_ok(&s->fds, (int64_t)a[1]))
		return -EBADF;
	VALIDATED(r);
	ret = ret_errno(dup3(fd, (int)a[1], (int)a[2]));
	if (ret >= 0 && fdtab_check(&s->fds, ret) < 0)
		ret = fdtab_add(&s->fds, (int)ret);
	return ret;
}

/* MKDIRAT, UNLINKAT: the entry is made or removed in its parent beneath. */
static int64_t op_dirent(struct shadow *s, struct req *r)
{
	char path[SCF_PATH_MAX];
	bool mk = r->opcode == SCF_OP_MKDIRAT;
	uint64_t *a = r->args;
	const char *base;
	int64_t ret;
	int fd, pfd, err;

	fd = dir_fd(s, a[0]);
	if (fd < 0)
		return fd;
	if (mk ? a[2] > 07777 : (a[2] & ~(uint64_t)SCF_AT_REMOVEDIR) != 0)
		return -EINVAL;
	err = user_path(s, r, a[1], path);
	if (err)
		return err;
	VALIDATED(r);
	pfd = parent_beneath(fd, path, mk, &base, s->root_fd);
	if (pfd < 0)
		return pfd;
	if (mk)
		ret = ret_errno(mkdirat(pfd, base, (mode_t)a[2]));
	else
		ret = ret_errno(unlinkat(pfd, base, (int)a[2]));
	close(pfd);
	return ret;
}

/*
 * RENAMEAT2: each path's parent opened beneath its dirfd (--root for
 * SCF_AT_FDCWD), the entries renamed between the two.
 */
static int64_t op_renameat2(struct shadow *s, struct req *r)
{
	char from[SCF_PATH_MAX], to[SCF_PATH_MAX];
	uint64_t *a = r->args;
	const char *fbase, *tbase;
	int64_t ret;
	int ofd, nfd, opfd, npfd, err;

	ofd = dir_fd(s, a[0]);
	if (ofd < 0)
		return ofd;
	nfd = dir_fd(s, a[2]);
	if (nfd < 0)
		return nfd;
	if ((a[4] & ~(uint64_t)(SCF_RENAME_NOREPLACE | SCF_RENAME_EXCHANGE)) ||
	    a[4] == (SCF_RENAME_NOREPLACE | SCF_RENAME_EXCHANGE) || a[5])
		return -EINVAL;
	err = user_path_off(s, r, a[1], 0, from);
	if (!err)
		err = user_path_off(s, r, a[3], mapped(r) ? 0 : a[3], to);
	if (err)
		return err;
	VALIDATED(r);
	opfd = parent_beneath(ofd, from, false, &fbase, s->root_fd);
	if (opfd < 0)
		return opfd == -EINVAL ? -EBUSY : opfd;
	npfd = parent_beneath(nfd, to, false, &tbase, s->root_fd);
	if (npfd < 0) {
		close(opfd);
		return npfd == -EINVAL ? -EBUSY : npfd;
	}
	ret = ret_errno(syscall(SYS_renameat2, opfd, fbase, npfd, tbase,
				(unsigned int)a[4]));
	close(opfd);
	close(npfd);
	return ret;
}

/*
 * FCHOWNAT: the file opened beneath dirfd as an O_PATH fd (the link
 * itself with SCF_AT_SYMLINK_NOFOLLOW), then changed through it; an
 * empty path with SCF_AT_EMPTY_PATH: the client's fd itself.
 */
static int64_t op_fchownat(struct shadow *s, struct req *r)
{
	char path[SCF_PATH_MAX];
	uint64_t *a = r->args;
	uint64_t ok = SCF_AT_SYMLINK_NOFOLLOW | SCF_AT_EMPTY_PATH;
	int64_t ret;
	int fd, pfd, err;

	if (a[2] > 0xffffffffull || a[3] > 0xffffffffull || (a[4] & ~ok) ||
	    a[5])
		return -EINVAL;
	fd = dir_fd(s, a[0]);
	if (fd < 0)
		return fd;
	err = user_path(s, r, a[1], path);
	if (err)
		return err;
	if (!path[0] && !(a[4] & SCF_AT_EMPTY_PATH))
		return -ENOENT;
	VALIDATED(r);
	if (!path[0]) {
		if ((int64_t)a[0] == SCF_AT_FDCWD)
			return -EBADF;	/* never --root itself */
		return ret_errno(fchownat(fd, "", (uid_t)a[2], (gid_t)a[3],
					  AT_EMPTY_PATH));
	}
	pfd = open_beneath(fd, path, O_PATH | ((a[4] & SCF_AT_SYMLINK_NOFOLLOW) ?
					     O_NOFOLLOW : 0), 0, s->root_fd);
	if (pfd < 0)
		return pfd;
	ret = ret_errno(fchownat(pfd, "", (uid_t)a[2], (gid_t)a[3],
				 AT_EMPTY_PATH));
	close(pfd);
	return ret;
}

static int64_t op_sendfile(struct shadow *s, struct req *r)
{
	uint64_t *a = r->args;
	int in = fdtab_check(&s->fds, (int64_t)a[1]);
	int fd = fdtab_check(&s->fds, (int64_t)a[0]);

	if (fd < 0 || in < 0)
		return -EBADF;
	VALIDATED(r);
	return ret_errno(sendfile(fd, in, NULL, a[2]));
}

/* 0100000: the kernel's O_LARGEFILE, which F_GETFL reports (glibc's is 0) */
#define SETFL_IGNORED	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | \
			 0100000)

/* The fcntl commands a program's libc needs, each argument checked. */
static int fcntl_check(const uint64_t *a)
{
	switch (a[1]) {
	case F_GETFD: case F_GETFL:
		return 0;
	case F_SETFD:
		return (a[2] & ~(uint64_t)FD_CLOEXEC) ? -EINVAL : 0;
	case F_SETFL:
		/* Linux ignores the access mode and creation flags here. */
		return (a[2] & ~(uint64_t)(O_APPEND | O_NONBLOCK | SETFL_IGNORED)) ?
		       -EINVAL : 0;
	case F_DUPFD: case F_DUPFD_CLOEXEC:
		return a[2] >= SHADOW_FD_MAX ? -EINVAL : 0;
	case F_GETLK: case F_SETLK: case F_OFD_GETLK: case F_OFD_SETLK:
		return 0;	/* the struct flock is checked by op_fcntl_lock */
	default:
		return -EINVAL;
	}
}

/* The first free fd at or above want: never one the shadow itself holds. */
static int64_t dupfd(struct shadow *s, int fd, int64_t want, int flags)
{
	int64_t ret;

	while (want < SHADOW_FD_MAX && !(fdtab_check(&s->fds, want) < 0 &&
	       fcntl((int)want, F_GETFD) < 0))
		want++;
	if (want >= SHADOW_FD_MAX)
		return -EMFILE;
	ret = ret_errno(dup3(fd, (int)want, flags));
	if (ret >= 0)
		ret = fdtab_add(&s->fds, (int)ret);
	return ret;
}

/* A record lock: the struct flock from the request, checked, answered. */
static int64_t op_fcntl_lock(struct shadow *s, struct req *r, int fd)
{
	_Static_assert(sizeof(struct flock) == SCF_FLOCK_SIZE, "struct flock");
	uint64_t *a = r->args;
	struct flock fl;
	void *buf;
	int64_t ret;
	int err = user_buf(s, r, a[2], sizeof(fl), true, &buf);

	if (err)
		return err;
	memcpy(&fl, buf, sizeof(fl));
	if ((fl.l_type != F_RDLCK && fl.l_type != F_WRLCK &&
	     fl.l_type != F_UNLCK) || fl.l_whence > SEEK_END)
		return -EINVAL;
	VALIDATED(r);
	ret = ret_errno(fcntl(fd, (int)a[1], &fl));
	if (!ret && (a[1] == F_GETLK || a[1] == F_OFD_GETLK)) {
		memcpy(buf, &fl, sizeof(fl));
		if (!mapped(r))
			r->out_len = sizeof(fl);
	}
	return ret;
}

static int64_t op_fsync(struct shadow *s, struct req *r)
{
	int fd = fdtab_check(&s->fds, (int64_t)r->args[0]);

	if (fd < 0)
		return fd;
	if (r->args[1] > 1)
		return -EINVAL;
	VALIDATED(r);
	return ret_errno(r->args[1] ? fdatasync(fd) : fsync(fd));
}

static int64_t op_ftruncate(struct shadow *s, struct req *r)
{
	int fd = fdtab_check(&s->fds, (int64_t)r->args[0]);

	if (fd < 0)
		return fd;
	if ((int64_t)r->args[1] < 0)
		return -EINVAL;
	VALIDATED(r);
	return ret_errno(ftruncate(fd, (off_t)r->args[1]));
}

static int64_t op_fcntl(struct shadow *s, struct req *r)
{
	uint64_t *a = r->args;
	int fd = fdtab_check(&s->fds, (int64_t)a[0]);
	int err;

	if (fd < 0)
		return fd;
	err = fcntl_check(a);
	if (err)
		return err;
	if (a[1] == F_GETLK || a[1] == F_SETLK || a[1] == F_OFD_GETLK ||
	    a[1] == F_OFD_SETLK)
		return op_fcntl_lock(s, r, fd);
	VALIDATED(r);
	if (a[1] == F_DUPFD || a[1] == F_DUPFD_CLOEXEC)
		return dupfd(s, fd, (int64_t)a[2],
			     a[1] == F_DUPFD ? 0 : O_CLOEXEC);
	if (a[1] == F_SETFL)
		a[2] &= ~(uint64_t)SETFL_IGNORED;
	return ret_errno(fcntl(fd, (int)a[1], (int)a[2]));
}

/* Both ends in one answer: read end in bits 0-15, write end in 16-31. */
static int64_t op_pipe2(struct shadow *s, struct req *r)
{
	int p[2];

	if (r->args[0] & ~(uint64_t)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	VALIDATED(r);
	if (pipe2(p, (int)r->args[0]))
		return -errno;
	if (p[0] >= SHADOW_FD_MAX || p[1] >= SHADOW_FD_MAX) {
		close(p[0]);
		close(p[1]);
		return -EMFILE;
	}
	fdtab_add(&s->fds, p[0]);
	fdtab_add(&s->fds, p[1]);
	return (int64_t)p[0] | (int64_t)p[1] << 16;
}

static const op_fn ops[SCF_OP_NR] = {
	[SCF_OP_NULL]		= op_null,
	[SCF_OP_OPENAT]		= op_openat,
	[SCF_OP_CLOSE]		= op_close,
	[SCF_OP_READ]		= op_read,
	[SCF_OP_WRITE]		= op_write,
	[SCF_OP_PREAD64]	= op_pread64,
	[SCF_OP_PWRITE64]	= op_pwrite64,
	[SCF_OP_LSEEK]		= op_lseek,
	[SCF_OP_FSTAT]		= op_fstat,
	[SCF_OP_NEWFSTATAT]	= op_newfstatat,
	[SCF_OP_WRITEV]		= op_writev,
	[SCF_OP_SYNCMAP]	= op_syncmap,
	[SCF_OP_SYNCUNMAP]	= op_syncunmap,
	[SCF_OP_SYNCFORK]	= op_dual,
	[SCF_OP_EXIT]		= op_dual,
	[SCF_OP_CLONE]		= op_dual,
	[SCF_OP_GETDENTS64]	= op_getdents64,
	[SCF_OP_IOCTL]		= op_ioctl,
	[SCF_OP_DUP3]		= op_dup3,
	[SCF_OP_MKDIRAT]	= op_dirent,
	[SCF_OP_UNLINKAT]	= op_dirent,
	[SCF_OP_SENDFILE]	= op_sendfile,
	[SCF_OP_FCNTL]		= op_fcntl,
	[SCF_OP_PIPE2]		= op_pipe2,
	[SCF_OP_PARK]		= op_park,
	[SCF_OP_FSYNC]		= op_fsync,
	[SCF_OP_FTRUNCATE]	= op_ftruncate,
	[SCF_OP_RENAMEAT2]	= op_renameat2,
	[SCF_OP_FCHOWNAT]	= op_fchownat,
};

/* The seq (low 32 bits) the client last asked to interrupt. */
static volatile sig_atomic_t intr_seq;

static void on_intr(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	intr_seq = si->si_value.sival_int;
}

int shadow_intr_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_intr;
	sa.sa_flags = SA_SIGINFO;	/* no SA_RESTART: a blocked call ends */
	return sigaction(SCF_INTR_SIG, &sa, NULL) ? -errno : 0;
}

/*
 * A service that ended -EINTR: the client's for this request, or one
 * meant for another (a kick that came late, the stop signal): served
 * again, as the kernel restarts it, unless the shadow is stopping.
 */
static bool interrupted(struct shadow *s, struct req *r)
{
	return (uint32_t)intr_seq == (uint32_t)SCF_READ_ONCE(r->d->seq) ||
	       *s->stop;
}

static int64_t dispatch(struct shadow *s, struct req *r)
{
	int64_t ret;

	/* opcode is the client's: bounds-checked before it indexes. */
	if (r->opcode >= SCF_OP_NR || !ops[r->opcode]) {
		s->st.enosys++;
		return -ENOSYS;
	}
	do
		ret = ops[r->opcode](s, r);
	while (ret == -EINTR && !interrupted(s, r));
	if (!r->validated)
		return ret;	/* refused: no service, no delay */
	if (s->delay_ns && r->opcode != SCF_OP_PARK)
		service_delay(s->delay_ns);
	scf_probe_if(r->probe, r->probe, SCF_S3_SERVICED);
	r->serviced = true;
	return ret;
}

int64_t shadow_serve(struct shadow *s, uint32_t idx, uint64_t *probe)
{
	struct scf_desc *d = &s->q.desc[idx];
	struct req r;
	int64_t ret;
	int i;

	r.opcode = SCF_READ_ONCE(d->opcode);
	r.flags = SCF_READ_ONCE(d->flags);
	for (i = 0; i < 6; i++)
		r.args[i] = SCF_READ_ONCE(d->args[i]);
	r.payload_off = r.payload_len = 0;
	r.out_len = 0;
	r.validated = r.serviced = false;
	r.d = d;
	r.idx = idx;
	r.chunk = s->q.pool + (uint64_t)idx * s->q.pool_chunk;
	r.probe = probe;
	ret = dispatch(s, &r);
	if (!probe) {
		/* not a probed request: no stamps */
	} else if (!r.validated) {
		/* Refused before any service: S2 = S3 = the moment we knew. */
		scf_probe(probe, SCF_S2_VALIDATED);
		scf_probe_set(probe, SCF_S3_SERVICED, probe[SCF_S2_VALIDATED]);
	} else if (!r.serviced) {
		scf_probe(probe, SCF_S3_SERVICED);
	}
	if (ret < 0)
		s->st.failed++;
	/* Same line as ret, which the caller writes next: no extra transfer. */
	SCF_WRITE_ONCE(d->out_len, r.out_len);
	return ret;
}
