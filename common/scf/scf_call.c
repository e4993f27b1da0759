// SPDX-License-Identifier: MIT
/*
 * scf_call.c - scf_call(): one forwarded call, synchronous.  It takes the
 * path the slot needs (threads sharing it: scf_client_mt.c; the inline
 * layout: scf_inline.c) or, by default, the indirect ring's: a descriptor,
 * an index pushed, a kick, a wait, the index popped.  The pieces every
 * path shares are scf_client_impl.h's.
 */
#include "scf_client_impl.h"
#include "scf_inline.h"
#include "scf_deadline.h"

static bool response_ready(void *arg)
{
	struct scf_client *c = arg;

	return scf_ring_pending(&c->q.rsp) != 0 || (c->cancel && *c->cancel) ||
	       scf_deadline_passed(c);
}

int64_t scf_call(struct scf_client *c, const struct scf_req *r)
{
	struct scf_rec *rec = c->rec ? c->rec : &c->scratch;
	struct scf_queue *q = &c->q;
	bool full = scf_probe_full(c, c->seq + 1);
	uint64_t *kst = full ? rec->t : 0;
	uint32_t idx, got;
	int64_t ret;
	bool bad;
	int slot, err;

	/* Threads share this slot (clone): the path that serialises them. */
	if (c->mt)
		return scf_call_mt(c, r);
	/* Request and answer in the descriptor: no ring of indices. */
	if (c->q.ring == SCF_RING_INLINE)
		return scf_call_inline(c, r);

	scf_probe(rec->t, SCF_C0_CALL);
	slot = scf_desc_get(&c->alloc);
	if (slot < 0)
		return slot;
	idx = (uint32_t)slot;
	scf_probe_if(full, rec->t, SCF_C1_SLOT);

	err = scf_marshal(c, idx, ++c->seq, r, full);
	if (err) {
		scf_desc_put(&c->alloc, idx);
		return err;
	}
	scf_probe_if(full, rec->t, SCF_C2_MARSHALLED);

	/*
	 * Cannot be full: a request holds its descriptor until collected and
	 * there are exactly capacity descriptors.  -SCF_EPROTO means the
	 * shadow scribbled over our tail.
	 */
	err = scf_ring_push(&q->req, idx);
	if (err) {
		scf_desc_put(&c->alloc, idx);
		c->protocol_errors++;
		return err;
	}
	scf_probe_if(full, rec->t, SCF_C3_SUBMITTED);
	err = scf_notify_kick(c->n, kst ? kst + SCF_KQ_ENTRY : 0);
	scf_probe_if(full, rec->t, SCF_C4_KICKED);
	if (err > 0 && full)	/* no doorbell (poll): by definition C4 = C3 */
		scf_probe_set(rec->t, SCF_C4_KICKED, rec->t[SCF_C3_SUBMITTED]);

	scf_deadline_arm(c);
	err = scf_notify_wait(c->n, response_ready, c,
			      kst ? kst + SCF_KR_HANDLER : 0);
	scf_probe_if(full, rec->t, SCF_C5_WOKEN);
	if (err >= 0)
		err = scf_ring_pop(&q->rsp, &got);
	if (err == -SCF_EAGAIN && c->timed_out)
		return -SCF_ETIMEDOUT;	/* the descriptor stays out */
	if (err == -SCF_EAGAIN)
		return -SCF_EINTR;	/* cancelled; the descriptor stays out */
	if (err < 0 || got != idx) {
		/*
		 * One call in flight: the only response can be ours.  Anything
		 * else is a broken peer; the descriptor stays out of the pool
		 * since the shadow may still write it.
		 */
		c->protocol_errors++;
		return err < 0 ? err : -SCF_EPROTO;
	}
	c->timed_out = SCF_PHASE_NONE;	/* answered after all, at the end */
	/* The pop's acquire (pairs with the shadow's publish) orders these. */
	ret = scf_collect(c, idx, r, &bad);
	if (bad)
		c->protocol_errors++;
	scf_probe_if(full, rec->t, SCF_C6_COLLECTED);
	scf_desc_put(&c->alloc, idx);
	scf_probe(rec->t, SCF_C7_DONE);

	scf_rec_finish(rec, &q->desc[idx], c->seq, r, ret, full);
	return ret;
}
