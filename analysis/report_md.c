// SPDX-License-Identifier: MIT
/*
 * report_md.c - report.md for one run: context, warnings, the peers
 * side-by-side table, summary tables, and the plots embedded.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "replicas.h"
#include "report.h"
#include "sidebyside.h"

static const char *const sec_title[SEC_COUNT] = {
	[SEC_BREAKDOWN] = "Phase breakdown",
	[SEC_CDF] = "Distribution of total latency",
	[SEC_PAYLOAD] = "Payload sweep",
	[SEC_SAMPLES] = "Per-sample means",
	[SEC_HIST] = "Histograms per workload and phase",
	[SEC_DESIGN] = "Design space",
};

/* A number of ns for a table cell; "—" when there is none. */
static void ns(FILE *f, double v)
{
	if (!isfinite(v))
		fputs(" — |", f);
	else if (fabs(v) >= 100)
		fprintf(f, " %.0f |", v);
	else
		fprintf(f, " %.1f |", v);
}

static void context(FILE *f, const struct runset *rs)
{
	const struct result *r = &rs->r[0];
	const json_t *c = r->context;
	const char *s;
	json_t *v;

	fputs("## Run\n\n| | |\n|---|---|\n", f);
	s = result_ctx_str(r, "commit");
	fprintf(f, "| commit | %s%s |\n", s ? s : "—",
		json_is_true(json_object_get(c, "dirty")) ? " (dirty tree)" : "");
	fprintf(f, "| host | %s |\n", (s = result_ctx_str(r, "host")) ? s : rs->host);
	if ((s = result_ctx_str(r, "kernel")))
		fprintf(f, "| kernel | %s |\n", s);
	if ((s = result_ctx_str(r, "cpu_model")))
		fprintf(f, "| CPU | %s |\n", s);
	v = json_object_get(c, "tsc_hz");
	if (json_is_number(v))
		fprintf(f, "| TSC | %.3f GHz%s |\n", json_number_value(v) / 1e9,
			json_is_false(json_object_get(c, "tsc_invariant")) ?
			", **not invariant**" : ", invariant");
	v = json_object_get(c, "tsc_skew_ns");
	if (json_is_number(v))
		fprintf(f, "| TSC skew client↔shadow | %.1f ns |\n", json_number_value(v));
	if (json_is_integer(json_object_get(c, "client_cpu")))
		fprintf(f, "| CPUs | client %lld, shadow %lld |\n",
			(long long)json_integer_value(json_object_get(c, "client_cpu")),
			(long long)json_integer_value(json_object_get(c, "shadow_cpu")));
	if ((s = result_ctx_str(r, "start")))
		fprintf(f, "| first file started | %s |\n", s);
	fprintf(f, "| result files | %zu |\n\n", rs->n);
}

static void warnings(FILE *f, const struct runset *rs)
{
	size_t i, j, n = 0;
	const json_t *w;

	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];

		json_array_foreach(r->warnings, j, w) {
			if (!n++)
				fputs("## Warnings\n\n", f);
			fprintf(f, "- %s/%s: %s\n", r->dir, r->name, json_string_value(w));
		}
		if (isfinite(r->identity_violations) && r->identity_violations > 0) {
			if (!n++)
				fputs("## Warnings\n\n", f);
			fprintf(f, "- %s/%s: %.0f of %.0f requests break total = queue + memsync + notify + service\n",
				r->dir, r->name, r->identity_violations, r->identity_checked);
		}
	}
	if (n)
		fputs("\n", f);
}

static void summary(FILE *f, const struct runset *rs)
{
	size_t i;

	fputs("## Total latency (ns)\n\n"
	      "Exact percentiles over every request of every sample.\n\n"
	      "| variant | backend | workload | samples × cycles | p50 | p90 | p99 | p99.9 | max | mean | below 0 | CPU client/req | CPU shadow/req |\n"
	      "|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n", f);
	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];
		const struct phase *t = result_phase(r, "total");

		if (result_is_payload(r))
			continue;
		fprintf(f, "| %s | %s%s | %s | %lld × %lld |", r->dir, r->cfg.backend,
			r->cfg.emulated ? " (emulated)" : "", r->name,
			(long long)r->cfg.samples, (long long)r->cfg.cycles);
		ns(f, t->p50_ns);
		ns(f, t->p90_ns);
		ns(f, t->p99_ns);
		ns(f, t->p999_ns);
		ns(f, t->max_ns);
		ns(f, t->mean_ns);
		fprintf(f, " %.0f |", t->negative);
		ns(f, r->cpu_client_ns);
		ns(f, r->cpu_shadow_ns);
		fputs("\n", f);
	}
	fputs("\n", f);
}

static void breakdown(FILE *f, const struct runset *rs)
{
	static const enum scf_phase extra[] = {
		PH_NOTIFY_REQ, PH_NOTIFY_RSP, PH_KICK_REQ, PH_KICK_RSP,
	};
	size_t i, k, rows = 0;

	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];
		double sum = 0;

		for (k = 0; k < 4; k++)
			if (!result_phase(r, scf_phase_names[report_breakdown_phases[k]]))
				break;
		if (k < 4 || result_is_payload(r))
			continue;
		if (!rows++)
			fputs("Mean ns per phase; p50 in parentheses.  queue + memsync + notify + service = total holds for the means.\n\n"
			      "| variant | workload | queue | memsync | notify | service | sum | total | notify_req | notify_rsp | kick_req | kick_rsp |\n"
			      "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n", f);
		fprintf(f, "| %s | %s |", r->dir, r->name);
		for (k = 0; k < 4; k++) {
			const struct phase *p = result_phase(r, scf_phase_names[report_breakdown_phases[k]]);

			fprintf(f, " %.0f (%.0f) |", p->mean_ns, p->p50_ns);
			sum += p->mean_ns;
		}
		ns(f, sum);
		ns(f, result_phase(r, "total")->mean_ns);
		for (k = 0; k < 4; k++) {
			const struct phase *p = result_phase(r, scf_phase_names[extra[k]]);

			ns(f, p ? p->mean_ns : NAN);
		}
		fputs("\n", f);
	}
	if (rows)
		fputs("\n", f);
}

static void payload_table(FILE *f, const struct runset *rs)
{
	size_t i, rows = 0;

	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];
		const struct phase *t = result_phase(r, "total");
		const struct phase *m = result_phase(r, "memsync");

		if (!result_is_payload(r) || result_is_peer(r))
			continue;
		if (!rows++)
			fputs("| variant | memsync | bytes | total p50 | total p99 | memsync p50 |\n"
			      "|---|---|--:|--:|--:|--:|\n", f);
		fprintf(f, "| %s | %s | %lld |", r->dir, r->cfg.memsync,
			(long long)r->cfg.payload);
		ns(f, t->p50_ns);
		ns(f, t->p99_ns);
		ns(f, m ? m->p50_ns : NAN);
		fputs("\n", f);
	}
	if (rows)
		fputs("\n", f);
}

/*
 * Every configuration's replicas: each one's p50, the spread between them
 * against the spread within one, and a warning where the processes
 * differ more than their own samples do (replicas.h).
 */
static void replicas_table(FILE *f, const struct runset *rs)
{
	size_t i, k, rows = 0, warn = 0;

	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];
		double between, within, v[REPLICAS_MAX];

		if (r->nrep < 2)
			continue;
		if (!rows++)
			fputs("## Replicas\n\nEach configuration ran in several "
			      "identical processes (`make bench REPLICAS=`); "
			      "between: max − min of their p50s, within: the "
			      "median over them of max − min of one process's "
			      "sample p50s, both in % of the median.\n\n"
			      "| result | replica p50s ns | median | between | within | |\n"
			      "|---|---|--:|--:|--:|---|\n", f);
		replica_spread(r, "total", &between, &within);
		fprintf(f, "| %s/%s |", r->dir, r->name);
		for (k = 0; k < r->nrep; k++) {
			const struct phase *t = result_phase(&r->rep[k], "total");

			fprintf(f, " %.0f", t ? t->p50_ns : NAN);
		}
		k = replica_values(r, "total", v, REPLICAS_MAX);
		fprintf(f, " | %.0f | %.1f %% | %.1f %% | %s |\n",
			median_of(v, k), between, within,
			between > within ? "**processes differ more than "
			"their samples**" : "");
		warn += between > within;
	}
	if (rows)
		fprintf(f, "\n%zu of %zu configurations have a between-replica "
			"spread past their within-replica spread: where they "
			"do, a single process's numbers would carry its own "
			"level.\n\n", warn, rows);
}

/*
 * The first table: SCF beside native, io_uring and its own raw notification
 * round trip, for null and write (analysis/sidebyside.c).
 */
static void side_by_side(FILE *f, const struct runset *rs)
{
	if (sbs_print(f, rs->dir, SBS_MARKDOWN))
		fputs("## Side by side\n\n> note: skipped, no side-by-side "
		      "table could be made from this run.\n\n", f);
}

void report_md(FILE *f, const struct runset *rs,
	       const struct report_items *items)
{
	char *commit = xstrdup(rs->dir);
	char *slash;
	size_t i, files = 0;

	/* results/<commit>/<host>: name the commit directory */
	while ((slash = strrchr(commit, '/')) && slash[1] == '\0')
		*slash = '\0';
	if ((slash = strrchr(commit, '/')))
		*slash = '\0';
	{
		char *c = path_base(commit);

		free(commit);
		commit = c;
	}
	fprintf(f, "# scf-bench report: %s on %s\n\n", commit, rs->host);
	for (i = 0; i < rs->n; i++)
		files += rs->r[i].nrep ? rs->r[i].nrep : 1;
	fprintf(f, "Written by `scf-report` from the %zu result files under `%s`",
		files, rs->dir);
	if (files != rs->n)
		fprintf(f, " (%zu configurations, each pooling its replicas: "
			"every call counted, every ratio over replica medians)",
			rs->n);
	fprintf(f, "; `make report COMMIT=%s` writes it again from them without "
		"running anything.\n\n", commit);
	free(commit);
	if (rs->incomplete)
		fprintf(f, "**INCOMPLETE run**: %s.  Results may be missing, and "
			"those here may be from a run that failed.\n\n",
			rs->incomplete);
	side_by_side(f, rs);	/* the first table, by design */
	replicas_table(f, rs);
	context(f, rs);
	warnings(f, rs);
	report_quality_md(f, rs);
	summary(f, rs);
	report_ipi(f, rs);
	report_design_md(f, rs, items);
	fprintf(f, "## %s\n\n", sec_title[SEC_BREAKDOWN]);
	breakdown(f, rs);
	report_embed(f, items, SEC_BREAKDOWN);
	report_counters(f, rs);
	report_tail(f, rs);
	fprintf(f, "## %s\n\n", sec_title[SEC_CDF]);
	report_embed(f, items, SEC_CDF);
	fprintf(f, "## %s\n\n", sec_title[SEC_PAYLOAD]);
	payload_table(f, rs);
	report_embed(f, items, SEC_PAYLOAD);
	fprintf(f, "## %s\n\n", sec_title[SEC_SAMPLES]);
	report_embed(f, items, SEC_SAMPLES);
	fprintf(f, "## %s\n\n", sec_title[SEC_HIST]);
	report_embed(f, items, SEC_HIST);
}
