// SPDX-License-Identifier: MIT
/*
 * spawn.c - the region, the RTOS-side memory for memsync=map, and the
 * shadow process: started pinned to its CPU, stopped on every exit path.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <poll.h>
#include <unistd.h>

#include "bench.h"
#include "placement.h"
#include "scf_mpsc.h"
#include "scf_wait.h"

/*
 * A memfd of size bytes that can never shrink or grow: scf-shadow refuses
 * one that could, as a shrunk mapping faults (SIGBUS) on the next touch.
 */
static int sealed_memfd(const char *name, uint64_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int clear_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFD);

	return fl < 0 ? -errno : fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
}

/*
 * --clients: the slots after the first, which the one shadow serves too
 * (they must follow it), and for --topology mpsc the shared request
 * queue in the first slot's queue page, formatted before it starts.
 */
static int more_clients_create(struct bench *b,
			       const struct scf_region_info *info)
{
	uint32_t i;
	int slot, err;

	for (i = 1; i < b->clients; i++) {
		struct bench_peer_client *m = &b->more[i - 1];

		slot = scf_slot_alloc(b->region, info, getpid());
		if (slot != (int)(b->slot + i)) {
			fprintf(stderr, "scf-bench: --clients %u: slot %u is not "
				"free (%s)\n", b->clients, b->slot + i,
				slot < 0 ? scf_strerror(slot) : "another was");
			return slot < 0 ? slot : -EBUSY;
		}
		err = scf_queue_attach(&m->c.q, b->region, b->region_size,
				       (uint32_t)slot);
		if (err) {
			fprintf(stderr, "scf-bench: attach slot %d: %s\n", slot,
				scf_strerror(err));
			return err;
		}
		m->alloc_stack = calloc(m->c.q.capacity, sizeof(uint32_t));
		m->alloc_used = calloc(m->c.q.capacity, 1);
		if (!m->alloc_stack || !m->alloc_used)
			return -ENOMEM;
	}
	if (b->mpsc) {
		err = scf_mpsc_format(b->c.q.hdr->recv, SCF_QHDR_RECV_CAP);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The pages the calls touch: the control page, and the slot's header,
 * rings, descriptors and late log, with the first pages of its pool;
 * probed and, where past the floor, replaced before the shadow maps them.
 */
static void place_hot_pages(struct bench *b, int fd)
{
	uint64_t off[PLACE_MAX_PAGES], at, end;
	uint32_t n = 0;

	off[n++] = 0;
	at = (uint64_t)((uint8_t *)b->c.q.hdr - (uint8_t *)b->region);
	end = (uint64_t)(b->c.q.pool - (uint8_t *)b->region) + 4 * 4096ull;
	for (; at < end && at + 4096 <= b->region_size &&
	     n < PLACE_MAX_PAGES; at += 4096)
		off[n++] = at;
	placement_run(b, fd, b->region, b->region_size, off, n, &b->place);
}

int bench_region_create(struct bench *b)
{
	const char *dev = scf_notify_region_dev(b->backend);
	struct scf_region_info info;
	struct scf_geom g;
	int fd, err, slot;

	scf_geom_default(&g);
	g.ring = b->ring;
	if (b->capacity)
		g.capacity = b->capacity;
	if (b->clients > 1)	/* room left for forked slots (dual calls) */
		g.nr_slots += b->clients - 1;
	b->region_size = scf_region_size(&g);
	b->dev_fd = -1;
	if (dev) {
		fd = open(dev, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			fprintf(stderr, "scf-bench: open %s: %s\n", dev,
				strerror(errno));
			return -errno;
		}
		b->dev_fd = fd;
		err = scf_notify_region_fit(b->backend, fd, &g, &b->region_size);
		if (err) {
			fprintf(stderr, "scf-bench: %s: region does not fit: %s\n",
				dev, strerror(-err));
			return err;
		}
	} else {
		fd = sealed_memfd("scf-region", b->region_size);
		if (fd < 0) {
			fprintf(stderr, "scf-bench: region memfd: %s\n",
				strerror(-fd));
			return fd;
		}
	}
	b->region_fd = fd;
	b->region = mmap(NULL, b->region_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, fd, 0);
	if (b->region == MAP_FAILED) {
		fprintf(stderr, "scf-bench: mmap region: %s\n", strerror(errno));
		return -errno;
	}
	/* A device region outlives runs: start from nothing, like a memfd. */
	if (dev)
		memset(b->region, 0, b->region_size);

	err = scf_region_format(b->region, b->region_size, &g);
	if (!err)
		err = scf_region_check(b->region, b->region_size, &info);
	slot = err ? err : scf_slot_alloc(b->region, &info, getpid());
	if (slot < 0) {
		fprintf(stderr, "scf-bench: region: %s\n", scf_strerror(slot));
		return slot;
	}
	b->slot = (uint32_t)slot;
	err = scf_queue_attach(&b->c.q, b->region, b->region_size, b->slot);
	if (err) {
		fprintf(stderr, "scf-bench: attach: %s\n", scf_strerror(err));
		return err;
	}
	place_hot_pages(b, dev || b->place_off ? -1 : fd);
	b->alloc_stack = calloc(b->c.q.capacity, sizeof(uint32_t));
	b->alloc_used = calloc(b->c.q.capacity, 1);
	if (!b->alloc_stack || !b->alloc_used)
		return -ENOMEM;
	err = more_clients_create(b, &info);
	if (err)
		return err;

	/* RTOS-side memory for memsync=map, at the agreed address. */
	b->memfd = sealed_memfd("scf-rtos-mem", MEMFD_SIZE);
	if (b->memfd < 0)
		return b->memfd;
	b->arena_size = ARENA_SIZE;
	b->arena = mmap((void *)(uintptr_t)SCF_SYNC_BASE, b->arena_size,
			PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_FIXED_NOREPLACE, b->memfd, 0);
	if (b->arena == MAP_FAILED ||
	    (uintptr_t)b->arena != (uintptr_t)SCF_SYNC_BASE) {
		fprintf(stderr, "scf-bench: cannot map the sync window at %#llx: "
			"%s\n", (unsigned long long)SCF_SYNC_BASE,
			strerror(errno));
		return -EEXIST;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, b->sock))
		return -errno;
	return 0;
}

/* How long a starting shadow has to say it is ready. */
#define READY_MS	10000

/*
 * The shadow closed its end of the ready pipe without a byte: wait (up to
 * 2 s) for it to exit, and say in one line how it did.  Its own message,
 * if it gave one, is above.  false if it is still running.
 */
static bool shadow_reap(struct bench *b, pid_t pid)
{
	int status, i;

	for (i = 0; i < 200; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(10000);
	}
	if (i == 200)
		return false;
	b->shadow_pid = 0;	/* reaped: bench_shadow_stop() has nothing to do */
	if (WIFEXITED(status))
		fprintf(stderr, "scf-bench: scf-shadow %s exited before it was "
			"ready (exit status %d)\n", b->shadow_path,
			WEXITSTATUS(status));
	else
		fprintf(stderr, "scf-bench: scf-shadow %s exited before it was "
			"ready (signal %d)\n", b->shadow_path,
			WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return true;
}

int bench_shadow_start(struct bench *b)
{
	char a[16][64], wait[32];
	char *argv[32];
	int ready[2], n = 0, i, got, err;
	sigset_t chld, old;
	struct pollfd pfd;
	char byte;
	pid_t pid;

	if (pipe2(ready, O_CLOEXEC))
		return -errno;
	snprintf(a[0], 64, "%llu", (unsigned long long)b->region_size);
	snprintf(a[1], 64, "%u", b->slot);
	snprintf(a[2], 64, "%d", b->shadow_cpu);
	snprintf(a[3], 64, "%d", b->sock[1]);
	snprintf(a[4], 64, "%d", b->memfd);
	snprintf(a[5], 64, "%d", ready[1]);
	snprintf(a[6], 64, "%llu", (unsigned long long)b->delay_ns);
	snprintf(a[7], 64, "%d", b->region_fd);
	snprintf(a[8], 64, "%g", b->call_timeout_s);
	argv[n++] = (char *)b->shadow_path;
	if (b->dev_fd >= 0) {
		argv[n++] = "--region-dev";
		argv[n++] = (char *)scf_notify_region_dev(b->backend);
	} else {
		argv[n++] = "--region-fd";
		argv[n++] = a[7];
	}
	argv[n++] = "--region-size";	argv[n++] = a[0];
	argv[n++] = "--slot";		argv[n++] = a[1];
	argv[n++] = "--cpu";		argv[n++] = a[2];
	argv[n++] = "--sock-fd";	argv[n++] = a[3];
	argv[n++] = "--memfd-fd";	argv[n++] = a[4];
	argv[n++] = "--ready-fd";	argv[n++] = a[5];
	argv[n++] = "--service-delay-ns"; argv[n++] = a[6];
	argv[n++] = "--root";		argv[n++] = (char *)b->root;
	if (b->call_timeout_s > 0) {	/* 0: a harness that sets none */
		argv[n++] = "--call-timeout";
		argv[n++] = a[8];
	}
	argv[n++] = "--backend";	argv[n++] = (char *)b->backend;
	if (b->clients > 1 || b->mpsc) {
		snprintf(a[9], 64, "%u", b->clients ? b->clients : 1);
		argv[n++] = "--clients";	argv[n++] = a[9];
		argv[n++] = "--topology";
		argv[n++] = b->mpsc ? "mpsc" : "spsc";
	}
	if (b->stdio)
		argv[n++] = "--stdio";
	/* The shadow's receiver waits as the client's does. */
	if (b->wait.kind != SCF_WAIT_DEFAULT) {
		argv[n++] = "--wait";
		argv[n++] = (char *)scf_wait_format(&b->wait, wait, sizeof(wait));
	}
	argv[n] = NULL;

	/*
	 * SIGCHLD held until the shadow is ready: one that exits first is
	 * reaped here, with its status, not by main.c's handler, which
	 * would take it for a death during the run.
	 */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	pid = fork();
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -errno;
	}
	if (!pid) {
		int keep[] = { b->region_fd, b->sock[1], b->memfd, ready[1] };

		sigprocmask(SIG_SETMASK, &old, NULL);
		for (i = 0; i < 4; i++)
			if (keep[i] >= 0 && clear_cloexec(keep[i]))
				_exit(127);
		/* The shadow must not share the client's fifo/affinity. */
		execv(b->shadow_path, argv);
		fprintf(stderr, "scf-bench: exec %s: %s\n", b->shadow_path,
			strerror(errno));
		_exit(127);
	}
	b->shadow_pid = pid;
	close(ready[1]);
	/* Bounded wait: a shadow that cannot attach exits, and we say so. */
	pfd.fd = ready[0];
	pfd.events = POLLIN;
	got = poll(&pfd, 1, READY_MS);
	err = errno;
	if (got == 1 && read(ready[0], &byte, 1) == 1) {
		close(ready[0]);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return 0;
	}
	close(ready[0]);
	/* got 1 and nothing read: every writer closed, the shadow is going. */
	if (got == 1 && shadow_reap(b, pid))
		b->shadow_unready = true;
	else if (got == 1)
		fprintf(stderr, "scf-bench: scf-shadow %s closed its ready fd "
			"and did not exit\n", b->shadow_path);
	else if (got == 0)
		fprintf(stderr, "scf-bench: scf-shadow %s did not say it was "
			"ready within %d s\n", b->shadow_path, READY_MS / 1000);
	else if (err != EINTR)		/* EINTR: main.c says "interrupted" */
		fprintf(stderr, "scf-bench: waiting for scf-shadow: %s\n",
			strerror(err));
	bench_shadow_stop(b);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return -EIO;
}

void bench_shadow_stop(struct bench *b)
{
	sigset_t chld, old;
	pid_t pid;
	int status, i;

	/* The SIGCHLD handler reaps the shadow too: keep it out meanwhile. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	pid = b->shadow_pid;
	if (pid <= 0)
		goto out;
	kill(pid, SIGTERM);
	/* Give it 2 s to leave cleanly, then make sure. */
	for (i = 0; i < 200; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			goto reaped;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
reaped:
	b->shadow_pid = 0;
out:
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int bench_notify_attach(struct bench *b)
{
	struct scf_notify_cfg cfg = {
		.q = &b->c.q, .side = SCF_SIDE_CLIENT,
		.peer_pid = b->shadow_pid, .dev_fd = b->dev_fd,
		.sock_fd = b->sock[0], .cpu = (uint32_t)b->client_cpu,
		.backend = b->backend, .wait = b->wait,
	};
	struct scf_notify *n;
	int err = scf_notify_attach(&n, &cfg);

	if (err) {
		fprintf(stderr, "scf-bench: notify %s/%s: %s\n",
			scf_notify_name(), b->backend, scf_strerror(err));
		return err;
	}
	bench_wait_attached(b, n);
	if (scf_notify_detail && scf_notify_detail(n)) {
		snprintf(b->detail, sizeof(b->detail), "%s", scf_notify_detail(n));
		printf("scf-bench: %s/%s set up: %s\n", scf_notify_name(),
		       b->backend, b->detail);
	}
	err = scf_client_init(&b->c, n, b->memsync, b->alloc_stack,
			      b->alloc_used);
	/* Every client rings the first slot's doorbells (shadow/serve_loop.c). */
	for (uint32_t i = 1; !err && i < b->clients; i++) {
		struct bench_peer_client *m = &b->more[i - 1];

		err = scf_client_init(&m->c, n, b->memsync, m->alloc_stack,
				      m->alloc_used);
		/*
		 * Client i numbers its calls from i * 2^40: an answer routed
		 * to the wrong client names a call that client never made,
		 * which its reaper counts as stray and the run fails.
		 */
		m->c.seq = (uint64_t)i << 40;
	}
	return err;
}
