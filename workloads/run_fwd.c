// SPDX-License-Identifier: MIT
/*
 * run_fwd.c - the forwarded run loop: a workload's calls through SCF to the
 * shadow, sample by sample, each call's probe record turned into its
 * phases once the late log has brought its S5 stamp.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"
#include "harness.h"
#include "scf_arch.h"
#include "scf_probe.h"
#include "trace.h"

/* ---- the late log: S5 stamps, matched to their records by seq ---- */

struct late_match {
	struct scf_rec *recs;
	uint64_t base;
	uint32_t n, matched;
};

static void late_one(void *arg, const struct scf_late *l)
{
	struct late_match *m = arg;
	struct scf_rec *rec;

	if (l->seq < m->base || l->seq - m->base >= m->n)
		return;		/* a setup call's, or garbage: ignore */
	rec = &m->recs[l->seq - m->base];
	if (rec->seq != l->seq || rec->late)
		return;
	rec->t[SCF_S5_REPLY_KICKED] = l->s5;
	rec->t[SCF_KR_ENTRY] = l->kr_entry;
	rec->t[SCF_KR_IPI_SENT] = l->kr_ipi_sent;
	rec->late = 1;
	m->matched++;
}

static void drain_discard(struct bench *b)
{
	struct late_match m = { 0 };

	scf_client_drain_late(&b->c, late_one, &m);
}

/* A record's ret before the call filled it in. */
#define RET_UNKNOWN	INT64_MIN

/* One line for the call that stopped a sample, saying what is known. */
static void call_failed(const struct bench *b, const char *name, uint32_t i,
			uint32_t s, int64_t ret)
{
	if (bench_deadline_report(b, name, i, s))
		return;
	if (ret == RET_UNKNOWN)
		fprintf(stderr, "\nscf-bench: %s: call %u of sample %u failed "
			"before the shadow answered%s\n", name, i, s,
			bench_interrupted ? " (interrupted)" : "");
	else
		fprintf(stderr, "\nscf-bench: %s: call %u of sample %u "
			"returned %lld (%s)\n", name, i, s, (long long)ret,
			scf_strerror((int)ret));
}

static const char *result_dir(void)
{
	static char dir[64];

	snprintf(dir, sizeof(dir), "%s%s", scf_notify_name(),
		 SCF_PROBES ? "" : "-noprobes");
	return dir;
}

int run_fwd(struct bench *b, const struct wl *w, const char *name,
	    uint64_t payload, uint32_t memsync, uint32_t cycles, int k, int nk)
{
	struct wl_ctx x = { .fd = -1, .size = payload };
	struct late_match m;
	struct scf_rec *recs;
	struct dual_rec *drecs = NULL;
	struct run r;
	double c0, s0;
	uint64_t total_ns = 0;
	uint32_t s, i;
	int err;

	b->c.memsync = memsync;
	err = w->setup ? w->setup(b, &x) : 0;
	if (err) {
		fprintf(stderr, "scf-bench: %s: setup failed\n", name);
		b->failures++;
		return -1;
	}
	if (x.max_cycles && cycles > x.max_cycles)
		cycles = x.max_cycles;
	run_init(&r, b->samples, cycles);
	r.workload = name;
	r.dir = result_dir();
	r.backend = b->backend;
	r.payload = payload;
	r.memsync = memsync == SCF_MEMSYNC_MAP ? "map" : "copy";
	r.probes = SCF_PROBES;
	r.emulated = b->note != NULL;
	recs = calloc(cycles, sizeof(*recs));
	if (x.dual)
		drecs = calloc(cycles, sizeof(*drecs));
	drain_discard(b);
	doorbell_begin(b, &r, true);
	c0 = thread_cpu_ns();
	s0 = proc_cpu_ns(b->shadow_pid);
	counters_run_start(b->shadow_pid);
	trace_run_start(b->client_cpu, b->shadow_cpu, b->shadow_pid, b->tsc_hz);
	for (s = 0; s < b->samples && !err && !bench_interrupted; s++) {
		uint64_t t0, t1, wait_from;

		progress_sample(k, nk, r.dir, name, s + 1, b->samples);
		m = (struct late_match){ recs, b->c.seq + 1, cycles, 0 };
		memset(recs, 0, sizeof(*recs) * cycles);
		counters_sample_begin();
		t0 = now_ns();
		for (i = 0; i < cycles && !bench_interrupted; i++) {
			uint64_t c0 = SCF_PROBES ? 0 : scf_rdtsc_ordered();
			int bad;

			if (x.dual)
				x.drec = &drecs[i];
			else
				b->c.rec = &recs[i];
			/* Stays so where the call failed before its answer. */
			recs[i].ret = RET_UNKNOWN;
			bad = w->op(b, &x, i);
			/* Probes compiled out: time the call from outside. */
			if (!SCF_PROBES && !x.dual)
				recs[i].t[SCF_C7_DONE] = scf_rdtsc_ordered() - c0;
			if (bad) {
				call_failed(b, name, i, s, recs[i].ret);
				err = -1;
				break;
			}
			if ((i & 255) == 255)
				scf_client_drain_late(&b->c, late_one, &m);
		}
		t1 = now_ns();
		counters_sample_end(i);
		b->c.rec = NULL;
		if (err || bench_interrupted)
			break;
		r.wall_ns[s] = (double)(t1 - t0) / cycles;
		total_ns += t1 - t0;
		/* The last S5 stamps follow their responses by a kick. */
		wait_from = now_ns();
		do
			scf_client_drain_late(&b->c, late_one, &m);
		while (!x.dual && m.matched < cycles &&
		       now_ns() - wait_from < 50000000ull);
		trace_sample_end(recs, cycles, s);
		for (i = 0; i < cycles; i++) {
			if (x.dual)
				run_add_dual(&r, &drecs[i]);
			else if (SCF_PROBES)
				run_add_rec(&r, &recs[i]);
			else
				run_add(&r, PH_TOTAL, (int64_t)recs[i].t[SCF_C7_DONE]);
		}
		run_end_sample(&r, s);
	}
	r.client_cpu_ns = (thread_cpu_ns() - c0) / ((double)b->samples * cycles);
	if (s0 >= 0)
		r.shadow_cpu_ns = (proc_cpu_ns(b->shadow_pid) - s0) /
				  ((double)b->samples * cycles);
	doorbell_end(b, &r);
	counters_run_end(&r);
	trace_run_end(&r);
	if (w->teardown)
		w->teardown(b, &x);
	free(recs);
	free(drecs);
	if (err || bench_interrupted) {
		progress_say("scf-bench: %s/%s failed%s", r.dir, name,
			     bench_interrupted ? ": interrupted" : "");
		run_free(&r);
		b->failures++;
		return -1;
	}
	progress_clear();
	if (w->annotate)
		w->annotate(b, &r);
	run_finish(b, &r);
	counters_forget();
	trace_forget();
	if (!strcmp(name, "write"))	/* the origin's lat_write line */
		printf("  Avg time delay per syscall: %.3f usec (%.0f ns), "
		       "%u x %u calls\n",
		       total_ns / 1e3 / ((double)b->samples * cycles),
		       total_ns / ((double)b->samples * cycles), b->samples,
		       cycles);
	run_free(&r);
	return 0;
}
