// SPDX-License-Identifier: MIT
/*
 * wl_signal.c - real-time signal ping-pong between two processes: the
 * notification the uintr variant's emul backend is built on (tgkill of an
 * RT signal whose handler runs in the sleeping receiver), without SCF.
 *
 * Each side keeps the signal blocked and sleeps in ppoll() with it
 * unblocked, so a signal sent before the sleep stays pending and ends the
 * sleep at once (no lost wake-up); the handler counts, the sleeper
 * compares the count with the round it waits for.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "peer.h"

/* SIGRTMIN + 5: clear of glibc's reserved ones and of the uintr emul's. */
#define PEER_SIGOFF	5

struct sg {
	int signo;
	pid_t pid;		/* the peer, in the client */
	pid_t client;		/* the client, in the peer */
	sigset_t sleep_mask;	/* the caller's mask with signo unblocked */
};

/* Rounds delivered to this process; written only by its own handler. */
static volatile sig_atomic_t sg_got;

static void sg_handler(int sig)
{
	(void)sig;
	sg_got = sg_got + 1;
}

static int sg_send(int signo, pid_t to)
{
	/* The kernel's signal queue lock orders what came before. */
	return syscall(SYS_tgkill, to, to, signo) ? -errno : 0;
}

/* Sleep until the handler has run want times; peer > 0 as in peer_read(). */
static int sg_wait(struct sg *s, sig_atomic_t want, pid_t peer)
{
	const struct timespec ts = { .tv_sec = 1, .tv_nsec = 0 };

	/* The handler runs in this thread: program order is enough. */
	while (sg_got < want) {
		if (ppoll(NULL, 0, &ts, &s->sleep_mask) < 0 && errno != EINTR)
			return -errno;
		if (peer > 0 && sg_got < want && peer_dead(peer))
			return -EPIPE;
	}
	return 0;
}

static int sg_side(void *arg, uint64_t rounds)
{
	struct sg *s = arg;
	uint64_t r;
	int err;

	for (r = 1; r <= rounds; r++) {
		err = sg_wait(s, (sig_atomic_t)r, 0) ?: sg_send(s->signo, s->client);
		if (err)
			return err;
	}
	return 0;
}

static int sg_rt(void *arg, uint64_t r)
{
	struct sg *s = arg;

	return sg_send(s->signo, s->pid) ?: sg_wait(s, (sig_atomic_t)r, s->pid);
}

static int signal_measure(struct bench *b, struct wl_ctx *x, int64_t *ticks,
			  uint64_t n)
{
	struct sg s = { .signo = SIGRTMIN + PEER_SIGOFF, .client = getpid() };
	struct sigaction sa, old_sa;
	sigset_t block, old_mask;
	int err;

	(void)x;
	if (n + PEER_WARMUP > (uint64_t)SIG_ATOMIC_MAX)
		return -ERANGE;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sg_handler;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, s.signo);
	/* Blocked first, so no instance can arrive before the handler. */
	if (sigprocmask(SIG_BLOCK, &block, &old_mask))
		return -errno;
	if (sigaction(s.signo, &sa, &old_sa)) {
		err = -errno;
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		return err;
	}
	s.sleep_mask = old_mask;
	sigdelset(&s.sleep_mask, s.signo);
	sg_got = 0;		/* the peer inherits 0 as well */
	err = peer_pingpong(b, ticks, n, sg_side, sg_rt, &s, &s.pid);
	sigaction(s.signo, &old_sa, NULL);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	return err;
}

static const struct wl wl_signal = {
	.name = "signal",
	.kind = WL_PEER,
	.about = "RT signal ping-pong between two processes (tgkill, handler, ppoll)",
	.measure = signal_measure,
};

SCF_WORKLOAD(wl_signal);
