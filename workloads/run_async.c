// SPDX-License-Identifier: MIT
/*
 * run_async.c - the run loop of the asynchronous workloads: depth tasks
 * of the RTOS-side executor (scf_exec.h) share each sample's calls, so
 * up to depth calls are in flight, submitted in batches under one
 * doorbell.  Every call is still stamped and broken into phases; the
 * run adds wait_in_ring (S1 - C3), throughput, and doorbells per call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "run_async.h"
#include "scf_arch.h"
#include "scf_probe.h"

struct sample {
	struct scf_rec *recs;
	uint64_t base;		/* seq of recs[0] */
	uint32_t n, next;	/* calls this sample, next record */
	uint32_t matched;	/* S5 stamps found in the late log */
	uint64_t bad;		/* calls that returned what they should not */
	const struct wl_async *wa;
	struct bench *b;
};

struct task_ctx {
	struct sample *s;
	uint64_t want;		/* the result the call in flight should give */
};

static void late_one(void *arg, const struct scf_late *l);

/* A task: take the sample's next call, forward it, check its result. */
static int task_step(struct scf_task *t)
{
	struct task_ctx *x = t->arg;
	struct sample *s = x->s;

	if (t->pc) {
		if (t->ret != (int64_t)x->want)
			s->bad++;
		/* Probes compiled out: the call as the task saw it. */
		if (!SCF_PROBES)
			t->rec->t[SCF_C7_DONE] = scf_rdtsc_ordered();
	}
	if (s->next >= s->n)
		return SCF_TASK_DONE;
	/* The late log holds 1024 records: take the S5 stamps as we go. */
	if ((s->next & 255) == 255)
		scf_client_drain_late(&s->b->c, late_one, s);
	t->rec = &s->recs[s->next++];
	if (!SCF_PROBES)
		t->rec->t[SCF_C0_CALL] = scf_rdtsc_ordered();
	x->want = s->wa->make(s->b, &t->req);
	t->pc = 1;
	return SCF_TASK_CALL;
}

/* S5 stamps, matched to their records by seq (setup calls' are dropped). */
static void late_one(void *arg, const struct scf_late *l)
{
	struct sample *s = arg;
	struct scf_rec *rec;

	if (!s || l->seq < s->base || l->seq - s->base >= s->n)
		return;
	rec = &s->recs[l->seq - s->base];
	if (rec->seq != l->seq || rec->late)
		return;
	rec->t[SCF_S5_REPLY_KICKED] = l->s5;
	rec->t[SCF_KR_ENTRY] = l->kr_entry;
	rec->t[SCF_KR_IPI_SENT] = l->kr_ipi_sent;
	rec->late = 1;
	s->matched++;
}

static uint32_t rsp_kicks(const struct bench *b)
{
	/* Statistics: relaxed, like the shadow's increment. */
	return atomic_load_explicit(&b->c.q.hdr->rsp_kicks.v,
				    memory_order_relaxed);
}

/* One sample: n calls through the executor; 0 or -1. */
static int one_sample(struct bench *b, struct scf_async *a, struct sample *s,
		      struct scf_task *task, struct task_ctx *ctx)
{
	struct scf_exec ex;
	uint32_t i;
	int err;

	scf_exec_init(&ex, a);
	for (i = 0; i < s->wa->depth; i++) {
		ctx[i] = (struct task_ctx){ .s = s };
		task[i] = (struct scf_task){ .step = task_step, .arg = &ctx[i] };
		scf_exec_spawn(&ex, &task[i]);
	}
	err = scf_exec_run(&ex);
	if (err || s->bad) {
		fprintf(stderr, "\nscf-bench: %s: executor %d (%s), %llu calls "
			"with a wrong result\n", s->wa->wl.name, err,
			scf_strerror(err), (unsigned long long)s->bad);
		return -1;
	}
	(void)b;
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The median of a phase's values (ticks), or 0 when it has none. */
static double p50_ticks(const struct series *ph)
{
	int64_t *v;
	double m;

	if (!ph->n || !(v = malloc(sizeof(*v) * ph->n)))
		return 0;
	memcpy(v, ph->v, sizeof(*v) * ph->n);
	qsort(v, ph->n, sizeof(*v), cmp_i64);
	m = (double)v[ph->n / 2];
	free(v);
	return m;
}

static const char *run_result_dir(void)
{
	static char dir[64];

	snprintf(dir, sizeof(dir), "%s%s", scf_notify_name(),
		 SCF_PROBES ? "" : "-noprobes");
	return dir;
}

int run_async(struct bench *b, const struct wl *w, int k, int nk)
{
	const struct wl_async *wa = (const struct wl_async *)w;
	uint32_t cap = b->c.q.capacity, cycles = b->cycles, s, i;
	struct scf_async_ent *ent = calloc(cap, sizeof(*ent));
	uint32_t *batch = calloc(cap, sizeof(*batch));
	struct scf_task *task = calloc(wa->depth, sizeof(*task));
	struct task_ctx *ctx = calloc(wa->depth, sizeof(*ctx));
	struct scf_rec *recs = calloc(cycles, sizeof(*recs));
	uint64_t total_ns = 0, calls = 0, kicks0, rk0;
	struct scf_async a;
	struct sample smp;
	struct run r;
	double c0, s0;
	int err = 0;

	if (!ent || !batch || !task || !ctx || !recs) {
		fprintf(stderr, "scf-bench: %s: out of memory\n", w->name);
		b->failures++;
		err = -1;
		goto out;
	}
	if (b->c.q.ring == SCF_RING_INLINE) {
		fprintf(stderr, "scf-bench: %s skipped: an inline ring holds one "
			     "call at a time (--ring indirect or locked)\n",
			     w->name);
		goto out;
	}
	if (wa->depth > cap) {
		fprintf(stderr, "scf-bench: %s skipped: depth %u needs --capacity "
			     "%u or more (have %u)\n", w->name, wa->depth,
			     wa->depth, cap);
		goto out;
	}
	b->c.rec = NULL;
	err = scf_async_init(&a, &b->c, ent, batch, wa->depth);
	if (err) {
		fprintf(stderr, "scf-bench: %s: %s\n", w->name,
			scf_strerror(err));
		b->failures++;
		goto out;
	}
	run_init(&r, b->samples, cycles);
	r.workload = w->name;
	r.dir = run_result_dir();
	r.backend = b->backend;
	r.memsync = b->c.memsync == SCF_MEMSYNC_MAP ? "map" : "copy";
	r.probes = SCF_PROBES;
	r.emulated = b->note != NULL;
	scf_client_drain_late(&b->c, late_one, NULL);
	kicks0 = a.kicks;
	rk0 = rsp_kicks(b);
	c0 = thread_cpu_ns();
	s0 = proc_cpu_ns(b->shadow_pid);
	for (s = 0; s < b->samples && !bench_interrupted; s++) {
		uint64_t t0, wait_from;

		progress_sample(k, nk, r.dir, w->name, s + 1, b->samples);
		memset(recs, 0, sizeof(*recs) * cycles);
		smp = (struct sample){ .recs = recs, .base = b->c.seq + 1,
				       .n = cycles, .wa = wa, .b = b };
		t0 = now_ns();
		err = one_sample(b, &a, &smp, task, ctx);
		if (err || bench_interrupted)
			break;
		r.wall_ns[s] = (double)(now_ns() - t0) / cycles;
		total_ns += now_ns() - t0;
		calls += cycles;
		/* The last S5 stamps follow their responses by a kick. */
		wait_from = now_ns();
		do
			scf_client_drain_late(&b->c, late_one, &smp);
		while (smp.matched < cycles &&
		       now_ns() - wait_from < 50000000ull);
		for (i = 0; i < cycles; i++) {
			const uint64_t *t = recs[i].t;

			if (!SCF_PROBES) {
				run_add(&r, PH_TOTAL, (int64_t)(t[SCF_C7_DONE] -
							t[SCF_C0_CALL]));
				continue;
			}
			run_add_rec(&r, &recs[i]);
			run_add(&r, PH_WAIT_IN_RING,
				(int64_t)(t[SCF_S1_POPPED] -
					  t[SCF_C3_SUBMITTED]));
		}
		run_end_sample(&r, s);
	}
	if (!err && !bench_interrupted && calls) {
		r.client_cpu_ns = (thread_cpu_ns() - c0) / (double)calls;
		if (s0 >= 0)
			r.shadow_cpu_ns = (proc_cpu_ns(b->shadow_pid) - s0) /
					  (double)calls;
		run_extra(&r, "depth", wa->depth);
		run_extra(&r, "calls_per_s", calls * 1e9 / (double)total_ns);
		/*
		 * Little's law with the median latency: depth calls in flight,
		 * each taking p50: the throughput the queue sustains, robust
		 * to the stalls a shared machine adds to the wall time.
		 */
		if (p50_ticks(&r.ph[PH_TOTAL]) > 0)
			run_extra(&r, "calls_per_s_p50", wa->depth *
				  (double)b->tsc_hz /
				  p50_ticks(&r.ph[PH_TOTAL]));
		run_extra(&r, "doorbells_req_per_call",
			  (double)(a.kicks - kicks0) / (double)calls);
		run_extra(&r, "doorbells_rsp_per_call",
			  (double)(uint32_t)(rsp_kicks(b) - rk0) /
			  (double)calls);
		run_extra(&r, "doorbells_per_call",
			  ((double)(a.kicks - kicks0) +
			   (double)(uint32_t)(rsp_kicks(b) - rk0)) /
			  (double)calls);
		run_extra(&r, "calls_per_batch",
			  (double)calls / (double)(a.batches ? a.batches : 1));
		progress_clear();
		run_finish(b, &r);
	} else {
		progress_say("scf-bench: %s/%s failed%s", r.dir, w->name,
			     bench_interrupted ? ": interrupted" : "");
		b->failures++;
		err = -1;
	}
	run_free(&r);
out:
	free(ent);
	free(batch);
	free(task);
	free(ctx);
	free(recs);
	return err;
}
