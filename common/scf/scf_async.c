// SPDX-License-Identifier: MIT
/*
 * scf_async.c - submit, flush, reap: the asynchronous client path.
 *
 * The ring steps are those of scf_call(): a descriptor's payload and
 * arguments are written before scf_ring_push() publishes its index
 * (release), and the shadow's answer is read after scf_ring_pop() saw
 * it (acquire), so nothing here needs a barrier of its own.
 */
#include "scf_async.h"
#include "scf_client_impl.h"
#include "scf_deadline.h"

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
	a->client = 0;
	a->recv = 0;
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
	a->recv = recv;
	a->client = client;
	return 0;
}

/* A shared queue publishes each entry as it is pushed: nothing staged. */
static bool staged(const struct scf_async *a)
{
	return !a->recv && a->c->q.req.discipline != SCF_RING_LOCKED;
}

/* Publish (or stage) idx on the request path: 0 or -errno. */
static int request_push(struct scf_async *a, uint32_t idx)
{
	struct scf_client *c = a->c;
	int err;

	if (a->recv) {
		/* The push's release store of the cell's seq publishes the
		 * descriptor; pairs with the shadow's acquire in its pop. */
		err = scf_mpsc_push(a->recv, SCF_MPSC_ENTRY(a->client, idx));
		return err == -SCF_ENOSPC ? -SCF_EAGAIN : err;
	}
	if (staged(a))
		err = scf_ring_stage(&c->q.req, idx);
	else
		err = scf_ring_push(&c->q.req, idx);
	if (err)
		c->protocol_errors++;
	return err;
}

int scf_async_submit(struct scf_async *a, const struct scf_req *r,
		     struct scf_rec *rec, void *user, scf_token_t *tok)
{
	struct scf_client *c = a->c;
	struct scf_rec *pr = rec ? rec : &c->scratch;
	struct scf_async_ent *e;
	bool full = scf_probe_full(c, c->seq + 1);
	uint32_t idx;
	int slot, err;

	if (a->inflight >= a->depth)
		return -SCF_EAGAIN;
	scf_probe(pr->t, SCF_C0_CALL);
	slot = scf_desc_get(&c->alloc);
	if (slot < 0)
		return slot;
	idx = (uint32_t)slot;
	scf_probe(pr->t, SCF_C1_SLOT);
	err = scf_marshal(c, idx, c->seq + 1, r, full);
	if (err) {
		scf_desc_put(&c->alloc, idx);
		return err;
	}
	scf_probe(pr->t, SCF_C2_MARSHALLED);
	/*
	 * Cannot be full: each request in the ring holds a descriptor.  A
	 * lock-free ring only stages it: the flush publishes the batch with
	 * one store of head, and that is its C3.  The locked ring takes its
	 * lock per push, so it publishes each at once.
	 */
	err = request_push(a, idx);
	if (err) {
		scf_desc_put(&c->alloc, idx);
		return err;
	}
	scf_probe(pr->t, SCF_C3_SUBMITTED);
	/* Until the batch's doorbell: a request not yet kicked has C4 = C3. */
	scf_probe_set(pr->t, SCF_C4_KICKED, pr->t[SCF_C3_SUBMITTED]);
	e = &a->ent[idx];
	e->req = r;
	e->rec = rec;
	e->user = user;
	e->seq = ++c->seq;
	e->busy = 1;
	e->probed = full;
	a->batch[a->nbatch++] = idx;
	a->inflight++;
	a->submitted++;
	if (tok)
		*tok = SCF_TOKEN(e->seq, idx);
	return 0;
}

int scf_async_flush(struct scf_async *a)
{
	uint64_t kst[2] = { 0, 0 }, t, t3 = 0;
	uint32_t i;
	int err;

	if (!a->nbatch)
		return 0;
	if (staged(a)) {
		scf_ring_commit(&a->c->q.req);
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
		if (staged(a)) {
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
		bool bad;

		err = scf_ring_pop(&c->q.rsp, &idx);
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
		ret = scf_collect(c, idx, e->req, &bad);
		if (bad)
			c->protocol_errors++;
		scf_probe(pr->t, SCF_C6_COLLECTED);
		e->busy = 0;
		if (a->nbatch)
			batch_drop(a, idx);
		scf_desc_put(&c->alloc, idx);
		scf_probe(pr->t, SCF_C7_DONE);
		scf_rec_finish(pr, &c->q.desc[idx], e->seq, e->req, ret,
			       e->probed);
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

static bool async_ready(void *arg)
{
	struct scf_client *c = arg;

	return scf_ring_pending(&c->q.rsp) != 0 || (c->cancel && *c->cancel) ||
	       scf_deadline_passed(c);
}

int scf_async_wait(struct scf_async *a)
{
	struct scf_client *c = a->c;
	int err;

	/* The deadline of the wait for any of the calls in flight. */
	scf_deadline_arm(c);
	err = scf_notify_wait(c->n, async_ready, c, 0);
	if (err < 0)
		return err;
	if (scf_ring_pending(&c->q.rsp) == 0)
		/* only the cancel flag or the deadline made it ready */
		return c->timed_out ? -SCF_ETIMEDOUT : -SCF_EINTR;
	c->timed_out = SCF_PHASE_NONE;	/* answered after all, at the end */
	return 0;
}
