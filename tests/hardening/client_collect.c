// SPDX-License-Identifier: MIT
/*
 * client_collect.c - the client against a shadow that lies after it
 * answered, and against one that never answers: scf_call() reads what it
 * needs from the descriptor once, takes the payload's place from the
 * index (never from the region), refuses a ret or out_len beyond what it
 * asked for, and ends a wait at its deadline with the phase it was in:
 * a request never popped or popped and never taken up (dropped) at the
 * first deadline, whatever the judge says; one taken up when the judge
 * gives up, or after SCF_DEADLINE_GRANTS_MAX more deadlines at most.
 *
 * An inline slot's call (no index ring) goes through the same put, wait
 * and take: it is answered, and it ends at its deadline as any other
 * call does.
 *
 * The "shadow" is a thread on the same region (poll backend), scripted
 * per case.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "scf_arch.h"
#include "scf_client.h"
#include "scf_deadline.h"
#include "scf_inline.h"
#include "scf_region.h"
#include "../tap.h"

#define CAP	8u
#define DEADLINE	100000000ull	/* TSC ticks */
#define CHUNK	256u

enum script {
	ANSWER_THEN_MOVE,	/* answer, then point payload_off far away */
	ANSWER_LONG_OUT,	/* out_len beyond out_cap */
	ANSWER_LONG_RET,	/* ret beyond out_cap */
	ANSWER_BAD_ERRNO,	/* ret below -4095 */
	IGNORE,			/* never pop the request */
	POP_ONLY,		/* pop it, never take it up (dropped) */
	TAKE_ONLY,		/* pop it, take it up (qhdr.taken), never answer */
};

static struct {
	struct scf_geom g;
	void *mem;
	uint64_t size;
	struct scf_queue sq;
	struct scf_client c;
	uint32_t stack[CAP];
	uint8_t used[CAP];
	enum script script;
	_Atomic int go;
	_Atomic int up;		/* the shadow thread runs */
} T;

/* The inline layout's shadow: call 1 in its descriptor, answered in place. */
static void *shadow_inline(void)
{
	struct scf_queue *q = &T.sq;
	struct scf_desc *d = &q->desc[scf_inline_idx(1, q->capacity)];

	if (T.script == IGNORE)
		return NULL;
	/* acquire: pairs with the client's release of seq */
	while (atomic_load_explicit((_Atomic uint64_t *)&d->seq,
				    memory_order_acquire) != 1)
		scf_cpu_relax();
	atomic_store_explicit(&q->hdr->taken.v, 1, memory_order_relaxed);
	if (T.script == TAKE_ONLY)
		return NULL;
	memset(q->pool + (uint64_t)scf_inline_idx(1, q->capacity) * CHUNK, 'A',
	       16);
	d->out_len = 16;
	d->ret = 16;
	/* release: pairs with the client's acquire of done */
	atomic_store_explicit((_Atomic uint32_t *)&d->done, 1,
			      memory_order_release);
	return NULL;
}

static void *shadow(void *arg)
{
	struct scf_queue *q = &T.sq;
	struct scf_desc *d;
	uint32_t idx;

	(void)arg;
	atomic_store(&T.up, 1);
	if (T.g.ring == SCF_RING_INLINE)
		return shadow_inline();
	if (T.script == IGNORE)
		return NULL;
	while (scf_ring_pop(&q->req, &idx))
		scf_cpu_relax();
	if (T.script == POP_ONLY)
		return NULL;
	atomic_store_explicit(&q->hdr->taken.v, (uint32_t)q->desc[idx].seq,
			      memory_order_relaxed);
	if (T.script == TAKE_ONLY)
		return NULL;
	d = &q->desc[idx];
	memset(q->pool + (uint64_t)idx * CHUNK, 'A', 16);
	d->out_len = T.script == ANSWER_LONG_OUT ? 64 : 16;
	d->ret = T.script == ANSWER_LONG_RET ? 64 :
		 T.script == ANSWER_BAD_ERRNO ? -100000 : 16;
	while (scf_ring_push(&q->rsp, idx))
		scf_cpu_relax();
	/* After the answer: what a hostile shadow rewrites. */
	if (T.script == ANSWER_THEN_MOVE)
		for (int i = 0; i < 100000; i++)
			d->payload_off = 0xfffff000u;
	return NULL;
}

/* Deadlines the judge grants before it gives up; -1: every one. */
static int judge_extend;
static int judge_calls;
static enum scf_wait_phase judge_phase;

static bool judge(void *arg, enum scf_wait_phase ph)
{
	(void)arg;
	judge_phase = ph;
	judge_calls++;
	return judge_extend >= 0 && judge_calls > judge_extend;
}

static int64_t call(enum script s, uint8_t *out, uint32_t cap,
		    uint64_t timeout_tsc)
{
	struct scf_req r = { .opcode = SCF_OP_READ, .out = out, .out_cap = cap };
	struct scf_notify *n;
	struct scf_notify_cfg cfg = { .side = SCF_SIDE_CLIENT, .dev_fd = -1,
				      .sock_fd = -1 };
	pthread_t th;
	int64_t ret;

	memset(T.mem, 0, T.size);
	if (scf_region_format(T.mem, T.size, &T.g) ||
	    scf_queue_attach(&T.c.q, T.mem, T.size, 0) ||
	    scf_queue_attach(&T.sq, T.mem, T.size, 0))
		return -9999;
	cfg.q = &T.c.q;
	if (scf_notify_attach(&n, &cfg) ||
	    scf_client_init(&T.c, n, SCF_MEMSYNC_COPY, T.stack, T.used))
		return -9998;
	T.script = s;
	atomic_store(&T.up, 0);
	pthread_create(&th, NULL, shadow, NULL);
	/* The deadline is to judge the shadow, not the thread's start. */
	while (!atomic_load(&T.up))
		sched_yield();
	if (timeout_tsc) {
		T.c.timeout_tsc = timeout_tsc;
		T.c.judge = judge;
	}
	ret = scf_call(&T.c, &r);
	pthread_join(th, NULL);
	return ret;
}

int main(void)
{
	uint8_t out[64];
	int64_t ret;

	scf_geom_default(&T.g);
	T.g.capacity = CAP;
	T.g.pool_chunk = CHUNK;
	T.g.nr_slots = 1;
	T.size = scf_region_size(&T.g);
	T.mem = mmap(NULL, T.size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (T.mem == MAP_FAILED)
		return 1;

	memset(out, 0, sizeof(out));
	ret = call(ANSWER_THEN_MOVE, out, 32, 0);
	tap_ok(ret == 16 && out[0] == 'A' && out[15] == 'A' && !out[16],
	       "payload_off rewritten after the answer: the payload is read "
	       "from the index's chunk (ret %lld)", (long long)ret);

	ret = call(ANSWER_LONG_OUT, out, 32, 0);
	tap_ok(ret == -SCF_EPROTO && T.c.protocol_errors == 1,
	       "out_len 64 for out_cap 32: -EPROTO, a protocol error (%lld)",
	       (long long)ret);
	ret = call(ANSWER_LONG_RET, out, 32, 0);
	tap_ok(ret == -SCF_EPROTO && T.c.protocol_errors == 1,
	       "ret 64 for out_cap 32: -EPROTO, a protocol error (%lld)",
	       (long long)ret);
	ret = call(ANSWER_BAD_ERRNO, out, 32, 0);
	tap_ok(ret == -SCF_EPROTO && T.c.protocol_errors == 1,
	       "ret -100000 (no errno): -EPROTO, a protocol error (%lld)",
	       (long long)ret);

	/* About 50 ms at any TSC rate from 1 to 5 GHz: a deadline. */
	judge_calls = 0;
	judge_extend = -1;
	ret = call(IGNORE, out, 32, DEADLINE);
	tap_ok(ret == -SCF_ETIMEDOUT && T.c.timed_out == SCF_PHASE_POP &&
	       judge_calls == 0,
	       "request never popped: -ETIMEDOUT waiting for the pop, the "
	       "judge not asked (%lld, phase %d, judged %d)", (long long)ret,
	       T.c.timed_out, judge_calls);
	judge_calls = 0;
	judge_extend = -1;
	ret = call(POP_ONLY, out, 32, DEADLINE);
	tap_ok(ret == -SCF_ETIMEDOUT && T.c.timed_out == SCF_PHASE_DROPPED &&
	       judge_calls == 0,
	       "popped, never taken up: -ETIMEDOUT, dropped, at the first "
	       "deadline, the judge not asked (%lld, phase %d, judged %d)",
	       (long long)ret, T.c.timed_out, judge_calls);
	judge_calls = 0;
	judge_extend = 1;
	ret = call(TAKE_ONLY, out, 32, DEADLINE);
	tap_ok(ret == -SCF_ETIMEDOUT && T.c.timed_out == SCF_PHASE_RESPONSE &&
	       judge_calls == 2 && judge_phase == SCF_PHASE_RESPONSE &&
	       T.c.grants == 1,
	       "taken up, never answered, extended once: -ETIMEDOUT waiting "
	       "for the response (%lld, phase %d, judged %d, granted %u)",
	       (long long)ret, T.c.timed_out, judge_calls, T.c.grants);
	/* (SCF_DEADLINE_GRANTS_MAX + 1) deadlines: about 2 s at 3 GHz. */
	judge_calls = 0;
	judge_extend = -1;
	ret = call(TAKE_ONLY, out, 32, DEADLINE);
	tap_ok(ret == -SCF_ETIMEDOUT && T.c.timed_out == SCF_PHASE_RESPONSE &&
	       judge_calls == (int)SCF_DEADLINE_GRANTS_MAX &&
	       T.c.grants == SCF_DEADLINE_GRANTS_MAX,
	       "taken up, never answered, a judge that always extends: "
	       "-ETIMEDOUT after %u more deadlines, the bound (%lld, phase %d, "
	       "judged %d, granted %u)", SCF_DEADLINE_GRANTS_MAX,
	       (long long)ret, T.c.timed_out, judge_calls, T.c.grants);

	/* The inline layout: the same primitives, the same deadline. */
	T.g.ring = SCF_RING_INLINE;
	memset(out, 0, sizeof(out));
	ret = call(ANSWER_THEN_MOVE, out, 32, DEADLINE);
	tap_ok(ret == 16 && out[0] == 'A' && out[15] == 'A' && !out[16] &&
	       T.c.protocol_errors == 0,
	       "inline slot: answered in its descriptor (%lld)", (long long)ret);
	judge_calls = 0;
	judge_extend = -1;
	ret = call(IGNORE, out, 32, DEADLINE);
	tap_ok(ret == -SCF_ETIMEDOUT && T.c.timed_out == SCF_PHASE_POP &&
	       judge_calls == 0,
	       "inline slot, request never read: -ETIMEDOUT before it was "
	       "taken up (%lld, phase %d, judged %d)", (long long)ret,
	       T.c.timed_out, judge_calls);
	judge_calls = 0;
	judge_extend = 1;
	ret = call(TAKE_ONLY, out, 32, DEADLINE);
	tap_ok(ret == -SCF_ETIMEDOUT && T.c.timed_out == SCF_PHASE_RESPONSE &&
	       judge_calls == 2 && T.c.grants == 1,
	       "inline slot, taken up, never answered, extended once: "
	       "-ETIMEDOUT waiting for the response (%lld, phase %d, judged "
	       "%d, granted %u)", (long long)ret, T.c.timed_out, judge_calls,
	       T.c.grants);
	return tap_done();
}
