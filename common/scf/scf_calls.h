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
int64_t scf_syncmap(struct scf_client *c, void *addr, uint64_t len);
int64_t scf_syncunmap(struct scf_client *c, void *addr, uint64_t len);

#endif /* SCF_CALLS_H */
