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
 * cancel flag, which every wait folds into its ready() and re-checks at
 * least every SCF_NOTIFY_RECHECK_NS even asleep (scf_notify.h), so no
 * signal has to be opened around each call to interrupt a sleep; the
 * call then stops the run.
 */
static void *watch_shadow(void *arg)
{
	struct pollfd p = { .fd = (int)(intptr_t)arg, .events = POLLIN };
	sigset_t all;

	/* The program's signals are for its threads, never this one. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);

	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	/* release: pairs with the acquire-ordered ready() checks of waits */
	__atomic_store_n(&R.shadow_gone, 1, __ATOMIC_RELEASE);
	return NULL;
}

int run_watch_shadow(struct bench *b)
{
	long fd = syscall(SYS_pidfd_open, b->shadow_pid, 0);
	pthread_t t;

	if (fd < 0)
		return -errno;
	b->c.cancel = &R.shadow_gone;
	/* Before SUD: the watcher's own calls are the runtime's. */
	return -pthread_create(&t, NULL, watch_shadow, (void *)(intptr_t)fd);
}
