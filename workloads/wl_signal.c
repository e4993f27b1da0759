// SPDX-License-Identifier: MIT
/*
 * wl_signal.c - real-time signal ping-pong between two processes: the
 * notification the uintr variant's emul backend is built on (tgkill of an
 * RT signal whose handler runs in the sleeping receiver), without SCF.
 *
 * The handler counts, the waiter compares the count with the round it
 * waits for, as the uintr variant's receivers wait (--wait,
 * peer_wait_follows()):
 *   sleep   the signal stays blocked and each side sleeps in ppoll() with
 *           it unblocked, so a signal sent before the sleep stays pending
 *           and ends the sleep at once (no lost wake-up);
 *   spin    the signal stays unblocked and the waiter polls the count:
 *           the signal interrupts it where it runs, as a UIPI does;
 *   hybrid  unblocked while it polls for N ns, then blocked, re-checked,
 *           and the ppoll() sleep of sleep.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "peer.h"
#include "scf_arch.h"
#include "scf_wait.h"

/* SIGRTMIN + 5: clear of glibc's reserved ones and of the uintr emul's. */
#define PEER_SIGOFF	5

struct sg {
	int signo;
	pid_t pid;		/* the peer, in the client */
	pid_t client;		/* the client, in the peer */
	sigset_t sleep_mask;	/* the caller's mask with signo unblocked */
	sigset_t block;		/* signo alone */
	struct scf_wait_policy wait;
};

/* A spinning client checks that the peer lives every this many polls. */
#define SG_SPIN_CHECK	(1u << 20)

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

static sig_atomic_t sg_want;

static bool sg_arrived(void *arg)
{
	(void)arg;
	/* The handler runs in this thread: program order is enough. */
	return sg_got >= sg_want;
}

/* Poll, with signo unblocked, until the handler has run want times. */
static int sg_spin(sig_atomic_t want, pid_t peer)
{
	uint32_t polls = 0;

	while (sg_got < want) {
		scf_cpu_relax();
		if (peer > 0 && !(++polls % SG_SPIN_CHECK) && peer_dead(peer))
			return -EPIPE;
	}
	return 0;
}

/* Sleep with signo blocked except inside ppoll(), until want runs. */
static int sg_sleep(struct sg *s, sig_atomic_t want, pid_t peer)
{
	const struct timespec ts = { .tv_sec = 1, .tv_nsec = 0 };

	while (sg_got < want) {
		if (ppoll(NULL, 0, &ts, &s->sleep_mask) < 0 && errno != EINTR)
			return -errno;
		if (peer > 0 && sg_got < want && peer_dead(peer))
			return -EPIPE;
	}
	return 0;
}

/* Wait until the handler has run want times; peer > 0 as in peer_read(). */
static int sg_wait(struct sg *s, sig_atomic_t want, pid_t peer)
{
	int err;

	if (s->wait.kind == SCF_WAIT_SPIN)
		return sg_spin(want, peer);
	if (s->wait.kind != SCF_WAIT_HYBRID)
		return sg_sleep(s, want, peer);
	sg_want = want;
	if (scf_wait_spin(sg_arrived, NULL, s->wait.spin_ns))
		return 0;
	/* Blocked again before the re-check: a signal after it stays
	 * pending and ends the ppoll() at once. */
	if (sigprocmask(SIG_BLOCK, &s->block, NULL))
		return -errno;
	err = sg_sleep(s, want, peer);
	if (sigprocmask(SIG_UNBLOCK, &s->block, NULL) && !err)
		err = -errno;
	return err;
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
	s.block = block;
	s.wait = peer_wait_follows(b);
	/* Spinning waiters take the signal where they run; the peer
	 * inherits the mask at fork. */
	if (s.wait.kind != SCF_WAIT_SLEEP &&
	    sigprocmask(SIG_SETMASK, &s.sleep_mask, NULL)) {
		err = -errno;
		sigaction(s.signo, &old_sa, NULL);
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		return err;
	}
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
	.wait = peer_wait_follows,
};

SCF_WORKLOAD(wl_signal);
