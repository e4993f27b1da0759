// SPDX-License-Identifier: MIT
/*
 * scf_calls.c - marshal each forwarded system call (see scf_calls.h).
 */
#include "scf_calls.h"

static uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static bool mapped(const struct scf_client *c)
{
	return c->memsync == SCF_MEMSYNC_MAP;
}

static uint32_t path_len(const char *s)
{
	uint32_t n = 0;

	while (n < SCF_PATH_MAX && s[n])
		n++;
	return n;
}

static uint64_t cut(const struct scf_client *c, uint64_t count)
{
	return count > scf_client_chunk(c) ? scf_client_chunk(c) : count;
}

int64_t scf_null(struct scf_client *c)
{
	struct scf_req r = { .opcode = SCF_OP_NULL };

	return scf_call(c, &r);
}

/* Calls whose path travels in the pool (copy) or by pointer (map). */
static void put_path(struct scf_client *c, struct scf_req *r, int argi,
		     const char *path)
{
	if (mapped(c)) {
		r->args[argi] = ptr(path);
	} else {
		r->in = path;
		r->in_len = path_len(path) + 1;
	}
}

int64_t scf_openat(struct scf_client *c, int dirfd, const char *path,
		   int flags, int mode)
{
	struct scf_req r = {
		.opcode = SCF_OP_OPENAT,
		.args = { (uint64_t)(int64_t)dirfd, 0, (uint64_t)flags,
			  (uint64_t)mode },
	};

	if (path_len(path) >= SCF_PATH_MAX)
		return -SCF_ERANGE;
	put_path(c, &r, 1, path);
	return scf_call(c, &r);
}

int64_t scf_close(struct scf_client *c, int fd)
{
	struct scf_req r = { .opcode = SCF_OP_CLOSE, .args = { (uint64_t)fd } };

	return scf_call(c, &r);
}

/* read-like (to_shadow false) and write-like calls: fd, buf, count, offset */
static int64_t rw(struct scf_client *c, uint32_t op, int fd, const void *buf,
		  uint64_t count, int64_t off, bool to_shadow)
{
	struct scf_req r = {
		.opcode = op,
		.args = { (uint64_t)fd, 0, count, (uint64_t)off },
	};

	if (mapped(c)) {
		r.args[1] = ptr(buf);
	} else {
		r.args[2] = cut(c, count);
		if (to_shadow) {
			r.in = buf;
			r.in_len = (uint32_t)r.args[2];
		} else {
			r.out = (void *)(uintptr_t)buf;
			r.out_cap = (uint32_t)r.args[2];
		}
	}
	return scf_call(c, &r);
}

int64_t scf_read(struct scf_client *c, int fd, void *buf, uint64_t count)
{
	return rw(c, SCF_OP_READ, fd, buf, count, 0, false);
}

int64_t scf_pread64(struct scf_client *c, int fd, void *buf, uint64_t count,
		    int64_t off)
{
	return rw(c, SCF_OP_PREAD64, fd, buf, count, off, false);
}

int64_t scf_write(struct scf_client *c, int fd, const void *buf,
		  uint64_t count)
{
	return rw(c, SCF_OP_WRITE, fd, buf, count, 0, true);
}

int64_t scf_pwrite64(struct scf_client *c, int fd, const void *buf,
		     uint64_t count, int64_t off)
{
	return rw(c, SCF_OP_PWRITE64, fd, buf, count, off, true);
}

int64_t scf_lseek(struct scf_client *c, int fd, int64_t off, int whence)
{
	struct scf_req r = {
		.opcode = SCF_OP_LSEEK,
		.args = { (uint64_t)fd, (uint64_t)off, (uint64_t)whence },
	};

	return scf_call(c, &r);
}

int64_t scf_fstat(struct scf_client *c, int fd, struct scf_stat *st)
{
	struct scf_req r = { .opcode = SCF_OP_FSTAT, .args = { (uint64_t)fd } };

	if (mapped(c)) {
		r.args[1] = ptr(st);
	} else {
		r.out = st;
		r.out_cap = sizeof(*st);
	}
	return scf_call(c, &r);
}

int64_t scf_newfstatat(struct scf_client *c, int dirfd, const char *path,
		       struct scf_stat *st, int flags)
{
	struct scf_req r = {
		.opcode = SCF_OP_NEWFSTATAT,
		.args = { (uint64_t)(int64_t)dirfd, 0, 0, (uint64_t)flags },
	};

	if (path_len(path) >= SCF_PATH_MAX)
		return -SCF_ERANGE;
	put_path(c, &r, 1, path);
	if (mapped(c)) {
		r.args[2] = ptr(st);
	} else {
		r.out = st;
		r.out_cap = sizeof(*st);
	}
	return scf_call(c, &r);
}

int64_t scf_writev(struct scf_client *c, int fd, const struct scf_iovec *iov,
		   int iovcnt)
{
	struct scf_iovec table[SCF_IOV_MAX];
	struct scf_piece data[SCF_IOV_MAX];
	struct scf_req r = {
		.opcode = SCF_OP_WRITEV,
		.args = { (uint64_t)fd, 0, (uint64_t)iovcnt },
	};
	uint64_t off;
	int i;

	if (iovcnt < 0 || iovcnt > SCF_IOV_MAX)
		return -SCF_EINVAL;
	if (mapped(c)) {
		r.args[1] = ptr(iov);
		return scf_call(c, &r);
	}
	/* The table of offsets first, then the bytes, in one chunk. */
	off = sizeof(table[0]) * (uint64_t)iovcnt;
	for (i = 0; i < iovcnt; i++) {
		table[i].base = off;
		table[i].len = iov[i].len;
		data[i].p = (const void *)(uintptr_t)iov[i].base;
		data[i].len = iov[i].len;
		off += iov[i].len;
	}
	r.in = table;
	r.in_len = (uint32_t)(sizeof(table[0]) * (uint64_t)iovcnt);
	r.in_more = data;
	r.in_nmore = (uint32_t)iovcnt;
	return scf_call(c, &r);
}

int64_t scf_syncmap(struct scf_client *c, void *addr, uint64_t len)
{
	struct scf_req r = {
		.opcode = SCF_OP_SYNCMAP,
		.args = { ptr(addr), len, ptr(addr) - SCF_SYNC_BASE },
	};

	return scf_call(c, &r);
}

int64_t scf_syncunmap(struct scf_client *c, void *addr, uint64_t len)
{
	struct scf_req r = {
		.opcode = SCF_OP_SYNCUNMAP,
		.args = { ptr(addr), len },
	};

	return scf_call(c, &r);
}

int64_t scf_syncfork(struct scf_client *c)
{
	struct scf_req r = {
		.opcode = SCF_OP_SYNCFORK,
		.args = { SCF_FORK_START },
	};

	return scf_call(c, &r);
}

int64_t scf_exit(struct scf_client *c, int status, uint32_t how)
{
	struct scf_req r = {
		.opcode = SCF_OP_EXIT,
		.args = { (uint64_t)(status & 0xff), how },
	};

	return scf_call(c, &r);
}

int64_t scf_clone(struct scf_client *c, uint64_t flags)
{
	struct scf_req r = { .opcode = SCF_OP_CLONE, .args = { flags } };

	return scf_call(c, &r);
}

int64_t scf_getdents64(struct scf_client *c, int fd, void *buf,
		       uint64_t count)
{
	return rw(c, SCF_OP_GETDENTS64, fd, buf, count, 0, false);
}

int64_t scf_ioctl(struct scf_client *c, int fd, uint32_t request, void *arg)
{
	struct scf_req r = {
		.opcode = SCF_OP_IOCTL,
		.args = { (uint64_t)fd, request },
	};
	uint32_t size = request == SCF_TCGETS ? SCF_TERMIOS_SIZE :
			request == SCF_TIOCGWINSZ ? SCF_WINSIZE_SIZE : 0;

	if (!size)
		return -SCF_EINVAL;
	if (mapped(c)) {
		r.args[2] = ptr(arg);
	} else {
		r.out = arg;
		r.out_cap = size;
	}
	return scf_call(c, &r);
}

int64_t scf_dup3(struct scf_client *c, int oldfd, int newfd, int flags)
{
	struct scf_req r = {
		.opcode = SCF_OP_DUP3,
		.args = { (uint64_t)oldfd, (uint64_t)newfd, (uint64_t)flags },
	};

	return scf_call(c, &r);
}

/* mkdirat and unlinkat: dirfd, path, one more argument */
static int64_t path_call(struct scf_client *c, uint32_t op, int dirfd,
			 const char *path, uint64_t arg)
{
	struct scf_req r = {
		.opcode = op,
		.args = { (uint64_t)(int64_t)dirfd, 0, arg },
	};

	if (path_len(path) >= SCF_PATH_MAX)
		return -SCF_ERANGE;
	put_path(c, &r, 1, path);
	return scf_call(c, &r);
}

int64_t scf_mkdirat(struct scf_client *c, int dirfd, const char *path,
		    int mode)
{
	return path_call(c, SCF_OP_MKDIRAT, dirfd, path, (uint64_t)mode);
}

int64_t scf_unlinkat(struct scf_client *c, int dirfd, const char *path,
		     int flags)
{
	return path_call(c, SCF_OP_UNLINKAT, dirfd, path, (uint64_t)flags);
}

int64_t scf_sendfile(struct scf_client *c, int out_fd, int in_fd,
		     uint64_t count)
{
	struct scf_req r = {
		.opcode = SCF_OP_SENDFILE,
		.args = { (uint64_t)out_fd, (uint64_t)in_fd, count },
	};

	return scf_call(c, &r);
}

int64_t scf_fcntl(struct scf_client *c, int fd, int cmd, uint64_t arg)
{
	struct scf_req r = {
		.opcode = SCF_OP_FCNTL,
		.args = { (uint64_t)fd, (uint64_t)cmd, arg },
	};

	return scf_call(c, &r);
}

int64_t scf_fcntl_lock(struct scf_client *c, int fd, int cmd, void *fl)
{
	struct scf_req r = {
		.opcode = SCF_OP_FCNTL,
		.args = { (uint64_t)fd, (uint64_t)cmd },
	};

	if (cmd != SCF_F_GETLK && cmd != SCF_F_SETLK &&
	    cmd != SCF_F_OFD_GETLK && cmd != SCF_F_OFD_SETLK)
		return -SCF_EINVAL;
	if (mapped(c)) {
		r.args[2] = ptr(fl);
	} else {
		r.in = fl;
		r.in_len = SCF_FLOCK_SIZE;
		r.out = fl;
		r.out_cap = SCF_FLOCK_SIZE;
	}
	return scf_call(c, &r);
}

int64_t scf_fsync(struct scf_client *c, int fd, bool datasync)
{
	struct scf_req r = {
		.opcode = SCF_OP_FSYNC,
		.args = { (uint64_t)fd, datasync },
	};

	return scf_call(c, &r);
}

int64_t scf_ftruncate(struct scf_client *c, int fd, int64_t length)
{
	struct scf_req r = {
		.opcode = SCF_OP_FTRUNCATE,
		.args = { (uint64_t)fd, (uint64_t)length },
	};

	return scf_call(c, &r);
}

int64_t scf_pipe2(struct scf_client *c, int fds[2], int flags)
{
	struct scf_req r = { .opcode = SCF_OP_PIPE2, .args = { (uint64_t)flags } };
	int64_t ret = scf_call(c, &r);

	if (ret < 0)
		return ret;
	fds[0] = (int)(ret & 0xffff);
	fds[1] = (int)(ret >> 16 & 0xffff);
	return 0;
}

int64_t scf_renameat2(struct scf_client *c, int olddirfd, const char *oldpath,
		      int newdirfd, const char *newpath, uint32_t flags)
{
	struct scf_req r = {
		.opcode = SCF_OP_RENAMEAT2,
		.args = { (uint64_t)(int64_t)olddirfd, 0,
			  (uint64_t)(int64_t)newdirfd, 0, flags },
	};
	uint32_t on = path_len(oldpath), nn = path_len(newpath);
	struct scf_piece more = { newpath, (uint64_t)nn + 1 };

	if (on >= SCF_PATH_MAX || nn >= SCF_PATH_MAX)
		return -SCF_ERANGE;
	if (mapped(c)) {
		r.args[1] = ptr(oldpath);
		r.args[3] = ptr(newpath);
		return scf_call(c, &r);
	}
	/* Both in one chunk: oldpath and its NUL, then newpath and its. */
	if ((uint64_t)on + 1 + nn + 1 > scf_client_chunk(c))
		return -SCF_ERANGE;
	r.in = oldpath;
	r.in_len = on + 1;
	r.in_more = &more;
	r.in_nmore = 1;
	r.args[3] = (uint64_t)on + 1;
	return scf_call(c, &r);
}

int64_t scf_fchownat(struct scf_client *c, int dirfd, const char *path,
		     uint32_t uid, uint32_t gid, int flags)
{
	struct scf_req r = {
		.opcode = SCF_OP_FCHOWNAT,
		.args = { (uint64_t)(int64_t)dirfd, 0, uid, gid,
			  (uint64_t)flags },
	};

	if (path_len(path) >= SCF_PATH_MAX)
		return -SCF_ERANGE;
	put_path(c, &r, 1, path);
	return scf_call(c, &r);
}
