// SPDX-License-Identifier: MIT
/*
 * scf_client_mt.c - one SCF slot shared by the threads of an RTOS process
 * (the origin's clone: "the threads of an RTOS process share one scf
 * resource").
 *
 * The slot's rings stay single-producer/single-consumer; the threads take
 * turns at each end:
 *
 *  - producer end: the host's submit lock around scf_put() (descriptor,
 *    request, ring push; scf_path.h) and around the descriptor's return.
 *  - consumer end: one thread at a time is the leader.  It waits on the
 *    doorbell, pops every response, and hands each to its owner through
 *    the descriptor's state word (WAIT -> DONE), waking the owner; the
 *    other threads park on their own state word, so every waiter wakes on
 *    its own completion.  A leader that has its own response gives the
 *    role up and nudges one waiting thread (WAIT -> NUDGE), so somebody
 *    watches the doorbell whenever calls are in flight.
 *
 * A response is handed over only from WAIT or NUDGE: one that names an
 * idle descriptor, or one already answered, is counted in mt->stray and
 * dropped, so a broken or hostile shadow can neither make a call return
 * twice nor hand a thread another thread's answer.
 *
 * Ordering:
 *  - the leader's pop (acquire) pairs with the shadow's push (release);
 *    its CAS to DONE (release) pairs with the owner's acquire load of its
 *    state, so the owner sees what the shadow wrote to the descriptor.
 *  - the leader flag: the exchange that takes it (acquire) pairs with the
 *    store that gives it up (release), so the next leader sees the ring's
 *    private consumer index as the last one left it.
 *  - giving up the role vs. failing to take it is a store-then-load on
 *    each side (Dekker): the seq_cst fences in mt_wait() and handoff()
 *    pair, so either the leader's scan sees the waiter's WAIT and nudges
 *    it, or the waiter's retry sees the role free.
 */
#include "scf_client_impl.h"
#include "scf_deadline.h"
#include "scf_path.h"

int scf_client_mt_enable(struct scf_client *c, struct scf_mt *mt,
			 const struct scf_mt_ops *ops, void *arg,
			 _Atomic uint32_t *state)
{
	uint32_t i;

	/* An inline slot holds one call at a time (scf_abi.h). */
	if (!ops || !ops->lock || !ops->unlock || !ops->park ||
	    !ops->unpark || !state || c->q.ring == SCF_RING_INLINE)
		return -SCF_EINVAL;
	mt->ops = ops;
	mt->arg = arg;
	mt->state = state;
	atomic_store_explicit(&mt->leader, 0, memory_order_relaxed);
	atomic_store_explicit(&mt->stray, 0, memory_order_relaxed);
	/* Descriptors left out by a cancelled call stay out: IDLE here. */
	for (i = 0; i < c->q.capacity; i++)
		atomic_store_explicit(&state[i], SCF_MT_IDLE,
				      memory_order_relaxed);
	/* Plain store: one thread; creating the next one is the barrier. */
	c->mt = mt;
	return 0;
}

void scf_client_mt_disable(struct scf_client *c)
{
	c->mt = 0;
}

static bool mt_ready(void *arg)
{
	struct scf_client *c = arg;

	struct scf_path p = scf_path_of(c);

	/* The deadline is the leader's: only one thread runs this at a time. */
	return scf_answer_in(c, &p) || (c->cancel && *c->cancel) ||
	       scf_deadline_passed(c);
}

static bool cancelled(const struct scf_client *c)
{
	return c->cancel && *c->cancel;
}

/* Pop every response and hand each to its owner. */
static int dispatch(struct scf_client *c, struct scf_mt *mt, uint32_t self)
{
	struct scf_path p = scf_path_of(c);
	uint32_t got, v;
	int err;

	for (;;) {
		err = scf_take(c, &p, &got);
		if (err == -SCF_EAGAIN)
			return 0;
		if (err)
			return err;	/* the shadow broke the ring's head */
		if (got >= c->q.capacity) {
			atomic_fetch_add_explicit(&mt->stray, 1,
						  memory_order_relaxed);
			continue;
		}
		v = atomic_load_explicit(&mt->state[got], memory_order_relaxed);
		do {
			if (v != SCF_MT_WAIT && v != SCF_MT_NUDGE)
				break;
			/* release: pairs with the owner's acquire in mt_wait() */
		} while (!atomic_compare_exchange_weak_explicit(&mt->state[got],
				&v, SCF_MT_DONE, memory_order_release,
				memory_order_relaxed));
		if (v != SCF_MT_WAIT && v != SCF_MT_NUDGE) {
			/* idle or already answered: a duplicate or a stray */
			atomic_fetch_add_explicit(&mt->stray, 1,
						  memory_order_relaxed);
			continue;
		}
		if (got != self)
			mt->ops->unpark(mt->arg, &mt->state[got]);
	}
}

/* As the leader: wait on the doorbell until our own response is in. */
static int lead(struct scf_client *c, struct scf_mt *mt, uint32_t self)
{
	int err;

	/* One deadline per leader: a waiter that takes over starts its own. */
	scf_deadline_arm(c);
	for (;;) {
		err = dispatch(c, mt, self);
		if (err)
			return err;
		/* acquire: pairs with our own (or a former leader's) CAS */
		if (atomic_load_explicit(&mt->state[self], memory_order_acquire) ==
		    SCF_MT_DONE) {
			c->timed_out = SCF_PHASE_NONE;	/* answered after all */
			return 0;
		}
		if (cancelled(c))
			return -SCF_EINTR;
		if (c->timed_out)
			return -SCF_ETIMEDOUT;
		err = scf_notify_wait(c->n, mt_ready, c, 0);
		if (err == -SCF_EINVAL) {
			/*
			 * The backend can sleep only the thread that attached
			 * (scf_notify.h): this one polls the ring instead.
			 */
			while (!mt_ready(c))
				scf_cpu_relax();
			err = 0;
		}
		if (err < 0)
			return err;
	}
}

/* The role is free: make sure a thread still waiting comes to take it. */
static void handoff(struct scf_client *c, struct scf_mt *mt, uint32_t self)
{
	uint32_t i, v;

	/* Pairs with the fence in mt_wait() (see the top of this file). */
	atomic_thread_fence(memory_order_seq_cst);
	for (i = 0; i < c->q.capacity; i++) {
		if (i == self)
			continue;
		v = atomic_load_explicit(&mt->state[i], memory_order_relaxed);
		if (v == SCF_MT_NUDGE)
			return;		/* one is already on its way */
		if (v == SCF_MT_WAIT &&
		    atomic_compare_exchange_strong_explicit(&mt->state[i], &v,
				SCF_MT_NUDGE, memory_order_relaxed,
				memory_order_relaxed)) {
			mt->ops->unpark(mt->arg, &mt->state[i]);
			return;
		}
	}
}

static bool try_lead(struct scf_mt *mt)
{
	/* acquire: pairs with the release that gave the role up */
	return !atomic_load_explicit(&mt->leader, memory_order_relaxed) &&
	       !atomic_exchange_explicit(&mt->leader, 1, memory_order_acquire);
}

static int mt_wait(struct scf_client *c, struct scf_mt *mt, uint32_t self)
{
	_Atomic uint32_t *st = &mt->state[self];
	uint32_t v;
	int err;

	for (;;) {
		/* acquire: pairs with the leader's release CAS to DONE */
		v = atomic_load_explicit(st, memory_order_acquire);
		if (v == SCF_MT_DONE)
			return 0;
		if (v == SCF_MT_NUDGE)	/* taken; DONE meanwhile is seen next turn */
			atomic_compare_exchange_strong_explicit(st, &v,
				SCF_MT_WAIT, memory_order_relaxed,
				memory_order_relaxed);
		if (cancelled(c)) {
			handoff(c, mt, self);	/* pass a nudge we may hold on */
			return -SCF_EINTR;
		}
		/* Pairs with the fence in handoff(). */
		atomic_thread_fence(memory_order_seq_cst);
		if (try_lead(mt)) {
			err = lead(c, mt, self);
			/* release: our consumer index, for the next leader */
			atomic_store_explicit(&mt->leader, 0,
					      memory_order_release);
			handoff(c, mt, self);
			return err;
		}
		mt->ops->park(mt->arg, st, SCF_MT_WAIT);
	}
}

int64_t scf_call_mt(struct scf_client *c, const struct scf_req *r)
{
	struct scf_mt *mt = c->mt;
	struct scf_path p = scf_path_of(c);
	struct scf_rec local, *rec = mt->ops->rec ? mt->ops->rec(mt->arg) : 0;
	struct scf_put o = { .mark = mt->state };
	int64_t ret;
	bool bad;
	int err;

	if (!rec)
		rec = &local;
	o.t = rec->t;
	scf_probe(rec->t, SCF_C0_CALL);
	mt->ops->lock(mt->arg);
	o.full = o.stamp = scf_probe_full(c, c->seq + 1);
	/* Marks the descriptor WAIT before the shadow can answer it. */
	err = scf_put(c, &p, r, &o);
	mt->ops->unlock(mt->arg);
	if (err)
		return err;
	/* Kernel stamps are not kept here: a wake-up may be another's. */
	err = scf_notify_kick(c->n, 0);
	scf_probe_if(o.full, rec->t, SCF_C4_KICKED);
	if (err > 0 && o.full)
		scf_probe_set(rec->t, SCF_C4_KICKED, rec->t[SCF_C3_SUBMITTED]);

	err = mt_wait(c, mt, o.idx);
	scf_probe_if(o.full, rec->t, SCF_C5_WOKEN);
	if (err)
		return err;	/* cancelled, timed out or broken: it stays out */
	ret = scf_collect(c, o.idx, r, &bad);
	scf_probe_if(o.full, rec->t, SCF_C6_COLLECTED);
	/* Before the put: once free, another thread may reuse the descriptor. */
	scf_rec_finish(rec, &c->q.desc[o.idx], o.seq, r, ret, o.full);
	mt->ops->lock(mt->arg);
	if (bad)
		c->protocol_errors++;
	atomic_store_explicit(&mt->state[o.idx], SCF_MT_IDLE,
			      memory_order_relaxed);
	scf_desc_put(&c->alloc, o.idx);
	mt->ops->unlock(mt->arg);
	scf_probe(rec->t, SCF_C7_DONE);
	return ret;
}
