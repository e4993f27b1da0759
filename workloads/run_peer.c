// SPDX-License-Identifier: MIT
/*
 * run_peer.c - the peer run loop: a baseline (pipe, futex, io_uring, ...)
 * measured by its own measure(), with no shadow running, sample by sample.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "harness.h"

/*
 * CPU time of a peer baseline's other side so far: its reaped child
 * processes (exact once waited for), plus what its measure() reported
 * for this process's other threads (b->peer_thread_cpu_ns).
 */
static double peer_side_cpu_ns(const struct bench *b)
{
	struct rusage ru;
	double ns = b->peer_thread_cpu_ns;

	if (!getrusage(RUSAGE_CHILDREN, &ru))
		ns += (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
		      (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
	return ns;
}

int run_peer(struct bench *b, const struct wl *w, int k, int nk)
{
	struct wl_ctx x = { .fd = -1 };
	struct run r;
	int64_t *ticks;
	double c0, p0;
	uint32_t s;
	uint64_t i;
	int err = 0;

	run_init(&r, b->samples, b->cycles);
	r.workload = w->name;
	r.dir = "peers";
	r.backend = strncmp(w->name, "native-", 7) ? w->name : "native";
	r.memsync = "none";
	r.probes = false;
	ticks = malloc(sizeof(*ticks) * b->cycles);
	doorbell_begin(b, &r, false);
	c0 = thread_cpu_ns();
	p0 = peer_side_cpu_ns(b);
	for (s = 0; s < b->samples && !err && !bench_interrupted; s++) {
		uint64_t t0 = now_ns();

		progress_sample(k, nk, r.dir, w->name, s + 1, b->samples);
		err = w->measure(b, &x, ticks, b->cycles);
		r.wall_ns[s] = (double)(now_ns() - t0) / b->cycles;
		for (i = 0; !err && i < b->cycles; i++)
			run_add(&r, PH_TOTAL, ticks[i]);
		run_end_sample(&r, s);
	}
	r.client_cpu_ns = (thread_cpu_ns() - c0) / ((double)b->samples * b->cycles);
	r.shadow_cpu_ns = (peer_side_cpu_ns(b) - p0) /
			  ((double)b->samples * b->cycles);
	doorbell_end(b, &r);
	free(ticks);
	if (err == -ENODEV && b->skip_why && !bench_interrupted) {
		/* Never faked: said, and left out of the results. */
		progress_clear();
		printf("\npeers/%s  skipped: %s\n", w->name, b->skip_why);
		b->skip_why = NULL;
		run_free(&r);
		return 0;
	}
	if (err || bench_interrupted) {
		progress_say("scf-bench: peers/%s failed: %s", w->name,
			     bench_interrupted ? "interrupted" : strerror(-err));
		run_free(&r);
		b->failures++;
		return -1;
	}
	if (w->annotate)
		w->annotate(b, &r);
	run_finish(b, &r);
	run_free(&r);
	return 0;
}
