// SPDX-License-Identifier: MIT
/*
 * report_quality.c - how far each result's numbers can be trusted
 * (scf-bench/2): sampled probes and their stamp cost, the residual of the
 * net total, the baseline beside every sample and its drift, the wall-clock
 * gap, interference; and the net phases beside the raw ones.  The same
 * facts go to report.md and to the terminal.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "report.h"

#define DRIFT_SPREAD	1.25	/* baseline max/min past which it drifted */
#define RESIDUAL_PCT	10.0	/* |net total / unprobed total - 1| */
#define WALL_GAP_PCT	5.0	/* wall time against the sum of the totals */

static const enum scf_phase net_phases[] = {
	PH_TOTAL, PH_QUEUE, PH_MEMSYNC, PH_NOTIFY, PH_SERVICE,
};

static bool has_quality(const struct result *r)
{
	return r->probes.has || r->baseline.has || r->wall_gap_pct.n ||
	       r->intf.has;
}

/* The largest (sign 1) or smallest (sign -1) value, NAN when empty. */
static double series_ext(const struct series *s, int sign)
{
	double m = NAN;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (isnan(m) || sign * (s->v[i] - m) > 0)
			m = s->v[i];
	return m;
}

static void label(char *buf, size_t len, const struct result *r)
{
	snprintf(buf, len, "%s/%s%s %s", r->dir, r->cfg.backend,
		 r->cfg.emulated ? " (emulated)" : "", r->name);
}

/* Append "#i" for every sample whose value is past limit × the minimum. */
static void drift_samples(char *buf, size_t len, const struct series *b)
{
	double lo = series_ext(b, -1);
	size_t i, used;

	for (i = 0; i < b->n; i++) {
		if (!(b->v[i] > DRIFT_SPREAD * lo))
			continue;
		used = strlen(buf);
		snprintf(buf + used, len - used, " #%zu (%.0f ns)", i, b->v[i]);
	}
}

static void interference_text(char *buf, size_t len, const struct interference *in)
{
	const json_t *t;
	size_t i, used;

	snprintf(buf, len, "%zu sample%s:", in->nsamples, in->nsamples == 1 ? "" : "s");
	for (i = 0; i < in->nsamples; i++) {
		used = strlen(buf);
		snprintf(buf + used, len - used, " #%lld", (long long)in->samples[i]);
	}
	json_array_foreach(in->tasks, i, t) {
		const json_t *comm = json_object_get(t, "comm");
		const json_t *pid = json_object_get(t, "pid");
		const json_t *cpu = json_object_get(t, "cpu");
		const json_t *ns = json_object_get(t, "ns");

		used = strlen(buf);
		snprintf(buf + used, len - used, "%s %s", i ? "," : "; ran:",
			 comm ? json_string_value(comm) : "?");
		used = strlen(buf);
		if (json_is_number(pid))
			snprintf(buf + used, len - used, "[%.0f]", json_number_value(pid));
		used = strlen(buf);
		if (json_is_number(cpu))
			snprintf(buf + used, len - used, " on CPU %.0f", json_number_value(cpu));
		used = strlen(buf);
		if (json_is_number(ns))
			snprintf(buf + used, len - used, " for %.0f µs", json_number_value(ns) / 1e3);
	}
}

/* The warnings of one result, one per call of emit (none when f is NULL);
 * their number. */
static size_t warnings(const struct result *r,
		       void (*emit)(FILE *, const char *, const char *),
		       FILE *f)
{
	char who[160], msg[1024];
	double gap = series_ext(&r->wall_gap_pct, 1);
	size_t n = 0;

	label(who, sizeof(who), r);
	if (r->baseline.has && r->baseline.spread > DRIFT_SPREAD) {
		snprintf(msg, sizeof(msg), "baseline drifted: spread %.2f > %.2f, samples",
			 r->baseline.spread, DRIFT_SPREAD);
		drift_samples(msg, sizeof(msg), &r->baseline.p50_ns);
		if (f)
			emit(f, who, msg);
		n++;
	}
	if (r->probes.has && fabs(r->probes.residual_pct) > RESIDUAL_PCT) {
		snprintf(msg, sizeof(msg), "residual of the net total %+.1f %% (past ±%.0f %%): the stamp cost does not explain the probes' effect",
			 r->probes.residual_pct, RESIDUAL_PCT);
		if (f)
			emit(f, who, msg);
		n++;
	}
	if (gap > WALL_GAP_PCT) {
		snprintf(msg, sizeof(msg), "wall-clock gap up to %.1f %% (past %.0f %%): the per-request totals miss time",
			 gap, WALL_GAP_PCT);
		if (f)
			emit(f, who, msg);
		n++;
	}
	if (r->intf.has && (r->intf.nsamples || json_array_size(r->intf.tasks))) {
		interference_text(msg, sizeof(msg), &r->intf);
		strncat(msg, ": another task ran on a benchmark CPU",
			sizeof(msg) - strlen(msg) - 1);
		if (f)
			emit(f, who, msg);
		n++;
	}
	return n;
}

/* "p50 ns" of a raw phase, a net phase, or "—". */
static void cell(char *buf, size_t len, const struct phase *p)
{
	if (p && isfinite(p->p50_ns))
		snprintf(buf, len, "%.0f", p->p50_ns);
	else
		snprintf(buf, len, "—");
}

static void fields(const struct result *r, char *probes, char *stamp,
		   char *resid, char *base, char *gap, size_t len)
{
	const struct probes *p = &r->probes;
	double g = series_ext(&r->wall_gap_pct, 1);

	snprintf(probes, len, "—");
	snprintf(stamp, len, "—");
	snprintf(resid, len, "—");
	snprintf(base, len, "—");
	snprintf(gap, len, "—");
	if (p->has) {
		if (p->every > 0)
			snprintf(probes, len, "1 in %lld, %lld probed",
				 (long long)p->every, (long long)p->probed);
		else	/* a peer, or a build without probes */
			snprintf(probes, len, "none");
		snprintf(stamp, len, isfinite(p->stamp_shadow_ns) ?
			 "%.1f / %.1f ns" : "%.1f ns / —", p->stamp_client_ns,
			 p->stamp_shadow_ns);
		if (isfinite(p->residual_pct))
			snprintf(resid, len, "%+.1f %%", p->residual_pct);
	}
	if (r->baseline.has && r->baseline.p50_ns.n)
		snprintf(base, len, "%.0f–%.0f ns, spread %.2f",
			 series_ext(&r->baseline.p50_ns, -1),
			 series_ext(&r->baseline.p50_ns, 1),
			 r->baseline.spread);
	if (isfinite(g))
		snprintf(gap, len, "%.1f %%", g);
}

static void emit_md(FILE *f, const char *who, const char *msg)
{
	fprintf(f, "- **%s**: %s\n", who, msg);
}

static void emit_term(FILE *f, const char *who, const char *msg)
{
	fprintf(f, "  warning: %s: %s\n", who, msg);
}

void report_quality_md(FILE *f, const struct runset *rs)
{
	char who[160], pr[96], st[96], re[96], ba[96], ga[96], raw[32], net[32];
	size_t i, k, rows = 0, nw = 0;

	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];

		if (!has_quality(r))
			continue;
		if (!rows++)
			fputs("## Measurement quality\n\n"
			      "Probes: requests with every stamp; stamp cost: one ordered stamp, client / shadow; "
			      "residual: net total p50 over unprobed total p50, − 1 (warned past ±10 %); "
			      "baseline: the cache-line ping-pong after each sample (drift warned past a spread of 1.25); "
			      "wall gap: the client's wall time against the sum of the totals, per sample (warned past 5 %). "
			      "Sample numbers (#i) count from 0.\n\n"
			      "| result | probes | stamp cost | residual | baseline p50 | wall gap max | interference |\n"
			      "|---|---|--:|--:|---|--:|---|\n", f);
		label(who, sizeof(who), r);
		fields(r, pr, st, re, ba, ga, sizeof(pr));
		fprintf(f, "| %s | %s | %s | %s | %s | %s | %s |\n", who, pr, st, re,
			ba, ga, !r->intf.has ? "—" : r->intf.nsamples ?
			"**yes**" : "none");
	}
	if (!rows)
		return;
	fputs("\n", f);
	for (i = 0; i < rs->n; i++)
		nw += warnings(&rs->r[i], emit_md, NULL);
	if (nw)
		fputs("Warnings:\n\n", f);
	for (i = 0; i < rs->n && nw; i++)
		warnings(&rs->r[i], emit_md, f);
	if (nw)
		fputs("\n", f);
	rows = 0;
	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];

		if (!r->nnet)
			continue;
		if (!rows++)
			fputs("### Raw and net phases (p50 ns)\n\n"
			      "Net: the raw value less the stamp intervals inside the phase times the stamp cost; "
			      "the phases other than total come from the probed requests.\n\n"
			      "| result | total raw | total net | queue raw | queue net | memsync raw | memsync net | notify raw | notify net | service raw | service net |\n"
			      "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n", f);
		label(who, sizeof(who), r);
		fprintf(f, "| %s |", who);
		for (k = 0; k < sizeof(net_phases) / sizeof(net_phases[0]); k++) {
			cell(raw, sizeof(raw), result_phase(r, scf_phase_names[net_phases[k]]));
			cell(net, sizeof(net), result_net_phase(r, scf_phase_names[net_phases[k]]));
			fprintf(f, " %s | %s |", raw, net);
		}
		fputs("\n", f);
	}
	if (rows)
		fputs("\n", f);
}

void report_quality_terminal(FILE *f, const struct runset *rs)
{
	char who[160], pr[96], st[96], re[96], ba[96], ga[96], raw[32], net[32];
	size_t i, k;

	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];

		if (!has_quality(r))
			continue;
		label(who, sizeof(who), r);
		fields(r, pr, st, re, ba, ga, sizeof(pr));
		fprintf(f, "%s: probes %s, stamp %s, residual %s, baseline %s, wall gap max %s, interference %s\n",
			who, pr, st, re, ba, ga, !r->intf.has ? "not recorded" :
			r->intf.nsamples ? "yes" : "none");
		if (r->nnet) {
			fputs("  p50 raw/net ns:", f);
			for (k = 0; k < sizeof(net_phases) / sizeof(net_phases[0]); k++) {
				cell(raw, sizeof(raw), result_phase(r, scf_phase_names[net_phases[k]]));
				cell(net, sizeof(net), result_net_phase(r, scf_phase_names[net_phases[k]]));
				fprintf(f, " %s %s/%s", scf_phase_names[net_phases[k]], raw, net);
			}
			fputs("\n", f);
		}
		warnings(r, emit_term, f);
	}
}
