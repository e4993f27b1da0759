// SPDX-License-Identifier: MIT
/*
 * wl_pingpong.c - the physical limit: one cache line bouncing between the
 * client's and the shadow's CPU, between two processes, as SCF's rings do.
 * The raw notification round trip of the poll variant.
 */
#include <errno.h>
#include <stdatomic.h>

#include "peer.h"
#include "scf_arch.h"

struct pp_line {
	_Alignas(64) _Atomic uint64_t ping;
	_Alignas(64) _Atomic uint64_t pong;
};

struct pp {
	struct pp_line *l;
	pid_t pid;
};

static int pp_side(void *arg, uint64_t rounds)
{
	struct pp *p = arg;
	uint64_t r;

	for (r = 1; r <= rounds; r++) {
		/* acquire: pairs with the client's release of ping */
		while (atomic_load_explicit(&p->l->ping, memory_order_acquire) != r)
			scf_cpu_relax();
		/* release: pairs with the client's acquire of pong */
		atomic_store_explicit(&p->l->pong, r, memory_order_release);
	}
	return 0;
}

static int pp_rt(void *arg, uint64_t r)
{
	struct pp *p = arg;
	uint64_t spins = 0;

	/* release: pairs with the peer's acquire of ping */
	atomic_store_explicit(&p->l->ping, r, memory_order_release);
	/* acquire: pairs with the peer's release of pong */
	while (atomic_load_explicit(&p->l->pong, memory_order_acquire) != r) {
		scf_cpu_relax();
		if (!(++spins & 0xfffff) && peer_dead(p->pid))
			return -EPIPE;
	}
	return 0;
}

static int pingpong_measure(struct bench *b, struct wl_ctx *x, int64_t *ticks,
			    uint64_t n)
{
	struct pp p = { .l = peer_shared(b, sizeof(struct pp_line)) };
	int err;

	(void)x;
	if (!p.l)
		return -ENOMEM;
	err = peer_pingpong(b, ticks, n, pp_side, pp_rt, &p, &p.pid);
	peer_unshare(p.l, sizeof(*p.l));
	return err;
}

static const struct wl wl_pingpong = {
	.name = "pingpong",
	.kind = WL_PEER,
	.about = "cache-line round trip between the two CPUs",
	.measure = pingpong_measure,
	.wait = peer_wait_spin,
};

SCF_WORKLOAD(wl_pingpong);
