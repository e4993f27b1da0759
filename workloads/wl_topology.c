// SPDX-License-Identifier: MIT
/*
 * wl_topology.c - one syscall core, several clients: a ring pair per
 * client that the server scans (spsc) against one shared multi-producer
 * receive queue with the answers routed back to each client's own
 * response ring (mpsc, scf_mpsc.h).  The queues alone: a server process
 * on the shadow's CPU that answers at once (no system call, no doorbell:
 * both sides poll), and N clients as N tasks on the client's CPU, each
 * with one call in flight (on two CPUs the clients cannot have their own
 * cores).  total is one call's round trip; calls_per_s the throughput.
 */
#include <errno.h>

#include "peer.h"
#include "scf_arch.h"
#include "scf_mpsc.h"
#include "scf_discipline.h"

#define TOPO_MAX	4u
#define TOPO_RING	4u	/* one call in flight per client: room to spare */
#define TOPO_QCAP	16u

struct topo_ring {
	struct scf_line head, tail, lock;
	_Alignas(64) _Atomic uint32_t entry[TOPO_RING];
};

struct topo_desc {
	_Alignas(64) uint64_t seq;
	int64_t ret;
};

struct topo_shm {
	struct topo_ring req[TOPO_MAX], rsp[TOPO_MAX];
	struct topo_desc desc[TOPO_MAX];
	_Alignas(64) uint8_t mpsc[sizeof(struct scf_mpsc_hdr) +
				  TOPO_QCAP * sizeof(struct scf_mpsc_cell)];
};

struct topo {
	struct topo_shm *m;
	uint32_t n;		/* clients */
	bool mpsc;
	pid_t pid;
};

static void bind_ring(struct scf_ring *r, struct topo_ring *t)
{
	scf_ring_bind(r, &t->head.v, &t->tail.v, &t->lock.v, t->entry,
		      TOPO_RING, SCF_RING_LOCKFREE);
}

/* The syscall core: answer seq + 1 to whoever asked. */
static int topo_server(void *arg, uint64_t rounds)
{
	struct topo *t = arg;
	struct scf_ring req[TOPO_MAX], rsp[TOPO_MAX];
	struct scf_mpsc q;
	uint64_t served = 0;
	uint32_t c, e;

	for (c = 0; c < t->n; c++) {
		bind_ring(&req[c], &t->m->req[c]);
		bind_ring(&rsp[c], &t->m->rsp[c]);
	}
	if (scf_mpsc_attach(&q, t->m->mpsc))
		return -1;
	for (c = 0; served < rounds; c = c + 1 == t->n ? 0 : c + 1) {
		if (t->mpsc) {
			if (scf_mpsc_pop(&q, &e)) {
				scf_cpu_relax();
				continue;
			}
			c = SCF_MPSC_CLIENT(e);
			if (c >= t->n)
				return -1;
		} else if (scf_ring_pop(&req[c], &e)) {
			continue;	/* scan on: the next client's ring */
		}
		/* The pop's acquire made the client's descriptor visible. */
		t->m->desc[c].ret = (int64_t)t->m->desc[c].seq + 1;
		/* release (in push): the answer before the index */
		while (scf_ring_push(&rsp[c], 0))
			scf_cpu_relax();
		served++;
	}
	return 0;
}

static double topo_ns[2][TOPO_MAX + 1], topo_calls[2][TOPO_MAX + 1];

static int topo_measure(struct bench *b, int64_t *ticks, uint64_t n,
			bool mpsc, uint32_t nc)
{
	struct topo t = { .m = peer_shared(b, sizeof(struct topo_shm)), .n = nc,
			  .mpsc = mpsc };
	struct scf_ring req[TOPO_MAX], rsp[TOPO_MAX];
	uint64_t t0[TOPO_MAX], sent = 0, done = 0, want = PEER_WARMUP + n;
	uint64_t w0 = 0, spins = 0;
	struct scf_mpsc q;
	uint32_t c, idx;
	int err = 0;

	if (!t.m)
		return -ENOMEM;
	if (scf_mpsc_format(t.m->mpsc, TOPO_QCAP) ||
	    scf_mpsc_attach(&q, t.m->mpsc)) {
		peer_unshare(t.m, sizeof(*t.m));
		return -EINVAL;
	}
	for (c = 0; c < nc; c++) {
		bind_ring(&req[c], &t.m->req[c]);
		bind_ring(&rsp[c], &t.m->rsp[c]);
	}
	t.pid = peer_start(b, topo_server, &t, n);
	if (t.pid < 0) {
		peer_unshare(t.m, sizeof(*t.m));
		return t.pid;
	}
	/* Every client submits, then each resubmits as its answer comes. */
	for (c = 0; c < nc && sent < want; c++, sent++) {
		t.m->desc[c].seq = sent;
		t0[c] = scf_rdtsc_ordered();
		err = mpsc ? scf_mpsc_push(&q, SCF_MPSC_ENTRY(c, 0)) :
			     scf_ring_push(&req[c], 0);
	}
	for (c = 0; !err && done < want; c = c + 1 == nc ? 0 : c + 1) {
		uint64_t now;

		if (scf_ring_pop(&rsp[c], &idx)) {
			if (!(++spins & 0xfffff) && peer_dead(t.pid))
				err = -EPIPE;
			scf_cpu_relax();
			continue;
		}
		now = scf_rdtsc_ordered();
		if (t.m->desc[c].ret != (int64_t)t.m->desc[c].seq + 1)
			err = -EPROTO;
		if (done >= PEER_WARMUP)
			ticks[done - PEER_WARMUP] = (int64_t)(now - t0[c]);
		else if (done + 1 == PEER_WARMUP)
			w0 = now;
		done++;
		if (sent < want) {
			t.m->desc[c].seq = sent++;
			t0[c] = scf_rdtsc_ordered();
			err = mpsc ? scf_mpsc_push(&q, SCF_MPSC_ENTRY(c, 0)) :
				     scf_ring_push(&req[c], 0);
		}
	}
	if (!err && w0) {
		topo_ns[mpsc][nc] += (double)(scf_rdtsc_ordered() - w0) * 1e9 /
				     (double)b->tsc_hz;
		topo_calls[mpsc][nc] += (double)n;
	}
	if (err)
		peer_kill(t.pid);
	else
		err = peer_reap(t.pid);
	peer_unshare(t.m, sizeof(*t.m));
	return err;
}

static void topo_annotate(struct measurement *r, bool mpsc, uint32_t nc)
{
	meas_extra(r, "clients", nc);
	if (topo_ns[mpsc][nc] > 0)
		meas_extra(r, "calls_per_s",
			  topo_calls[mpsc][nc] * 1e9 / topo_ns[mpsc][nc]);
	topo_ns[mpsc][nc] = topo_calls[mpsc][nc] = 0;
}

#define TOPO_WL(topo, is_mpsc, nc) \
	static int topo_##topo##nc##_measure(struct bench *b, \
			struct wl_ctx *x, int64_t *ticks, uint64_t n) \
	{ \
		(void)x; \
		return topo_measure(b, ticks, n, is_mpsc, nc); \
	} \
	static void topo_##topo##nc##_annotate(struct bench *b, struct measurement *r) \
	{ \
		(void)b; \
		topo_annotate(r, is_mpsc, nc); \
	} \
	static const struct wl wl_topo_##topo##nc = { \
		.name = "ring-" #topo "-" #nc, .kind = WL_PEER, \
		.about = #nc " client(s) on one core, " #topo " queues, " \
			 "polled, no syscall", \
		.group = "topology", \
		.measure = topo_##topo##nc##_measure, \
		.annotate = topo_##topo##nc##_annotate, \
	}; \
	SCF_WORKLOAD(wl_topo_##topo##nc)

TOPO_WL(spsc, false, 1);
TOPO_WL(spsc, false, 2);
TOPO_WL(spsc, false, 4);
TOPO_WL(mpsc, true, 1);
TOPO_WL(mpsc, true, 2);
TOPO_WL(mpsc, true, 4);
