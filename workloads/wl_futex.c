// SPDX-License-Identifier: MIT
/*
 * wl_futex.c - raw futex ping-pong between two processes: the notification
 * the ipi variant's futex backend stands in with, without SCF around it.
 *
 * Two words in shared memory (so FUTEX_WAIT/FUTEX_WAKE without the
 * PRIVATE flag), each on its own cache line.  A side sets the peer's word
 * to the round number and wakes it unconditionally; the other sleeps
 * until its word holds the number it waits for.  Nobody spins first.
 */
#include <errno.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "peer.h"

struct fx_words {
	_Alignas(64) _Atomic uint32_t ping;	/* client -> peer */
	_Alignas(64) _Atomic uint32_t pong;	/* peer -> client */
};

struct fx {
	struct fx_words *w;
	pid_t pid;
};

static long futex(_Atomic uint32_t *word, int op, uint32_t val,
		  const struct timespec *ts)
{
	return syscall(SYS_futex, (uint32_t *)word, op, val, ts, NULL, 0);
}

/*
 * Sleep until *word == want.  peer > 0: the client, which gives up with
 * -EPIPE once the peer is dead (checked on EINTR and on each 1 s timeout).
 */
static int fx_wait(_Atomic uint32_t *word, uint32_t want, pid_t peer)
{
	const struct timespec ts = { .tv_sec = 1, .tv_nsec = 0 };
	uint32_t v;

	/* acquire: pairs with the release store in fx_kick() */
	while ((v = atomic_load_explicit(word, memory_order_acquire)) != want) {
		/* The kernel compares *word with v: a kick after our load
		 * makes it return EAGAIN at once, so none is lost. */
		if (!futex(word, FUTEX_WAIT, v, &ts) || errno == EAGAIN)
			continue;
		if (errno != EINTR && errno != ETIMEDOUT)
			return -errno;
		if (peer > 0 && peer_dead(peer))
			return -EPIPE;
	}
	return 0;
}

static int fx_kick(_Atomic uint32_t *word, uint32_t val)
{
	/* release: pairs with the acquire load in the waiter's fx_wait() */
	atomic_store_explicit(word, val, memory_order_release);
	return futex(word, FUTEX_WAKE, 1, NULL) < 0 ? -errno : 0;
}

static int fx_side(void *arg, uint64_t rounds)
{
	struct fx *f = arg;
	uint64_t r;
	int err;

	for (r = 1; r <= rounds; r++) {
		err = fx_wait(&f->w->ping, (uint32_t)r, 0) ?:
		      fx_kick(&f->w->pong, (uint32_t)r);
		if (err)
			return err;
	}
	return 0;
}

static int fx_rt(void *arg, uint64_t r)
{
	struct fx *f = arg;

	return fx_kick(&f->w->ping, (uint32_t)r) ?:
	       fx_wait(&f->w->pong, (uint32_t)r, f->pid);
}

static int futex_measure(struct bench *b, struct wl_ctx *x, int64_t *ticks,
			 uint64_t n)
{
	struct fx f = { .w = peer_shared(sizeof(struct fx_words)) };
	int err;

	(void)x;
	if (!f.w)
		return -ENOMEM;
	err = peer_pingpong(b, ticks, n, fx_side, fx_rt, &f, &f.pid);
	peer_unshare(f.w, sizeof(*f.w));
	return err;
}

static const struct wl wl_futex = {
	.name = "futex",
	.kind = WL_PEER,
	.about = "futex wake/wait ping-pong between two processes",
	.measure = futex_measure,
};

SCF_WORKLOAD(wl_futex);
