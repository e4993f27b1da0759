/* SPDX-License-Identifier: MIT */
/*
 * layout_inline.h - the serve loop's primitives for an SCF_RING_INLINE
 * slot: call number n is in descriptor scf_inline_idx(n), published by
 * its seq, answered by its done word (ordering in
 * common/scf/scf_inline.c).  Calls are served in order; a client that
 * skips a number only stalls itself.  One client, one call at a time.
 *
 * Included by serve_loop.c alone.
 */
#ifndef LAYOUT_INLINE_H
#define LAYOUT_INLINE_H

#include "scf_inline.h"
#include "scf_probe.h"
#include "serve_set.h"

/* The descriptor of the call expected next; c0 is set->c[0]. */
static inline struct scf_desc *inline_desc(const struct serve_set *set,
					   const struct shadow *c0)
{
	return &c0->q.desc[scf_inline_idx(set->next, c0->q.capacity)];
}

/* Whether the call expected next is published. */
static inline bool inline_ready(const struct serve_set *set,
				const struct shadow *c0)
{
	/* (B): pairs with the client's release of seq (A) */
	return atomic_load_explicit((_Atomic uint64_t *)
				    &inline_desc(set, c0)->seq,
				    memory_order_acquire) == set->next;
}

/*
 * Nothing is queued behind an answered call: the client waits for each
 * answer before it publishes the next call, so every answer is kicked.
 */
static inline bool inline_queued(const struct serve_set *set)
{
	(void)set;
	return false;
}

/* Whether the call expected next is published and asks for every stamp. */
static inline bool inline_probed(const struct serve_set *set,
				 const struct shadow *c0)
{
	/* inline_ready's acquire orders the read of flags */
	return SCF_PROBES && inline_ready(set, c0) &&
	       (SCF_READ_ONCE(inline_desc(set, c0)->flags) & SCF_DF_PROBE);
}

static inline int inline_take(struct serve_set *set, struct shadow *c0,
			      struct serve_req *r)
{
	if (!inline_ready(set, c0))
		return SERVE_NONE;
	r->s = c0;
	r->idx = scf_inline_idx(set->next, c0->q.capacity);
	return SERVE_TAKEN;
}

/* Serve r and store its done word; the next call is expected after it. */
static inline int inline_publish(struct serve_set *set,
				 const struct serve_req *r, uint64_t *probe,
				 const uint64_t *kwait, uint64_t *seq)
{
	struct scf_desc *d = &r->s->q.desc[r->idx];
	bool full;

	*seq = set->next++;
	shadow_taken(r->s, *seq);
	full = shadow_answer_fill(r->s, r->idx, probe, kwait);
	/* (C): the answer before the client's (D) sees it done */
	atomic_store_explicit((_Atomic uint32_t *)&d->done, (uint32_t)*seq,
			      memory_order_release);
	return full;
}

#endif /* LAYOUT_INLINE_H */
