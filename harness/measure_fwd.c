// SPDX-License-Identifier: MIT
/*
 * measure_fwd.c - the forwarded run loop: a workload's calls through SCF to the
 * shadow, sample by sample, each call's probe record turned into its
 * phases once the late log has brought its S5 stamp (probed calls only),
 * and each sample's wall time held against the calls' own totals.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../rtos/rtos_dual.h"
#include "counters.h"
#include "harness.h"
#include "interference.h"
#include "late_match.h"
#include "scf_arch.h"
#include "scf_probe.h"
#include "trace.h"

/* A record's ret before the call filled it in. */
#define RET_UNKNOWN	INT64_MIN

/* One line for the call that stopped a sample, saying what is known. */
static void call_failed(const struct bench *b, const char *name, uint32_t i,
			uint32_t s, int64_t ret)
{
	char what[96];

	snprintf(what, sizeof(what), "%s: call %u of sample %u", name, i, s);
	if (bench_deadline_report(b, what))
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

/* ---- one sample's calls: the same loop times the calibration ---- */

/* Calls i of a sample: the loop whose cost per call fwd_calibrate_loop()
 * measures; every call's C7 - C0 (or the outside stamps, PROBES=0). */
static int sample_loop(struct bench *b, const struct wl *w, struct wl_ctx *x,
		       struct scf_rec *recs, struct dual_rec *drecs,
		       uint32_t cycles, struct late_match *m, uint32_t *done)
{
	uint32_t i, every = b->c.probe_every;
	int err = 0;

	for (i = 0; i < cycles && !bench_interrupted; i++) {
		uint64_t c0 = SCF_PROBES ? 0 : scf_rdtsc_ordered();
		int bad;

		if (x->dual) {
			x->drec = &drecs[i];
			/*
			 * A cycle of several calls is one measurement: one
			 * cycle in every stamps all its parts, the others none
			 * (a part sampled alone leaves its cycle unprobed).
			 */
			if (every) {
				b->c.probe_every = i % every == every / 2;
				b->c.probe_base = 0;
			}
		} else
			b->c.rec = &recs[i];
		/* Stays so where the call failed before its answer. */
		recs[i].ret = RET_UNKNOWN;
		bad = w->op(b, x, i);
		/* Probes compiled out: time the call from outside. */
		if (!SCF_PROBES && !x->dual)
			recs[i].t[SCF_C7_DONE] = scf_rdtsc_ordered() - c0;
		if (bad) {
			err = -1;
			break;
		}
		if ((i & 255) == 255)
			scf_client_drain_late(&b->c, late_match_one, m);
	}
	b->c.probe_every = every;
	*done = i;
	return err;
}

/*
 * A call's shape without the call: out of line, as scf_null() is, into
 * the client's own steps around its timed window (scf_call_outside()).
 * So the calibration counts what every forwarded call does outside C0..C7
 * (its record, the entry's checks), not only the loop around it: without
 * them the wall gap of an undisturbed null run read 10-12 % on an AMD
 * EPYC VM, every run warning.
 */
static __attribute__((noinline)) int64_t stub_call(struct scf_client *c)
{
	struct scf_req r = { .opcode = SCF_OP_NULL };

	return scf_call_outside(c, &r);
}

static int stub_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	(void)x;
	(void)i;
	return stub_call(&b->c) ? -1 : 0;
}

#define CAL_CALLS	20000u

void fwd_calibrate_loop(struct bench *b)
{
	static const struct wl stub = { .name = "stub", .op = stub_op };
	struct wl_ctx x = { .fd = -1 };
	struct scf_rec *recs = calloc(CAL_CALLS, sizeof(*recs));
	struct late_match m = { 0 };
	uint64_t t0, t1, stamped = 0;
	uint32_t i, done;

	b->loop_ticks = 0;
	if (!recs)
		return;
	t0 = now_ns();
	sample_loop(b, &stub, &x, recs, NULL, CAL_CALLS, &m, &done);
	t1 = now_ns();
	b->c.rec = NULL;
	/* what the totals will count: C7 - C0, or the outside stamps */
	for (i = 0; i < done; i++)
		stamped += recs[i].t[SCF_C7_DONE] -
			   (SCF_PROBES ? recs[i].t[SCF_C0_CALL] : 0);
	free(recs);
	if (done)
		b->loop_ticks = ((double)(t1 - t0) * (double)b->tsc_hz / 1e9 -
				 (double)stamped) / done;
}

/* ---- a forwarded run: begin, sample by sample, end ---- */

int fwd_begin(struct bench *b, struct job *j)
{
	int err;

	j->x = (struct wl_ctx){ .fd = -1, .size = j->payload };
	b->c.memsync = j->memsync;
	b->c.probe_every = 0;	/* setup calls are not the workload's */
	err = j->w->setup ? j->w->setup(b, &j->x) : 0;
	if (err) {
		char what[96];

		snprintf(what, sizeof(what), "%s: a setup call", j->name);
		if (!bench_deadline_report(b, what))
			fprintf(stderr, "scf-bench: %s: setup failed\n",
				j->name);
		return -1;
	}
	if (j->x.max_cycles && j->cycles > j->x.max_cycles)
		j->cycles = j->x.max_cycles;
	meas_init(&j->r, b->samples, j->cycles);
	j->r.workload = j->name;
	j->r.dir = result_dir();
	j->r.backend = b->backend;
	j->r.payload = j->payload;
	j->r.memsync = j->memsync == SCF_MEMSYNC_MAP ? "map" : "copy";
	j->r.probes = SCF_PROBES;
	/* A run shorter than N calls a sample still probes one call each. */
	j->r.probe_every = !SCF_PROBES ? 0 : b->probe_every < j->cycles ?
			   b->probe_every : j->cycles;
	j->r.emulated = b->note != NULL;
	doorbell_begin(b, &j->r, true);
	j->r.cnt = counters_meas_start(b->shadow_pid);
	j->r.trace = trace_meas_start(b->client_cpu, b->shadow_cpu,
				     b->shadow_pid, b->tsc_hz);
	j->recs = calloc(j->cycles, sizeof(*j->recs));
	if (j->x.dual)
		j->drecs = calloc(j->cycles, sizeof(*j->drecs));
	if (!j->recs || (j->x.dual && !j->drecs)) {
		fprintf(stderr, "scf-bench: %s: out of memory\n", j->name);
		return -1;
	}
	return 0;
}

/* What the test knob takes from a call of total ticks. */
static uint64_t drop_ticks(const struct bench *b, int64_t total)
{
	return (uint64_t)((double)b->test_drop_ns * (double)b->tsc_hz / 1e9) +
	       (uint64_t)(total > 0 ? total * b->test_drop_pct / 100 : 0);
}

/* The calls' totals, as recorded (the test knob may take from them). */
static void add_sample(struct bench *b, struct job *j, double *sum_ticks)
{
	uint64_t drop;
	uint32_t i;

	*sum_ticks = 0;
	for (i = 0; i < j->cycles; i++) {
		struct scf_rec *rec = &j->recs[i];

		if (j->x.dual) {
			drop = drop_ticks(b, (int64_t)(j->drecs[i].t_end -
						       j->drecs[i].t0));
			j->drecs[i].t_end -= drop;
			*sum_ticks += (double)(int64_t)(j->drecs[i].t_end -
							j->drecs[i].t0);
			meas_add_dual(&j->r, &j->drecs[i]);
			continue;
		}
		drop = drop_ticks(b, SCF_PROBES ? (int64_t)(rec->t[SCF_C7_DONE] -
					  rec->t[SCF_C0_CALL]) :
					  (int64_t)rec->t[SCF_C7_DONE]);
		if (SCF_PROBES) {
			rec->t[SCF_C7_DONE] -= drop;
			*sum_ticks += (double)(int64_t)(rec->t[SCF_C7_DONE] -
							rec->t[SCF_C0_CALL]);
			meas_add_rec(&j->r, rec);
		} else {
			rec->t[SCF_C7_DONE] -= drop;
			*sum_ticks += (double)(int64_t)rec->t[SCF_C7_DONE];
			meas_add(&j->r, PH_TOTAL, (int64_t)rec->t[SCF_C7_DONE]);
			meas_add(&j->r, PH_TOTAL_UNPROBED,
				(int64_t)rec->t[SCF_C7_DONE]);
		}
	}
}

int fwd_sample(struct bench *b, struct job *j, uint32_t s, int nk)
{
	struct late_match m;
	uint64_t t0, t1, wait_from;
	double c0, s0, sum_ticks, wall_ticks;
	uint32_t i, done, expect = 0;
	int err;

	b->c.memsync = j->memsync;
	progress_sample(j->k, nk, j->r.dir, j->name, s + 1, b->samples);
	m = (struct late_match){ j->recs, b->c.seq + 1, j->cycles, 0 };
	memset(j->recs, 0, sizeof(*j->recs) * j->cycles);
	interference_begin(j->r.intf, b->shadow_pid);
	c0 = thread_cpu_ns();
	s0 = proc_cpu_ns(b->shadow_pid);
	/* One call in probe_every stamps every point: the middle of each
	 * block of N calls of the sample, the same calls every sample. */
	b->c.probe_every = j->r.probe_every;
	b->c.probe_base = b->c.seq + 1 + j->r.probe_every / 2;
	doorbell_sample_begin(b, &j->r);
	trace_sample_begin(j->r.trace);
	counters_sample_begin(j->r.cnt);
	t0 = now_ns();
	err = sample_loop(b, j->w, &j->x, j->recs, j->drecs, j->cycles, &m,
			  &done);
	t1 = now_ns();
	counters_sample_end(j->r.cnt, done);
	doorbell_sample_end(b, &j->r);
	b->c.probe_every = 0;
	b->c.rec = NULL;
	j->client_cpu += thread_cpu_ns() - c0;
	if (s0 >= 0)
		j->side_cpu += proc_cpu_ns(b->shadow_pid) - s0;
	interference_end(j->r.intf, s, b->client_cpu, b->shadow_cpu,
			 b->shadow_pid, (double)(t1 - t0));
	if (err) {
		call_failed(b, j->name, done, s, j->recs[done].ret);
		return -1;
	}
	if (bench_interrupted)
		return -1;
	j->r.wall_ns[s] = (double)(t1 - t0) / j->cycles;
	j->total_ns += t1 - t0;
	/* The last S5 stamps follow their responses by a kick. */
	for (i = 0; i < j->cycles; i++)
		expect += j->recs[i].probed;
	wait_from = now_ns();
	do
		scf_client_drain_late(&b->c, late_match_one, &m);
	while (!j->x.dual && m.matched < expect &&
	       now_ns() - wait_from < 50000000ull);
	trace_sample_end(j->r.trace, j->recs, j->cycles, s);
	add_sample(b, j, &sum_ticks);
	/* Wall time against the calls' own totals and the loop's cost. */
	wall_ticks = (double)(t1 - t0) * (double)b->tsc_hz / 1e9;
	j->r.wall_gap_pct[s] = (wall_ticks - sum_ticks -
				b->loop_ticks * j->cycles) / wall_ticks * 100;
	j->r.wall_gap_measured = true;
	meas_end_sample(&j->r, s);
	j->r.samples_done = s + 1;
	return 0;
}

static void fwd_free(struct job *j)
{
	counters_free(j->r.cnt);
	trace_free(j->r.trace);
	j->r.cnt = NULL;
	j->r.trace = NULL;
	meas_free(&j->r);
}

void fwd_end(struct bench *b, struct job *j)
{
	uint64_t calls = (uint64_t)j->r.samples_done * j->cycles;

	/* After a timeout the shadow may still hold that request: no more
	 * calls, each of which would wait out its own deadline. */
	if (j->w->teardown && j->begun && !b->c.timed_out)
		j->w->teardown(b, &j->x);
	free(j->recs);
	free(j->drecs);
	j->recs = NULL;
	j->drecs = NULL;
	if (!j->begun)
		return;
	doorbell_end(b, &j->r);
	counters_meas_end(j->r.cnt, &j->r);
	trace_meas_end(j->r.trace, &j->r);
	if (j->failed || bench_interrupted) {
		progress_say("scf-bench: %s/%s failed%s", j->r.dir, j->name,
			     bench_interrupted ? ": interrupted" : "");
		fwd_free(j);
		b->failures++;
		return;
	}
	progress_clear();
	if (calls) {
		j->r.client_cpu_ns = j->client_cpu / (double)calls;
		if (b->shadow_pid > 0)
			j->r.shadow_cpu_ns = j->side_cpu / (double)calls;
	}
	if (j->w->annotate)
		j->w->annotate(b, &j->r);
	meas_finish(b, &j->r);
	if (!strcmp(j->name, "write") && calls)	/* the origin's lat_write line */
		printf("  Avg time delay per syscall: %.3f usec (%.0f ns), "
		       "%u x %u calls\n", j->total_ns / 1e3 / (double)calls,
		       j->total_ns / (double)calls, j->r.samples_done,
		       j->cycles);
	fwd_free(j);
}
