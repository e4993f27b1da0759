/* SPDX-License-Identifier: MIT */
/*
 * scf_client.h - the RTOS-side runtime: forward a call and wait for it.
 *
 * slot -> marshal -> push -> kick -> wait -> collect -> free, stamping
 * C0..C7 into the caller's record.  Freestanding, like the rest of
 * common/scf: an RTOS kernel links it unchanged.  One call in flight per
 * client, unless scf_client_mt_enable() made it shared: then any number
 * of threads of one RTOS process call through the one slot at once
 * (clone), each waiting for its own response (scf_client_mt.c).
 *
 * Argument conventions per opcode are in scf_calls.h.
 */
#ifndef SCF_CLIENT_H
#define SCF_CLIENT_H

#include "scf_desc.h"
#include "scf_notify.h"
#include "scf_region.h"

enum scf_memsync {
	SCF_MEMSYNC_COPY = 0,	/* payloads through the region's pool */
	SCF_MEMSYNC_MAP = 1,	/* pointers into memory synced at one address */
};

/* One forwarded call as the client saw it: every probe, client-private. */
struct scf_rec {
	uint64_t t[SCF_PROBE_NR];
	uint64_t seq;
	int64_t ret;
	uint32_t opcode;
	uint32_t late;		/* 1 once the late log supplied S5 */
	uint32_t probed;	/* 1: every point stamped; 0: only C0 and C7 */
};

/* A piece of caller memory to gather into the pool. */
struct scf_piece {
	const void *p;
	uint64_t len;
};

/* What to forward. */
struct scf_req {
	uint32_t opcode;
	uint64_t args[6];
	const void *in;		/* copy mode: bytes for the pool, then... */
	uint32_t in_len;
	const struct scf_piece *in_more;	/* ...these, back to back */
	uint32_t in_nmore;
	void *out;		/* copy mode: where the pool's answer goes */
	uint32_t out_cap;
	uint32_t flags;		/* SCF_DF_CLIENT_MASK bits for the descriptor */
};

struct scf_mt;

/* Where a call's wait stood when its deadline ended it (scf_deadline.h). */
enum scf_wait_phase {
	SCF_PHASE_NONE = 0,
	SCF_PHASE_POP,		/* the shadow had not popped the request */
	SCF_PHASE_DROPPED,	/* popped off the ring, never taken up */
	SCF_PHASE_RESPONSE,	/* taken up, no response published */
};

/*
 * The host's verdict on a call the shadow took up (SCF_PHASE_RESPONSE)
 * whose deadline passed: true gives up, false grants one more deadline.
 */
typedef bool (*scf_judge_fn)(void *arg, enum scf_wait_phase phase);

struct scf_client {
	struct scf_queue q;
	struct scf_notify *n;
	struct scf_desc_alloc alloc;
	uint32_t memsync;	/* enum scf_memsync */
	uint64_t seq;		/* last request number */
	uint64_t inline_sent;	/* inline layout: request in flight, 0: none */
	/*
	 * Stamp every point of one request in probe_every (seq a multiple
	 * of it; 1: all, 0: none); the others stamp only C0 and C7, so the
	 * probes barely touch the calls they do not describe.
	 */
	uint32_t probe_every;
	uint64_t probe_base;	/* seq - probe_base counts the blocks of N */
	uint64_t protocol_errors;
	struct scf_rec *rec;	/* record of the next call; NULL: scratch */
	const volatile int *cancel;	/* non-zero: stop waiting (-SCF_EINTR) */
	struct scf_rec scratch;
	struct scf_mt *mt;	/* non-NULL: shared by threads */
	/* The call deadline (scf_deadline.h); timeout_tsc 0: none. */
	uint64_t timeout_tsc;
	scf_judge_fn judge;	/* NULL: give up at the first deadline */
	void *judge_arg;
	uint64_t wait_start;
	uint32_t grants;	/* deadlines granted to this wait so far */
	enum scf_wait_phase timed_out;	/* set when the last call timed out */
};

/*
 * q must be attached; stack and used give the allocator its storage
 * (q.capacity entries each), so nothing is allocated here or later.
 */
int scf_client_init(struct scf_client *c, struct scf_notify *n,
		    uint32_t memsync, uint32_t *stack, uint8_t *used);

/*
 * Forward one call; returns its result or -errno (-SCF_EPROTO: bad peer,
 * -SCF_ETIMEDOUT: its deadline passed, c->timed_out says where).
 */
int64_t scf_call(struct scf_client *c, const struct scf_req *r);
/*
 * What scf_call() does outside its timed window (C0..C7), and nothing
 * else: it takes the same record, decides the same way whether the call
 * stamps every point, stamps C0 and C7 back to back and fills the record
 * as a call does, with no request sent, the queue and c->seq untouched.  A
 * benchmark's loop calibration runs it, so that the client's own steps
 * around the window count as the loop's, not as time the totals lost.
 * Returns 0.
 */
int64_t scf_call_outside(struct scf_client *c, const struct scf_req *r);

/*
 * ---- a client shared by the threads of one RTOS process (clone) ----
 *
 * What the host provides: an RTOS kernel its mutex and its per-thread
 * condition (the origin's SyscallCondVar), a Linux host a futex.
 */
struct scf_mt_ops {
	/* The submit lock: held around scf_put() and a descriptor's return. */
	void (*lock)(void *arg);
	void (*unlock)(void *arg);
	/* Sleep while *word == val; may return early (callers re-check). */
	void (*park)(void *arg, _Atomic uint32_t *word, uint32_t val);
	/* Wake whoever parks on word. */
	void (*unpark)(void *arg, _Atomic uint32_t *word);
	/* The calling thread's record, or NULL for none. */
	struct scf_rec *(*rec)(void *arg);
};

/* Per descriptor, client-private (never in the region). */
enum scf_mt_state {
	SCF_MT_IDLE = 0,	/* not in flight */
	SCF_MT_WAIT = 1,	/* in flight, its owner waits */
	SCF_MT_DONE = 2,	/* response arrived: the owner may collect */
	SCF_MT_NUDGE = 3,	/* in flight, owner asked to wait on the doorbell */
};

struct scf_mt {
	const struct scf_mt_ops *ops;
	void *arg;
	_Atomic uint32_t leader;	/* 1 while a thread waits on the doorbell */
	_Atomic uint32_t *state;	/* [capacity] enum scf_mt_state */
	_Atomic uint64_t stray;		/* responses naming no waiting call */
};

/*
 * Share c between threads: state gives q.capacity words of storage.  Call
 * while only one thread uses c; from then on scf_call() takes the shared
 * path.  scf_client_mt_disable() goes back, again with one thread left.
 */
int scf_client_mt_enable(struct scf_client *c, struct scf_mt *mt,
			 const struct scf_mt_ops *ops, void *arg,
			 _Atomic uint32_t *state);
void scf_client_mt_disable(struct scf_client *c);
/* scf_call() of a shared client. */
int64_t scf_call_mt(struct scf_client *c, const struct scf_req *r);

/* The largest payload one call can carry in copy mode. */
static inline uint32_t scf_client_chunk(const struct scf_client *c)
{
	return c->q.pool_chunk;
}

/*
 * Drain the late log (S5 stamps the shadow takes after publishing a
 * response): fn is called once per record.  Returns how many were read.
 */
typedef void (*scf_late_fn)(void *arg, const struct scf_late *l);
uint32_t scf_client_drain_late(struct scf_client *c, scf_late_fn fn,
			       void *arg);

#endif /* SCF_CLIENT_H */
