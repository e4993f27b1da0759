// SPDX-License-Identifier: MIT
/*
 * scf_call.c - scf_call(): one forwarded call, synchronous.  It is the
 * asynchronous path at depth 1 (scf_path.h): a put, a kick, a wait, a
 * take, on whichever layout the slot has.  Threads sharing the slot take
 * turns at both ends (scf_client_mt.c).
 */
#include "scf_client_impl.h"
#include "scf_path.h"

int64_t scf_call(struct scf_client *c, const struct scf_req *r)
{
	struct scf_rec *rec = c->rec ? c->rec : &c->scratch;
	struct scf_path p = scf_path_of(c);
	bool full = scf_probe_full(c, c->seq + 1);
	struct scf_put o = { .t = rec->t, .full = full, .stamp = full };
	uint64_t *kst = full ? rec->t : 0;
	uint32_t got;
	int err;

	/* Threads share this slot (clone): the path that serialises them. */
	if (c->mt)
		return scf_call_mt(c, r);

	scf_probe(rec->t, SCF_C0_CALL);
	err = scf_put(c, &p, r, &o);
	if (err)
		return err;
	err = scf_notify_kick(c->n, kst ? kst + SCF_KQ_ENTRY : 0);
	scf_probe_if(full, rec->t, SCF_C4_KICKED);
	if (err > 0 && full)	/* no doorbell (poll): by definition C4 = C3 */
		scf_probe_set(rec->t, SCF_C4_KICKED, rec->t[SCF_C3_SUBMITTED]);

	err = scf_answer_wait(c, &p, kst ? kst + SCF_KR_HANDLER : 0);
	scf_probe_if(full, rec->t, SCF_C5_WOKEN);
	if (err < 0)
		return err;	/* the backend failed: the descriptor stays out */
	err = scf_take(c, &p, &got);
	if (err == -SCF_EAGAIN)	/* the descriptor stays out */
		return scf_answer_missing(c);
	if (err < 0 || got != o.idx) {
		/*
		 * One call in flight: the only answer can be ours.  Anything
		 * else is a broken peer; the descriptor stays out of the pool
		 * since the shadow may still write it.
		 */
		c->protocol_errors++;
		return err < 0 ? err : -SCF_EPROTO;
	}
	c->timed_out = SCF_PHASE_NONE;	/* answered after all, at the end */
	return scf_answer_done(c, &p, got, o.seq, r, rec, full, full);
}
