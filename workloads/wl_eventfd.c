// SPDX-License-Identifier: MIT
/*
 * wl_eventfd.c - eventfd ping-pong between two processes: a write of 1 to
 * the peer's eventfd wakes its blocking read.  Both fds are created before
 * the fork, so each process holds both.
 */
#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "peer.h"

struct efd {
	int ping, pong;		/* client -> peer, peer -> client */
	pid_t pid;
};

static const uint64_t one = 1;

/* The kernel's eventfd lock orders the counter: no barrier of our own. */
static int efd_side(void *arg, uint64_t rounds)
{
	struct efd *e = arg;
	uint64_t r, v;
	int err;

	for (r = 1; r <= rounds; r++) {
		err = peer_read(e->ping, &v, sizeof(v), 0) ?:
		      peer_write(e->pong, &one, sizeof(one));
		if (err)
			return err;
	}
	return 0;
}

static int efd_rt(void *arg, uint64_t r)
{
	struct efd *e = arg;
	uint64_t v;

	(void)r;
	return peer_write(e->ping, &one, sizeof(one)) ?:
	       peer_read(e->pong, &v, sizeof(v), e->pid);
}

static int eventfd_measure(struct bench *b, struct wl_ctx *x, int64_t *ticks,
			   uint64_t n)
{
	struct efd e = { .ping = eventfd(0, EFD_CLOEXEC),
			 .pong = eventfd(0, EFD_CLOEXEC) };
	int err = e.ping < 0 || e.pong < 0 ? -errno : 0;

	(void)x;
	if (!err)
		err = peer_pingpong(b, ticks, n, efd_side, efd_rt, &e, &e.pid);
	if (e.ping >= 0)
		close(e.ping);
	if (e.pong >= 0)
		close(e.pong);
	return err;
}

static const struct wl wl_eventfd = {
	.name = "eventfd",
	.kind = WL_PEER,
	.about = "eventfd write/read ping-pong between two processes",
	.measure = eventfd_measure,
	.wait = peer_wait_sleep,
};

SCF_WORKLOAD(wl_eventfd);
