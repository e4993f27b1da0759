// SPDX-License-Identifier: MIT
/*
 * wl_futex.c - raw futex ping-pong between two processes: the notification
 * the ipi variant's futex backend stands in with, without SCF around it.
 *
 * Two words in shared memory (so FUTEX_WAIT/FUTEX_WAKE without the
 * PRIVATE flag), each on its own cache line.  A side sets the peer's word
 * to the round number and wakes it; the other waits until its word holds
 * the number it waits for, as the ipi variant's receivers wait (--wait,
 * peer_wait_follows()):
 *   sleep   FUTEX_WAIT at once; the kicker wakes unconditionally;
 *   spin    poll the word, never sleep; the kicker makes no FUTEX_WAKE;
 *   hybrid  poll the word for N ns, then announce itself and sleep, and
 *           the kicker wakes only an announced sleeper (the futex
 *           backend's own protocol, variants/ipi/notify_ipi.c).
 */
#include <errno.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "peer.h"
#include "scf_arch.h"
#include "scf_wait.h"

/* A spinning client checks that the peer lives every this many polls. */
#define FX_SPIN_CHECK	(1u << 20)

struct fx_word {
	_Alignas(64) _Atomic uint32_t seq;
	_Atomic uint32_t waiting;	/* hybrid: 1 while its waiter sleeps */
};

struct fx_words {
	struct fx_word ping;	/* client -> peer */
	struct fx_word pong;	/* peer -> client */
};

struct fx {
	struct fx_words *w;
	pid_t pid;
	struct scf_wait_policy wait;
};

/* What scf_wait_spin() polls: the word holds the round awaited. */
struct fx_until {
	struct fx_word *word;
	uint32_t want;
};

static long futex(_Atomic uint32_t *word, int op, uint32_t val,
		  const struct timespec *ts)
{
	return syscall(SYS_futex, (uint32_t *)word, op, val, ts, NULL, 0);
}

static bool fx_arrived(void *arg)
{
	struct fx_until *u = arg;

	/* acquire: pairs with the release store in fx_kick() */
	return atomic_load_explicit(&u->word->seq, memory_order_acquire) ==
	       u->want;
}

/* spin: poll until the word holds want; peer > 0 as in fx_wait(). */
static int fx_spin(struct fx_until *u, pid_t peer)
{
	uint32_t polls = 0;

	while (!fx_arrived(u)) {
		scf_cpu_relax();
		if (peer > 0 && !(++polls % FX_SPIN_CHECK) && peer_dead(peer))
			return -EPIPE;
	}
	return 0;
}

/*
 * Wait until word->seq == want, by f's policy.  peer > 0: the client,
 * which gives up with -EPIPE once the peer is dead (checked on EINTR and
 * on each 1 s timeout of a sleep, or every FX_SPIN_CHECK polls).
 */
static int fx_wait(const struct fx *f, struct fx_word *word, uint32_t want,
		   pid_t peer)
{
	const struct timespec ts = { .tv_sec = 1, .tv_nsec = 0 };
	struct fx_until u = { .word = word, .want = want };
	bool announce = f->wait.kind == SCF_WAIT_HYBRID;
	uint32_t v;
	int ret = 0;

	if (f->wait.kind == SCF_WAIT_SPIN)
		return fx_spin(&u, peer);
	if (announce && scf_wait_spin(fx_arrived, &u, f->wait.spin_ns))
		return 0;
	/* acquire: pairs with the release store in fx_kick() */
	while ((v = atomic_load_explicit(&word->seq, memory_order_acquire)) != want) {
		if (announce) {
			atomic_store_explicit(&word->waiting, 1,
					      memory_order_relaxed);
			/* Pairs with the kicker's fence after its store. */
			atomic_thread_fence(memory_order_seq_cst);
			if (fx_arrived(&u))
				break;
		}
		/* The kernel compares seq with v: a kick after our load
		 * makes it return EAGAIN at once, so none is lost. */
		if (!futex(&word->seq, FUTEX_WAIT, v, &ts) || errno == EAGAIN)
			continue;
		if (errno != EINTR && errno != ETIMEDOUT) {
			ret = -errno;
			break;
		}
		if (peer > 0 && peer_dead(peer)) {
			ret = -EPIPE;
			break;
		}
	}
	/* Only a hint for the kicker: a stale 1 costs one FUTEX_WAKE. */
	if (announce)
		atomic_store_explicit(&word->waiting, 0, memory_order_relaxed);
	return ret;
}

static int fx_kick(const struct fx *f, struct fx_word *word, uint32_t val)
{
	/* release: pairs with the acquire load in the waiter's fx_wait() */
	atomic_store_explicit(&word->seq, val, memory_order_release);
	if (f->wait.kind == SCF_WAIT_SPIN)
		return 0;		/* nobody ever sleeps on it */
	if (f->wait.kind == SCF_WAIT_HYBRID) {
		/* Pairs with the waiter's fence between its announce and
		 * its re-check: either we see waiting, or it sees val. */
		atomic_thread_fence(memory_order_seq_cst);
		if (!atomic_load_explicit(&word->waiting, memory_order_relaxed))
			return 0;
	}
	return futex(&word->seq, FUTEX_WAKE, 1, NULL) < 0 ? -errno : 0;
}

static int fx_side(void *arg, uint64_t rounds)
{
	struct fx *f = arg;
	uint64_t r;
	int err;

	for (r = 1; r <= rounds; r++) {
		err = fx_wait(f, &f->w->ping, (uint32_t)r, 0) ?:
		      fx_kick(f, &f->w->pong, (uint32_t)r);
		if (err)
			return err;
	}
	return 0;
}

static int fx_rt(void *arg, uint64_t r)
{
	struct fx *f = arg;

	return fx_kick(f, &f->w->ping, (uint32_t)r) ?:
	       fx_wait(f, &f->w->pong, (uint32_t)r, f->pid);
}

static int futex_measure(struct bench *b, struct wl_ctx *x, int64_t *ticks,
			 uint64_t n)
{
	struct fx f = { .w = peer_shared(b, sizeof(struct fx_words)),
			.wait = peer_wait_follows(b) };
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
	.wait = peer_wait_follows,
};

SCF_WORKLOAD(wl_futex);
