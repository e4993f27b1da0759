// SPDX-License-Identifier: MIT
/*
 * scf_async.c - submit, flush, reap: the asynchronous client path, the
 * same put and take as a synchronous call (scf_path.h) with up to depth
 * calls in flight.  A lock-free ring stages each put and the flush sends
 * the batch with one store; the locked ring and a shared queue send each
 * at once.  The layouts' barriers order everything: nothing here needs
 * one of its own.
 */
#include "scf_async.h"
#include "scf_client_impl.h"

int scf_async_init(struct scf_async *a, struct scf_client *c,
		   struct scf_async_ent *ent, uint32_t *batch, uint32_t depth)
{
	uint32_t i;

	/* An inline slot holds one call at a time (scf_abi.h). */
	if (!ent || !batch || depth > c->q.capacity || c->mt ||
	    c->q.ring == SCF_RING_INLINE)
		return -SCF_EINVAL;
	a->c = c;
	a->ent = ent;
	a->batch = batch;
	a->depth = depth ? depth : c->q.capacity;
	a->inflight = a->nbatch = 0;
	a->submitted = a->completed = a->kicks = a->batches = a->stray = 0;
	a->path = scf_path_of(c);
	/* Lock-free: stage each put, send the batch at the flush. */
	a->path.stage = a->path.layout == SCF_LAYOUT_INDIRECT;
	for (i = 0; i < c->q.capacity; i++)
		ent[i].busy = 0;
	return 0;
}

int scf_async_share(struct scf_async *a, struct scf_mpsc *recv,
		    uint32_t client)
{
	if (!recv || client > (UINT32_MAX >> SCF_MPSC_CLIENT_SHIFT) ||
	    a->c->q.capacity > SCF_MPSC_IDX_MASK + 1)
		return -SCF_EINVAL;
	a->path.layout = SCF_LAYOUT_MPSC;
	a->path.stage = false;	/* each entry is published as it is pushed */
	a->path.recv = recv;
	a->path.client = client;
	return 0;
}

int scf_async_submit(struct scf_async *a, const struct scf_req *r,
		     struct scf_rec *rec, void *user, scf_token_t *tok)
{
	struct scf_client *c = a->c;
	struct scf_rec *pr = rec ? rec : &c->scratch;
	struct scf_put o = { .t = pr->t, .full = scf_probe_full(c, c->seq + 1),
			     .stamp = true };
	struct scf_async_ent *e;
	int err;

	if (a->inflight >= a->depth)
		return -SCF_EAGAIN;
	scf_probe(pr->t, SCF_C0_CALL);
	/* A staged put's C3 is the flush's store, set there. */
	err = scf_put(c, &a->path, r, &o);
	if (err)
		return err;
	/* Until the batch's doorbell: a request not yet kicked has C4 = C3. */
	scf_probe_set(pr->t, SCF_C4_KICKED, pr->t[SCF_C3_SUBMITTED]);
	e = &a->ent[o.idx];
	e->req = r;
	e->rec = rec;
	e->user = user;
	e->seq = o.seq;
	e->busy = 1;
	e->probed = o.full;
	a->batch[a->nbatch++] = o.idx;
	a->inflight++;
	a->submitted++;
	if (tok)
		*tok = SCF_TOKEN(e->seq, o.idx);
	return 0;
}

int scf_async_flush(struct scf_async *a)
{
	uint64_t kst[2] = { 0, 0 }, t, t3 = 0;
	uint32_t i;
	int err;

	if (!a->nbatch)
		return 0;
	if (a->path.stage) {
		scf_path_commit(a->c, &a->path);
		t3 = scf_probe_now();
	}
	err = scf_notify_kick(a->c->n, SCF_PROBES ? kst : 0);
	t = scf_probe_now();
	a->batches++;
	if (err == 0)
		a->kicks++;
	for (i = 0; i < a->nbatch; i++) {
		struct scf_async_ent *e = &a->ent[a->batch[i]];

		/* A response may already be reaped: its record is final. */
		if (!e->busy || !e->rec)
			continue;
		if (a->path.stage) {
			scf_probe_set(e->rec->t, SCF_C3_SUBMITTED, t3);
			scf_probe_set(e->rec->t, SCF_C4_KICKED, t3);
		}
		if (err != 0)
			continue;	/* no doorbell: C4 = C3 */
		scf_probe_set(e->rec->t, SCF_C4_KICKED, t);
		scf_probe_set(e->rec->t, SCF_KQ_ENTRY, kst[0]);
		scf_probe_set(e->rec->t, SCF_KQ_IPI_SENT, kst[1]);
	}
	a->nbatch = 0;
	return err > 0 ? 0 : err;
}

/* Forget idx in the unkicked batch: its record is final once reaped. */
static void batch_drop(struct scf_async *a, uint32_t idx)
{
	uint32_t i;

	for (i = 0; i < a->nbatch; i++)
		if (a->batch[i] == idx) {
			a->batch[i] = a->batch[--a->nbatch];
			return;
		}
}

int scf_async_reap(struct scf_async *a, struct scf_cqe *out, uint32_t max)
{
	struct scf_client *c = a->c;
	uint32_t n = 0, idx;
	int err;

	while (n < max) {
		struct scf_async_ent *e;
		struct scf_rec *pr;
		uint64_t t5 = scf_probe_now();
		int64_t ret;

		err = scf_take(c, &a->path, &idx);
		if (err == -SCF_EAGAIN)
			break;
		if (err) {
			c->protocol_errors++;
			return err;
		}
		if (idx >= c->q.capacity || !a->ent[idx].busy ||
		    SCF_READ_ONCE(c->q.desc[idx].seq) != a->ent[idx].seq) {
			/* Not ours to free: the shadow may still write it. */
			a->stray++;
			c->protocol_errors++;
			continue;
		}
		e = &a->ent[idx];
		pr = e->rec ? e->rec : &c->scratch;
		scf_probe_set(pr->t, SCF_C5_WOKEN, t5);
		e->busy = 0;
		if (a->nbatch)
			batch_drop(a, idx);
		ret = scf_answer_done(c, &a->path, idx, e->seq, e->req, pr,
				      e->probed, true);
		out[n].token = SCF_TOKEN(e->seq, idx);
		out[n].ret = ret;
		out[n].user = e->user;
		out[n].rec = e->rec;
		a->inflight--;
		a->completed++;
		n++;
	}
	return (int)n;
}

int scf_async_wait(struct scf_async *a)
{
	struct scf_client *c = a->c;
	int err;

	/* The deadline of the wait for any of the calls in flight. */
	err = scf_answer_wait(c, &a->path, 0);
	if (err < 0)
		return err;
	if (!scf_answer_in(c, &a->path))
		/* only the cancel flag or the deadline made it ready */
		return scf_answer_missing(c);
	c->timed_out = SCF_PHASE_NONE;	/* answered after all, at the end */
	return 0;
}
