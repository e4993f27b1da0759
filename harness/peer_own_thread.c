// SPDX-License-Identifier: MIT
/*
 * peer_own_thread.c - a peer's measure() on a thread of its own, for the
 * peers that register a UINTR receiver (struct wl .own_thread).
 *
 * A task is one UINTR receiver at most: the kernel refuses a second
 * registration with -EBUSY.  In a run that forwards over the uintr
 * variant's hw backend, the client thread already receives the forwarded
 * channel's interrupts, so a peer that registered on it would fail, and
 * the channel must keep its registration between the peer's samples.  A
 * fresh thread per sample is a fresh task: the peer registers, measures,
 * unregisters and exits there, and the client thread waits in
 * pthread_join() (asleep, so nothing spins beside the peer).  The thread
 * inherits the client thread's CPU affinity, so it runs where the client
 * does.  Its CPU time is the client side's, measured in the thread.
 */
#include <pthread.h>

#include "harness.h"

struct own_thread {
	struct bench *b;
	const struct wl *w;
	struct wl_ctx *x;
	int64_t *ticks;
	uint64_t n;
	int err;
	double cpu_ns;
};

static void *own_thread_main(void *arg)
{
	struct own_thread *t = arg;
	double c0 = thread_cpu_ns();

	t->err = t->w->measure(t->b, t->x, t->ticks, t->n);
	t->cpu_ns = thread_cpu_ns() - c0;
	return NULL;
}

int peer_measure_own_thread(struct bench *b, const struct wl *w,
			    struct wl_ctx *x, int64_t *ticks, uint64_t n,
			    double *cpu_ns)
{
	struct own_thread t = { .b = b, .w = w, .x = x, .ticks = ticks,
				.n = n };
	pthread_t th;
	int err;

	*cpu_ns = 0;
	err = pthread_create(&th, NULL, own_thread_main, &t);
	if (err)
		return -err;
	/* The join orders everything the thread wrote before its return. */
	pthread_join(th, NULL);
	*cpu_ns = t.cpu_ns;
	return t.err;
}
