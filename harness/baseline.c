// SPDX-License-Identifier: MIT
/*
 * baseline.c - park the shadow, ping-pong a cache line with a partner
 * process on the shadow's CPU, take the median.
 */
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "baseline.h"
#include "peer.h"
#include "scf_arch.h"

static bool parked;

void bench_shadow_park(struct bench *b)
{
	struct scf_req r = { .opcode = SCF_OP_PARK };
	struct scf_rec *rec = b->c.rec;
	uint32_t every = b->c.probe_every;
	int64_t ret;

	if (parked || b->shadow_pid <= 0 || !b->c.q.hdr)
		return;
	/* release: pairs with the shadow's acquire in its park loop */
	atomic_store_explicit(&b->c.q.hdr->park.v, 1, memory_order_release);
	b->c.rec = NULL;
	b->c.probe_every = 0;
	ret = scf_call(&b->c, &r);
	b->c.rec = rec;
	b->c.probe_every = every;
	if (ret) {
		atomic_store_explicit(&b->c.q.hdr->park.v, 0,
				      memory_order_release);
		/* A shadow that does not answer is lost, not merely busy. */
		if (ret == -SCF_ETIMEDOUT &&
		    bench_deadline_report(b, "the shadow's park call")) {
			b->failures++;
			return;
		}
		fprintf(stderr, "scf-bench: the shadow refused to park: %s\n",
			scf_strerror((int)ret));
		return;
	}
	parked = true;
}

void bench_shadow_unpark(struct bench *b)
{
	if (!parked)
		return;
	/* release: pairs with the shadow's acquire in its park loop */
	atomic_store_explicit(&b->c.q.hdr->park.v, 0, memory_order_release);
	syscall(SYS_futex, &b->c.q.hdr->park.v, FUTEX_WAKE, INT_MAX,
		NULL, NULL, 0);
	parked = false;
}

/*
 * The partner: one process pinned to the shadow's CPU for the whole run,
 * asleep on a futex between baselines, so a baseline costs no fork.
 */
struct bl_line {
	_Alignas(64) _Atomic uint32_t go;	/* bumped per baseline; ~0: quit */
	_Alignas(64) _Atomic uint64_t ping;
	_Alignas(64) _Atomic uint64_t pong;
};

static struct bl_line *bl;
static pid_t bl_pid;
static uint64_t bl_round;

static void futex_wait(_Atomic uint32_t *w, uint32_t v)
{
	syscall(SYS_futex, w, FUTEX_WAIT, v, NULL, NULL, 0);
}

static int partner(void *arg, uint64_t unused)
{
	struct bl_line *l = arg;
	uint32_t seen = 0, g;
	uint64_t r = 0, i;

	(void)unused;
	for (;;) {
		/* acquire: pairs with the client's release of go */
		while ((g = atomic_load_explicit(&l->go,
						 memory_order_acquire)) == seen)
			futex_wait(&l->go, seen);
		seen = g;
		for (i = 0; i < PEER_WARMUP + BASELINE_ROUNDS; i++) {
			r++;
			/* acquire: pairs with the client's release of ping */
			while (atomic_load_explicit(&l->ping,
						    memory_order_acquire) != r)
				scf_cpu_relax();
			/* release: pairs with the client's acquire of pong */
			atomic_store_explicit(&l->pong, r, memory_order_release);
		}
	}
	return 0;
}

/* One timed round trip; -1 once the partner is gone. */
static int round_trip(int64_t *ticks)
{
	uint64_t t0, spins = 0, r = ++bl_round;

	t0 = scf_rdtsc_ordered();
	/* release: pairs with the partner's acquire of ping */
	atomic_store_explicit(&bl->ping, r, memory_order_release);
	/* acquire: pairs with the partner's release of pong */
	while (atomic_load_explicit(&bl->pong, memory_order_acquire) != r) {
		scf_cpu_relax();
		if (!(++spins & 0xfffff) && peer_dead(bl_pid))
			return -1;
	}
	*ticks = (int64_t)(scf_rdtsc_ordered() - t0);
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

double baseline_ns(struct bench *b)
{
	int64_t ticks[BASELINE_ROUNDS], t;
	uint32_t i;

	bench_shadow_park(b);
	if (!bl) {
		bl = peer_shared(b, sizeof(*bl));
		if (!bl)
			return 0;
		bl_pid = peer_start(b, partner, bl, 0);
		if (bl_pid < 0)
			return 0;
	}
	/* release: pairs with the partner's acquire of go */
	atomic_fetch_add_explicit(&bl->go, 1, memory_order_release);
	syscall(SYS_futex, &bl->go, FUTEX_WAKE, 1, NULL, NULL, 0);
	for (i = 0; i < PEER_WARMUP; i++)
		if (round_trip(&t))
			return 0;
	for (i = 0; i < BASELINE_ROUNDS; i++)
		if (round_trip(&ticks[i]))
			return 0;
	qsort(ticks, BASELINE_ROUNDS, sizeof(ticks[0]), cmp_i64);
	return (double)ticks[BASELINE_ROUNDS / 2] * 1e9 / (double)b->tsc_hz;
}
