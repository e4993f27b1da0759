// SPDX-License-Identifier: MIT
/*
 * serve_loop.c - the shadow's one serve loop: wait -> take -> validate ->
 * service -> publish -> kick, stamping S0..S5, for every layout and any
 * number of clients.  What differs between layouts is how a request is
 * taken (and looked at before: ready, probed) and how its answer is
 * published: one header of primitives per layout (layout_indirect.h,
 * layout_inline.h, layout_mpsc.h), picked by a switch on a layout that
 * is a constant in each copy of the loop, so the compiler makes one
 * loop per layout with no indirect call per request.  One client is the
 * loop over one source; several (spsc, mpsc) are the same loop over
 * their sources, swept in turn.  Several clients share c[0]'s doorbells:
 * every client rings its shadow side, and the shadow sleeps on it with a
 * condition that looks at every client's requests; the clients are tasks
 * of one RTOS thread (scf_exec_run_group), so one reply doorbell wakes
 * whoever waits.
 *
 * The reply kick: after an answer is published, c[0]'s doorbell is rung
 * unless a request is queued on any source (inline: never: its client
 * waits for each answer before it publishes the next call).  A queued
 * request was submitted after this answer's request, so its client is
 * not asleep on this one alone and will be woken by the kick after the
 * last of them: one doorbell per batch.  A synchronous client has
 * nothing queued behind its call: every answer is kicked.  An answer
 * that something waits on (a park, a dual call's second half) is kicked
 * at once, queued requests or not: the shadow may sleep or leave right
 * after it.  Every kick is counted in c[0]'s rsp_kicks.
 *
 * The stamps of a probed request (SCF_DF_PROBE, read before the request
 * is taken; the others get none):
 *
 *   S0  when it was seen at the head of its source; or, when the request
 *       answered just before it in the same batch was probed, that one's
 *       S5 (it was ready when that one was done).  The first of a batch
 *       is seen right after the wait returned.
 *   S1  when it was taken: popped off its ring or the shared queue, or
 *       (inline) seen published.
 *   S2  validated, S3 serviced (serve.c); S4 its answer written (answer.c).
 *   S5  when its kick returned, or, when requests were queued behind it,
 *       when the shadow left the kick to a later answer; the late log
 *       carries it with the kick's kernel stamps (zero when not kicked).
 *   The wait's kernel stamps go with the first answer of a batch only.
 *
 * Against the three loops this one replaced: one indirect client is
 * served exactly as before, except that a park or dual answer with
 * requests queued behind it is now kicked (before, the shadow parked or
 * left without waking its client).  Inline: the same kicks; S0 and S1 are
 * taken for probed calls only (before, for every call, of which only the
 * probed ones' were written), so a probed call right after an unprobed
 * one in the same batch gets S0 when seen, not when the one before was
 * kicked.  Several clients: S0 and S1 for probed requests only, S0 as
 * above (before, the wait's return or the last probed answer's
 * publication, however many unprobed ones came between); S5 as above
 * (before, its publication, and no kick was stamped); the kick follows
 * the first answer after which nothing is queued anywhere (before, the
 * sweep after which nothing was: the same one kick for a batch that
 * drains, counted the same); a park sleeps once its answer is kicked
 * (before, after the batch).
 */
#include "layout_indirect.h"
#include "layout_inline.h"
#include "layout_mpsc.h"
#include "scf_probe.h"
#include "serve_set.h"

/* Inlined even where the compiler would not: the layout must fold. */
#define loop_inline	static inline __attribute__((always_inline))

loop_inline bool src_ready(const struct serve_set *set, struct shadow *c0,
			   enum serve_layout l, bool one)
{
	switch (l) {
	case SERVE_INLINE:
		return inline_ready(set, c0);
	case SERVE_MPSC:
		return mpsc_ready(set);
	default:
		return indirect_ready(set, c0, one);
	}
}

/* Requests queued behind the answer just published. */
loop_inline bool src_queued(const struct serve_set *set, struct shadow *c0,
			    enum serve_layout l, bool one)
{
	switch (l) {
	case SERVE_INLINE:
		return inline_queued(set);
	case SERVE_MPSC:
		return mpsc_ready(set);
	default:
		return indirect_queued(set, c0, one);
	}
}

loop_inline bool src_probed(const struct serve_set *set, struct shadow *c0,
			    enum serve_layout l, bool one)
{
	switch (l) {
	case SERVE_INLINE:
		return inline_probed(set, c0);
	case SERVE_MPSC:
		return mpsc_probed(set);
	default:
		return indirect_probed(set, c0, one);
	}
}

loop_inline int src_take(struct serve_set *set, struct shadow *c0,
			 enum serve_layout l, bool one, struct serve_req *r)
{
	switch (l) {
	case SERVE_INLINE:
		return inline_take(set, c0, r);
	case SERVE_MPSC:
		return mpsc_take(set, r);
	default:
		return indirect_take(set, c0, one, r);
	}
}

/* 1 when stamped, 0 when not, -1 when the client's response ring broke. */
loop_inline int src_publish(struct serve_set *set, enum serve_layout l,
			    const struct serve_req *r, uint64_t *probe,
			    const uint64_t *kwait, uint64_t *seq)
{
	if (l == SERVE_INLINE)
		return inline_publish(set, r, probe, kwait, seq);
	/* mpsc answers on the client's own response ring, as indirect */
	return indirect_publish(set, r, probe, kwait, seq);
}

/* The wait's conditions, one per copy of the loop. */
static bool ready_ring(void *arg)
{
	const struct serve_set *set = arg;

	return *set->stop || src_ready(set, set->c[0], SERVE_INDIRECT, true);
}

static bool ready_rings(void *arg)
{
	const struct serve_set *set = arg;

	return *set->stop || src_ready(set, set->c[0], SERVE_INDIRECT, false);
}

static bool ready_inline(void *arg)
{
	const struct serve_set *set = arg;

	return *set->stop || src_ready(set, set->c[0], SERVE_INLINE, true);
}

static bool ready_mpsc(void *arg)
{
	const struct serve_set *set = arg;

	return *set->stop || src_ready(set, set->c[0], SERVE_MPSC, false);
}

/* The header's kick policy, for the answer of client s just published. */
loop_inline void reply_kick(const struct serve_set *set, struct shadow *c0,
			    enum serve_layout l, bool one,
			    const struct shadow *s, uint64_t *kkick)
{
	kkick[0] = kkick[1] = 0;
	if (!src_queued(set, c0, l, one) || s->park_asked || s->dual.pending)
		shadow_kick(c0, kkick);
}

loop_inline void serve(struct serve_set *set, enum serve_layout l, bool one,
		       bool (*ready)(void *))
{
	volatile sig_atomic_t *stop = set->stop;
	struct shadow *c0 = set->c[0];	/* constant: kept in a register */
	uint64_t probe[SCF_PROBE_NR] = { 0 };
	uint64_t kwait[2] = { 0, 0 }, kkick[2];
	struct serve_req r;

	while (!*stop) {
		probe[SCF_S0_WOKEN] = 0;
		scf_notify_wait(c0->n, ready, set, kwait);
		if (!one)
			set->at = 0;
		for (;;) {
			uint64_t seq;
			bool full = src_probed(set, c0, l, one);
			int got;

			if (full && !probe[SCF_S0_WOKEN])
				scf_probe(probe, SCF_S0_WOKEN);
			got = src_take(set, c0, l, one, &r);
			if (got == SERVE_NONE)
				break;
			if (got == SERVE_AGAIN)
				continue;
			scf_probe_if(full, probe, SCF_S1_POPPED);
			got = src_publish(set, l, &r, probe, kwait, &seq);
			if (got < 0)
				continue;
			reply_kick(set, c0, l, one, r.s, kkick);
			/* A batch shares one wake-up: later ones had none. */
			kwait[0] = kwait[1] = 0;
			probe[SCF_S0_WOKEN] = 0;
			if (got)
				shadow_stamp_out(r.s, seq, probe, kkick);
			if (shadow_after_out(r.s))
				return;
		}
	}
}

/*
 * The loop's copies, one per layout and for one client apart: each its
 * own function, so that a profile or objdump -d shows each on its own.
 */
#define loop_copy	static __attribute__((noinline)) void

loop_copy serve_ring(struct serve_set *set)
{
	serve(set, SERVE_INDIRECT, true, ready_ring);
}

loop_copy serve_rings(struct serve_set *set)
{
	serve(set, SERVE_INDIRECT, false, ready_rings);
}

loop_copy serve_inline(struct serve_set *set)
{
	serve(set, SERVE_INLINE, true, ready_inline);
}

loop_copy serve_mpsc(struct serve_set *set)
{
	serve(set, SERVE_MPSC, false, ready_mpsc);
}

void shadow_serve_set(struct serve_set *set)
{
	switch (set->layout) {
	case SERVE_INLINE:
		serve_inline(set);
		break;
	case SERVE_MPSC:
		serve_mpsc(set);
		break;
	case SERVE_INDIRECT:
		if (set->n == 1)
			serve_ring(set);
		else
			serve_rings(set);
		break;
	}
}

void shadow_serve_loop(struct shadow *s)
{
	struct serve_set set = {
		.c = { s }, .n = 1, .stop = s->stop, .next = 1,
		.layout = s->q.ring == SCF_RING_INLINE ? SERVE_INLINE :
							 SERVE_INDIRECT,
	};

	shadow_serve_set(&set);
}
