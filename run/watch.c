// SPDX-License-Identifier: MIT
/*
 * watch.c - a watcher thread, started before Syscall User Dispatch (so
 * its calls are the runtime's), for what a waiting call cannot see:
 *
 *   - a shadow that dies stops the run: it waits on the shadow's pidfd;
 *   - a handled signal of the program's interrupts a forwarded call that
 *     waits (a read on an empty pipe, say), as Linux interrupts a
 *     blocking call: it waits on a signalfd of the program's handled
 *     signals too.  While one of those stays pending for the process
 *     (every program thread blocks it: each is in the runtime, whose
 *     calls block them, or masks it itself), it queues SCF_INTR_SIG to
 *     the shadow with the number of the request the shadow took up last
 *     (qhdr.taken).  The shadow's blocking service of that request ends
 *     -EINTR and is answered as any other, so no descriptor is abandoned
 *     and nothing is written after its answer; a kick that finds another
 *     request, or none, changes nothing (shadow/serve.c).  The call's
 *     -EINTR then goes to the program or is restarted (dispatch.c).
 *     Kicks repeat, 1 ms apart doubling to 64 ms, while the signal stays
 *     pending: one may land before the shadow blocks.  A signal sent to
 *     one thread (tgkill) is not seen here: it is delivered as the
 *     call returns.  A forked child of the program has no watcher.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "raw.h"
#include "run.h"

#define INTR_SIG	SIGURG		/* SCF_INTR_SIG, shadow/shadow.h */
#define KICK_MS_MAX	64

static int sig_fd = -1, pid_fd = -1;

/* The handled signals the signalfd reports (signal.c, as they change). */
void run_watch_signals(uint64_t handled)
{
	sigset_t set;
	int sig;

	if (sig_fd < 0)
		return;
	sigemptyset(&set);
	for (sig = 1; sig < 64; sig++)
		if (handled & (1ull << (sig - 1)))
			sigaddset(&set, sig);
	signalfd(sig_fd, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* Handled signals pending for the process (or this thread: none). */
static uint64_t handled_pending(void)
{
	uint64_t set = 0;

	raw_syscall6(SYS_rt_sigpending, (uint64_t)(uintptr_t)&set, 8, 0, 0,
		     0, 0);
	/* relaxed: a set just changed delays a kick by one period at most */
	return set & __atomic_load_n(&runtime.prog_handled, __ATOMIC_RELAXED);
}

static void kick(struct bench *b)
{
	union sigval v;

	/* relaxed: any recent value; a stale one interrupts nothing */
	v.sival_int = (int)atomic_load_explicit(&b->c.q.hdr->taken.v,
						memory_order_relaxed);
	sigqueue(b->shadow_pid, INTR_SIG, v);
}

static void *watch_shadow(void *arg)
{
	struct bench *b = arg;
	struct pollfd p[2] = {
		{ .fd = pid_fd, .events = POLLIN },
		{ .fd = sig_fd, .events = POLLIN },
	};
	int ms = 0;
	sigset_t all;

	/* The program's signals are for its threads, never this one. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		/* the signalfd stays readable while one is pending: not then */
		int n = poll(p, ms || sig_fd < 0 ? 1 : 2, ms ? ms : -1);

		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && p[0].revents)
			break;
		if (!handled_pending()) {
			ms = (n > 0 && p[1].revents) ? 1 : 0;
			continue;
		}
		kick(b);
		ms = ms ? (ms < KICK_MS_MAX ? ms * 2 : ms) : 1;
	}
	/* release: pairs with the acquire-ordered ready() checks of waits */
	__atomic_store_n(&runtime.shadow_gone, 1, __ATOMIC_RELEASE);
	return NULL;
}

int run_watch_shadow(struct bench *b)
{
	sigset_t none;
	long fd = syscall(SYS_pidfd_open, b->shadow_pid, 0);
	pthread_t t;

	if (fd < 0)
		return -errno;
	pid_fd = (int)fd;
	sigemptyset(&none);
	sig_fd = signalfd(-1, &none, SFD_NONBLOCK | SFD_CLOEXEC);
	run_watch_signals(runtime.prog_handled);
	b->c.cancel = &runtime.shadow_gone;
	/* Before SUD: the watcher's own calls are the runtime's. */
	return -pthread_create(&t, NULL, watch_shadow, b);
}
