// SPDX-License-Identifier: MIT
/*
 * serve_multi.c - one syscall core serving several clients, the slots
 * [slot, slot + n) of one region, in one of two topologies:
 *
 *   spsc: each client has its ring pair; the shadow scans the request
 *         rings in turn, draining each;
 *   mpsc: every client pushes (client, descriptor) into one shared
 *         multi-producer queue, qhdr.recv of the first slot; the shadow
 *         pops it and answers on that client's own response ring.
 *
 * A client's synchronous calls (the bench's set-up: syncmap) still use
 * its own request ring, so the mpsc shadow looks at those rings too; in
 * an mpsc run nobody writes them, their lines stay in the shadow's cache
 * and the look costs a few loads.
 *
 * One doorbell pair serves them all, the first slot's: every client
 * rings its shadow side, and the shadow sleeps on it with a condition
 * that looks at every client's requests, so a sleeping backend waits on
 * one word for n clients.  The clients are tasks of one RTOS thread
 * (scf_exec_run_group), so one reply doorbell, rung once the shadow has
 * nothing left to take, wakes whoever waits.  S5 is each response's
 * publication: the one reply kick of a batch is counted (rsp_kicks of
 * the first slot), not stamped on any call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scf_mpsc.h"
#include "scf_probe.h"
#include "shadow.h"

struct multi {
	struct shadow *c[SHADOW_CLIENTS_MAX];
	uint32_t n;
	bool mpsc;
	struct scf_mpsc recv;
};

static bool pending(const struct multi *m)
{
	uint32_t i;

	if (m->mpsc && scf_mpsc_ready(&m->recv))
		return true;
	for (i = 0; i < m->n; i++)
		if (scf_ring_pending(&m->c[i]->q.req))
			return true;
	return false;
}

static bool multi_ready(void *arg)
{
	const struct multi *m = arg;

	return *m->c[0]->stop || pending(m);
}

/* Serve idx of client s, popped at probe[S1]; S5 is the publication. */
static void answer(struct shadow *s, uint32_t idx, uint64_t *probe,
		   uint64_t *kwait)
{
	static const uint64_t nokick[2];
	uint64_t seq;
	int got;

	if (idx >= s->q.capacity) {
		s->st.bad_index++;	/* no descriptor to answer in */
		return;
	}
	got = shadow_answer(s, idx, probe, kwait, &seq);
	if (got < 0)
		return;
	/* A batch shares one wake-up: later ones had no wait. */
	kwait[0] = kwait[1] = 0;
	if (!got)
		return;		/* not a sampled request: no late entry */
	shadow_stamp_out(s, seq, probe, nokick);
}

/* One pass over what is queued: how many requests were taken. */
static uint32_t pass(struct multi *m, uint64_t *probe, uint64_t *kwait)
{
	uint32_t got = 0, i, e, idx;
	int err;

	if (m->mpsc) {
		while (!scf_mpsc_pop(&m->recv, &e)) {
			scf_probe(probe, SCF_S1_POPPED);
			got++;
			if (SCF_MPSC_CLIENT(e) >= m->n) {
				m->c[0]->st.bad_index++;	/* no such client */
				continue;
			}
			answer(m->c[SCF_MPSC_CLIENT(e)], SCF_MPSC_IDX(e), probe,
			       kwait);
		}
	}
	for (i = 0; i < m->n; i++) {
		struct shadow *s = m->c[i];

		while ((err = scf_ring_pop(&s->q.req, &idx)) != -SCF_EAGAIN) {
			if (err) {
				/* Client's head is garbage: drop its claim. */
				s->st.bad_ring++;
				scf_ring_resync(&s->q.req);
				break;
			}
			scf_probe(probe, SCF_S1_POPPED);
			got++;
			answer(s, idx, probe, kwait);
		}
	}
	return got;
}

static void reply_kick(struct multi *m)
{
	struct shadow *s = m->c[0];

	if (scf_notify_kick(s->n, NULL) == 0)
		/* Statistics only: no reader orders anything by it. */
		atomic_fetch_add_explicit(&s->q.hdr->rsp_kicks.v, 1,
					  memory_order_relaxed);
}

static int multi_attach(struct multi *m, struct shadow *s, uint32_t n,
			bool mpsc)
{
	uint32_t i;
	int err;

	memset(m, 0, sizeof(*m));
	m->n = n;
	m->mpsc = mpsc;
	m->c[0] = s;
	for (i = 1; i < n; i++) {
		m->c[i] = malloc(sizeof(*s));
		if (!m->c[i])
			return -1;
		/* Same root, backend and limits; its own queue and fds. */
		*m->c[i] = *s;
		memset(&m->c[i]->fds, 0, sizeof(s->fds));
		memset(&m->c[i]->st, 0, sizeof(s->st));
		err = scf_queue_attach(&m->c[i]->q, s->dual.region,
				       s->dual.region_size, s->dual.slot + i);
		if (err) {
			fprintf(stderr, "scf-shadow: client %u (slot %u): %s\n",
				i, s->dual.slot + i, scf_strerror(err));
			return -1;
		}
	}
	if (mpsc && (err = scf_mpsc_attach(&m->recv, s->q.hdr->recv))) {
		fprintf(stderr, "scf-shadow: slot %u's receive queue: %s\n",
			s->dual.slot, scf_strerror(err));
		return -1;
	}
	return 0;
}

int shadow_serve_multi(struct shadow *s, uint32_t n, bool mpsc)
{
	uint64_t probe[SCF_PROBE_NR] = { 0 };
	uint64_t kwait[2] = { 0, 0 };
	struct multi m;
	uint32_t i;
	int err = multi_attach(&m, s, n, mpsc);

	while (!err && !*s->stop) {
		scf_notify_wait(s->n, multi_ready, &m, kwait);
		scf_probe(probe, SCF_S0_WOKEN);
		/* Kick once nothing is left: the batch's one doorbell. */
		while (pass(&m, probe, kwait))
			if (!pending(&m))
				reply_kick(&m);
		/* SCF_OP_PARK: asleep only once its answer is kicked. */
		for (i = 0; i < n; i++)
			if (m.c[i]->park_asked) {
				m.c[i]->park_asked = false;
				shadow_park(m.c[i]);
			}
	}
	for (i = 1; i < n && m.c[i]; i++) {
		s->st.served += m.c[i]->st.served;
		s->st.failed += m.c[i]->st.failed;
		s->st.enosys += m.c[i]->st.enosys;
		s->st.bad_index += m.c[i]->st.bad_index;
		s->st.bad_ring += m.c[i]->st.bad_ring;
		s->st.late_dropped += m.c[i]->st.late_dropped;
		s->st.stamped += m.c[i]->st.stamped;
		fdtab_close_all(&m.c[i]->fds);
		free(m.c[i]);
	}
	return err;
}
