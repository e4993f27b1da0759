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
 * The rule that tells a slow call from a dead peer: when the deadline
 * passes, the host's judge callback is asked, with the phase the call is
 * in.  It returns true to give up (the call fails with -SCF_ETIMEDOUT and
 * c->timed_out names the phase), false to grant one more deadline
 * because the peer is making progress.  A host judge gives more time only
 * to a call whose request the shadow has taken off the ring and whose
 * shadow is still running: a request not taken within the deadline, or a
 * stopped or vanished shadow, fails the call.
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

/* Start the deadline of a wait for the request just pushed. */
static inline void scf_deadline_arm(struct scf_client *c)
{
	c->timed_out = SCF_PHASE_NONE;
	if (c->timeout_tsc)
		c->wait_start = scf_deadline_now();
}

/* The phase of the call in flight: has the shadow taken the request? */
static inline enum scf_wait_phase scf_deadline_phase(const struct scf_client *c)
{
	/* A hint only (relaxed): it picks a message, not an ordering. */
	uint32_t tail = atomic_load_explicit(c->q.req.tail,
					     memory_order_relaxed);

	return (int32_t)(tail - c->q.req.prod) >= 0 ? SCF_PHASE_RESPONSE
						    : SCF_PHASE_POP;
}

/* True once the wait must end: the deadline passed and the judge agreed. */
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
	if (c->judge && !c->judge(c->judge_arg, ph)) {
		c->wait_start = now;	/* progressing: one more deadline */
		return false;
	}
	c->timed_out = ph;
	return true;
}

#endif /* SCF_DEADLINE_H */
