/* SPDX-License-Identifier: MIT */
/*
 * scf_async.h - asynchronous, batched forwarding on one client's slot.
 *
 *   submit -> submit -> ... -> flush (one doorbell for the batch)
 *   ... -> reap (completions: token, result, the submitter's cookie)
 *
 * Up to depth calls are in flight at once (at most the slot's capacity,
 * since each holds its descriptor until reaped).  Every call is stamped
 * C0..C7 like a synchronous one: C0..C3 at submit, C4 when the batch's
 * doorbell returned (C3 for a backend without one), C5 when the reaper
 * saw the response, C6 after collecting it, C7 once its descriptor is
 * free.  Freestanding, like the rest of common/scf; nothing allocates:
 * the caller gives the per-descriptor storage.
 *
 * Requests go out and answers come back through scf_put() and scf_take()
 * (scf_path.h), as a synchronous call's do.  A client is either
 * synchronous (scf_call) or asynchronous at a time: a synchronous call
 * would take an asynchronous response for its own.
 */
#ifndef SCF_ASYNC_H
#define SCF_ASYNC_H

#include "scf_path.h"

/* A submitted call: its request number and its descriptor. */
typedef uint64_t scf_token_t;
#define SCF_TOKEN(seq, idx)	(((uint64_t)(seq) << 16) | (uint64_t)(idx))
#define SCF_TOKEN_IDX(t)	((uint32_t)((t) & 0xffffu))
#define SCF_TOKEN_SEQ(t)	((t) >> 16)
_Static_assert(SCF_CAP_MAX <= (1u << 16), "a descriptor index fits a token");

/* Client-private state of one descriptor in flight. */
struct scf_async_ent {
	const struct scf_req *req;	/* where the answer is copied (out) */
	struct scf_rec *rec;		/* its probe record, or NULL */
	void *user;			/* the submitter's cookie */
	uint64_t seq;
	uint32_t busy;
	uint32_t probed;		/* one in probe_every: every stamp */
};

/* One completion. */
struct scf_cqe {
	scf_token_t token;
	int64_t ret;
	void *user;
	struct scf_rec *rec;
};

struct scf_async {
	struct scf_client *c;
	struct scf_async_ent *ent;	/* [q.capacity] */
	uint32_t *batch;		/* [q.capacity] submitted, not yet kicked */
	uint32_t depth;
	uint32_t inflight;
	uint32_t nbatch;
	struct scf_path path;		/* the slot's layout, or the shared queue */
	uint64_t submitted, completed;
	uint64_t kicks;			/* doorbells rung by this side */
	uint64_t batches;		/* flushes that had something to kick */
	uint64_t stray;			/* responses naming no call in flight */
};

/*
 * Bind a to c (initialised, attached, synchronous calls done).  ent and
 * batch give q.capacity entries each; depth 0 means the capacity.
 * 0, or -SCF_EINVAL for a depth beyond the capacity or missing storage.
 */
int scf_async_init(struct scf_async *a, struct scf_client *c,
		   struct scf_async_ent *ent, uint32_t *batch, uint32_t depth);
/*
 * Topology "mpsc": submit into recv, the receiver's one request queue
 * shared by every client, as client number client (the shadow answers
 * on this client's own response ring), instead of the slot's request
 * ring.  0, or -SCF_EINVAL for a number that does not fit an entry.
 */
int scf_async_share(struct scf_async *a, struct scf_mpsc *recv,
		    uint32_t client);
/*
 * Queue r (which must stay valid until reaped) without ringing the
 * doorbell.  0 and *tok, -SCF_EAGAIN when depth calls are in flight,
 * -errno for a payload that does not fit, -SCF_EPROTO for a broken peer
 * (-SCF_EAGAIN too when a shared queue is full).
 */
int scf_async_submit(struct scf_async *a, const struct scf_req *r,
		     struct scf_rec *rec, void *user, scf_token_t *tok);
/* Ring the doorbell once for everything submitted since the last flush. */
int scf_async_flush(struct scf_async *a);
/* Take up to max completions; returns how many, or -SCF_EPROTO. */
int scf_async_reap(struct scf_async *a, struct scf_cqe *out, uint32_t max);
/*
 * Sleep (or spin, per the backend) until a response is published or
 * c->cancel is set: 0, -SCF_EINTR when cancelled, or the backend's -errno.
 */
int scf_async_wait(struct scf_async *a);

#endif /* SCF_ASYNC_H */
