/* SPDX-License-Identifier: MIT */
/*
 * scf_deadline.h - the deadline of a forwarded call's wait.
 *
 * A client must not wait forever for a shadow that was stopped, died, or
 * dropped its request.  The deadline is counted in TSC ticks (the core
 * stays freestanding) from the moment the wait began; it is folded into
 * the ready() the notify backend polls, and every backend re-checks
 * ready() at least every SCF_NOTIFY_RECHECK_NS (scf_notify.h), so an
 * expired deadline ends even a sleep nobody kicks.
 *
 * The rule that tells a dropped request from a slow one, the same for
 * every backend (a spinning shadow looks busy whether it serves or not,
 * so nothing is read from its scheduling state): the shadow says which
 * request it took up last (qhdr.taken, stored before it serves it).
 * When the deadline passes,
 *   - a request not yet taken up fails the call: SCF_PHASE_POP while it
 *     still sits on the request ring, SCF_PHASE_DROPPED once the shadow
 *     has popped it without taking it up (a garbled index, say): it will
 *     never be answered;
 *   - a request taken up is in service: the host's judge callback is
 *     asked, and returns true to give up (a stopped or vanished shadow)
 *     or false to grant one more deadline.  At most
 *     SCF_DEADLINE_GRANTS_MAX are granted to one wait, so a call in
 *     service fails after (SCF_DEADLINE_GRANTS_MAX + 1) deadlines at most,
 *     whatever the judge says.
 * A failed call returns -SCF_ETIMEDOUT and c->timed_out names the phase;
 * c->grants says how many deadlines it had been granted.
 */
#ifndef SCF_DEADLINE_H
#define SCF_DEADLINE_H

#include "scf_client.h"
#include "scf_arch.h"

/* An unordered TSC read: a deadline needs no more precision. */
static inline uint64_t scf_deadline_now(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* More deadlines one wait may be granted while its call is in service. */
#define SCF_DEADLINE_GRANTS_MAX	60u

/* Start the deadline of a wait for the request just pushed. */
static inline void scf_deadline_arm(struct scf_client *c)
{
	c->timed_out = SCF_PHASE_NONE;
	c->grants = 0;
	if (c->timeout_tsc)
		c->wait_start = scf_deadline_now();
}

/*
 * The phase of the call in flight: has the shadow taken up the latest
 * request?  With several in flight (async, threads), the latest taken up
 * means the shadow is serving, in order; one it dropped before that is
 * left to the bound.  Relaxed loads: the shadow stored taken long before
 * a deadline can pass; a pop caught between the shadow's store of tail
 * and its store of taken reads as dropped, and fails a call that was not
 * taken up within a whole deadline either way.
 */
static inline enum scf_wait_phase scf_deadline_phase(const struct scf_client *c)
{
	uint32_t taken = atomic_load_explicit(&c->q.hdr->taken.v,
					      memory_order_relaxed);
	uint32_t tail;

	if (taken == (uint32_t)c->seq)
		return SCF_PHASE_RESPONSE;
	if (c->q.ring == SCF_RING_INLINE)
		return SCF_PHASE_POP;	/* no ring: nothing to pop */
	tail = atomic_load_explicit(c->q.req.tail, memory_order_relaxed);
	return (int32_t)(tail - c->q.req.prod) >= 0 ? SCF_PHASE_DROPPED
						    : SCF_PHASE_POP;
}

/* True once the wait must end: the deadline passed and the rule agreed. */
static inline bool scf_deadline_passed(struct scf_client *c)
{
	enum scf_wait_phase ph;
	uint64_t now;

	if (!c->timeout_tsc || c->timed_out)
		return c->timed_out != SCF_PHASE_NONE;
	now = scf_deadline_now();
	if (now - c->wait_start < c->timeout_tsc)
		return false;
	ph = scf_deadline_phase(c);
	if (ph == SCF_PHASE_RESPONSE && c->grants < SCF_DEADLINE_GRANTS_MAX &&
	    c->judge && !c->judge(c->judge_arg, ph)) {
		c->grants++;
		c->wait_start = now;	/* in service: one more deadline */
		return false;
	}
	c->timed_out = ph;
	return true;
}

#endif /* SCF_DEADLINE_H */
