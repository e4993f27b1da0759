// SPDX-License-Identifier: MIT
/*
 * scf_exec.c - run tasks, batch their calls, wake them on completion.
 */
#include "scf_exec.h"
#include "scf_deadline.h"

#define REAP_MAX	64u

void scf_exec_init(struct scf_exec *e, struct scf_async *a)
{
	e->a = a;
	e->head = e->tail = 0;
	e->live = 0;
	e->waits = e->rounds = 0;
}

static void ready_push(struct scf_exec *e, struct scf_task *t)
{
	t->state = SCF_TASK_READY;
	t->next = 0;
	if (e->tail)
		e->tail->next = t;
	else
		e->head = t;
	e->tail = t;
}

static struct scf_task *ready_pop(struct scf_exec *e)
{
	struct scf_task *t = e->head;

	if (t) {
		e->head = t->next;
		if (!e->head)
			e->tail = 0;
	}
	return t;
}

void scf_exec_spawn(struct scf_exec *e, struct scf_task *t)
{
	t->ret = 0;
	t->calls = 0;
	e->live++;
	ready_push(e, t);
}

/* Run ready tasks until none is left or the ring is as deep as allowed. */
static int run_ready(struct scf_exec *e)
{
	struct scf_task *t;
	int err;

	while (e->a->inflight < e->a->depth && (t = ready_pop(e))) {
		if (t->step(t) == SCF_TASK_DONE) {
			t->state = SCF_TASK_FINISHED;
			e->live--;
			continue;
		}
		t->state = SCF_TASK_WAITING;
		err = scf_async_submit(e->a, &t->req, t->rec, t, 0);
		if (err == -SCF_EPROTO)
			return err;
		if (err) {
			/* The call failed before it left: resume with why. */
			t->ret = err;
			ready_push(e, t);
		}
	}
	return 0;
}

/* Resume the tasks whose calls completed. */
static void resume(struct scf_exec *e, const struct scf_cqe *cqe, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct scf_task *t = cqe[i].user;

		/* The waker: the task runs again with its result. */
		t->ret = cqe[i].ret;
		t->calls++;
		ready_push(e, t);
	}
}

int scf_exec_run(struct scf_exec *e)
{
	struct scf_cqe cqe[REAP_MAX];
	int n, err;

	while (e->live) {
		e->rounds++;
		err = run_ready(e);
		if (!err)
			err = scf_async_flush(e->a);
		if (err)
			return err;
		if (!e->a->inflight)
			continue;	/* tasks finished or were resumed at once */
		n = scf_async_reap(e->a, cqe, REAP_MAX);
		if (n == 0) {
			e->waits++;
			err = scf_async_wait(e->a);
			if (err)
				return err;
			n = scf_async_reap(e->a, cqe, REAP_MAX);
		}
		if (n < 0)
			return n;
		resume(e, cqe, n);
	}
	return 0;
}

struct group {
	struct scf_exec *e;
	uint32_t n;
};

static bool group_ready(void *arg)
{
	const struct group *g = arg;
	uint32_t i;

	for (i = 0; i < g->n; i++) {
		const struct scf_client *c = g->e[i].a->c;

		if (scf_ring_pending(&c->q.rsp) || (c->cancel && *c->cancel))
			return true;
	}
	/* The group's one deadline is the first client's (its doorbell's). */
	return scf_deadline_passed(g->e[0].a->c);
}

int scf_exec_run_group(struct scf_exec *e, uint32_t n, struct scf_notify *bell)
{
	struct group g = { e, n };
	struct scf_cqe cqe[REAP_MAX];
	uint32_t i, live, inflight, got;
	int r, err;

	for (;;) {
		live = inflight = got = 0;
		for (i = 0; i < n; i++) {
			if (!e[i].live)
				continue;
			e[i].rounds++;
			err = run_ready(&e[i]);
			if (!err)
				err = scf_async_flush(e[i].a);
			if (err)
				return err;
			live += e[i].live;
		}
		if (!live)
			return 0;
		for (i = 0; i < n; i++) {
			if (!e[i].a->inflight)
				continue;
			r = scf_async_reap(e[i].a, cqe, REAP_MAX);
			if (r < 0)
				return r;
			/* Another client's answer: its call will never end. */
			if (e[i].a->stray)
				return -SCF_EPROTO;
			resume(&e[i], cqe, r);
			got += (uint32_t)r;
			inflight += e[i].a->inflight;
		}
		if (got || !inflight)
			continue;
		e[0].waits++;
		scf_deadline_arm(e[0].a->c);
		err = scf_notify_wait(bell, group_ready, &g, 0);
		if (err < 0)
			return err;
		if (!group_ready(&g))
			return -SCF_EINTR;
		for (i = 0; i < n; i++)
			if (scf_ring_pending(&e[i].a->c->q.rsp))
				break;
		if (i == n && e[0].a->c->timed_out)
			return -SCF_ETIMEDOUT;
		e[0].a->c->timed_out = SCF_PHASE_NONE;
		for (i = 0; i < n; i++) {
			const struct scf_client *c = e[i].a->c;

			if (c->cancel && *c->cancel &&
			    !scf_ring_pending(&c->q.rsp))
				return -SCF_EINTR;
		}
	}
}
