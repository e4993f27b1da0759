// SPDX-License-Identifier: MIT
/*
 * measure_peer.c - the peer run loop: a baseline (pipe, futex, io_uring, ...)
 * measured by its own measure(), with the shadow parked, sample by sample.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "harness.h"
#include "interference.h"

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

int peer_begin(struct bench *b, struct job *j)
{
	meas_init(&j->r, b->samples, b->cycles);
	j->r.workload = j->w->name;
	j->r.dir = "peers";
	j->r.backend = strncmp(j->w->name, "native-", 7) ? j->w->name : "native";
	j->r.memsync = "none";
	j->r.probes = false;
	j->x = (struct wl_ctx){ .fd = -1 };
	memset(&j->place, 0, sizeof(j->place));
	j->cycles = b->cycles;
	j->ticks = malloc(sizeof(*j->ticks) * b->cycles);
	doorbell_begin(b, &j->r, false);
	return j->ticks ? 0 : -1;
}

int peer_sample(struct bench *b, struct job *j, uint32_t s, int nk)
{
	int64_t *ticks = j->ticks;
	double c0 = thread_cpu_ns(), p0 = peer_side_cpu_ns(b), own_cpu = 0;
	uint64_t t0, i;
	int err;

	progress_sample(j->k, nk, j->r.dir, j->w->name, s + 1, b->samples);
	interference_begin(j->r.intf, 0);
	doorbell_sample_begin(b, &j->r);
	/* peer_shared() records where this sample's lines were placed */
	b->peer_place = &j->place;
	t0 = now_ns();
	if (j->w->own_thread)
		err = peer_measure_own_thread(b, j->w, &j->x, ticks, b->cycles,
					      &own_cpu);
	else
		err = j->w->measure(b, &j->x, ticks, b->cycles);
	j->r.wall_ns[s] = (double)(now_ns() - t0) / b->cycles;
	b->peer_place = NULL;
	doorbell_sample_end(b, &j->r);
	interference_end(j->r.intf, s, b->client_cpu, b->shadow_cpu, 0,
			 j->r.wall_ns[s] * b->cycles);
	j->client_cpu += thread_cpu_ns() - c0 + own_cpu;
	j->side_cpu += peer_side_cpu_ns(b) - p0;
	if (err == -ENODEV && b->skip_why) {
		j->skip_why = b->skip_why;
		b->skip_why = NULL;
		return -1;
	}
	if (err) {
		j->err = err;
		return -1;
	}
	for (i = 0; i < b->cycles; i++)
		meas_add(&j->r, PH_TOTAL, ticks[i]);
	meas_end_sample(&j->r, s);
	j->r.samples_done = s + 1;
	return 0;
}

void peer_end(struct bench *b, struct job *j)
{
	uint64_t calls = (uint64_t)j->r.samples_done * b->cycles;
	int err = j->err;

	free(j->ticks);
	j->ticks = NULL;
	if (!j->begun)
		return;
	doorbell_end(b, &j->r);
	if (j->skip_why && !bench_interrupted) {
		/* Never faked: said, and left out of the results. */
		progress_clear();
		printf("\npeers/%s  skipped: %s\n", j->w->name, j->skip_why);
		meas_free(&j->r);
		return;
	}
	if (j->failed || bench_interrupted) {
		progress_say("scf-bench: peers/%s failed: %s", j->w->name,
			     bench_interrupted ? "interrupted" :
			     strerror(err < 0 ? -err : EIO));
		meas_free(&j->r);
		b->failures++;
		return;
	}
	if (calls) {
		j->r.client_cpu_ns = j->client_cpu / (double)calls;
		j->r.shadow_cpu_ns = j->side_cpu / (double)calls;
	}
	if (j->place.mappings)
		j->r.place = &j->place;
	if (j->w->annotate)
		j->w->annotate(b, &j->r);
	meas_finish(b, &j->r);
	meas_free(&j->r);
}
