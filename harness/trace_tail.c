// SPDX-License-Identifier: MIT
/*
 * trace_tail.c - a --trace run's tail: every sample's events joined to its
 * requests (trace_join.c); per request, which kinds of event fell in each
 * phase; the slowest TAIL_K requests with their phases and events; and at
 * the end, per phase, the share of the p99.9 requests an interrupt, a
 * preemption or a page fault explains.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "trace.h"

struct slow_event {
	uint8_t phase, kind, shadow;
	double at_ns;			/* after the request's C0 */
	char name[27];
};

struct slow {
	int64_t total;			/* ticks, C7 - C0 */
	uint32_t sample, index;
	int64_t ph[TJ_NPH];		/* ticks spent in each phase's windows */
	uint32_t nev, more;		/* listed, and beyond TAIL_EVENTS */
	bool fresh;			/* taken in the sample being joined */
	struct slow_event ev[TAIL_EVENTS];
};

/*
 * One run's tail.  Runs take their samples in turn, so each keeps its
 * own; the recording itself is shared (one tracefs instance for the
 * process) while any run is open.
 */
struct trace_meas {
	bool active, have;
	int client_cpu, shadow_cpu;
	uint64_t tsc_hz;
	int64_t *total;			/* per request of the run */
	uint8_t (*mask)[TJ_NPH];	/* bit per tj_kind, per phase */
	size_t n, cap;
	struct slow slow[TAIL_K];
	uint32_t nslow;
	uint64_t events, joined;
	char warn[192];
	/* what trace_meas_end() computed */
	double p999_ns;
	uint64_t ntail, explained;
	uint64_t share[TJ_NPH][TK_NR + 1];	/* [TK_OTHER]: nothing, [TK_NR]: any */
};

/* The shared recording: started by the first open run, stopped by the last. */
static struct {
	int users;
	bool ok;
	char warn[192];
} REC;

static double tns(const struct trace_meas *tm, int64_t ticks)
{
	return (double)ticks * 1e9 / (double)tm->tsc_hz;
}

struct trace_meas *trace_meas_start(int client_cpu, int shadow_cpu,
				   pid_t shadow_pid, uint64_t tsc_hz)
{
	struct trace_meas *tm;

	if (!trace_enabled() || !(tm = calloc(1, sizeof(*tm))))
		return NULL;
	tm->client_cpu = client_cpu;
	tm->shadow_cpu = shadow_cpu;
	tm->tsc_hz = tsc_hz;
	if (!REC.users++)
		REC.ok = trace_rec_start(client_cpu, shadow_cpu, gettid(),
					 shadow_pid, REC.warn,
					 sizeof(REC.warn)) == 0;
	snprintf(tm->warn, sizeof(tm->warn), "%s", REC.warn);
	tm->active = REC.ok;
	return tm;
}

void trace_sample_begin(struct trace_meas *tm)
{
	size_t nev;

	/* What was recorded before this sample (another run's, a
	 * baseline's) is not this sample's to join. */
	if (tm && tm->active)
		trace_rec_read(&nev);
}

/* Ticks of rec inside phase ph, summed over that phase's windows. */
static void phase_ticks(const struct scf_rec *rec, int64_t *ph)
{
	const uint64_t *t = rec->t;

	memset(ph, 0, sizeof(int64_t) * TJ_NPH);
	ph[TJ_QUEUE] = (int64_t)((t[SCF_C1_SLOT] - t[SCF_C0_CALL]) +
		(t[SCF_C3_SUBMITTED] - t[SCF_C2_MARSHALLED]) +
		(t[SCF_S1_POPPED] - t[SCF_S0_WOKEN]) +
		(t[SCF_S4_RESPONDED] - t[SCF_S3_SERVICED]) +
		(t[SCF_C7_DONE] - t[SCF_C6_COLLECTED]));
	ph[TJ_MEMSYNC] = (int64_t)((t[SCF_C2_MARSHALLED] - t[SCF_C1_SLOT]) +
		(t[SCF_S2_VALIDATED] - t[SCF_S1_POPPED]) +
		(t[SCF_C6_COLLECTED] - t[SCF_C5_WOKEN]));
	ph[TJ_NOTIFY_REQ] = (int64_t)(t[SCF_S0_WOKEN] - t[SCF_C3_SUBMITTED]);
	ph[TJ_SERVICE] = (int64_t)(t[SCF_S3_SERVICED] - t[SCF_S2_VALIDATED]);
	ph[TJ_NOTIFY_RSP] = (int64_t)(t[SCF_C5_WOKEN] - t[SCF_S4_RESPONDED]);
	ph[TJ_WAIT] = (int64_t)(t[SCF_S4_RESPONDED] - t[SCF_C3_SUBMITTED]);
	if (rec->late && t[SCF_S5_REPLY_KICKED])
		ph[TJ_KICK_RSP] = (int64_t)(t[SCF_S5_REPLY_KICKED] -
					    t[SCF_S4_RESPONDED]);
}

/* Keep the TAIL_K slowest; returns the slot for a new one, or NULL. */
static struct slow *slow_slot(struct trace_meas *tm, int64_t total)
{
	uint32_t i, min = 0;

	if (tm->nslow < TAIL_K)
		return &tm->slow[tm->nslow++];
	for (i = 1; i < TAIL_K; i++)
		if (tm->slow[i].total < tm->slow[min].total)
			min = i;
	return tm->slow[min].total < total ? &tm->slow[min] : NULL;
}

/* The events that explain come first in the list, then the rest
 * (wake-ups, voluntary switches, syscalls) as room allows. */
static void slow_events(const struct trace_meas *tm, struct slow *s,
			const struct scf_rec *recs, const struct tj_event *ev,
			const struct tj_hit *hit, size_t nev)
{
	size_t i;

	s->fresh = false;
	for (i = 0; i < 2 * nev; i++) {
		const struct tj_event *x = &ev[i % nev];
		struct slow_event *e;

		if (hit[i % nev].req != (int64_t)s->index ||
		    (x->kind == TK_OTHER) != (i >= nev))
			continue;
		if (s->nev == TAIL_EVENTS) {
			s->more++;
			continue;
		}
		e = &s->ev[s->nev++];
		e->phase = (uint8_t)hit[i % nev].phase;
		e->kind = x->kind;
		e->shadow = x->cpu == tm->shadow_cpu;
		e->at_ns = tns(tm, (int64_t)(x->ts - recs[s->index].t[SCF_C0_CALL]));
		memcpy(e->name, x->name, sizeof(e->name));
	}
}

void trace_sample_end(struct trace_meas *tm, const struct scf_rec *recs,
		      uint32_t n, uint32_t sample)
{
	const struct tj_event *ev;
	struct tj_hit *hit;
	size_t nev, i, base;
	uint32_t k;

	if (!tm || !tm->active)
		return;
	base = tm->n;
	ev = trace_rec_read(&nev);
	if (tm->n + n > tm->cap) {
		size_t cap = (tm->n + n) * 2;
		int64_t *t = realloc(tm->total, cap * sizeof(*t));
		uint8_t (*m)[TJ_NPH] = t ? realloc(tm->mask, cap * sizeof(*m)) : NULL;

		if (t)
			tm->total = t;
		if (!m)
			return;		/* this sample stays out of the tail */
		tm->mask = m;
		tm->cap = cap;
	}
	for (k = 0; k < n; k++) {
		const struct scf_rec *r = &recs[k];

		tm->total[tm->n + k] = tj_phase_of(r, 0, r->t[SCF_C0_CALL]) < 0 ? -1 :
			(int64_t)(r->t[SCF_C7_DONE] - r->t[SCF_C0_CALL]);
		memset(tm->mask[tm->n + k], 0, TJ_NPH);
	}
	tm->n += n;
	hit = calloc(nev ? nev : 1, sizeof(*hit));
	if (!hit)
		return;
	tm->events += nev;
	tm->joined += tj_join(recs, n, tm->client_cpu, tm->shadow_cpu, ev, nev, hit);
	for (i = 0; i < nev; i++)
		if (hit[i].req >= 0)
			tm->mask[base + (size_t)hit[i].req][hit[i].phase] |=
				(uint8_t)(1u << ev[i].kind);
	/* The slowest of this sample take their places first, then the
	 * events of those that did are gathered: one pass over the events
	 * per place, not per candidate. */
	for (k = 0; k < n; k++) {
		struct slow *s;

		if (tm->total[base + k] < 0 || !(s = slow_slot(tm, tm->total[base + k])))
			continue;
		memset(s, 0, sizeof(*s));
		s->total = tm->total[base + k];
		s->sample = sample;
		s->index = k;
		s->fresh = true;
		phase_ticks(&recs[k], s->ph);
	}
	for (k = 0; k < tm->nslow; k++)
		if (tm->slow[k].fresh)
			slow_events(tm, &tm->slow[k], recs, ev, hit, nev);
	free(hit);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_slow(const void *a, const void *b)
{
	const struct slow *x = a, *y = b;

	return x->total < y->total ? 1 : x->total > y->total ? -1 : 0;
}

void trace_meas_end(struct trace_meas *tm, struct measurement *r)
{
	int64_t *sorted, thr;
	size_t i, m = 0;

	if (!tm)
		return;
	if (tm->warn[0])
		meas_warn(r, "%s", tm->warn);
	if (!--REC.users) {
		trace_rec_stop();
		REC.warn[0] = 0;
	}
	if (!tm->active)
		return;
	tm->active = false;
	sorted = malloc((tm->n ? tm->n : 1) * sizeof(*sorted));
	if (!sorted)
		return;
	for (i = 0; i < tm->n; i++)
		if (tm->total[i] >= 0)
			sorted[m++] = tm->total[i];
	if (!m) {
		free(sorted);
		meas_warn(r, "trace: no request has every stamp: nothing joined");
		return;
	}
	qsort(sorted, m, sizeof(*sorted), cmp_i64);
	/* nearest rank, as the phases' percentiles */
	thr = sorted[(size_t)ceil(0.999 * (double)m) - 1];
	free(sorted);
	tm->p999_ns = tns(tm, thr);
	for (i = 0; i < tm->n; i++) {
		bool any = false;
		int p, k;

		if (tm->total[i] < thr)
			continue;
		tm->ntail++;
		for (p = 0; p < TJ_NPH; p++) {
			uint8_t why = tm->mask[i][p] & ((1u << TK_IRQ) |
				(1u << TK_PREEMPT) | (1u << TK_FAULT));

			for (k = 0; k < TK_OTHER; k++)
				tm->share[p][k] += !!(why & (1u << k));
			tm->share[p][TK_OTHER] += !why;
			any |= why != 0;
		}
		tm->explained += any;
	}
	qsort(tm->slow, tm->nslow, sizeof(*tm->slow), cmp_slow);
	tm->have = true;
	if (tm->events && !tm->joined)
		meas_warn(r, "trace: %llu events, none inside a request's window "
			 "(trace clock not the TSC?)", (unsigned long long)tm->events);
}

json_t *trace_json(const struct trace_meas *tm)
{
	json_t *o, *share, *slow;
	uint32_t i, j;
	int p, k;

	if (!tm || !tm->have)
		return NULL;
	share = json_object();
	for (p = 0; p < TJ_NPH; p++) {
		json_t *s = json_object();

		for (k = 0; k < TK_OTHER; k++)
			json_object_set_new(s, tj_kind_names[k], json_real(tm->ntail ?
				(double)tm->share[p][k] / (double)tm->ntail : 0));
		json_object_set_new(s, "unexplained", json_real(tm->ntail ?
			(double)tm->share[p][TK_OTHER] / (double)tm->ntail : 0));
		json_object_set_new(share, tj_phase_name(p), s);
	}
	slow = json_array();
	for (i = 0; i < tm->nslow; i++) {
		const struct slow *s = &tm->slow[i];
		json_t *ph = json_object(), *ev = json_array();

		for (p = 0; p < TJ_NPH; p++)
			json_object_set_new(ph, tj_phase_name(p), json_real(tns(tm, s->ph[p])));
		for (j = 0; j < s->nev; j++)
			json_array_append_new(ev, json_pack("{s:s, s:s, s:s, s:s, s:f}",
				"phase", tj_phase_name(s->ev[j].phase),
				"side", s->ev[j].shadow ? "shadow" : "client",
				"event", s->ev[j].name,
				"kind", tj_kind_names[s->ev[j].kind],
				"at_ns", s->ev[j].at_ns));
		json_array_append_new(slow, json_pack("{s:f, s:i, s:i, s:o, s:o, s:i}",
			"total_ns", tns(tm, s->total), "sample", (int)s->sample,
			"index", (int)s->index, "phases_ns", ph, "events", ev,
			"events_not_listed", (int)s->more));
	}
	o = json_pack("{s:s, s:I, s:I, s:f, s:I, s:f, s:o, s:o}",
		"clock", "x86-tsc",
		"events", (json_int_t)tm->events, "joined", (json_int_t)tm->joined,
		"p999_ns", tm->p999_ns, "p999_requests", (json_int_t)tm->ntail,
		"explained", tm->ntail ? (double)tm->explained / (double)tm->ntail : 0.0,
		"share", share, "slowest", slow);
	return o;
}

void trace_print(const struct trace_meas *tm)
{
	if (!tm || !tm->have)
		return;
	printf("  tail: %llu events, %llu in a request's window; p99.9 %.0f ns: "
	       "%llu requests, %.1f%% explained (interrupt, preemption or "
	       "page fault in a phase)\n", (unsigned long long)tm->events,
	       (unsigned long long)tm->joined, tm->p999_ns,
	       (unsigned long long)tm->ntail,
	       tm->ntail ? 100.0 * (double)tm->explained / (double)tm->ntail : 0.0);
}

void trace_free(struct trace_meas *tm)
{
	if (!tm)
		return;
	free(tm->total);
	free(tm->mask);
	free(tm);
}
