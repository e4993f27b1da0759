// SPDX-License-Identifier: MIT
/*
 * baseline.c - park the shadow, ping-pong a cache line, take its median.
 */
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "baseline.h"
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

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

double baseline_ns(struct bench *b)
{
	const struct wl *pp = wl_find("pingpong");
	int64_t ticks[BASELINE_ROUNDS];
	struct wl_ctx x = { .fd = -1 };

	bench_shadow_park(b);
	if (!pp || pp->measure(b, &x, ticks, BASELINE_ROUNDS))
		return 0;
	qsort(ticks, BASELINE_ROUNDS, sizeof(ticks[0]), cmp_i64);
	return (double)ticks[BASELINE_ROUNDS / 2] * 1e9 / (double)b->tsc_hz;
}
