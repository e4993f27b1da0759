/* SPDX-License-Identifier: MIT */
/* tests/uintr/uintr_test.h - a shared (memfd) region and a ping-pong peer. */
#ifndef UINTR_TEST_H
#define UINTR_TEST_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "scf_notify.h"
#include "scf_region.h"
#include "uintr_notify.h"

struct shm_region {
	void *mem;
	uint64_t size;
	int fd;
};

/* A memfd-backed one-slot region, formatted, MAP_SHARED (fork keeps it). */
static inline int shm_region_make(struct shm_region *r)
{
	struct scf_geom g;

	scf_geom_default(&g);
	g.nr_slots = 1;
	g.capacity = 4;
	g.pool_chunk = 64;
	g.late_cap = 4;
	r->size = scf_region_size(&g);
	r->fd = memfd_create("uintr-test", MFD_CLOEXEC);
	if (r->fd < 0)
		return -errno;
	if (ftruncate(r->fd, (off_t)r->size))
		return -errno;
	r->mem = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      r->fd, 0);
	if (r->mem == MAP_FAILED)
		return -errno;
	return scf_region_format(r->mem, r->size, &g);
}

static inline void shm_region_free(struct shm_region *r)
{
	munmap(r->mem, r->size);
	close(r->fd);
}

static inline uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * One side of a ping-pong over the real rings: the shadow pops a request
 * and pushes it back as the response; the client pushes, then collects.
 */
struct pp_side {
	struct scf_queue q;
	struct scf_notify *n;
	enum scf_side side;
	const char *backend;
	struct scf_wait_policy wait;	/* asked for; zero: the default */
	int sock_fd;
	int32_t peer_pid;
	uint32_t rounds;
	uint32_t done;		/* round trips completed */
	int err;
	struct uintr_stats st;
};

static inline bool pp_req_ready(void *arg)
{
	struct pp_side *s = arg;

	/* acquire inside: pairs with the client's release in push */
	return scf_ring_pending(&s->q.req) > 0;
}

static inline bool pp_rsp_ready(void *arg)
{
	struct pp_side *s = arg;

	return scf_ring_pending(&s->q.rsp) > 0;
}

static inline int pp_attach(struct pp_side *s, void *mem, uint64_t size)
{
	struct scf_notify_cfg cfg = {
		.q = &s->q, .side = s->side, .peer_pid = s->peer_pid,
		.dev_fd = -1, .sock_fd = s->sock_fd, .cpu = 0,
		.backend = s->backend, .wait = s->wait,
	};
	int ret = scf_queue_attach(&s->q, mem, size, 0);

	return ret ? ret : scf_notify_attach(&s->n, &cfg);
}

/* Runs `rounds` round trips as s->side; 0 or -errno. */
static inline int pp_run(struct pp_side *s)
{
	uint32_t i, idx;
	int ret;

	for (i = 0; i < s->rounds; i++) {
		if (s->side == SCF_SIDE_CLIENT) {
			ret = scf_ring_push(&s->q.req, i % s->q.capacity);
			if (!ret)
				ret = scf_notify_kick(s->n, NULL);
			if (!ret)
				ret = scf_notify_wait(s->n, pp_rsp_ready, s, NULL);
			if (!ret)
				ret = scf_ring_pop(&s->q.rsp, &idx);
			if (!ret && idx != i % s->q.capacity)
				ret = -EPROTO;
		} else {
			ret = scf_notify_wait(s->n, pp_req_ready, s, NULL);
			if (!ret)
				ret = scf_ring_pop(&s->q.req, &idx);
			if (!ret)
				ret = scf_ring_push(&s->q.rsp, idx);
			if (!ret)
				ret = scf_notify_kick(s->n, NULL);
		}
		if (ret)
			return ret;
		s->done = i + 1;
	}
	return uintr_notify_stats(s->n, &s->st);
}

#endif
