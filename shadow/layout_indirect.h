/* SPDX-License-Identifier: MIT */
/*
 * layout_indirect.h - the serve loop's primitives for rings of
 * descriptor indices (--ring indirect and locked): a request is an index
 * popped off its client's request ring, its answer is the same index
 * pushed on that client's response ring (answer.c).  The locked
 * discipline takes its lock inside scf_ring_pop() and scf_ring_push():
 * nothing here knows which one a ring has.
 *
 * One client (one == true, a constant where serve_loop.c calls these):
 * c0's ring is the only source (c0 is set->c[0], which the loop keeps in
 * a register).  Several (topology spsc): a sweep drains
 * c[0]'s ring, then c[1]'s, and so on; set->at is the ring swept now.
 *
 * Included by serve_loop.c alone.
 */
#ifndef LAYOUT_INDIRECT_H
#define LAYOUT_INDIRECT_H

#include "scf_probe.h"
#include "serve_set.h"

/*
 * Whether the request at the head of s's ring asks for every stamp
 * (SCF_DF_PROBE).  Read before the pop, so that S0 is taken for the
 * probed requests only: the others cost the shadow no stamp at all.
 */
static inline bool ring_probed(struct shadow *s)
{
	uint32_t pos, idx;

	if (!SCF_PROBES || scf_ring_peek(&s->q.req, &pos))
		return false;
	/* peek's acquire (pairs with the client's push) orders these reads */
	idx = atomic_load_explicit(&s->q.req.entry[pos], memory_order_relaxed);
	if (idx >= s->q.capacity)
		return false;	/* ring_take counts it as a bad index */
	return SCF_READ_ONCE(s->q.desc[idx].flags) & SCF_DF_PROBE;
}

/* Take the request at the head of s's ring; SERVE_NONE when it has none. */
static inline int ring_take(struct shadow *s, struct serve_req *r)
{
	uint32_t idx;
	int err = scf_ring_pop(&s->q.req, &idx);

	if (err == -SCF_EPROTO) {
		/* Client's head is garbage: drop what it claims. */
		s->st.bad_ring++;
		scf_ring_resync(&s->q.req);
		return SERVE_NONE;
	}
	if (err)
		return SERVE_NONE;
	if (idx >= s->q.capacity) {
		s->st.bad_index++;	/* no descriptor to answer in */
		return SERVE_AGAIN;
	}
	r->s = s;
	r->idx = idx;
	return SERVE_TAKEN;
}

/* The sweep's next source, of sources in all: SERVE_NONE after the last. */
static inline int sweep_on(struct serve_set *set, uint32_t sources)
{
	return ++set->at < sources ? SERVE_AGAIN : SERVE_NONE;
}

/* Requests waiting on any client's ring. */
static inline bool indirect_ready(const struct serve_set *set,
				  const struct shadow *c0, bool one)
{
	uint32_t i;

	if (one)
		return scf_ring_pending(&c0->q.req) != 0;
	for (i = 0; i < set->n; i++)
		if (scf_ring_pending(&set->c[i]->q.req))
			return true;
	return false;
}

/*
 * Requests queued behind the one just answered: its own ring first, the
 * likeliest to hold more, then the others.
 */
static inline bool indirect_queued(const struct serve_set *set,
				   const struct shadow *c0, bool one)
{
	return (!one && scf_ring_pending(&set->c[set->at]->q.req)) ||
	       indirect_ready(set, c0, one);
}

static inline bool indirect_probed(const struct serve_set *set,
				   struct shadow *c0, bool one)
{
	return ring_probed(one ? c0 : set->c[set->at]);
}

static inline int indirect_take(struct serve_set *set, struct shadow *c0,
				bool one, struct serve_req *r)
{
	int got;

	if (one)
		return ring_take(c0, r);
	got = ring_take(set->c[set->at], r);
	return got == SERVE_NONE ? sweep_on(set, set->n) : got;
}

/* Serve r and push its index on its client's response ring. */
static inline int indirect_publish(struct serve_set *set,
				   const struct serve_req *r, uint64_t *probe,
				   const uint64_t *kwait, uint64_t *seq)
{
	(void)set;
	return shadow_answer(r->s, r->idx, probe, kwait, seq);
}

#endif /* LAYOUT_INDIRECT_H */
