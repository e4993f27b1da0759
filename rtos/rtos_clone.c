// SPDX-License-Identifier: MIT
/*
 * rtos_clone.c - clone of a thread, the RTOS side (the origin's SCF Doc:
 * "RTOS notifies the shadow with a remote clone; the shadow increases a
 * reference count; RTOS calls clone; the threads share one scf resource").
 *
 * The first thread makes the client shared (scf_client_mt.c over the
 * host's futexes, scf_mt_host.c); the last join makes it single-threaded
 * again, so the single-threaded fast path is back for what follows.
 */
#include <errno.h>

#include "rtos_dual.h"
#include "scf_arch.h"
#include "scf_calls.h"
#include "scf_mt_host.h"

static struct scf_mt_host mt_host;
static uint32_t threads;	/* made by rtos_clone(), not yet joined */

/* What pthread_create() passes to clone(2) on Linux. */
#define PTHREAD_CLONE	(SCF_CLONE_THREAD | SCF_CLONE_SYSVSEM | \
			 SCF_CLONE_SETTLS | SCF_CLONE_PARENT_SETTID | \
			 SCF_CLONE_CHILD_CLEARTID)

int rtos_clone(struct scf_session *s, pthread_t *t, void *(*fn)(void *), void *arg,
	       struct dual_rec *d)
{
	int64_t ret;
	int err;

	if (!s->c.mt) {
		err = scf_mt_host_enable(&s->c, &mt_host);
		if (err)
			return err;
	}
	if (d) {
		d->n = d->dropped = 0;
		d->t0 = scf_rdtsc_ordered();
	}
	scf_mt_host_set_rec(rtos_part(d));
	ret = scf_clone(&s->c, PTHREAD_CLONE);
	scf_mt_host_set_rec(NULL);
	if (ret < 0)
		goto undo;
	err = pthread_create(t, NULL, fn, arg);
	if (d)
		d->t_end = scf_rdtsc_ordered();
	if (err) {
		/* The shadow counted a thread that never ran: uncount it. */
		scf_exit(&s->c, 0, SCF_EXIT_THREAD);
		ret = -err;
		goto undo;
	}
	threads++;
	return 0;
undo:
	if (!threads)
		scf_mt_host_disable(&s->c, &mt_host);
	return (int)ret;
}

int rtos_thread_exit(struct scf_session *s)
{
	return (int)scf_exit(&s->c, 0, SCF_EXIT_THREAD);
}

int rtos_join(struct scf_session *s, pthread_t t)
{
	int err = -pthread_join(t, NULL);

	if (!err && threads && !--threads)
		scf_mt_host_disable(&s->c, &mt_host);
	return err;
}
