/* SPDX-License-Identifier: MIT */
/*
 * scf_calls.h - one blocking function per forwarded system call.
 *
 * Argument conventions (args[] of the descriptor), memsync=copy / map:
 *
 *   NULL        -
 *   OPENAT      dirfd, path (map: pointer; copy: NUL-terminated in pool),
 *               flags, mode
 *   CLOSE       fd
 *   READ        fd, buf (map: pointer; copy: answer in pool), count
 *   WRITE       fd, buf (map: pointer; copy: bytes in pool), count
 *   PREAD64     fd, buf, count, offset          (as READ)
 *   PWRITE64    fd, buf, count, offset          (as WRITE)
 *   LSEEK       fd, offset, whence
 *   FSTAT       fd, statbuf (map: pointer; copy: answer in pool)
 *   NEWFSTATAT  dirfd, path, statbuf, flags     (path/answer as above;
 *               copy: the answer overwrites the path in the pool)
 *   WRITEV      fd, iov (map: pointer to struct scf_iovec[]; copy: the
 *               pool holds struct scf_iovec[iovcnt] whose base fields are
 *               offsets into the same pool chunk, then the bytes), iovcnt
 *   SYNCMAP     addr, len, offset in the shared memfd (= addr - base)
 *   SYNCUNMAP   addr, len
 *   GETDENTS64  fd, buf, count                  (as READ)
 *   IOCTL       fd, request, argp: only SCF_TCGETS and SCF_TIOCGWINSZ,
 *               whose answer (a fixed size) comes back as READ's
 *   DUP3        oldfd, newfd, flags (0 or O_CLOEXEC); newfd must be one
 *               of the client's fds or one the shadow does not use
 *   MKDIRAT     dirfd, path, mode               (path as OPENAT)
 *   UNLINKAT    dirfd, path, flags (0 or SCF_AT_REMOVEDIR)
 *   SENDFILE    out_fd, in_fd, count (from in_fd's file offset)
 *   FCNTL       fd, cmd, arg: F_GETFD, F_SETFD, F_GETFL, F_SETFL,
 *               F_DUPFD, F_DUPFD_CLOEXEC; and the record locks F_GETLK,
 *               F_SETLK, F_OFD_GETLK, F_OFD_SETLK, whose struct flock
 *               (SCF_FLOCK_SIZE bytes) goes in and comes back as
 *               NEWFSTATAT's answer (never the waiting F_SETLKW: the
 *               shadow would stop serving while it waits)
 *   FSYNC       fd, datasync (0: fsync, 1: fdatasync)
 *   FTRUNCATE   fd, length
 *   PIPE2       flags (O_CLOEXEC, O_NONBLOCK): the answer is the read
 *               end | the write end << 16
 *   RENAMEAT2   olddirfd, oldpath, newdirfd, newpath, flags (0,
 *               SCF_RENAME_NOREPLACE or SCF_RENAME_EXCHANGE); map: both
 *               paths pointers; copy: the pool holds oldpath's bytes and
 *               NUL, then newpath's at the offset in args[3]
 *   FCHOWNAT    dirfd, path, uid, gid, flags (SCF_AT_SYMLINK_NOFOLLOW,
 *               SCF_AT_EMPTY_PATH): uid and gid 32 bits, 0xffffffff
 *               leaves one as it is; with SCF_AT_EMPTY_PATH and an empty
 *               path, the fd itself (fchown)
 *
 * Dual calls (both sides act; see shadow/dual*.c and rtos/):
 *
 *   SYNCFORK    SCF_FORK_START: the shadow forks, its child takes a free
 *               slot and waits for the RTOS child to bind to it; the
 *               answer is that slot.  -EAGAIN: no slot, or the fork failed.
 *   EXIT        status, how:
 *               SCF_EXIT_THREAD  one thread of the slot leaves (the last
 *                                one's exit is the process's)
 *               SCF_EXIT_GROUP   the process leaves: the shadow answers,
 *                                then exits; the RTOS side exits after it
 *               SCF_EXIT_EXEC    the image leaves, the process stays: the
 *                                shadow drops the other threads and the
 *                                O_CLOEXEC fds, then waits for the new
 *                                image to re-attach
 *   CLONE       flags: a thread (SCF_CLONE_THREAD set, nothing outside
 *               SCF_CLONE_ALLOWED) now shares the slot; the answer is the
 *               number of threads.  Processes fork through SYNCFORK.
 *
 * In copy mode a transfer larger than the pool chunk is cut to the chunk:
 * a short read or write, as POSIX allows.  dirfd SCF_AT_FDCWD means the
 * shadow's --root.
 */
#ifndef SCF_CALLS_H
#define SCF_CALLS_H

#include "scf_client.h"

#define SCF_AT_FDCWD		(-100)
#define SCF_IOV_MAX		64
#define SCF_PATH_MAX		4096

#define SCF_FORK_START		0

/* The ioctls and flags a client may forward (Linux x86-64 values). */
#define SCF_TCGETS		0x5401u
#define SCF_TIOCGWINSZ		0x5413u
#define SCF_TERMIOS_SIZE	36u	/* the kernel's struct termios */
#define SCF_WINSIZE_SIZE	8u
#define SCF_AT_REMOVEDIR	0x200
#define SCF_AT_SYMLINK_NOFOLLOW	0x100
#define SCF_AT_EMPTY_PATH	0x1000
#define SCF_RENAME_NOREPLACE	1u
#define SCF_RENAME_EXCHANGE	2u
#define SCF_F_GETLK		5
#define SCF_F_SETLK		6
#define SCF_F_OFD_GETLK		36
#define SCF_F_OFD_SETLK		37
#define SCF_FLOCK_SIZE		32u	/* the kernel's struct flock */

#define SCF_EXIT_THREAD		0
#define SCF_EXIT_GROUP		1
#define SCF_EXIT_EXEC		2

/* Linux clone flags (the core cannot include <sched.h>). */
#define SCF_CLONE_VM		0x00000100ull
#define SCF_CLONE_FS		0x00000200ull
#define SCF_CLONE_FILES		0x00000400ull
#define SCF_CLONE_SIGHAND	0x00000800ull
#define SCF_CLONE_THREAD_F	0x00010000ull
#define SCF_CLONE_SYSVSEM	0x00040000ull
#define SCF_CLONE_SETTLS	0x00080000ull
#define SCF_CLONE_PARENT_SETTID	0x00100000ull
#define SCF_CLONE_CHILD_CLEARTID 0x00200000ull
/* What makes a thread: every one of these must be set... */
#define SCF_CLONE_THREAD	(SCF_CLONE_VM | SCF_CLONE_FS | SCF_CLONE_FILES | \
				 SCF_CLONE_SIGHAND | SCF_CLONE_THREAD_F)
/* ...and nothing else but these (what pthread_create() passes). */
#define SCF_CLONE_ALLOWED	(SCF_CLONE_THREAD | SCF_CLONE_SYSVSEM | \
				 SCF_CLONE_SETTLS | SCF_CLONE_PARENT_SETTID | \
				 SCF_CLONE_CHILD_CLEARTID)
/* Threads one slot may carry. */
#define SCF_THREADS_MAX		1024

/*
 * The agreed window where RTOS-side buffers live at the same virtual
 * address in both processes (memsync=map).  x86-64 Linux puts a PIE ELF
 * and its brk heap near 0x55..-0x56.. (a non-PIE one at 0x400000), and
 * the mmap area and stacks top-down from below 0x7fff..., randomised by
 * at most 2^28 pages (1 TiB).  32 TiB up is below all of them and 40+ TiB
 * of mappings away from the mmap area, in both processes; both map it
 * with MAP_FIXED_NOREPLACE, so a collision fails loudly instead of
 * silently replacing the shadow's own memory (what bit the origin).
 */
#define SCF_SYNC_BASE		0x200000000000ull
#define SCF_SYNC_SIZE		(64ull << 30)

/* Linux x86-64 struct stat, with explicit widths. */
struct scf_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks;
	uint64_t st_atime_sec;
	uint64_t st_atime_nsec;
	uint64_t st_mtime_sec;
	uint64_t st_mtime_nsec;
	uint64_t st_ctime_sec;
	uint64_t st_ctime_nsec;
	int64_t unused[3];
};
_Static_assert(sizeof(struct scf_stat) == 144, "x86-64 struct stat");

struct scf_iovec {
	uint64_t base;		/* map: address; copy: offset in the chunk */
	uint64_t len;
};
_Static_assert(sizeof(struct scf_iovec) == 16, "scf_iovec");

int64_t scf_null(struct scf_client *c);
int64_t scf_openat(struct scf_client *c, int dirfd, const char *path,
		   int flags, int mode);
int64_t scf_close(struct scf_client *c, int fd);
int64_t scf_read(struct scf_client *c, int fd, void *buf, uint64_t count);
int64_t scf_write(struct scf_client *c, int fd, const void *buf,
		  uint64_t count);
int64_t scf_pread64(struct scf_client *c, int fd, void *buf, uint64_t count,
		    int64_t off);
int64_t scf_pwrite64(struct scf_client *c, int fd, const void *buf,
		     uint64_t count, int64_t off);
int64_t scf_lseek(struct scf_client *c, int fd, int64_t off, int whence);
int64_t scf_fstat(struct scf_client *c, int fd, struct scf_stat *st);
int64_t scf_newfstatat(struct scf_client *c, int dirfd, const char *path,
		       struct scf_stat *st, int flags);
int64_t scf_writev(struct scf_client *c, int fd, const struct scf_iovec *iov,
		   int iovcnt);
int64_t scf_getdents64(struct scf_client *c, int fd, void *buf,
		       uint64_t count);
int64_t scf_ioctl(struct scf_client *c, int fd, uint32_t request, void *arg);
int64_t scf_dup3(struct scf_client *c, int oldfd, int newfd, int flags);
int64_t scf_mkdirat(struct scf_client *c, int dirfd, const char *path,
		    int mode);
int64_t scf_unlinkat(struct scf_client *c, int dirfd, const char *path,
		     int flags);
int64_t scf_sendfile(struct scf_client *c, int out_fd, int in_fd,
		     uint64_t count);
int64_t scf_fcntl(struct scf_client *c, int fd, int cmd, uint64_t arg);
/* A record lock: fl (SCF_FLOCK_SIZE bytes) in, and out for the GETLKs. */
int64_t scf_fcntl_lock(struct scf_client *c, int fd, int cmd, void *fl);
int64_t scf_fsync(struct scf_client *c, int fd, bool datasync);
int64_t scf_ftruncate(struct scf_client *c, int fd, int64_t length);
/* 0 and fds[0] (read end), fds[1] (write end), or -errno. */
int64_t scf_pipe2(struct scf_client *c, int fds[2], int flags);
int64_t scf_renameat2(struct scf_client *c, int olddirfd, const char *oldpath,
		      int newdirfd, const char *newpath, uint32_t flags);
int64_t scf_fchownat(struct scf_client *c, int dirfd, const char *path,
		     uint32_t uid, uint32_t gid, int flags);
int64_t scf_syncmap(struct scf_client *c, void *addr, uint64_t len);
int64_t scf_syncunmap(struct scf_client *c, void *addr, uint64_t len);
/* The forwarded halves of the dual calls; the local halves are the host's. */
int64_t scf_syncfork(struct scf_client *c);
int64_t scf_exit(struct scf_client *c, int status, uint32_t how);
int64_t scf_clone(struct scf_client *c, uint64_t flags);

#endif /* SCF_CALLS_H */
