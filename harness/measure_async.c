// SPDX-License-Identifier: MIT
/*
 * measure_async.c - the run loop of the asynchronous workloads: depth tasks
 * of the RTOS-side executor (scf_exec.h) share each sample's calls, so
 * up to depth calls are in flight, submitted in batches under one
 * doorbell.  One call in --probe-every N of each client stamps every
 * point and is broken into phases (the others stamp C0 and C7); the run
 * adds wait_in_ring (S1 - C3) of those, throughput, and doorbells per
 * call.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "harness.h"
#include "interference.h"
#include "late_match.h"
#include "measure_async.h"
#include "scf_arch.h"
#include "scf_probe.h"

struct sample {
	/* recs, base: seq of recs[0], n: calls this sample, matched: S5
	 * stamps found in the late log */
	struct late_match m;
	uint32_t next;		/* next record */
	uint64_t bad;		/* calls that returned what they should not */
	const struct wl_async *wa;
	struct bench *b;
	struct scf_client *c;	/* the client whose calls these are */
};

struct task_ctx {
	struct sample *s;
	uint64_t want;		/* the result the call in flight should give */
};

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
	if (s->next >= s->m.n)
		return SCF_TASK_DONE;
	/* The late log holds 1024 records: take the S5 stamps as we go. */
	if ((s->next & 255) == 255)
		scf_client_drain_late(s->c, late_match_one, &s->m);
	t->rec = &s->m.recs[s->next++];
	if (!SCF_PROBES)
		t->rec->t[SCF_C0_CALL] = scf_rdtsc_ordered();
	x->want = s->wa->make(s->b, &t->req);
	t->pc = 1;
	return SCF_TASK_CALL;
}

static uint32_t rsp_kicks(const struct bench *b)
{
	/* Statistics: relaxed, like the shadow's increment. */
	return atomic_load_explicit(&b->c.q.hdr->rsp_kicks.v,
				    memory_order_relaxed);
}

static uint32_t nclients(const struct bench *b)
{
	return b->clients > 1 ? b->clients : 1;
}

/* Client k: the first is the bench's own, the others follow its slot. */
/* Interrupted, or a call ran past its deadline: nothing more is measured. */
static bool stopped(const struct bench *b)
{
	return bench_interrupted || b->c.timed_out;
}

static struct scf_client *client_of(struct bench *b, uint32_t k)
{
	return k ? &b->more[k - 1].c : &b->c;
}

/*
 * One sample: each client's share of the calls through its executor, all
 * clients' executors driven by this one thread; 0 or -1.
 */
static int one_sample(struct bench *b, struct scf_async *a, struct sample *s,
		      struct scf_task *task, struct task_ctx *ctx)
{
	struct scf_exec ex[BENCH_CLIENTS_MAX];
	uint32_t n = nclients(b), d = s->wa->depth, i, k;
	uint64_t bad = 0;
	int err;

	for (k = 0; k < n; k++) {
		scf_exec_init(&ex[k], &a[k]);
		for (i = k * d; i < (k + 1) * d; i++) {
			ctx[i] = (struct task_ctx){ .s = &s[k] };
			task[i] = (struct scf_task){ .step = task_step,
						     .arg = &ctx[i] };
			scf_exec_spawn(&ex[k], &task[i]);
		}
	}
	if (b->topology_set)
		err = scf_exec_run_group(ex, n, b->c.n);
	else
		err = scf_exec_run(&ex[0]);
	for (k = 0; k < n; k++)
		bad += s[k].bad + a[k].stray;
	if (err == -SCF_ETIMEDOUT && !bad)
		return -1;	/* the run's end says which call, and why */
	if (err || bad) {
		fprintf(stderr, "\nscf-bench: %s: executor %d (%s), %llu calls "
			"with a wrong result or answered to the wrong client\n",
			s->wa->wl.name, err, scf_strerror(err),
			(unsigned long long)bad);
		return -1;
	}
	return 0;
}

static const char *run_result_dir(void)
{
	static char dir[64];

	snprintf(dir, sizeof(dir), "%s%s", scf_notify_name(),
		 SCF_PROBES ? "" : "-noprobes");
	return dir;
}

/*
 * A run with --clients or --topology is named for them too, so the sweep
 * (clients x depth x topology) keeps one result per point:
 * scale-<topology>-<clients>c-<depth>.
 */
static const char *run_name(const struct bench *b, const struct wl_async *wa)
{
	static char name[64];

	if (!b->topology_set)
		return wa->wl.name;
	snprintf(name, sizeof(name), "scale-%s-%uc-%u",
		 b->mpsc ? "mpsc" : "spsc", nclients(b), wa->depth);
	return name;
}

/* Can this run go ahead?  false after one line saying why it is skipped. */
static bool runnable(const struct bench *b, const struct wl_async *wa)
{
	uint32_t cap = b->c.q.capacity;

	if (b->c.q.ring == SCF_RING_INLINE) {
		fprintf(stderr, "scf-bench: %s skipped: an inline ring holds one "
			     "call at a time (--ring indirect or locked)\n",
			     wa->wl.name);
		return false;
	}
	if (wa->depth > cap) {
		fprintf(stderr, "scf-bench: %s skipped: depth %u needs --capacity "
			     "%u or more (have %u)\n", wa->wl.name, wa->depth,
			     wa->depth, cap);
		return false;
	}
	if (b->mpsc && nclients(b) * wa->depth > SCF_QHDR_RECV_CAP) {
		fprintf(stderr, "scf-bench: %s skipped: %u clients at depth %u "
			"overflow the shared queue (%u entries)\n", wa->wl.name,
			nclients(b), wa->depth, SCF_QHDR_RECV_CAP);
		return false;
	}
	return true;
}

/* Bind client k's asynchronous side: 0 or -errno. */
static int async_bind(struct bench *b, uint32_t k, struct scf_async *a,
		      struct scf_async_ent *ent, uint32_t *batch,
		      uint32_t depth, struct scf_mpsc *recv)
{
	struct scf_client *c = client_of(b, k);
	int err;

	c->rec = NULL;
	c->cancel = b->c.cancel;
	err = scf_async_init(a, c, ent, batch, depth);
	if (!err && b->mpsc)
		err = scf_async_share(a, recv, k);
	return err;
}

static int cmp_span(const void *x, const void *y)
{
	const uint64_t *a = x, *b = y;

	return a[0] < b[0] ? -1 : a[0] > b[0];
}

/*
 * Wall time against the calls' own stamps, as a synchronous sample's:
 * with calls in flight together their totals overlap, so the time they
 * cover is the union of their [C0, C7] spans.  What the union leaves
 * uncovered, less the loop's own cost (calibrated per synchronous call,
 * so counted once per batch of depth calls of each client), is the gap
 * in % of the wall time.  NAN where a call has no stamps.
 */
static double wall_gap(const struct bench *b, const struct scf_rec *recs,
		       uint32_t n, uint32_t in_flight, uint64_t wall_ns,
		       uint64_t (*span)[2])
{
	double wall = (double)wall_ns * (double)b->tsc_hz / 1e9, cover = 0;
	uint64_t end = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		span[i][0] = recs[i].t[SCF_C0_CALL];
		span[i][1] = recs[i].t[SCF_C7_DONE];
		if (!span[i][0] || span[i][1] < span[i][0])
			return NAN;
	}
	qsort(span, n, sizeof(*span), cmp_span);
	for (i = 0; i < n; i++) {
		uint64_t from = span[i][0] > end ? span[i][0] : end;

		if (span[i][1] > from)
			cover += (double)(span[i][1] - from);
		if (span[i][1] > end)
			end = span[i][1];
	}
	return (wall - cover - b->loop_ticks * n / in_flight) / wall * 100;
}

int measure_async(struct bench *b, const struct wl *w, int k, int nk)
{
	const struct wl_async *wa = (const struct wl_async *)w;
	uint32_t cap = b->c.q.capacity, cycles = b->cycles, nc = nclients(b);
	uint32_t s, i, c;
	struct scf_async_ent *ent = calloc((size_t)cap * nc, sizeof(*ent));
	uint32_t *batch = calloc((size_t)cap * nc, sizeof(*batch));
	struct scf_task *task = calloc((size_t)wa->depth * nc, sizeof(*task));
	struct task_ctx *ctx = calloc((size_t)wa->depth * nc, sizeof(*ctx));
	struct scf_rec *recs = calloc(cycles, sizeof(*recs));
	uint64_t (*span)[2] = calloc(cycles, sizeof(*span));
	uint64_t total_ns = 0, calls = 0, kicks0 = 0, batches0 = 0, rk0;
	struct scf_async a[BENCH_CLIENTS_MAX];
	struct sample smp[BENCH_CLIENTS_MAX];
	struct scf_mpsc recv;
	struct measurement r;
	double c0, s0 = 0, client_ns = 0, shadow_ns = 0;
	int err = 0;

	if (!ent || !batch || !task || !ctx || !recs || !span) {
		fprintf(stderr, "scf-bench: %s: out of memory\n", w->name);
		b->failures++;
		err = -1;
		goto out;
	}
	if (!runnable(b, wa))
		goto out;
	err = b->mpsc ? scf_mpsc_attach(&recv, b->c.q.hdr->recv) : 0;
	for (c = 0; !err && c < nc; c++)
		err = async_bind(b, c, &a[c], ent + (size_t)c * cap,
				 batch + (size_t)c * cap, wa->depth, &recv);
	if (err) {
		fprintf(stderr, "scf-bench: %s: %s\n", w->name,
			scf_strerror(err));
		b->failures++;
		goto out;
	}
	meas_init(&r, b->samples, cycles);
	r.workload = run_name(b, wa);
	r.dir = run_result_dir();
	r.backend = b->backend;
	r.memsync = b->c.memsync == SCF_MEMSYNC_MAP ? "map" : "copy";
	r.probes = SCF_PROBES;
	r.emulated = b->note != NULL;
	/* Its samples run back to back: it keeps its clients to itself. */
	r.sequential = true;
	/* One call in probe_every stamps every point, as a synchronous run. */
	r.probe_every = !SCF_PROBES ? 0 : b->probe_every < cycles ?
			b->probe_every : cycles;
	for (c = 0; c < nc; c++) {
		struct scf_client *cl = client_of(b, c);

		scf_client_drain_late(cl, late_match_one, NULL);
		cl->probe_every = r.probe_every;
		cl->probe_base = cl->seq + 1 + r.probe_every / 2;
	}
	r.intf = interference_new(b->samples);
	rk0 = rsp_kicks(b);
	doorbell_begin(b, &r, true);
	for (s = 0; s < b->samples && !stopped(b); s++) {
		uint64_t t0, t1, wait_from;
		uint32_t matched, probed = 0, off = 0;

		progress_sample(k, nk, r.dir, r.workload, s + 1, b->samples);
		memset(recs, 0, sizeof(*recs) * cycles);
		/* Client c makes its share of the calls, numbered its way. */
		for (c = 0; c < nc; c++) {
			uint32_t n = cycles / nc + (c < cycles % nc);

			smp[c] = (struct sample){
				.m = { .recs = recs + off, .n = n,
				       .base = client_of(b, c)->seq + 1 },
				.wa = wa, .b = b, .c = client_of(b, c) };
			off += n;
		}
		bench_shadow_unpark(b);
		interference_begin(r.intf, b->shadow_pid);
		c0 = thread_cpu_ns();
		s0 = proc_cpu_ns(b->shadow_pid);
		doorbell_sample_begin(b, &r);
		t0 = now_ns();
		err = one_sample(b, a, smp, task, ctx);
		t1 = now_ns();
		doorbell_sample_end(b, &r);
		client_ns += thread_cpu_ns() - c0;
		if (s0 >= 0)
			shadow_ns += proc_cpu_ns(b->shadow_pid) - s0;
		interference_end(r.intf, s, b->client_cpu, b->shadow_cpu,
				 b->shadow_pid, (double)(t1 - t0));
		if (err || stopped(b))
			break;
		for (i = 0; i < cycles; i++)
			probed += recs[i].probed;
		r.wall_ns[s] = (double)(t1 - t0) / cycles;
		total_ns += t1 - t0;
		calls += cycles;
		/* The last S5 stamps follow their responses by a kick. */
		wait_from = now_ns();
		do {
			for (c = matched = 0; c < nc; c++) {
				scf_client_drain_late(smp[c].c, late_match_one,
						      &smp[c].m);
				matched += smp[c].m.matched;
			}
		} while (matched < probed &&
			 now_ns() - wait_from < 50000000ull);
		for (i = 0; i < cycles; i++) {
			const uint64_t *t = recs[i].t;

			if (!SCF_PROBES) {
				meas_add(&r, PH_TOTAL, (int64_t)(t[SCF_C7_DONE] -
							t[SCF_C0_CALL]));
				continue;
			}
			meas_add_rec(&r, &recs[i]);
			if (recs[i].probed)
				meas_add(&r, PH_WAIT_IN_RING,
					(int64_t)(t[SCF_S1_POPPED] -
						  t[SCF_C3_SUBMITTED]));
		}
		r.wall_gap_pct[s] = wall_gap(b, recs, cycles, wa->depth * nc,
					     t1 - t0, span);
		r.wall_gap_measured = isfinite(r.wall_gap_pct[s]) &&
				      (s == 0 || r.wall_gap_measured);
		meas_end_sample(&r, s);
		r.samples_done = s + 1;
		/*
		 * The baseline after the sample, as a synchronous run takes
		 * it.  Parking the shadow is a call of client 0's own; with
		 * a shared receive queue (MPSC) its answer could reach
		 * another client, so there it is not taken (and left out).
		 */
		if (!b->mpsc) {
			r.baseline_ns[s] = baseline_ns(b);
			r.baseline_measured = s == 0 || r.baseline_measured;
		}
	}
	bench_shadow_unpark(b);
	for (c = 0; c < nc; c++) {
		client_of(b, c)->probe_every = 0;
		kicks0 += a[c].kicks;
		batches0 += a[c].batches;
	}
	if (!err && !stopped(b) && calls) {
		r.client_cpu_ns = client_ns / (double)calls;
		if (s0 >= 0)
			r.shadow_cpu_ns = shadow_ns / (double)calls;
		meas_extra(&r, "depth", wa->depth);
		if (b->topology_set) {
			meas_extra(&r, "clients", nc);
			meas_extra(&r, "mpsc", b->mpsc);
		}
		/* Completed calls over the wall time they took: counted,
		 * not derived from a latency. */
		meas_extra(&r, "calls_per_s", calls * 1e9 / (double)total_ns);
		meas_extra(&r, "doorbells_req_per_call",
			  (double)kicks0 / (double)calls);
		meas_extra(&r, "doorbells_rsp_per_call",
			  (double)(uint32_t)(rsp_kicks(b) - rk0) /
			  (double)calls);
		meas_extra(&r, "doorbells_per_call",
			  ((double)kicks0 +
			   (double)(uint32_t)(rsp_kicks(b) - rk0)) /
			  (double)calls);
		meas_extra(&r, "calls_per_batch",
			  (double)calls / (double)(batches0 ? batches0 : 1));
		doorbell_end(b, &r);
		progress_clear();
		meas_finish(b, &r);
	} else {
		if (!bench_deadline_report(b, r.workload))
			progress_say("scf-bench: %s/%s failed%s", r.dir,
				     r.workload, bench_interrupted ?
				     ": interrupted" : "");
		b->failures++;
		err = -1;
	}
	meas_free(&r);
out:
	free(ent);
	free(batch);
	free(task);
	free(ctx);
	free(recs);
	free(span);
	return err;
}
