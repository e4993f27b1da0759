// SPDX-License-Identifier: MIT
/*
 * scf_tsc.c - calibrate the TSC and measure cross-CPU skew.
 */
#include <cpuid.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scf_arch.h"
#include "scf_sched.h"
#include "scf_tsc.h"

#define CAL_ROUNDS	7
#define CAL_NS		20000000ull	/* 20 ms a round */
#define SKEW_ROUNDS	20000
#define SKEW_MIN_ROUNDS	200
#define SKEW_BUDGET_NS	200000000ull	/* a loaded machine stops early */
#define SKEW_STOP	UINT64_MAX

static uint64_t mono_raw_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int scf_tsc_calibrate(uint64_t *hz)
{
	uint64_t est[CAL_ROUNDS];
	int i;

	for (i = 0; i < CAL_ROUNDS; i++) {
		uint64_t t0, t1, c0, c1;

		/* Bracket each clock read with TSC reads; take their midpoint. */
		c0 = scf_rdtsc_ordered();
		t0 = mono_raw_ns();
		c0 = (c0 + scf_rdtsc_ordered()) / 2;
		do
			t1 = mono_raw_ns();
		while (t1 - t0 < CAL_NS);
		c1 = scf_rdtsc_ordered();
		t1 = mono_raw_ns();
		c1 = (c1 + scf_rdtsc_ordered()) / 2;
		if (t1 <= t0 || c1 <= c0)
			return -EIO;
		est[i] = (uint64_t)((double)(c1 - c0) * 1e9 / (double)(t1 - t0));
	}
	qsort(est, CAL_ROUNDS, sizeof(est[0]), cmp_u64);
	*hz = est[CAL_ROUNDS / 2];
	return *hz ? 0 : -EIO;
}

bool scf_tsc_invariant(void)
{
	unsigned int a, b, c, d;

	if (__get_cpuid_max(0x80000000, NULL) < 0x80000007)
		return false;
	__cpuid(0x80000007, a, b, c, d);
	return d & (1u << 8);
}

struct skew_shared {
	_Alignas(64) _Atomic uint64_t ping;	/* a -> b: round number */
	_Alignas(64) _Atomic uint64_t pong;	/* b -> a: round number */
	_Alignas(64) _Atomic uint64_t tb;	/* b's stamp for that round */
	int cpu_b;
	_Atomic int err;	/* the responder could not pin: it gave up */
};

static void *skew_responder(void *arg)
{
	struct skew_shared *s = arg;
	uint64_t r;

	atomic_store(&s->err, scf_pin_cpu(s->cpu_b));
	if (atomic_load(&s->err))
		return NULL;
	for (r = 1; r <= SKEW_ROUNDS; r++) {
		uint64_t p;

		/* acquire: pairs with a's release of ping */
		while ((p = atomic_load_explicit(&s->ping,
						 memory_order_acquire)) != r) {
			if (p == SKEW_STOP)
				return NULL;
			scf_cpu_relax();
		}
		atomic_store_explicit(&s->tb, scf_rdtsc_ordered(),
				      memory_order_relaxed);
		/* release: tb is visible to a before it sees pong == r */
		atomic_store_explicit(&s->pong, r, memory_order_release);
	}
	return NULL;
}

struct skew_sample {
	uint64_t rtt;
	int64_t off;
};

static int cmp_rtt(const void *a, const void *b)
{
	const struct skew_sample *x = a, *y = b;

	return x->rtt < y->rtt ? -1 : x->rtt > y->rtt;
}

int scf_tsc_skew(int cpu_a, int cpu_b, uint64_t hz, struct scf_tsc_skew *out)
{
	struct skew_shared *s;
	struct skew_sample *smp;
	cpu_set_t old;
	pthread_t th;
	uint64_t r, start, budget;
	int64_t lo, hi;
	unsigned i, best, rounds;
	int ret;

	s = aligned_alloc(64, sizeof(*s));
	smp = calloc(SKEW_ROUNDS, sizeof(*smp));
	if (!s || !smp) {
		free(s);
		free(smp);
		return -ENOMEM;
	}
	memset(s, 0, sizeof(*s));
	s->cpu_b = cpu_b;
	pthread_getaffinity_np(pthread_self(), sizeof(old), &old);
	ret = scf_pin_cpu(cpu_a);
	if (ret)
		goto out;
	ret = -pthread_create(&th, NULL, skew_responder, s);
	if (ret)
		goto out_restore;
	start = scf_rdtsc_ordered();
	budget = (uint64_t)((double)hz * SKEW_BUDGET_NS / 1e9);
	for (r = 1; r <= SKEW_ROUNDS; r++) {
		uint64_t t0 = scf_rdtsc_ordered(), t1;

		if (r > SKEW_MIN_ROUNDS && t0 - start > budget) {
			/* release: pairs with b's acquire load of ping */
			atomic_store_explicit(&s->ping, SKEW_STOP,
					      memory_order_release);
			break;
		}
		/* release: pairs with b's acquire load of ping */
		atomic_store_explicit(&s->ping, r, memory_order_release);
		/* acquire: pairs with b's release of pong, so tb is b's */
		while (atomic_load_explicit(&s->pong, memory_order_acquire) != r) {
			if (atomic_load_explicit(&s->err, memory_order_relaxed))
				break;
			scf_cpu_relax();
		}
		if (atomic_load_explicit(&s->err, memory_order_relaxed))
			break;
		t1 = scf_rdtsc_ordered();
		smp[r - 1].rtt = t1 - t0;
		smp[r - 1].off = (int64_t)(atomic_load_explicit(&s->tb,
				 memory_order_relaxed) - (t0 + (t1 - t0) / 2));
	}
	rounds = (unsigned)(r - 1);
	pthread_join(th, NULL);
	ret = atomic_load(&s->err);
	if (ret)
		goto out_restore;
	/* The fastest decile of exchanges: least queueing, least error. */
	qsort(smp, rounds, sizeof(*smp), cmp_rtt);
	best = rounds / 10;
	lo = hi = smp[0].off;
	for (i = 1; i < best; i++) {
		if (smp[i].off < lo)
			lo = smp[i].off;
		if (smp[i].off > hi)
			hi = smp[i].off;
	}
	out->skew_ns = scf_tsc_to_ns(smp[0].off, hz);
	out->rtt_ns = scf_tsc_to_ns((int64_t)smp[0].rtt, hz);
	out->spread_ns = scf_tsc_to_ns(hi - lo, hz);
	out->rounds = rounds;
out_restore:
	pthread_setaffinity_np(pthread_self(), sizeof(old), &old);
out:
	free(s);
	free(smp);
	return ret;
}
