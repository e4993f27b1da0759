// SPDX-License-Identifier: MIT
/*
 * watch.c - a shadow that dies stops the run: a watcher thread, started
 * before Syscall User Dispatch (so its calls are the runtime's), waits
 * on the shadow's pidfd.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "run.h"

/*
 * scf-shadow's exit ends a wait for it: the watcher sets the client's
 * cancel flag and interrupts a doorbell sleep with a signal of the
 * runtime's own (opened only inside the SIGSYS handler, like any of its
 * signals); the call then stops the run.
 */
#define NUDGE_SIG	(SIGRTMIN + 3)
static pid_t main_tid;

static void nudge(int sig)
{
	(void)sig;
}

static void *watch_shadow(void *arg)
{
	struct pollfd p = { .fd = (int)(intptr_t)arg, .events = POLLIN };

	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	R.shadow_gone = 1;
	syscall(SYS_tgkill, getpid(), main_tid, NUDGE_SIG);
	return NULL;
}

int run_watch_shadow(struct bench *b)
{
	struct sigaction sa = { .sa_handler = nudge };	/* no SA_RESTART */
	long fd = syscall(SYS_pidfd_open, b->shadow_pid, 0);
	pthread_t t;

	if (fd < 0 || sigaction(NUDGE_SIG, &sa, NULL))
		return -errno;
	main_tid = (pid_t)syscall(SYS_gettid);
	b->c.cancel = &R.shadow_gone;
	/* Before SUD: the watcher's own calls are the runtime's. */
	return -pthread_create(&t, NULL, watch_shadow, (void *)(intptr_t)fd);
}
