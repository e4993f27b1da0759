// SPDX-License-Identifier: MIT
/*
 * shadow_shm.c - scf-shadow against shared memory that lies about its
 * size or goes away, against requests for O_TMPFILE, and against a
 * client that disappears.  Every case starts its own shadow:
 *
 *   - a region memfd that is not sealed, and a map-mode memfd that is
 *     not: refused before anything is mapped (exit 2, one line);
 *   - a sealed region: served, and the client's own truncate fails;
 *   - a region file shorter than --region-size (the header claims more
 *     than the file holds): refused (exit 2), no SIGBUS;
 *   - a region file, or a map-mode file, cut short under a running
 *     shadow (files cannot be sealed): "shrank", exit 3, no SIGBUS;
 *   - openat with O_TMPFILE, and O_DIRECTORY with a mode, beneath --root;
 *   - the client SIGKILLed: the shadow says the client is gone, exit 1.
 *
 *   shadow_shm SHADOW_BINARY
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scf_calls.h"
#include "scf_region.h"
#include "../tap.h"

#define EXIT_SHRANK	3	/* scf-shadow: shared memory shrank */
#define MAP_LEN		(64u << 10)

static const char *bin;
static char top[64], root[128], errlog[128];
static struct scf_client client_view;
static struct scf_geom geom;
static uint64_t size;

/* One shadow, its fds, and the client's view of its region. */
struct run {
	int region, memfd;
	void *mem;
	pid_t pid;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int sealed_memfd(const char *name, uint64_t len, bool seal)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0 || ftruncate(fd, (off_t)len))
		return -1;
	if (seal && fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
			  F_SEAL_SEAL))
		return -1;
	return fd;
}

/* A plain file under top: what cannot be sealed. */
static int plain_file(const char *name, uint64_t len)
{
	char p[192];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", top, name);
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, (off_t)len))
		return -1;
	return fd;
}

/* The whole region formatted in fd (which may be shorter: written by hand). */
static int format_into(int fd, uint64_t file_len)
{
	void *buf = calloc(1, size);
	int ok;

	if (!buf)
		return -1;
	ok = !scf_region_format(buf, size, &geom) &&
	     pwrite(fd, buf, file_len, 0) == (ssize_t)file_len;
	free(buf);
	return ok ? 0 : -1;
}

/* fd with the whole region formatted in it, or -1. */
static int formatted(int fd)
{
	return fd >= 0 && !format_into(fd, size) ? fd : -1;
}

/* A shadow on region (and memfd, unless -1), plus up to two arguments. */
static pid_t spawn(int region, int memfd, uint64_t claimed, const char *x0,
		   const char *x1)
{
	char a[3][32];
	const char *argv[20];
	pid_t pid;
	int fd, n = 0;

	snprintf(a[0], 32, "%d", region);
	snprintf(a[1], 32, "%llu", (unsigned long long)claimed);
	snprintf(a[2], 32, "%d", memfd);
	argv[n++] = bin;
	argv[n++] = "--region-fd";	argv[n++] = a[0];
	argv[n++] = "--region-size";	argv[n++] = a[1];
	if (memfd >= 0) {
		argv[n++] = "--memfd-fd";
		argv[n++] = a[2];
	}
	argv[n++] = "--root";		argv[n++] = root;
	argv[n++] = "--cpu";		argv[n++] = "0";
	argv[n++] = "--backend";	argv[n++] = "spin";
	if (x0)
		argv[n++] = x0;
	if (x1)
		argv[n++] = x1;
	argv[n] = NULL;
	pid = fork();
	if (pid)
		return pid;
	fd = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || dup2(fd, 2) < 0)
		_exit(127);
	/* For --ready-fd: 8 is open read-only, 9 is closed. */
	fd = open("/dev/null", O_RDONLY);
	if (fd < 0 || dup2(fd, 8) < 0)
		_exit(127);
	close(9);
	fcntl(region, F_SETFD, 0);
	if (memfd >= 0)
		fcntl(memfd, F_SETFD, 0);
	execv(bin, (char *const *)argv);
	_exit(127);
}

/* Exit status within ms, or -1 (then the shadow is killed). */
static int reap(pid_t pid, int ms)
{
	uint64_t t0 = now_ms();
	int st;

	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (now_ms() - t0 > (uint64_t)ms) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		usleep(5000);
	}
	return st;
}

static bool log_has(const char *text, int max_lines)
{
	char buf[4096];
	int fd = open(errlog, O_RDONLY), lines = 0;
	ssize_t n;
	char *p;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	for (p = buf; *p; p++)
		lines += *p == '\n';
	if (lines > max_lines)
		tap_diag("shadow said %d lines:\n%s", lines, buf);
	return strstr(buf, text) && lines <= max_lines;
}

static const char *status_str(int st)
{
	static char b[64];

	if (st == -1)
		return "still running";
	if (WIFSIGNALED(st))
		snprintf(b, sizeof(b), "killed by signal %d", WTERMSIG(st));
	else
		snprintf(b, sizeof(b), "exit %d", WEXITSTATUS(st));
	return b;
}

static bool exited(int st, int code)
{
	return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == code;
}

/* Attach the client to r->region and start a shadow on it. */
static int start(struct run *r, int region, int memfd, uint64_t claimed)
{
	static uint32_t stack[64];
	static uint8_t used[64];
	struct scf_notify_cfg cfg = { .side = SCF_SIDE_CLIENT, .dev_fd = -1,
				      .sock_fd = -1, .backend = "spin" };
	struct scf_notify *n;

	r->region = region;
	r->memfd = memfd;
	r->mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, region,
		      0);
	if (r->mem == MAP_FAILED)
		return -1;
	memset(&client_view, 0, sizeof(client_view));
	if (scf_queue_attach(&client_view.q, r->mem, size, 0))
		return -1;
	cfg.q = &client_view.q;
	if (scf_notify_attach(&n, &cfg) ||
	    scf_client_init(&client_view, n, SCF_MEMSYNC_COPY, stack, used))
		return -1;
	r->pid = spawn(region, memfd, claimed, NULL, NULL);
	return 0;
}

static void finish(struct run *r)
{
	if (r->pid > 0) {
		kill(r->pid, SIGKILL);
		waitpid(r->pid, NULL, 0);
	}
	munmap(r->mem, size);
	close(r->region);
	if (r->memfd >= 0)
		close(r->memfd);
}

/* Push a raw request into descriptor 0 without waiting for the answer. */
static void push_raw(uint32_t op, uint32_t flags, uint64_t a0, uint64_t a1,
		     uint32_t payload_len)
{
	struct scf_desc *d = &client_view.q.desc[0];

	memset(d, 0, offsetof(struct scf_desc, probe));
	d->opcode = op;
	d->flags = flags;
	d->args[0] = a0;
	d->args[1] = a1;
	d->payload_off = 0;
	d->payload_len = payload_len;
	scf_ring_push(&client_view.q.req, 0);
}

/* A null request answered within 2 s: never a hang on a dead shadow. */
static bool served_null(void)
{
	uint64_t t0;
	uint32_t got;

	push_raw(SCF_OP_NULL, 0, 0, 0, 0);
	t0 = now_ms();
	while (!scf_ring_pending(&client_view.q.rsp))
		if (now_ms() - t0 > 2000)
			return false;
	return !scf_ring_pop(&client_view.q.rsp, &got) && got == 0 &&
	       client_view.q.desc[0].ret == 0;
}

static void refused_unsealed(void)
{
	struct run r;
	int st;

	if (start(&r, formatted(sealed_memfd("r", size, false)), -1, size)) {
		tap_ok(false, "unsealed region memfd: setup");
		return;
	}
	st = reap(r.pid, 5000);
	r.pid = 0;
	tap_ok(exited(st, 2) && log_has("seal", 1),
	       "unsealed region memfd refused before mapping (%s)",
	       status_str(st));
	finish(&r);

	if (start(&r, formatted(sealed_memfd("r", size, true)),
		  sealed_memfd("m", MAP_LEN, false), size)) {
		tap_ok(false, "unsealed map-mode memfd: setup");
		return;
	}
	st = reap(r.pid, 5000);
	r.pid = 0;
	tap_ok(exited(st, 2) && log_has("--memfd-fd", 1) && log_has("seal", 1),
	       "unsealed map-mode memfd refused (%s)", status_str(st));
	finish(&r);
}

static void sealed_served(void)
{
	struct run r;
	int region = sealed_memfd("r", 0, false);
	int st;

	/* Formatted at full size, then sealed: as scf-bench does. */
	if (region < 0 || ftruncate(region, (off_t)size) ||
	    format_into(region, size) ||
	    fcntl(region, F_ADD_SEALS,
		  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) ||
	    start(&r, region, sealed_memfd("m", MAP_LEN, true), size)) {
		tap_ok(false, "sealed region: setup");
		return;
	}
	tap_ok(served_null(), "sealed region and map-mode memfd: served");
	tap_ok(ftruncate(region, 4096) < 0 && errno == EPERM,
	       "a sealed region cannot be shrunk under the shadow");
	kill(r.pid, SIGTERM);
	st = reap(r.pid, 5000);
	r.pid = 0;
	tap_ok(exited(st, 0), "shadow stops cleanly (%s)", status_str(st));
	finish(&r);
}

static void header_claims_more(void)
{
	int fd = plain_file("short", 4096);
	pid_t pid;
	int st;

	/* The control page says the whole region; the file has one page. */
	if (fd < 0 || format_into(fd, 4096)) {
		tap_ok(false, "short region file: setup");
		return;
	}
	pid = spawn(fd, -1, size, NULL, NULL);
	st = reap(pid, 5000);
	tap_ok(exited(st, 2) && log_has("holds 4096 bytes", 1),
	       "region file shorter than --region-size and the header: "
	       "refused (%s)", status_str(st));
	close(fd);
}

static void region_shrinks(void)
{
	int fd = plain_file("region", size);
	uint64_t pool_off;
	struct run r;
	int st;

	if (fd < 0 || format_into(fd, size) || start(&r, fd, -1, size)) {
		tap_ok(false, "region file: setup");
		return;
	}
	tap_ok(served_null(), "region file (unsealable): served");
	/* Cut the pool off; the client itself touches only what is left. */
	pool_off = (uint64_t)(client_view.q.pool - (uint8_t *)r.mem);
	if (ftruncate(fd, (off_t)pool_off)) {
		tap_ok(false, "truncate the region file");
		finish(&r);
		return;
	}
	push_raw(SCF_OP_NEWFSTATAT, 0, (uint64_t)SCF_AT_FDCWD, 0, 8);
	st = reap(r.pid, 5000);
	r.pid = 0;
	tap_ok(exited(st, EXIT_SHRANK) && log_has("shrank", 1),
	       "region cut short under the shadow: a clean 'shrank' exit (%s)",
	       status_str(st));
	finish(&r);
}

static void map_memory_shrinks(void)
{
	int region = sealed_memfd("r", size, true);
	int mfd = plain_file("map", MAP_LEN);
	struct run r;
	int st;

	if (region < 0 || mfd < 0 || format_into(region, size) ||
	    start(&r, region, mfd, size)) {
		tap_ok(false, "map-mode file: setup");
		return;
	}
	tap_ok(served_null() &&
	       scf_syncmap(&client_view, (void *)(uintptr_t)SCF_SYNC_BASE, MAP_LEN) == 0,
	       "map-mode file (unsealable): synced");
	if (ftruncate(mfd, 0)) {
		tap_ok(false, "truncate the map-mode file");
		finish(&r);
		return;
	}
	/* A path read through the synced range: the shadow's pages are gone. */
	push_raw(SCF_OP_NEWFSTATAT, SCF_DF_MAP, (uint64_t)SCF_AT_FDCWD,
		 SCF_SYNC_BASE, 0);
	st = reap(r.pid, 5000);
	r.pid = 0;
	tap_ok(exited(st, EXIT_SHRANK) && log_has("shrank", 1),
	       "map-mode memory cut short under the shadow: a clean 'shrank' "
	       "exit (%s)", status_str(st));
	finish(&r);
}

static void tmpfile_beneath_root(void)
{
	struct run r;
	int64_t fd, dfd;
	char buf[4];

	if (start(&r, formatted(sealed_memfd("r", size, true)), -1, size)) {
		tap_ok(false, "O_TMPFILE: setup");
		return;
	}
	fd = scf_openat(&client_view, SCF_AT_FDCWD, ".", O_TMPFILE | O_RDWR, 0600);
	tap_ok(fd >= 0, "openat(\".\", O_TMPFILE | O_RDWR, 0600) beneath "
	       "--root: %lld", (long long)fd);
	tap_ok(fd >= 0 && scf_pwrite64(&client_view, (int)fd, "tmp", 3, 0) == 3 &&
	       scf_pread64(&client_view, (int)fd, buf, 3, 0) == 3 &&
	       !memcmp(buf, "tmp", 3),
	       "the O_TMPFILE file is written and read");
	dfd = scf_openat(&client_view, SCF_AT_FDCWD, ".", O_DIRECTORY | O_RDONLY, 0755);
	tap_ok(dfd >= 0, "openat(\".\", O_DIRECTORY, 0755): %lld",
	       (long long)dfd);
	fd = scf_openat(&client_view, SCF_AT_FDCWD, "..", O_TMPFILE | O_RDWR, 0600);
	tap_ok(fd < 0, "O_TMPFILE above --root still refused: %lld",
	       (long long)fd);
	finish(&r);
}

/* --ready-fd that cannot be written: said, before anything is mapped. */
static void ready_fd_bad(void)
{
	int region = formatted(sealed_memfd("r", size, true));
	pid_t pid;
	int st;

	if (region < 0) {
		tap_ok(false, "bad --ready-fd: setup");
		return;
	}
	pid = spawn(region, -1, size, "--ready-fd", "9");
	st = reap(pid, 5000);
	tap_ok(exited(st, 2) && log_has("--ready-fd 9", 1),
	       "--ready-fd naming a closed fd: said, exit 2 (%s)",
	       status_str(st));
	pid = spawn(region, -1, size, "--ready-fd", "8");
	st = reap(pid, 5000);
	tap_ok(exited(st, 2) && log_has("--ready-fd 8", 1),
	       "--ready-fd open read-only: said, exit 2 (%s)",
	       status_str(st));
	close(region);
}

/*
 * The client is an intermediate process, the shadow's parent; we are
 * the subreaper, so the orphaned shadow comes back to us to be reaped.
 */
static void client_vanishes(void)
{
	int region = sealed_memfd("r", size, true), p[2];
	pid_t client, shadow = 0;
	int st;

	if (region < 0 || format_into(region, size) || pipe(p) ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1)) {
		tap_ok(false, "vanishing client: setup");
		return;
	}
	client = fork();
	if (!client) {
		shadow = spawn(region, -1, size, NULL, NULL);
		if (write(p[1], &shadow, sizeof(shadow)) != sizeof(shadow))
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &shadow, sizeof(shadow)) != sizeof(shadow)) {
		tap_ok(false, "vanishing client: no shadow pid");
		return;
	}
	close(p[0]);
	usleep(300000);		/* attached and waiting for requests */
	kill(client, SIGKILL);
	waitpid(client, NULL, 0);
	st = reap(shadow, 5000);
	tap_ok(exited(st, 1) && log_has("client", 2) && log_has("gone", 2),
	       "client SIGKILLed: the shadow says it is gone and exits 1 (%s)",
	       status_str(st));
	close(region);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

int main(int argc, char **argv)
{
	char cmd[128];

	if (argc != 2) {
		fprintf(stderr, "usage: shadow_shm SHADOW_BINARY\n");
		return 2;
	}
	bin = argv[1];
	snprintf(top, sizeof(top), "/tmp/scf-shm.XXXXXX");
	if (!mkdtemp(top))
		return 2;
	snprintf(root, sizeof(root), "%s/root", top);
	snprintf(errlog, sizeof(errlog), "%s/shadow.err", top);
	mkdir(root, 0755);
	scf_geom_default(&geom);
	geom.nr_slots = 1;
	geom.pool_chunk = 4096;
	size = scf_region_size(&geom);
	/* A shadow that dies must not take us with it. */
	signal(SIGPIPE, SIG_IGN);

	refused_unsealed();
	sealed_served();
	header_claims_more();
	region_shrinks();
	map_memory_shrinks();
	tmpfile_beneath_root();
	ready_fd_bad();
	client_vanishes();

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd))
		tap_diag("cleanup of %s failed", top);
	return tap_done();
}
