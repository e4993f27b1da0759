/* SPDX-License-Identifier: MIT */
/*
 * scf_path.h - the two primitives every forwarded call goes through, in
 * every mode (synchronous, asynchronous, threads sharing a slot):
 *
 *   scf_put()   write a request into a descriptor and send it on the
 *               layout's request path;
 *   scf_take()  take the next answer off the layout's response path;
 *
 * with scf_answer_wait(), which sleeps or spins (per the backend) until
 * scf_take() has something, and scf_answer_done(), which reads an answer
 * out and frees its descriptor.  The synchronous call (scf_call.c) is a
 * put, a kick, a wait and a take with one call in flight; the
 * asynchronous path (scf_async.c) is the same put and take with up to
 * its depth in flight; threads sharing a slot (scf_client_mt.c) put and
 * take the same way, taking turns.
 *
 * Static inline, as scf_client_impl.h's steps are: a synchronous call
 * compiles into one function, as it did before the modes shared a path.
 * Out of line, they cost a poll null call 30 to 40 ns (13 to 16 %) on
 * an AMD EPYC VM, measured with make compare-run.
 *
 * Ordering: a request's descriptor is written before the layout sends it
 * with a release (the ring's head, the shared queue's cell, the inline
 * descriptor's seq), which pairs with the shadow's acquire as it takes
 * the request; an answer is read after the layout saw it with an acquire
 * (the response ring's head, the inline descriptor's done), which pairs
 * with the shadow's release as it answers.  The barriers are the
 * layouts' own, each described in its file.
 *
 * The layouts behind the primitives, one file each:
 *   indirect  scf_ring.c         SPSC rings of descriptor indices
 *   locked    scf_ring_locked.c  the same rings under a spinlock
 *   inline    scf_inline.c       no ring: the descriptor's seq and done
 *   mpsc      scf_mpsc.c         one request queue for many clients
 */
#ifndef SCF_PATH_H
#define SCF_PATH_H

#include "scf_client_impl.h"
#include "scf_deadline.h"
#include "scf_inline.h"
#include "scf_mpsc.h"

enum scf_layout {
	SCF_LAYOUT_INDIRECT,	/* lock-free ring of indices (SCF_RING_LOCKFREE) */
	SCF_LAYOUT_LOCKED,	/* the ring under its lock (SCF_RING_LOCKED) */
	SCF_LAYOUT_INLINE,	/* request and answer in the descriptor */
	SCF_LAYOUT_MPSC,	/* requests into a queue shared by clients */
};

/* How one client's requests travel, and its answers come back. */
struct scf_path {
	enum scf_layout layout;
	bool stage;		/* indirect: put stages, scf_path_commit() sends */
	struct scf_mpsc *recv;	/* mpsc: the shared request queue */
	uint32_t client;	/* mpsc: this client's number in its entries */
};

/* The path the slot's own layout gives (what a synchronous call takes). */
static inline struct scf_path scf_path_of(const struct scf_client *c)
{
	struct scf_path p = { SCF_LAYOUT_INDIRECT, false, 0, 0 };

	if (c->q.ring == SCF_RING_INLINE)
		p.layout = SCF_LAYOUT_INLINE;
	else if (c->q.req.discipline == SCF_RING_LOCKED)
		p.layout = SCF_LAYOUT_LOCKED;
	return p;
}

/* One request on its way: what scf_put() is told, and what it gives. */
struct scf_put {
	uint64_t *t;		/* the call's stamps: C1..C3 land here */
	bool full;		/* the request asks the shadow for every stamp */
	bool stamp;		/* stamp C1..C3 (C0 is the caller's) */
	/*
	 * Threads sharing the slot: the descriptors' state words.  The one
	 * taken is set to SCF_MT_WAIT before the request is sent, so the
	 * thread that takes its answer knows it has an owner.
	 */
	_Atomic uint32_t *mark;
	uint64_t seq;		/* out: the request's number */
	uint32_t idx;		/* out: its descriptor */
};

/* The descriptor call seq will use: 0.. or -SCF_EAGAIN (none free). */
static inline int scf_path_claim(struct scf_client *c,
				 const struct scf_path *p, uint64_t seq)
{
	if (p->layout == SCF_LAYOUT_INLINE)
		return (int)scf_inline_idx(seq, c->q.capacity);	/* positional */
	return scf_desc_get(&c->alloc);
}

static inline void scf_path_release(struct scf_client *c,
				    const struct scf_path *p, uint32_t idx)
{
	if (p->layout != SCF_LAYOUT_INLINE)
		scf_desc_put(&c->alloc, idx);
}

/* Hand descriptor idx, holding request seq, to the shadow. */
static inline int scf_path_send(struct scf_client *c,
				const struct scf_path *p, uint32_t idx,
				uint64_t seq)
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

/*
 * Take a descriptor, write r into it and send it: 0, with c->seq and
 * o->seq the request's number and o->idx its descriptor.  -SCF_EAGAIN
 * when none is free or a shared queue is full, -errno for a payload that
 * does not fit, -SCF_EPROTO when the shadow broke the ring; on an error
 * nothing is taken and c->seq is unchanged.
 */
static inline int scf_put(struct scf_client *c, const struct scf_path *p,
			  const struct scf_req *r, struct scf_put *o)
{
	uint64_t seq = c->seq + 1;
	uint32_t idx;
	int err;

	err = scf_path_claim(c, p, seq);
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
	err = scf_path_send(c, p, idx, seq);
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
	scf_path_release(c, p, idx);
	return err;
}

/* Send what staged puts left behind: one store for the batch. */
static inline void scf_path_commit(struct scf_client *c,
				   const struct scf_path *p)
{
	if (p->layout == SCF_LAYOUT_INDIRECT && p->stage)
		scf_ring_commit(&c->q.req);
}

/* An answer is in: scf_take() finds it (acquire, per layout). */
static inline bool scf_answer_in(const struct scf_client *c,
				 const struct scf_path *p)
{
	if (p->layout == SCF_LAYOUT_INLINE)
		return scf_inline_answered(c);
	return scf_ring_pending(&c->q.rsp) != 0;
}

/*
 * The next answer: 0 and *idx its descriptor, -SCF_EAGAIN when none is
 * in, -SCF_EPROTO when the shadow broke the ring.  *idx is whatever the
 * shadow wrote: the caller checks it names a call it has in flight.
 */
static inline int scf_take(struct scf_client *c, const struct scf_path *p,
			   uint32_t *idx)
{
	/* Every ring layout answers on the client's own response ring. */
	if (p->layout == SCF_LAYOUT_INLINE)
		return scf_inline_take(c, idx);
	return scf_ring_pop(&c->q.rsp, idx);
}

struct scf_answer_wait_arg {
	struct scf_client *c;
	const struct scf_path *p;
};

/* The condition scf_answer_wait() polls (the backend calls it). */
static inline bool scf_answer_ready(void *arg)
{
	struct scf_answer_wait_arg *w = arg;
	struct scf_client *c = w->c;

	return scf_answer_in(c, w->p) || (c->cancel && *c->cancel) ||
	       scf_deadline_passed(c);
}

/*
 * Wait until an answer is in, c->cancel is set or the call's deadline
 * (scf_deadline.h, armed here) has passed: 0, or the backend's -errno.
 * Which of the three it was is for scf_take() to tell: -SCF_EAGAIN from
 * it after the wait is scf_answer_missing().  kst: the kernel's wake-up
 * stamps, or NULL.
 */
static inline int scf_answer_wait(struct scf_client *c,
				  const struct scf_path *p, uint64_t *kst)
{
	struct scf_answer_wait_arg w = { c, p };

	scf_deadline_arm(c);
	return scf_notify_wait(c->n, scf_answer_ready, &w, kst);
}

/* Why a wait ended with no answer in: -SCF_ETIMEDOUT or -SCF_EINTR. */
static inline int scf_answer_missing(const struct scf_client *c)
{
	return c->timed_out != SCF_PHASE_NONE ? -SCF_ETIMEDOUT : -SCF_EINTR;
}

/*
 * Read the answer in descriptor idx into r (the caller took it), stamp
 * C6 when stamp is set, free the descriptor, stamp C7 and fill rec:
 * the call's result or -errno.
 */
static inline int64_t scf_answer_done(struct scf_client *c,
				      const struct scf_path *p, uint32_t idx,
				      uint64_t seq, const struct scf_req *r,
				      struct scf_rec *rec, bool full,
				      bool stamp)
{
	int64_t ret;
	bool bad;

	/* The take's acquire (pairs with the shadow's answer) orders this. */
	ret = scf_collect(c, idx, r, &bad);
	if (bad)
		c->protocol_errors++;
	scf_probe_if(stamp, rec->t, SCF_C6_COLLECTED);
	scf_path_release(c, p, idx);
	scf_probe(rec->t, SCF_C7_DONE);
	scf_rec_finish(rec, &c->q.desc[idx], seq, r, ret, full);
	return ret;
}

#endif /* SCF_PATH_H */
