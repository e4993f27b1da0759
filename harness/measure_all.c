// SPDX-License-Identifier: MIT
/*
 * measure_all.c - which workloads run, and in which order: the region and the
 * shadow first (when anything is forwarded), then the samples, round-robin
 * over the runs (or one run after another), the payload workload as a
 * sweep over sizes and memsync modes.  The shadow sleeps (parked) except
 * while a forwarded run's calls need it, and a baseline follows every
 * sample.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "harness.h"
#include "interference.h"
#include "lockstep.h"

int select_workloads(const char *list, struct sel *sel)
{
	const struct wl *const *w;
	char *dup = strdup(list), *save = NULL, *tok;
	int i, j;

	sel->n = 0;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (wl_in_group(tok, NULL) >= 0) {
			for (w = wl_begin(); w < wl_end() && sel->n < MAX_SEL; w++) {
				for (i = 0; i < sel->n && sel->w[i] != *w; i++)
					;
				/* each once: "null,write,all" puts those first */
				if (i == sel->n && wl_in_group(tok, *w) == 1)
					sel->w[sel->n++] = *w;
			}
			continue;
		}
		if (tok[0] == '-' && wl_find(tok + 1)) {
			/* "-name": leave out what the list so far selected */
			for (i = j = 0; i < sel->n; i++)
				if (sel->w[i] != wl_find(tok + 1))
					sel->w[j++] = sel->w[i];
			sel->n = j;
			continue;
		}
		if (!wl_find(tok)) {
			fprintf(stderr, "scf-bench: unknown workload '%s'; "
				"--list shows them\n", tok);
			free(dup);
			return -1;
		}
		for (i = 0; i < sel->n && sel->w[i] != wl_find(tok); i++)
			;
		if (i == sel->n && sel->n < MAX_SEL)	/* each once */
			sel->w[sel->n++] = wl_find(tok);
	}
	free(dup);
	if (!sel->n) {
		fprintf(stderr, "scf-bench: --workloads '%s' selects no "
			"workload; --list shows them\n", list);
		return -1;
	}
	return 0;
}

/* Payload sizes: 8 B to 1 MiB, in powers of 4, then 1 MiB itself. */
static const uint64_t payload_sizes[] = {
	8, 32, 128, 512, 2048, 8192, 32768, 131072, 524288, 1048576,
};
#define NPAYLOAD (sizeof(payload_sizes) / sizeof(payload_sizes[0]))
/* Bytes one sample of the sweep moves at most: keeps 1 MiB runs short. */
#define PAYLOAD_SAMPLE_BYTES (64ull << 20)

#define MAX_JOBS	((int)(MAX_SEL + 2 * NPAYLOAD))

/* The runs of the selection, each payload size and memsync its own. */
static int make_jobs(const struct bench *b, const struct sel *sel,
		     struct job *jobs, bool *any_fwd)
{
	int i, n = 0;
	unsigned j, ms;

	*any_fwd = false;
	for (i = 0; i < sel->n && n < MAX_JOBS; i++) {
		const struct wl *w = sel->w[i];

		if (w->kind == WL_FWD)
			*any_fwd = true;
		if (w->run)
			continue;	/* its own loop: after the jobs (own_runs) */
		if (strcmp(w->name, "payload") || w->kind != WL_FWD) {
			jobs[n] = (struct job){ .w = w, .memsync = b->memsync,
						.cycles = b->cycles };
			snprintf(jobs[n].name, sizeof(jobs[n].name), "%s", w->name);
			n++;
			continue;
		}
		for (ms = 0; ms < 2; ms++) {
			for (j = 0; j < NPAYLOAD && n < MAX_JOBS; j++) {
				uint64_t sz = payload_sizes[j];
				uint64_t cyc = PAYLOAD_SAMPLE_BYTES / sz;

				if (cyc > b->cycles)
					cyc = b->cycles;
				if (cyc < 1)
					cyc = 1;
				jobs[n] = (struct job){ .w = w, .payload = sz,
					.memsync = ms, .cycles = (uint32_t)cyc };
				snprintf(jobs[n].name, sizeof(jobs[n].name),
					 "payload-%s-%llu", ms ? "map" : "copy",
					 (unsigned long long)sz);
				n++;
			}
		}
	}
	for (i = 0; i < n; i++)
		jobs[i].k = i + 1;
	return n;
}

/* The region, the shadow and the arena's syncmap; 0, or -1 (said why). */
static int start_shadow(struct bench *b)
{
	if (bench_region_create(b) || bench_shadow_start(b) ||
	    bench_notify_attach(b))
		return -1;
	b->c.cancel = &bench_interrupted;
	bench_deadline_arm(b);
	b->c.rec = NULL;
	b->c.probe_every = 0;
	if (scf_syncmap(&b->c, b->arena, b->arena_size)) {
		if (!bench_deadline_report(b, "the arena's syncmap call"))
			fprintf(stderr, "scf-bench: syncmap of the arena "
				"failed\n");
		return -1;
	}
	return 0;
}

/*
 * Interrupted, or a call ran past its deadline: the shadow may still hold
 * that request, so nothing more is measured (later calls re-arm the
 * deadline and clear c.timed_out, hence the latch).
 */
static bool run_stopped(const struct bench *b)
{
	static bool timed_out;

	if (b->c.timed_out)
		timed_out = true;
	return timed_out || bench_interrupted;
}

static void job_begin(struct bench *b, struct job *j)
{
	int err;

	if (j->w->kind == WL_FWD) {
		bench_shadow_unpark(b);
		err = fwd_begin(b, j);
	} else {
		err = peer_begin(b, j);
	}
	if (err) {
		j->failed = true;
		b->failures++;
		return;
	}
	j->begun = true;
	j->r.intf = interference_new(b->samples);
}

/*
 * Sample s of job j, then the baseline, then the other processes' turn
 * (round_done: the last job's sample s, which ends the round).
 */
static void job_step(struct bench *b, struct job *j, uint32_t s, int nk,
		     bool round_done)
{
	int err;

	if (!j->begun && !j->failed)
		job_begin(b, j);
	if (run_stopped(b))
		return;		/* exiting drops us from the round */
	if (j->failed && round_done)
		lockstep_yield(true);	/* the round still ends here */
	if (j->failed)
		return;
	if (j->w->kind == WL_FWD) {
		bench_shadow_unpark(b);
		err = fwd_sample(b, j, s, nk);
	} else {
		err = peer_sample(b, j, s, nk);
	}
	if (err) {
		j->failed = true;
		if (round_done && !run_stopped(b))
			lockstep_yield(true);
		return;
	}
	j->r.baseline_ns[s] = baseline_ns(b);
	j->r.baseline_measured = true;
	lockstep_yield(round_done);
}

static void job_end(struct bench *b, struct job *j)
{
	/* Cut short by another run's timeout: no result either. */
	if (run_stopped(b) && j->begun && j->r.samples_done < b->samples)
		j->failed = true;
	if (j->w->kind == WL_FWD) {
		bench_shadow_unpark(b);
		fwd_end(b, j);
	} else {
		peer_end(b, j);
	}
}

/*
 * The workloads with a run loop of their own (calls in flight together,
 * several clients): each runs its samples back to back once the jobs are
 * done, numbered after them; its results say "sequential".
 */
static void own_runs(struct bench *b, const struct sel *sel, int njobs)
{
	int i, k = njobs, nk = njobs;

	for (i = 0; i < sel->n; i++)
		nk += sel->w[i]->run != NULL;
	for (i = 0; i < sel->n && !run_stopped(b); i++) {
		if (!sel->w[i]->run)
			continue;
		bench_shadow_unpark(b);
		sel->w[i]->run(b, sel->w[i], ++k, nk);
	}
}

void measure_all(struct bench *b, const struct sel *sel)
{
	static struct job jobs[MAX_JOBS];
	bool any_fwd, shadow_up = false;
	int i, n = make_jobs(b, sel, jobs, &any_fwd);
	uint32_t s;

	if (any_fwd && start_shadow(b)) {
		if (b->shadow_unready)
			return;		/* nothing runs: main.c exits 2 */
		b->failures++;
		for (i = 0; i < n; i++)
			if (jobs[i].w->kind == WL_FWD)
				jobs[i].failed = true;
	} else if (any_fwd) {
		shadow_up = true;
		fwd_calibrate_loop(b);
	}
	/* Nothing spins beside a peer or a baseline: the shadow sleeps. */
	if (n)
		bench_shadow_park(b);
	if (b->sequential) {
		for (i = 0; i < n && !run_stopped(b); i++) {
			for (s = 0; s < b->samples && !run_stopped(b); s++)
				job_step(b, &jobs[i], s, n, false);
			job_end(b, &jobs[i]);
		}
	} else {
		for (s = 0; s < b->samples && !run_stopped(b); s++)
			for (i = 0; i < n && !run_stopped(b); i++)
				job_step(b, &jobs[i], s, n, i == n - 1);
		for (i = 0; i < n; i++)
			job_end(b, &jobs[i]);
	}
	if (shadow_up)
		own_runs(b, sel, n);
	bench_shadow_unpark(b);
}
