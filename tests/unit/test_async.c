// SPDX-License-Identifier: MIT
/*
 * test_async.c - the asynchronous client and the executor against a
 * shadow thread on a real region (poll backend): submit returns tokens,
 * a batch rings one doorbell, depth is enforced, completions carry the
 * submitter's cookie and result, out-payloads come back, every task of
 * the executor sees its own results in its own order, and a response
 * naming no call in flight is counted as stray, never completed.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

#include "helpers.h"
#include "scf_arch.h"
#include "scf_async.h"
#include "scf_exec.h"

#define CAP	16u
#define CHUNK	64u
#define TASKS	8u
#define CALLS	2000u

struct env {
	struct test_region r;
	struct scf_queue sq;
	struct scf_client c;
	struct scf_notify *n;
	uint32_t stack[CAP];
	uint8_t used[CAP];
	struct scf_async a;
	struct scf_async_ent ent[CAP];
	uint32_t batch[CAP];
	_Atomic int stop;
	_Atomic uint32_t stray_next;	/* push this index once, unasked */
	pthread_t th;
};

/* The shadow: answer args[0] + 1, and echo the payload reversed. */
static void *shadow(void *arg)
{
	struct env *e = arg;
	struct scf_queue *q = &e->sq;
	uint32_t idx, stray;

	while (!atomic_load(&e->stop)) {
		struct scf_desc *d;
		uint32_t i, len;

		stray = atomic_exchange(&e->stray_next, 0);
		if (stray)
			while (scf_ring_push(&q->rsp, stray - 1))
				sched_yield();
		if (scf_ring_pop(&q->req, &idx)) {
			sched_yield();
			continue;
		}
		d = &q->desc[idx];
		len = d->payload_len;
		for (i = 0; i < len / 2; i++) {
			uint8_t *p = q->pool + d->payload_off, x = p[i];

			p[i] = p[len - 1 - i];
			p[len - 1 - i] = x;
		}
		d->out_len = len;
		d->ret = (int64_t)d->args[0] + 1;
		while (scf_ring_push(&q->rsp, idx))
			sched_yield();
	}
	return NULL;
}

static void env_up(struct env *e, uint32_t depth)
{
	struct scf_notify_cfg cfg = { .side = SCF_SIDE_CLIENT, .dev_fd = -1,
				      .sock_fd = -1 };

	test_region_make(&e->r, CAP, SCF_RING_LOCKFREE, CHUNK);
	assert_int_equal(scf_queue_attach(&e->c.q, e->r.mem, e->r.size, 0), 0);
	assert_int_equal(scf_queue_attach(&e->sq, e->r.mem, e->r.size, 0), 0);
	cfg.q = &e->c.q;
	assert_int_equal(scf_notify_attach(&e->n, &cfg), 0);
	assert_int_equal(scf_client_init(&e->c, e->n, SCF_MEMSYNC_COPY,
					 e->stack, e->used), 0);
	assert_int_equal(scf_async_init(&e->a, &e->c, e->ent, e->batch,
					depth), 0);
	assert_int_equal(pthread_create(&e->th, NULL, shadow, e), 0);
}

static void env_down(struct env *e)
{
	atomic_store(&e->stop, 1);
	pthread_join(e->th, NULL);
	test_region_free(&e->r);
}

static void test_async_batch(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct scf_req req[4];
	struct scf_cqe cqe[8];
	uint8_t in[4][8], out[4][8];
	scf_token_t tok[4];
	uint32_t i, got = 0;
	int n;

	(void)state;
	env_up(e, 4);
	for (i = 0; i < 4; i++) {
		memcpy(in[i], "abcdefgh", 8);
		in[i][0] = (uint8_t)('0' + i);
		req[i] = (struct scf_req){ .opcode = SCF_OP_NULL,
					   .args = { i }, .in = in[i],
					   .in_len = 8, .out = out[i],
					   .out_cap = 8 };
		assert_int_equal(scf_async_submit(&e->a, &req[i], NULL,
						  &req[i], &tok[i]), 0);
		assert_int_equal(SCF_TOKEN_SEQ(tok[i]), i + 1);
	}
	assert_int_equal(scf_async_submit(&e->a, &req[0], NULL, NULL, NULL),
			 -SCF_EAGAIN);
	assert_int_equal(e->a.nbatch, 4);
	assert_int_equal(scf_async_flush(&e->a), 0);
	assert_int_equal(e->a.batches, 1);
	assert_int_equal(e->a.kicks, 0);	/* poll: no doorbell at all */
	assert_int_equal(scf_async_flush(&e->a), 0);
	assert_int_equal(e->a.batches, 1);	/* nothing new: no kick */
	while (got < 4) {
		n = scf_async_reap(&e->a, cqe, 8);
		assert_true(n >= 0);
		for (i = 0; i < (uint32_t)n; i++) {
			struct scf_req *r = cqe[i].user;
			uint32_t k = (uint32_t)(r - req);

			assert_true(k < 4);
			assert_int_equal(cqe[i].token, tok[k]);
			/* at most out_cap: a longer result is refused */
			assert_int_equal(cqe[i].ret, 1 + k);
			assert_memory_equal(out[k], "hgfedcb", 7);
			assert_int_equal(out[k][7], '0' + k);
		}
		got += (uint32_t)n;
		if (!n)
			assert_int_equal(scf_async_wait(&e->a), 0);
	}
	assert_int_equal(e->a.inflight, 0);
	assert_int_equal(e->c.alloc.nfree, CAP);
	/* An answer nobody asked for: stray, not a completion. */
	atomic_store(&e->stray_next, 3 + 1);
	while (scf_ring_pending(&e->c.q.rsp) == 0)
		sched_yield();
	assert_int_equal(scf_async_reap(&e->a, cqe, 8), 0);
	assert_int_equal(e->a.stray, 1);
	assert_int_equal(e->c.alloc.nfree, CAP);
	env_down(e);
	free(e);
}

struct ctx {
	uint32_t id;
	uint64_t bad;
};

/* A task: CALLS calls, each checked against what it asked for. */
static int task_step(struct scf_task *t)
{
	struct ctx *x = t->arg;

	if (t->pc && t->ret != (int64_t)t->req.args[0] + 1)
		x->bad++;
	if (t->pc == CALLS)
		return SCF_TASK_DONE;
	t->req = (struct scf_req){ .opcode = SCF_OP_NULL,
				   .args = { (uint64_t)x->id << 32 | t->pc } };
	t->pc++;
	return SCF_TASK_CALL;
}

static void test_exec_tasks(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct scf_task task[TASKS];
	struct ctx ctx[TASKS];
	struct scf_exec ex;
	uint32_t i;

	(void)state;
	env_up(e, 6);		/* fewer slots in flight than tasks */
	scf_exec_init(&ex, &e->a);
	memset(task, 0, sizeof(task));
	for (i = 0; i < TASKS; i++) {
		ctx[i] = (struct ctx){ .id = i };
		task[i].step = task_step;
		task[i].arg = &ctx[i];
		scf_exec_spawn(&ex, &task[i]);
	}
	assert_int_equal(scf_exec_run(&ex), 0);
	for (i = 0; i < TASKS; i++) {
		assert_int_equal(ctx[i].bad, 0);
		assert_int_equal(task[i].calls, CALLS);
		assert_int_equal(task[i].state, SCF_TASK_FINISHED);
	}
	assert_int_equal(e->a.completed, (uint64_t)TASKS * CALLS);
	assert_int_equal(e->a.inflight, 0);
	assert_int_equal(e->c.alloc.nfree, CAP);
	assert_int_equal(e->c.protocol_errors, 0);
	/* Batches: at most one per round, fewer than calls when they batch. */
	assert_true(e->a.batches <= ex.rounds);
	printf("# exec: %u tasks x %u calls, depth 6: %llu batches, %llu "
	       "rounds, %llu waits\n", TASKS, CALLS,
	       (unsigned long long)e->a.batches,
	       (unsigned long long)ex.rounds, (unsigned long long)ex.waits);
	env_down(e);
	free(e);
}

static void test_async_bad_args(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct scf_async b;
	uint8_t big[CHUNK + 1];
	struct scf_req r = { .opcode = SCF_OP_NULL, .in = big,
			     .in_len = sizeof(big) };

	(void)state;
	env_up(e, 0);
	assert_int_equal(e->a.depth, CAP);
	assert_int_equal(scf_async_init(&b, &e->c, e->ent, e->batch, CAP + 1),
			 -SCF_EINVAL);
	assert_int_equal(scf_async_init(&b, &e->c, NULL, e->batch, 1),
			 -SCF_EINVAL);
	memset(big, 1, sizeof(big));
	assert_int_equal(scf_async_submit(&e->a, &r, NULL, NULL, NULL),
			 -SCF_EINVAL);
	assert_int_equal(e->a.inflight, 0);
	assert_int_equal(e->c.alloc.nfree, CAP);
	env_down(e);
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_async_batch),
		cmocka_unit_test(test_async_bad_args),
		cmocka_unit_test(test_exec_tasks),
	};

	return cmocka_run_group_tests_name("async", tests, NULL, NULL);
}
