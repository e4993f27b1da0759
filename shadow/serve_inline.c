// SPDX-License-Identifier: MIT
/*
 * serve_inline.c - serve an SCF_RING_INLINE slot: call number n is in
 * descriptor (n - 1) & (capacity - 1), published by its seq, answered by
 * its done word (ordering in common/scf/scf_inline.c).  Calls are served
 * in order; a client that skips a number only stalls itself.
 */
#include "scf_inline.h"
#include "scf_probe.h"
#include "shadow.h"

struct next_call {
	struct shadow *s;
	uint64_t n;		/* the call number expected next */
};

static bool published(const struct shadow *s, uint64_t n)
{
	const struct scf_desc *d = &s->q.desc[scf_inline_idx(n, s->q.capacity)];

	/* (B): pairs with the client's release of seq (A) */
	return atomic_load_explicit((_Atomic uint64_t *)&d->seq,
				    memory_order_acquire) == n;
}

static bool call_ready(void *arg)
{
	struct next_call *c = arg;

	return *c->s->stop || published(c->s, c->n);
}

void shadow_serve_inline(struct shadow *s)
{
	uint64_t probe[SCF_PROBE_NR] = { 0 };
	uint64_t kwait[2] = { 0, 0 }, kkick[2];
	struct next_call next = { s, 1 };

	while (!*s->stop) {
		scf_notify_wait(s->n, call_ready, &next, kwait);
		scf_probe(probe, SCF_S0_WOKEN);
		while (published(s, next.n)) {
			uint32_t idx = scf_inline_idx(next.n, s->q.capacity);
			struct scf_desc *d = &s->q.desc[idx];
			bool full;

			scf_probe(probe, SCF_S1_POPPED);
			shadow_taken(s, next.n);
			full = shadow_answer_fill(s, idx, probe, kwait);
			/* (C): the answer before the client's (D) sees it done */
			atomic_store_explicit((_Atomic uint32_t *)&d->done,
					      (uint32_t)next.n,
					      memory_order_release);
			shadow_kick(s, kkick);
			if (full)
				shadow_stamp_out(s, next.n, probe, kkick);
			else	/* the next call was ready when this one was done */
				scf_probe(probe, SCF_S0_WOKEN);
			next.n++;
			kwait[0] = kwait[1] = 0;
			if (shadow_after_out(s))
				return;
		}
	}
}
