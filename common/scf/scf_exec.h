/* SPDX-License-Identifier: MIT */
/*
 * scf_exec.h - a small RTOS-side executor: M tasks forwarding calls.
 *
 * The RemoteSyscallFuture model: a task is a stackless coroutine, a step
 * function with its own resume point (t->pc).  Run, it either asks for a
 * forwarded call (fills t->req, returns SCF_TASK_CALL) and is suspended
 * until that call's response arrives, or finishes (SCF_TASK_DONE).  The
 * executor submits every call its ready tasks asked for, rings the
 * doorbell once for the batch, and then doubles as the dispatcher: each
 * completion it reaps names its task, which it makes ready again with the
 * call's result in t->ret (the waker).  No dispatcher task, no stacks, no
 * allocation: tasks and the ready queue are the caller's memory.
 *
 * Freestanding; one executor per asynchronous client (scf_async.h).
 */
#ifndef SCF_EXEC_H
#define SCF_EXEC_H

#include "scf_async.h"

enum scf_task_result {
	SCF_TASK_CALL = 0,	/* forward t->req, resume me with t->ret */
	SCF_TASK_DONE = 1,	/* finished */
};

enum scf_task_state {
	SCF_TASK_READY = 0,
	SCF_TASK_WAITING = 1,
	SCF_TASK_FINISHED = 2,
};

struct scf_task;
typedef int (*scf_task_fn)(struct scf_task *t);

struct scf_task {
	scf_task_fn step;
	void *arg;		/* the task's own context */
	uint32_t pc;		/* resume point, the step function's to use */
	uint32_t state;		/* enum scf_task_state */
	struct scf_req req;	/* the call asked for (SCF_TASK_CALL) */
	struct scf_rec *rec;	/* its record (set before returning), or NULL */
	int64_t ret;		/* the last call's result */
	uint64_t calls;		/* calls this task completed */
	struct scf_task *next;	/* ready queue link */
};

struct scf_exec {
	struct scf_async *a;
	struct scf_task *head, *tail;	/* ready queue */
	uint32_t live;			/* spawned, not finished */
	uint32_t pad;
	uint64_t waits;			/* times the executor had to wait */
	uint64_t rounds;		/* submit-flush-reap rounds */
};

void scf_exec_init(struct scf_exec *e, struct scf_async *a);
/* Make t ready; t->step and t->arg set, t->pc where it starts. */
void scf_exec_spawn(struct scf_exec *e, struct scf_task *t);
/*
 * Run until every spawned task finished: 0, or the first -errno of
 * submit, flush, wait or reap (-SCF_EINTR when the client was cancelled).
 * A call that fails at submit resumes its task with that -errno in
 * t->ret, as a forwarded call that failed would.
 */
int scf_exec_run(struct scf_exec *e);
/*
 * One RTOS thread driving n clients (one syscall core, many clients):
 * e[i] runs client i's tasks on its own slot.  Each round submits and
 * flushes every client's ready calls, then reaps every client; when no
 * client got an answer, the thread waits once on bell, the doorbell all
 * the clients share, until any of them has one.  Returns as
 * scf_exec_run() does, for the first client that failed, and
 * -SCF_EPROTO once a client was answered for a call it never made.
 */
int scf_exec_run_group(struct scf_exec *e, uint32_t n, struct scf_notify *bell);

#endif /* SCF_EXEC_H */
