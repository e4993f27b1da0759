// SPDX-License-Identifier: MIT
/*
 * wl_syscalls.c - forwarded workloads (the RTOS application's calls) and
 * their native twins (the same call made directly on the RTOS-side CPU).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "scf_arch.h"

/*
 * One file per workload: with samples round-robin, every workload's file
 * must survive the others' setups.
 */
#define READ_FILE	"read.dat"
#define OPENCLOSE_FILE	"openclose.dat"
#define STAT_FILE	"stat.dat"
#define NATIVE_READ_FILE	"native-read.dat"
#define NATIVE_OPENCLOSE_FILE	"native-openclose.dat"
#define NATIVE_STAT_FILE	"native-stat.dat"
#define STAT_SIZE	12345

/* Client memory: the synced arena in map mode, so pointers are valid there. */
static uint8_t *client_mem(struct bench *b, size_t len)
{
	static uint8_t *heap;

	if (b->c.memsync == SCF_MEMSYNC_MAP)
		return b->arena;
	if (!heap)
		heap = aligned_alloc(4096, 2u << 20);
	return len <= (2u << 20) ? heap : NULL;
}

#define PATH_SLOTS	16
#define PATH_SLOT	256

static char *client_path(struct bench *b, const char *name)
{
	/* Paths sit at the arena's end, away from payload buffers, each in
	 * its own slot: the workloads' setups all stand at once. */
	static unsigned next;
	char *p = b->c.memsync == SCF_MEMSYNC_MAP ?
		  (char *)b->arena + b->arena_size - 4096 :
		  (char *)client_mem(b, 0) + (2u << 20) - 4096;

	p += (next++ % PATH_SLOTS) * PATH_SLOT;
	snprintf(p, PATH_SLOT, "%s", name);
	return p;
}

/* Setup calls are not measured: they use the client's scratch record. */
static int fwd_open(struct bench *b, const char *name, int flags)
{
	int64_t fd;

	b->c.rec = NULL;
	fd = scf_openat(&b->c, SCF_AT_FDCWD, client_path(b, name), flags, 0644);
	if (fd < 0)
		fprintf(stderr, "scf-bench: forwarded open %s: %s\n", name,
			scf_strerror((int)fd));
	return (int)fd;
}

static void fwd_close(struct bench *b, struct wl_ctx *x)
{
	b->c.rec = NULL;
	if (x->fd >= 0)
		scf_close(&b->c, x->fd);
	x->fd = -1;
}

static int make_file(struct bench *b, const char *name, off_t size)
{
	char *path = root_path(b, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int err = fd < 0 || ftruncate(fd, size) ? -errno : 0;

	if (fd >= 0)
		close(fd);
	if (err)
		fprintf(stderr, "scf-bench: %s: %s\n", path, strerror(-err));
	free(path);
	return err;
}

/* ---- null ---- */

static int null_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	(void)x;
	(void)i;
	return scf_null(&b->c) == 0 ? 0 : -1;
}

/* ---- write: the origin's lat_write, one byte at a time ---- */

static int write_setup(struct bench *b, struct wl_ctx *x)
{
	x->buf = client_mem(b, 1);
	x->buf[0] = 'w';
	x->fd = fwd_open(b, "write.dat", O_WRONLY | O_CREAT | O_TRUNC);
	return x->fd < 0 ? x->fd : 0;
}

static int write_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	(void)i;
	return scf_write(&b->c, x->fd, x->buf, 1) == 1 ? 0 : -1;
}

/* ---- read: sequential one-byte reads of a file long enough ---- */

static int read_setup(struct bench *b, struct wl_ctx *x)
{
	int err = make_file(b, READ_FILE, (off_t)b->samples * b->cycles + 1);

	if (err)
		return err;
	x->buf = client_mem(b, 1);
	x->fd = fwd_open(b, READ_FILE, O_RDONLY);
	return x->fd < 0 ? x->fd : 0;
}

static int read_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	(void)i;
	return scf_read(&b->c, x->fd, x->buf, 1) == 1 ? 0 : -1;
}

/* ---- openclose: open then close, each one call ---- */

static int openclose_setup(struct bench *b, struct wl_ctx *x)
{
	int err = make_file(b, OPENCLOSE_FILE, 4096);

	x->path = client_path(b, OPENCLOSE_FILE);
	x->fd = -1;
	return err;
}

static int openclose_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	if (!(i & 1)) {
		x->fd = (int)scf_openat(&b->c, SCF_AT_FDCWD, x->path, O_RDONLY, 0);
		return x->fd >= 0 ? 0 : -1;
	}
	return scf_close(&b->c, x->fd) == 0 ? 0 : -1;
}

static void openclose_teardown(struct bench *b, struct wl_ctx *x)
{
	if (x->fd >= 0)
		fwd_close(b, x);
}

/* ---- stat ---- */

static int stat_setup(struct bench *b, struct wl_ctx *x)
{
	x->path = client_path(b, STAT_FILE);
	x->buf = client_mem(b, sizeof(struct scf_stat));
	return make_file(b, STAT_FILE, STAT_SIZE);
}

static int stat_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	struct scf_stat *st = (struct scf_stat *)x->buf;

	(void)i;
	if (scf_newfstatat(&b->c, SCF_AT_FDCWD, x->path, st, 0))
		return -1;
	return st->st_size == STAT_SIZE ? 0 : -1;
}

/* ---- payload: pwrite of x->size bytes at offset 0 ---- */

static int payload_setup(struct bench *b, struct wl_ctx *x)
{
	uint64_t i;

	x->buf = client_mem(b, x->size);
	if (!x->buf)
		return -ENOMEM;
	for (i = 0; i < x->size; i++)
		x->buf[i] = (uint8_t)i;
	x->fd = fwd_open(b, "payload.dat", O_WRONLY | O_CREAT | O_TRUNC);
	return x->fd < 0 ? x->fd : 0;
}

static int payload_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	(void)i;
	return scf_pwrite64(&b->c, x->fd, x->buf, x->size, 0) ==
	       (int64_t)x->size ? 0 : -1;
}

/* ---- syncmap: the RTOS maps, syncs, unsyncs and unmaps a range ---- */

static int syncmap_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	void *addr = (void *)(uintptr_t)(SCF_SYNC_BASE + CHURN_OFF);
	void *p;

	(void)x;
	if (!(i & 1)) {
		p = mmap(addr, CHURN_LEN, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED_NOREPLACE, b->memfd, CHURN_OFF);
		if (p != addr)
			return -1;
		return scf_syncmap(&b->c, addr, CHURN_LEN) == 0 ? 0 : -1;
	}
	if (scf_syncunmap(&b->c, addr, CHURN_LEN))
		return -1;
	return munmap(addr, CHURN_LEN);
}

/* ---- native twins: the same call, made directly, timed with the TSC ---- */

static int native_loop(struct bench *b, int64_t *ticks, uint64_t n,
		       int (*call)(struct bench *, uint64_t, void *), void *arg)
{
	uint64_t i;

	for (i = 0; i < n; i++) {
		uint64_t t0 = scf_rdtsc_ordered();

		if (call(b, i, arg))
			return -errno;
		ticks[i] = (int64_t)(scf_rdtsc_ordered() - t0);
	}
	return 0;
}

static int call_null(struct bench *b, uint64_t i, void *arg)
{
	(void)b; (void)i; (void)arg;
	/* The cheapest real system call: the price of entering the kernel. */
	return syscall(SYS_getppid) > 0 ? 0 : -1;
}

static int call_write(struct bench *b, uint64_t i, void *arg)
{
	(void)b; (void)i;
	return write(*(int *)arg, "w", 1) == 1 ? 0 : -1;
}

static int call_read(struct bench *b, uint64_t i, void *arg)
{
	char c;

	(void)b; (void)i;
	return read(*(int *)arg, &c, 1) == 1 ? 0 : -1;
}

static int call_openclose(struct bench *b, uint64_t i, void *arg)
{
	static int fd = -1;

	(void)b;
	if (!(i & 1)) {
		fd = openat(*(int *)arg, NATIVE_OPENCLOSE_FILE, O_RDONLY);
		return fd >= 0 ? 0 : -1;
	}
	return close(fd);
}

static int call_stat(struct bench *b, uint64_t i, void *arg)
{
	struct stat st;

	(void)b; (void)i;
	return fstatat(*(int *)arg, NATIVE_STAT_FILE, &st, 0) == 0 &&
	       st.st_size == STAT_SIZE ? 0 : -1;
}

static int native_open(struct bench *b, const char *name, int flags)
{
	char *path = root_path(b, name);
	int fd = open(path, flags | O_CLOEXEC, 0644);

	if (fd < 0)
		fprintf(stderr, "scf-bench: %s: %s\n", path, strerror(errno));
	free(path);
	return fd;
}

static int native_null(struct bench *b, struct wl_ctx *x, int64_t *t, uint64_t n)
{
	(void)x;
	return native_loop(b, t, n, call_null, NULL);
}

static int native_write(struct bench *b, struct wl_ctx *x, int64_t *t, uint64_t n)
{
	int fd = native_open(b, "native-write.dat", O_WRONLY | O_CREAT | O_TRUNC);
	int err = fd < 0 ? -1 : native_loop(b, t, n, call_write, &fd);

	(void)x;
	if (fd >= 0)
		close(fd);
	return err;
}

static int native_read(struct bench *b, struct wl_ctx *x, int64_t *t, uint64_t n)
{
	int fd, err = make_file(b, NATIVE_READ_FILE, (off_t)n + 1);

	(void)x;
	if (err)
		return err;
	fd = native_open(b, NATIVE_READ_FILE, O_RDONLY);
	err = fd < 0 ? -1 : native_loop(b, t, n, call_read, &fd);
	if (fd >= 0)
		close(fd);
	return err;
}

static int with_root_dir(struct bench *b, int64_t *t, uint64_t n,
			 int (*call)(struct bench *, uint64_t, void *))
{
	int dfd = open(b->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int err = dfd < 0 ? -errno : native_loop(b, t, n, call, &dfd);

	if (dfd >= 0)
		close(dfd);
	return err;
}

static int native_openclose(struct bench *b, struct wl_ctx *x, int64_t *t,
			    uint64_t n)
{
	(void)x;
	return make_file(b, NATIVE_OPENCLOSE_FILE, 4096) ?:
	       with_root_dir(b, t, n, call_openclose);
}

static int native_stat(struct bench *b, struct wl_ctx *x, int64_t *t, uint64_t n)
{
	(void)x;
	return make_file(b, NATIVE_STAT_FILE, STAT_SIZE) ?:
	       with_root_dir(b, t, n, call_stat);
}

static const struct wl wl_null = {
	.name = "null",
	.kind = WL_FWD,
	.about = "forwarded no-op (no syscall)",
	.op = null_op,
};
static const struct wl wl_write = {
	.name = "write",
	.kind = WL_FWD,
	.about = "1-byte write (lat_write)",
	.group = "latwrite",
	.setup = write_setup,
	.op = write_op,
	.teardown = fwd_close,
};
static const struct wl wl_read = {
	.name = "read",
	.kind = WL_FWD,
	.about = "1-byte sequential read",
	.setup = read_setup,
	.op = read_op,
	.teardown = fwd_close,
};
static const struct wl wl_openclose = {
	.name = "openclose",
	.kind = WL_FWD,
	.about = "openat then close, one call each",
	.setup = openclose_setup,
	.op = openclose_op,
	.teardown = openclose_teardown,
};
static const struct wl wl_stat = {
	.name = "stat",
	.kind = WL_FWD,
	.about = "newfstatat of a file",
	.setup = stat_setup,
	.op = stat_op,
};
static const struct wl wl_payload = {
	.name = "payload",
	.kind = WL_FWD,
	.about = "pwrite of 8 B..1 MiB, memsync copy and map",
	.setup = payload_setup,
	.op = payload_op,
	.teardown = fwd_close,
};
static const struct wl wl_syncmap = {
	.name = "syncmap",
	.kind = WL_FWD,
	.about = "map+syncmap, syncunmap+unmap of 64 KiB",
	.op = syncmap_op,
};
static const struct wl wl_native_null = {
	.name = "native-null",
	.kind = WL_PEER,
	.about = "getppid() on the client CPU",
	.measure = native_null,
};
static const struct wl wl_native_write = {
	.name = "native-write",
	.kind = WL_PEER,
	.about = "write(1 B) on the client CPU",
	.measure = native_write,
};
static const struct wl wl_native_read = {
	.name = "native-read",
	.kind = WL_PEER,
	.about = "read(1 B) on the client CPU",
	.measure = native_read,
};
static const struct wl wl_native_openclose = {
	.name = "native-openclose",
	.kind = WL_PEER,
	.about = "openat/close on the client CPU",
	.measure = native_openclose,
};
static const struct wl wl_native_stat = {
	.name = "native-stat",
	.kind = WL_PEER,
	.about = "fstatat on the client CPU",
	.measure = native_stat,
};

SCF_WORKLOAD(wl_null);
SCF_WORKLOAD(wl_write);
SCF_WORKLOAD(wl_read);
SCF_WORKLOAD(wl_openclose);
SCF_WORKLOAD(wl_stat);
SCF_WORKLOAD(wl_payload);
SCF_WORKLOAD(wl_syncmap);
SCF_WORKLOAD(wl_native_null);
SCF_WORKLOAD(wl_native_write);
SCF_WORKLOAD(wl_native_read);
SCF_WORKLOAD(wl_native_openclose);
SCF_WORKLOAD(wl_native_stat);
