/* SPDX-License-Identifier: MIT */
/*
 * layout_mpsc.h - the serve loop's primitives for topology mpsc: every
 * client pushes (client, descriptor) into one shared multi-producer
 * queue, qhdr.recv of the first slot (scf_mpsc.h); the shadow pops it
 * and answers on that client's own response ring, as an indirect ring's
 * answer (layout_indirect.h).
 *
 * A client's synchronous calls (the bench's set-up: syncmap) still come
 * on its own request ring, so a sweep takes the shared queue (set->at 0)
 * and then each client's ring (set->at i + 1 for c[i]).  In an mpsc run
 * nobody writes those rings: their lines stay in the shadow's cache and
 * the look costs a few loads.
 *
 * The client number and the index of an entry are checked before either
 * is used: the queue is as untrusted as the rings.
 *
 * Included by serve_loop.c alone.
 */
#ifndef LAYOUT_MPSC_H
#define LAYOUT_MPSC_H

#include "layout_indirect.h"
#include "scf_mpsc.h"

/* Requests waiting in the queue or on a client's ring. */
static inline bool mpsc_ready(const struct serve_set *set)
{
	return scf_mpsc_ready(&set->recv) ||
	       indirect_ready(set, set->c[0], false);
}

static inline bool mpsc_probed(const struct serve_set *set)
{
	const struct shadow *s;
	uint32_t e, idx;

	if (set->at)
		return ring_probed(set->c[set->at - 1]);
	if (!SCF_PROBES || scf_mpsc_peek(&set->recv, &e) ||
	    SCF_MPSC_CLIENT(e) >= set->n)
		return false;	/* mpsc_take counts a bad entry */
	s = set->c[SCF_MPSC_CLIENT(e)];
	idx = SCF_MPSC_IDX(e);
	/* peek's acquire (pairs with the client's push) orders this read */
	return idx < s->q.capacity &&
	       (SCF_READ_ONCE(s->q.desc[idx].flags) & SCF_DF_PROBE);
}

static inline int mpsc_take(struct serve_set *set, struct serve_req *r)
{
	struct shadow *s;
	uint32_t e;
	int got;

	if (set->at) {
		got = ring_take(set->c[set->at - 1], r);
		return got == SERVE_NONE ? sweep_on(set, set->n + 1) : got;
	}
	if (scf_mpsc_pop(&set->recv, &e))
		return sweep_on(set, set->n + 1);
	if (SCF_MPSC_CLIENT(e) >= set->n) {
		set->c[0]->st.bad_index++;	/* no such client */
		return SERVE_AGAIN;
	}
	s = set->c[SCF_MPSC_CLIENT(e)];
	if (SCF_MPSC_IDX(e) >= s->q.capacity) {
		s->st.bad_index++;	/* no descriptor to answer in */
		return SERVE_AGAIN;
	}
	r->s = s;
	r->idx = SCF_MPSC_IDX(e);
	return SERVE_TAKEN;
}

#endif /* LAYOUT_MPSC_H */
