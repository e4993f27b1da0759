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
 * The layouts behind the primitives, one file each:
 *   indirect  scf_ring.c         SPSC rings of descriptor indices
 *   locked    scf_ring_locked.c  the same rings under a spinlock
 *   inline    scf_inline.c       no ring: the descriptor's seq and done
 *   mpsc      scf_mpsc.c         one request queue for many clients
 */
#ifndef SCF_PATH_H
#define SCF_PATH_H

#include "scf_client.h"
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

/*
 * Take a descriptor, write r into it and send it: 0, with c->seq and
 * o->seq the request's number and o->idx its descriptor.  -SCF_EAGAIN
 * when none is free or a shared queue is full, -errno for a payload that
 * does not fit, -SCF_EPROTO when the shadow broke the ring; on an error
 * nothing is taken and c->seq is unchanged.
 */
int scf_put(struct scf_client *c, const struct scf_path *p,
	    const struct scf_req *r, struct scf_put *o);
/* Send what staged puts left behind: one store for the batch. */
void scf_path_commit(struct scf_client *c, const struct scf_path *p);

/* An answer is in: scf_take() finds it (acquire, per layout). */
bool scf_answer_in(const struct scf_client *c, const struct scf_path *p);
/*
 * The next answer: 0 and *idx its descriptor, -SCF_EAGAIN when none is
 * in, -SCF_EPROTO when the shadow broke the ring.  *idx is whatever the
 * shadow wrote: the caller checks it names a call it has in flight.
 */
int scf_take(struct scf_client *c, const struct scf_path *p, uint32_t *idx);
/*
 * Wait until an answer is in, c->cancel is set or the call's deadline
 * (scf_deadline.h, armed here) has passed: 0, or the backend's -errno.
 * Which of the three it was is for scf_take() to tell: -SCF_EAGAIN from
 * it after the wait is scf_answer_missing().  kst: the kernel's wake-up
 * stamps, or NULL.
 */
int scf_answer_wait(struct scf_client *c, const struct scf_path *p,
		    uint64_t *kst);
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
int64_t scf_answer_done(struct scf_client *c, const struct scf_path *p,
			uint32_t idx, uint64_t seq, const struct scf_req *r,
			struct scf_rec *rec, bool full, bool stamp);

#endif /* SCF_PATH_H */
