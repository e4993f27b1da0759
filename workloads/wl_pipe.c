// SPDX-License-Identifier: MIT
/*
 * wl_pipe.c - pipe ping-pong between two processes, one byte each way
 * (lmbench's lat_pipe).
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "peer.h"

struct pp {
	int ping[2], pong[2];	/* client -> peer, peer -> client */
	pid_t pid;
};

/* The pipe's lock orders the byte: no barrier of our own. */
static int pipe_side(void *arg, uint64_t rounds)
{
	struct pp *p = arg;
	uint64_t r;
	char c;
	int err;

	for (r = 1; r <= rounds; r++) {
		err = peer_read(p->ping[0], &c, 1, 0) ?:
		      peer_write(p->pong[1], &c, 1);
		if (err)
			return err;
	}
	return 0;
}

static int pipe_rt(void *arg, uint64_t r)
{
	struct pp *p = arg;
	char c = (char)r;

	return peer_write(p->ping[1], &c, 1) ?:
	       peer_read(p->pong[0], &c, 1, p->pid) ?:
	       (c == (char)r ? 0 : -EIO);
}

static int pipe_measure(struct bench *b, struct wl_ctx *x, int64_t *ticks,
			uint64_t n)
{
	struct pp p = { .ping = { -1, -1 }, .pong = { -1, -1 } };
	int err = 0, i;

	(void)x;
	if (pipe2(p.ping, O_CLOEXEC) || pipe2(p.pong, O_CLOEXEC))
		err = -errno;
	if (!err)
		err = peer_pingpong(b, ticks, n, pipe_side, pipe_rt, &p, &p.pid);
	for (i = 0; i < 2; i++) {
		if (p.ping[i] >= 0)
			close(p.ping[i]);
		if (p.pong[i] >= 0)
			close(p.pong[i]);
	}
	return err;
}

static const struct wl wl_pipe = {
	.name = "pipe",
	.kind = WL_PEER,
	.about = "pipe ping-pong between two processes, 1 byte each way",
	.measure = pipe_measure,
	.wait = peer_wait_sleep,
};

SCF_WORKLOAD(wl_pipe);
