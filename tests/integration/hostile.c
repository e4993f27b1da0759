// SPDX-License-Identifier: MIT
/*
 * hostile.c - a client that lies.  Starts scf-shadow (built with ASan and
 * UBSan), writes garbage into the region - ring indices, descriptor
 * indices, opcodes, lengths, offsets, pointers outside synced ranges,
 * paths with ".." and absolute paths - and checks that every bad request
 * gets an error, that good requests are served afterwards, that nothing
 * outside --root is touched, and that the shadow exits cleanly.  Then an
 * inline slot, and two clients of one shadow, one of which asks to end it.
 *
 *   hostile SHADOW_BINARY
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scf_calls.h"
#include "scf_region.h"
#include "../tap.h"

static struct scf_client lying_client;
static pid_t shadow;
static char top[64], root[128], outside[128];

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool shadow_alive(void)
{
	int st;

	return waitpid(shadow, &st, WNOHANG) == 0;
}

/* Push a raw descriptor; the response within 2 s, or -ETIMEDOUT. */
static int64_t raw(const struct scf_desc *tmpl, uint32_t idx, bool expect_rsp)
{
	struct scf_desc *d = &lying_client.q.desc[idx];
	uint64_t t0;
	uint32_t got;

	memcpy(d, tmpl, offsetof(struct scf_desc, probe));
	if (scf_ring_push(&lying_client.q.req, idx))
		return -ENOSPC;
	t0 = now_ms();
	while (!scf_ring_pending(&lying_client.q.rsp)) {
		if (now_ms() - t0 > (expect_rsp ? 2000 : 200))
			return -ETIMEDOUT;
		usleep(10);
	}
	if (scf_ring_pop(&lying_client.q.rsp, &got) || got != idx)
		return -EPROTO;
	return d->ret;
}

static struct scf_desc req(uint32_t op, uint32_t idx, uint64_t a0, uint64_t a1,
			   uint64_t a2, uint64_t a3)
{
	struct scf_desc d;

	memset(&d, 0, sizeof(d));
	d.opcode = op;
	d.args[0] = a0;
	d.args[1] = a1;
	d.args[2] = a2;
	d.args[3] = a3;
	d.payload_off = idx * lying_client.q.pool_chunk;
	return d;
}

/* A good request still works: the shadow keeps serving. */
static void still_serving(const char *after)
{
	tap_ok(scf_null(&lying_client) == 0 && shadow_alive(), "null served after %s", after);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void put_path(uint32_t idx, const char *p)
{
	strcpy((char *)lying_client.q.pool + idx * lying_client.q.pool_chunk, p);
}

static void attack_paths(void)
{
	static const char *const evil[] = {
		"../outside/canary", "/etc/passwd", "a/../../outside/canary",
		"..", "/", "../outside/new", "/tmp/scf-hostile-abs",
	};
	struct scf_desc d;
	unsigned i;

	mkdir(root, 0755);
	for (i = 0; i < sizeof(evil) / sizeof(evil[0]); i++) {
		int64_t r;

		put_path(0, evil[i]);
		d = req(SCF_OP_OPENAT, 0, (uint64_t)SCF_AT_FDCWD, 0,
			O_RDWR | O_CREAT, 0644);
		d.payload_len = (uint32_t)strlen(evil[i]) + 1;
		r = raw(&d, 0, true);
		tap_ok(r < 0, "open '%s' beneath root refused (%lld)", evil[i],
		       (long long)r);
		d.opcode = SCF_OP_NEWFSTATAT;
		d.args[2] = 0;
		d.args[3] = 0;
		r = raw(&d, 0, true);
		tap_ok(r < 0, "stat '%s' beneath root refused (%lld)", evil[i],
		       (long long)r);
	}
	/* A path without its NUL inside the payload. */
	memset(lying_client.q.pool, 'a', 64);
	d = req(SCF_OP_OPENAT, 0, (uint64_t)SCF_AT_FDCWD, 0, O_RDONLY, 0);
	d.payload_len = 64;
	tap_ok(raw(&d, 0, true) == -EINVAL, "unterminated path: -EINVAL");
	still_serving("path attacks");
}

static void attack_fds(void)
{
	static const int64_t fds[] = { 0, 1, 2, 3, 4, 5, 100, -1, 1 << 20,
				       INT64_MIN };
	struct scf_desc d;
	unsigned i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		d = req(SCF_OP_CLOSE, 1, (uint64_t)fds[i], 0, 0, 0);
		tap_ok(raw(&d, 1, true) == -EBADF, "close(%lld) of a shadow fd: -EBADF",
		       (long long)fds[i]);
		d = req(SCF_OP_WRITE, 1, (uint64_t)fds[i], 0, 1, 0);
		d.payload_len = 1;
		tap_ok(raw(&d, 1, true) == -EBADF, "write(%lld): -EBADF",
		       (long long)fds[i]);
	}
	still_serving("fd attacks");
}

static void attack_lengths(int fd)
{
	struct scf_desc d;

	d = req(SCF_OP_WRITE, 2, (uint64_t)fd, 0, 10, 0);
	d.payload_len = 5;	/* claims 10, carries 5 */
	tap_ok(raw(&d, 2, true) == -EINVAL, "write longer than its payload: -EINVAL");
	d = req(SCF_OP_WRITE, 2, (uint64_t)fd, 0, 1, 0);
	d.payload_len = lying_client.q.pool_chunk + 1;
	tap_ok(raw(&d, 2, true) == -EINVAL, "payload_len past the chunk: -EINVAL");
	d = req(SCF_OP_WRITE, 2, (uint64_t)fd, 0, 1, 0);
	d.payload_off = 0;	/* someone else's chunk */
	d.payload_len = 1;
	tap_ok(raw(&d, 2, true) == -EINVAL, "payload_off of another chunk: -EINVAL");
	d = req(SCF_OP_READ, 2, (uint64_t)fd, 0, (uint64_t)lying_client.q.pool_chunk + 1, 0);
	tap_ok(raw(&d, 2, true) == -EINVAL, "read larger than the chunk: -EINVAL");
	d = req(SCF_OP_WRITEV, 2, (uint64_t)fd, 0, SCF_IOV_MAX + 1, 0);
	tap_ok(raw(&d, 2, true) == -EINVAL, "writev with 65 iovecs: -EINVAL");
	{
		struct scf_iovec *t = (struct scf_iovec *)(lying_client.q.pool + 2 * lying_client.q.pool_chunk);

		t[0].base = 0;	/* points into the table itself */
		t[0].len = 8;
		d = req(SCF_OP_WRITEV, 2, (uint64_t)fd, 0, 1, 0);
		d.payload_len = 64;
		tap_ok(raw(&d, 2, true) == -EINVAL, "writev piece over its table: -EINVAL");
		t[0].base = 16;
		t[0].len = UINT64_MAX - 8;
		tap_ok(raw(&d, 2, true) == -EINVAL, "writev length wrapping: -EINVAL");
	}
	d = req(SCF_OP_LSEEK, 2, (uint64_t)fd, 0, 99, 0);
	tap_ok(raw(&d, 2, true) == -EINVAL, "lseek whence 99: -EINVAL");
	d = req(SCF_OP_OPENAT, 2, (uint64_t)SCF_AT_FDCWD, 0, 1u << 30, 0);
	put_path(2, "x");
	d.payload_len = 2;
	tap_ok(raw(&d, 2, true) == -EINVAL, "open with unknown flags: -EINVAL");
	still_serving("length attacks");
}

static void attack_pointers(int fd)
{
	static const uint64_t ptrs[] = {
		0, 4096, SCF_SYNC_BASE - 4096, SCF_SYNC_BASE + (4ull << 20),
		UINT64_MAX - 2, 0x7fffffffe000ull,
	};
	struct scf_desc d;
	unsigned i;

	for (i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++) {
		d = req(SCF_OP_WRITE, 3, (uint64_t)fd, ptrs[i], 16, 0);
		d.flags = SCF_DF_MAP;
		tap_ok(raw(&d, 3, true) == -EFAULT, "map write from %#llx: -EFAULT",
		       (unsigned long long)ptrs[i]);
		d.opcode = SCF_OP_READ;
		tap_ok(raw(&d, 3, true) == -EFAULT, "map read into %#llx: -EFAULT",
		       (unsigned long long)ptrs[i]);
		d = req(SCF_OP_FSTAT, 3, (uint64_t)fd, ptrs[i], 0, 0);
		d.flags = SCF_DF_MAP;
		tap_ok(raw(&d, 3, true) == -EFAULT, "map fstat into %#llx: -EFAULT",
		       (unsigned long long)ptrs[i]);
	}
	/* Straddling the end of the synced arena. */
	d = req(SCF_OP_WRITE, 3, (uint64_t)fd, SCF_SYNC_BASE + (4ull << 20) - 8,
		16, 0);
	d.flags = SCF_DF_MAP;
	tap_ok(raw(&d, 3, true) == -EFAULT, "map write straddling the range: -EFAULT");
	/* syncmap outside the window, misaligned, aliased, or the shadow's own */
	d = req(SCF_OP_SYNCMAP, 3, 0x400000, 4096, 0, 0);
	tap_ok(raw(&d, 3, true) == -EINVAL, "syncmap below the window: -EINVAL");
	d = req(SCF_OP_SYNCMAP, 3, SCF_SYNC_BASE + (8ull << 20) + 1, 4096,
		(8ull << 20) + 1, 0);
	tap_ok(raw(&d, 3, true) == -EINVAL, "syncmap misaligned: -EINVAL");
	d = req(SCF_OP_SYNCMAP, 3, SCF_SYNC_BASE + (8ull << 20), 4096, 0, 0);
	tap_ok(raw(&d, 3, true) == -EINVAL, "syncmap aliasing offset 0: -EINVAL");
	d = req(SCF_OP_SYNCMAP, 3, SCF_SYNC_BASE, 4096, 0, 0);
	tap_ok(raw(&d, 3, true) < 0, "syncmap over a synced range refused");
	d = req(SCF_OP_SYNCUNMAP, 3, (uint64_t)(uintptr_t)&d & ~4095ull, 4096, 0, 0);
	tap_ok(raw(&d, 3, true) == -EINVAL, "syncunmap of other memory: -EINVAL");
	still_serving("pointer attacks");
}

static void attack_rings(void)
{
	struct scf_desc d = req(SCF_OP_NULL, 0, 0, 0, 0, 0);
	uint32_t head;
	int64_t r;

	/* A descriptor index past capacity: no answer possible, no crash. */
	r = raw(&d, 0, false);
	(void)r;
	scf_ring_push(&lying_client.q.req, lying_client.q.capacity + 7);
	scf_ring_push(&lying_client.q.req, UINT32_MAX);
	usleep(100000);
	tap_ok(!scf_ring_pending(&lying_client.q.rsp) || scf_ring_pending(&lying_client.q.rsp) == 1,
	       "indices past capacity get no response");
	while (scf_ring_pending(&lying_client.q.rsp)) {
		uint32_t x;

		scf_ring_pop(&lying_client.q.rsp, &x);
	}
	still_serving("descriptor indices past capacity");
	/* A request head far ahead of the tail: the shadow resyncs. */
	head = atomic_load(&lying_client.q.hdr->req_tail.v) + 100000;
	atomic_store(&lying_client.q.hdr->req_head.v, head);
	usleep(100000);
	lying_client.q.req.prod = atomic_load(&lying_client.q.hdr->req_head.v);
	still_serving("a corrupt request head");
	/* Unknown opcodes. */
	d = req(0xdeadbeef, 0, 0, 0, 0, 0);
	tap_ok(raw(&d, 0, true) == -ENOSYS, "opcode 0xdeadbeef: -ENOSYS");
	d = req(SCF_OP_NR, 0, 0, 0, 0, 0);
	tap_ok(raw(&d, 0, true) == -ENOSYS, "opcode SCF_OP_NR: -ENOSYS");
}

static void fuzz(unsigned rounds)
{
	unsigned seed = 4242, i, answered = 0, lost = 0;

	for (i = 0; i < rounds; i++) {
		uint32_t idx = (uint32_t)rand_r(&seed) % lying_client.q.capacity;
		struct scf_desc d;
		uint8_t *chunk = lying_client.q.pool + idx * lying_client.q.pool_chunk;
		unsigned k;
		int64_t r;

		for (k = 0; k < 64; k++)
			chunk[k] = (uint8_t)rand_r(&seed);
		memset(&d, 0, sizeof(d));
		for (k = 0; k < sizeof(d.args) / 4; k++)
			((uint32_t *)d.args)[k] = (uint32_t)rand_r(&seed);
		d.opcode = (uint32_t)rand_r(&seed) % (SCF_OP_NR + 3);
		d.flags = (uint32_t)rand_r(&seed) & 3;
		d.payload_off = rand_r(&seed) & 1 ? idx * lying_client.q.pool_chunk :
				(uint32_t)rand_r(&seed);
		d.payload_len = (uint32_t)rand_r(&seed) % 128;
		if (d.opcode == SCF_OP_SYNCUNMAP)
			continue;	/* would drop our own synced arena */
		r = raw(&d, idx, true);
		if (r == -ETIMEDOUT || r == -EPROTO)
			lost++;
		else
			answered++;
	}
	tap_ok(lost == 0 && shadow_alive(),
	       "fuzz: %u random requests answered, %u lost", answered, lost);
}

/* scf-shadow on region's slot 0, serving clients slots from it. */
static int start_shadow(const char *bin, int region, uint64_t size, int memfd,
			const char *clients)
{
	char a[4][32];
	pid_t pid;

	snprintf(a[0], 32, "%d", region);
	snprintf(a[1], 32, "%llu", (unsigned long long)size);
	snprintf(a[2], 32, "%d", memfd);
	pid = fork();
	if (!pid) {
		fcntl(region, F_SETFD, 0);
		fcntl(memfd, F_SETFD, 0);
		execl(bin, bin, "--region-fd", a[0], "--region-size", a[1],
		      "--memfd-fd", a[2], "--root", root, "--cpu", "0",
		      "--backend", "spin", "--clients", clients, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/*
 * --ring inline: call number n in descriptor (n - 1) mod capacity,
 * published by desc.seq = n, answered by desc.done = n.  Garbage in the
 * descriptor is answered with an error; a number out of turn is not
 * served at all; the shadow keeps its turn and its health.
 */
static int64_t inline_raw(struct scf_client *c, const struct scf_desc *tmpl,
			  uint64_t n, bool expect_rsp)
{
	struct scf_desc *d = &c->q.desc[(n - 1) & (c->q.capacity - 1)];
	uint64_t t0 = now_ms();

	memcpy(d, tmpl, offsetof(struct scf_desc, seq));
	memcpy(d->args, tmpl->args, offsetof(struct scf_desc, probe) -
	       offsetof(struct scf_desc, args));
	atomic_store_explicit((_Atomic uint64_t *)&d->seq, n,
			      memory_order_release);
	while (atomic_load_explicit((_Atomic uint32_t *)&d->done,
				    memory_order_acquire) != (uint32_t)n) {
		if (now_ms() - t0 > (expect_rsp ? 2000 : 200))
			return -ETIMEDOUT;
		usleep(10);
	}
	return d->ret;
}

/* A memfd of size bytes sealed against shrinking and growing (the
 * shadow refuses any other), or -1. */
static int sealed_memfd(const char *name, uint64_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0 || ftruncate(fd, (off_t)size) ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW))
		return -1;
	return fd;
}

static void inline_pass(const char *bin, struct scf_notify_cfg cfg)
{
	static uint32_t stack[64];
	static uint8_t used[64];
	struct scf_client c;
	struct scf_notify *n;
	struct scf_geom g;
	struct scf_desc d;
	unsigned seed = 77, i, lost = 0;
	uint64_t size;
	void *mem;
	int region, memfd, st;
	pid_t pid;

	scf_geom_default(&g);
	g.nr_slots = 1;
	g.pool_chunk = 4096;
	g.ring = SCF_RING_INLINE;
	size = scf_region_size(&g);
	region = sealed_memfd("hostile-inline", size);
	memfd = sealed_memfd("hostile-inline-mem", 1 << 20);
	if (region < 0 || memfd < 0)
		return;
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, region, 0);
	if (mem == MAP_FAILED || scf_region_format(mem, size, &g) ||
	    scf_queue_attach(&c.q, mem, size, 0))
		return;
	cfg.q = &c.q;
	if (scf_notify_attach(&n, &cfg) ||
	    scf_client_init(&c, n, SCF_MEMSYNC_COPY, stack, used))
		return;
	pid = start_shadow(bin, region, size, memfd, "1");
	tap_ok(scf_null(&c) == 0, "inline: a good request is served");
	d = req(SCF_OP_NR + 7, 0, 0, 0, 0, 0);
	tap_ok(inline_raw(&c, &d, ++c.seq, true) == -ENOSYS,
	       "inline: an unknown opcode gets -ENOSYS");
	d = req(SCF_OP_WRITE, 0, 3, 0, 1u << 30, 0);
	tap_ok(inline_raw(&c, &d, ++c.seq, true) < 0,
	       "inline: a write beyond the chunk gets an error");
	d = req(SCF_OP_NULL, 0, 0, 0, 0, 0);
	tap_ok(inline_raw(&c, &d, c.seq + 5, false) == -ETIMEDOUT,
	       "inline: a call out of turn is not served");
	memset(&c.q.desc[(c.seq + 4) & (c.q.capacity - 1)], 0,
	       sizeof(struct scf_desc));
	tap_ok(scf_null(&c) == 0, "inline: the call in turn is served after it");
	for (i = 0; i < 500; i++) {
		unsigned k;

		memset(&d, 0, sizeof(d));
		for (k = 0; k < sizeof(d.args) / 4; k++)
			((uint32_t *)d.args)[k] = (uint32_t)rand_r(&seed);
		d.opcode = (uint32_t)rand_r(&seed) % (SCF_OP_NR + 3);
		d.flags = (uint32_t)rand_r(&seed) & 0xf;
		d.payload_off = (uint32_t)rand_r(&seed);
		d.payload_len = (uint32_t)rand_r(&seed) % 8192;
		if (d.opcode == SCF_OP_SYNCUNMAP || d.opcode == SCF_OP_EXIT ||
		    d.opcode == SCF_OP_SYNCFORK || d.opcode == SCF_OP_CLONE)
			d.opcode = SCF_OP_NULL;
		if (inline_raw(&c, &d, ++c.seq, true) == -ETIMEDOUT)
			lost++;
	}
	tap_ok(lost == 0 && scf_null(&c) == 0,
	       "inline: 500 random descriptors answered (%u lost), still serving",
	       lost);
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	       "inline: shadow exits 0 (status %#x): no crash, no sanitizer report",
	       st);
	munmap(mem, size);
	close(region);
	close(memfd);
}

/*
 * --clients 2: one shadow process serves both slots, so neither client
 * may end it, fork it or make it re-attach.  exit_group is refused with
 * -EOPNOTSUPP, and both clients are still served after it.
 */
static void shared_pass(const char *bin, struct scf_notify_cfg cfg)
{
	static uint32_t stack[2][64];
	static uint8_t used[2][64];
	struct scf_client c[2];
	struct scf_notify *n;
	struct scf_geom g;
	uint64_t size;
	int64_t r;
	void *mem;
	int region, memfd, st, i;
	pid_t pid;

	scf_geom_default(&g);
	g.nr_slots = 2;
	g.pool_chunk = 4096;
	size = scf_region_size(&g);
	region = sealed_memfd("hostile-shared", size);
	memfd = sealed_memfd("hostile-shared-mem", 1 << 20);
	if (region < 0 || memfd < 0)
		return;
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, region, 0);
	if (mem == MAP_FAILED || scf_region_format(mem, size, &g))
		return;
	for (i = 0; i < 2; i++) {
		if (scf_queue_attach(&c[i].q, mem, size, (uint32_t)i))
			return;
		cfg.q = &c[i].q;
		if (scf_notify_attach(&n, &cfg) ||
		    scf_client_init(&c[i], n, SCF_MEMSYNC_COPY, stack[i],
				    used[i]))
			return;
	}
	pid = start_shadow(bin, region, size, memfd, "2");
	tap_ok(scf_null(&c[0]) == 0 && scf_null(&c[1]) == 0,
	       "two clients, one shadow: both are served");
	r = scf_exit(&c[0], 3, SCF_EXIT_GROUP);
	tap_ok(r == -EOPNOTSUPP,
	       "two clients, one shadow: exit_group is refused (%lld)",
	       (long long)r);
	tap_ok(scf_null(&c[1]) == 0 && scf_null(&c[0]) == 0 &&
	       waitpid(pid, &st, WNOHANG) == 0,
	       "two clients, one shadow: both still served after it");
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	       "two clients: shadow exits 0 (status %#x)", st);
	munmap(mem, size);
	close(region);
	close(memfd);
}

int main(int argc, char **argv)
{
	static uint32_t stack[64];
	static uint8_t used[64];
	struct scf_notify_cfg cfg = { .side = SCF_SIDE_CLIENT, .dev_fd = -1,
				      .sock_fd = -1, .backend = "spin" };
	struct scf_notify *n;
	struct scf_geom g;
	char canary[192], buf[8];
	int region, memfd, fd, st, outside_before;
	uint64_t size;
	void *mem, *arena;
	struct stat cst;

	if (argc != 2) {
		fprintf(stderr, "usage: hostile SHADOW_BINARY\n");
		return 2;
	}
	snprintf(top, sizeof(top), "/tmp/scf-hostile.XXXXXX");
	if (!mkdtemp(top))
		return 2;
	snprintf(root, sizeof(root), "%s/root", top);
	snprintf(outside, sizeof(outside), "%s/outside", top);
	mkdir(root, 0755);
	mkdir(outside, 0755);
	snprintf(canary, sizeof(canary), "%s/canary", outside);
	fd = open(canary, O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || write(fd, "canary", 6) != 6)
		return 2;
	close(fd);
	outside_before = count_entries(outside);

	scf_geom_default(&g);
	g.nr_slots = 1;
	g.pool_chunk = 4096;
	size = scf_region_size(&g);
	region = sealed_memfd("hostile-region", size);
	memfd = sealed_memfd("hostile-mem", 16 << 20);
	if (region < 0 || memfd < 0)
		return 2;
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, region, 0);
	arena = mmap((void *)(uintptr_t)SCF_SYNC_BASE, 4 << 20,
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE,
		     memfd, 0);
	if (mem == MAP_FAILED || arena == MAP_FAILED ||
	    scf_region_format(mem, size, &g) ||
	    scf_queue_attach(&lying_client.q, mem, size, 0))
		return 2;
	cfg.q = &lying_client.q;
	if (scf_notify_attach(&n, &cfg) ||
	    scf_client_init(&lying_client, n, SCF_MEMSYNC_COPY, stack, used))
		return 2;
	shadow = start_shadow(argv[1], region, size, memfd, "1");
	tap_ok(scf_null(&lying_client) == 0, "shadow serves a good request");
	{
		int64_t r = scf_syncmap(&lying_client, arena, 4 << 20);

		tap_ok(r == 0, "syncmap of the arena (%lld)", (long long)r);
	}
	fd = (int)scf_openat(&lying_client, SCF_AT_FDCWD, "ok.dat", O_RDWR | O_CREAT, 0644);
	tap_ok(fd >= 0, "open beneath root works (fd %d)", fd);

	attack_paths();
	attack_fds();
	attack_lengths(fd);
	attack_pointers(fd);
	attack_rings();
	fuzz(3000);

	/* Good requests after all that, in both memsync modes. */
	tap_ok(scf_pwrite64(&lying_client, fd, "hello", 5, 0) == 5, "pwrite after the attacks");
	tap_ok(scf_pread64(&lying_client, fd, buf, 5, 0) == 5 && !memcmp(buf, "hello", 5),
	       "pread after the attacks");
	lying_client.memsync = SCF_MEMSYNC_MAP;
	memcpy(arena, "world", 5);
	tap_ok(scf_pwrite64(&lying_client, fd, arena, 5, 0) == 5, "map-mode pwrite after the attacks");
	lying_client.memsync = SCF_MEMSYNC_COPY;
	tap_ok(stat(canary, &cst) == 0 && cst.st_size == 6 &&
	       count_entries(outside) == outside_before,
	       "nothing outside --root was touched");
	tap_ok(access("/tmp/scf-hostile-abs", F_OK) != 0, "no absolute-path file created");

	inline_pass(argv[1], cfg);
	shared_pass(argv[1], cfg);

	kill(shadow, SIGTERM);
	waitpid(shadow, &st, 0);
	tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	       "shadow exits 0 on SIGTERM (status %#x): no crash, no sanitizer report",
	       st);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
		if (system(cmd))
			fprintf(stderr, "hostile: cleanup of %s failed\n", top);
	}
	return tap_done();
}
