// SPDX-License-Identifier: MIT
/*
 * scf_path.c - scf_put() and scf_take() over the layouts (scf_path.h).
 *
 * Ordering: a request's descriptor is written before the layout sends it
 * with a release (the ring's head, the shared queue's cell, the inline
 * descriptor's seq), which pairs with the shadow's acquire as it takes
 * the request; an answer is read after the layout saw it with an acquire
 * (the response ring's head, the inline descriptor's done), which pairs
 * with the shadow's release as it answers.  The barriers are the
 * layouts' own, each described in its file.
 */
#include "scf_path.h"
#include "scf_client_impl.h"
#include "scf_deadline.h"
#include "scf_inline.h"

/* The descriptor call seq will use: 0.. or -SCF_EAGAIN (none free). */
static int path_claim(struct scf_client *c, const struct scf_path *p,
		      uint64_t seq)
{
	if (p->layout == SCF_LAYOUT_INLINE)
		return (int)scf_inline_idx(seq, c->q.capacity);	/* positional */
	return scf_desc_get(&c->alloc);
}

static void path_release(struct scf_client *c, const struct scf_path *p,
			 uint32_t idx)
{
	if (p->layout != SCF_LAYOUT_INLINE)
		scf_desc_put(&c->alloc, idx);
}

/* Hand descriptor idx, holding request seq, to the shadow. */
static int path_send(struct scf_client *c, const struct scf_path *p,
		     uint32_t idx, uint64_t seq)
{
	int err;

	switch (p->layout) {
	case SCF_LAYOUT_INLINE:
		scf_inline_send(c, idx, seq);
		return 0;
	case SCF_LAYOUT_MPSC:
		/* A full shared queue is back-pressure, not a broken peer. */
		err = scf_mpsc_push(p->recv, SCF_MPSC_ENTRY(p->client, idx));
		return err == -SCF_ENOSPC ? -SCF_EAGAIN : err;
	case SCF_LAYOUT_LOCKED:
		err = scf_ring_push_locked(&c->q.req, idx);
		break;
	default:
		err = p->stage ? scf_ring_stage(&c->q.req, idx)
			       : scf_ring_push_nolock(&c->q.req, idx);
		break;
	}
	/*
	 * Cannot be full: each request on the ring holds a descriptor and
	 * there are exactly capacity of them.  An error means the shadow
	 * scribbled over the ring's tail (or died holding its lock).
	 */
	if (err)
		c->protocol_errors++;
	return err;
}

int scf_put(struct scf_client *c, const struct scf_path *p,
	    const struct scf_req *r, struct scf_put *o)
{
	uint64_t seq = c->seq + 1;
	uint32_t idx;
	int err;

	err = path_claim(c, p, seq);
	if (err < 0)
		return err;
	idx = (uint32_t)err;
	scf_probe_if(o->stamp, o->t, SCF_C1_SLOT);
	if (p->layout == SCF_LAYOUT_INLINE)
		err = scf_inline_fill(c, idx, r, o->full);
	else
		err = scf_marshal(c, idx, seq, r, o->full);
	if (err)
		goto release;
	scf_probe_if(o->stamp, o->t, SCF_C2_MARSHALLED);
	/* Relaxed: the send's release below publishes it with the request. */
	if (o->mark)
		atomic_store_explicit(&o->mark[idx], SCF_MT_WAIT,
				      memory_order_relaxed);
	err = path_send(c, p, idx, seq);
	if (err) {
		if (o->mark)
			atomic_store_explicit(&o->mark[idx], SCF_MT_IDLE,
					      memory_order_relaxed);
		goto release;
	}
	c->seq = seq;
	o->seq = seq;
	o->idx = idx;
	scf_probe_if(o->stamp, o->t, SCF_C3_SUBMITTED);
	return 0;
release:
	path_release(c, p, idx);
	return err;
}

void scf_path_commit(struct scf_client *c, const struct scf_path *p)
{
	if (p->layout == SCF_LAYOUT_INDIRECT && p->stage)
		scf_ring_commit(&c->q.req);
}

bool scf_answer_in(const struct scf_client *c, const struct scf_path *p)
{
	if (p->layout == SCF_LAYOUT_INLINE)
		return scf_inline_answered(c);
	return scf_ring_pending(&c->q.rsp) != 0;
}

int scf_take(struct scf_client *c, const struct scf_path *p, uint32_t *idx)
{
	/* Every ring layout answers on the client's own response ring. */
	if (p->layout == SCF_LAYOUT_INLINE)
		return scf_inline_take(c, idx);
	return scf_ring_pop(&c->q.rsp, idx);
}

struct answer_wait {
	struct scf_client *c;
	const struct scf_path *p;
};

static bool answer_ready(void *arg)
{
	struct answer_wait *w = arg;
	struct scf_client *c = w->c;

	return scf_answer_in(c, w->p) || (c->cancel && *c->cancel) ||
	       scf_deadline_passed(c);
}

int scf_answer_wait(struct scf_client *c, const struct scf_path *p,
		    uint64_t *kst)
{
	struct answer_wait w = { c, p };

	scf_deadline_arm(c);
	return scf_notify_wait(c->n, answer_ready, &w, kst);
}

int64_t scf_answer_done(struct scf_client *c, const struct scf_path *p,
			uint32_t idx, uint64_t seq, const struct scf_req *r,
			struct scf_rec *rec, bool full, bool stamp)
{
	int64_t ret;
	bool bad;

	/* The take's acquire (pairs with the shadow's answer) orders this. */
	ret = scf_collect(c, idx, r, &bad);
	if (bad)
		c->protocol_errors++;
	scf_probe_if(stamp, rec->t, SCF_C6_COLLECTED);
	path_release(c, p, idx);
	scf_probe(rec->t, SCF_C7_DONE);
	scf_rec_finish(rec, &c->q.desc[idx], seq, r, ret, full);
	return ret;
}
