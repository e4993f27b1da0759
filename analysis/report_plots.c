// SPDX-License-Identifier: MIT
/*
 * report_plots.c - the plots of one run: per-workload phase histograms,
 * CDFs of total, the phase breakdown, the payload sweep and the
 * per-sample means of write.  Each plot is skipped, with a note, when the
 * run lacks its data.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

const enum scf_phase report_breakdown_phases[4] = {
	PH_QUEUE, PH_MEMSYNC, PH_NOTIFY, PH_SERVICE,
};

/* Phases drawn in a workload's histogram, when the file has them. */
static const enum scf_phase hist_phases[] = {
	PH_TOTAL, PH_QUEUE, PH_MEMSYNC, PH_NOTIFY, PH_SERVICE,
};

char *result_label(const struct result *r)
{
	return xasprintf("%s/%s", r->dir, r->cfg.backend);
}

static void plot_hist(const struct result *r, struct plotter *p,
		      struct report_items *items)
{
	char *data, *name, *caption, *params, *qt, *qd;
	char phases[128] = "", extra[128] = "";
	unsigned long long under = 0, over = 0;
	double bucket_ns = 0;
	FILE *f;
	size_t i;

	caption = xasprintf("%s, %s: histogram per phase", r->dir, r->name);
	f = plot_data(p, &data);
	if (!f) {
		report_item_add(items, SEC_HIST, NULL, "%s: cannot write plot data", caption);
		free(caption);
		return;
	}
	for (i = 0; i < sizeof(hist_phases) / sizeof(hist_phases[0]); i++) {
		const struct phase *ph = result_phase(r, scf_phase_names[hist_phases[i]]);

		if (!ph || !ph->hist)
			continue;
		plot_write_hist(f, ph->hist);
		bucket_ns = ph->hist->bucket_ns;
		under += ph->hist->underflow;
		over += ph->hist->overflow;
		strcat(phases, phases[0] ? " " : "");
		strcat(phases, scf_phase_names[hist_phases[i]]);
	}
	fclose(f);
	if (!phases[0]) {
		report_item_add(items, SEC_HIST, NULL, "%s: skipped, the file has no histogram",
		    caption);
		goto out;
	}
	if (under || over)
		snprintf(extra, sizeof(extra), " (%llu below 0, %llu past the range, not drawn)",
			 under, over);
	name = file_safe(r->dir);
	{
		char *n2 = file_safe(r->name);
		char *full = xasprintf("hist-%s-%s", name, n2);

		free(name);
		free(n2);
		name = full;
	}
	qt = xasprintf("%s %s (%s), %lld x %lld, bucket %g ns%s", r->dir, r->name,
		       r->cfg.backend, (long long)r->cfg.samples,
		       (long long)r->cfg.cycles, bucket_ns, extra);
	{
		char *q = gp_quote(qt);

		free(qt);
		qt = q;
	}
	qd = gp_quote(data);
	params = xasprintf("datafile='%s'; phases='%s'; title='%s'; bucket=%.17g",
			   qd, phases, qt, bucket_ns);
	report_draw(items, p, SEC_HIST, "hist", name, caption, params);
	free(params);
	free(qd);
	free(qt);
	free(name);
out:
	free(caption);
	free(data);
}

/* The quantiles a CDF marks, each with its own point type (cdf.gp). */
static const struct {
	const char *label;
	double q;
	int pt;
} cdf_marks[] = { { "p50", 0.5, 7 }, { "p99", 0.99, 5 }, { "p99.9", 0.999, 9 } };

static double cdf_mark_ns(const struct phase *ph, size_t i)
{
	return i == 0 ? ph->p50_ns : i == 1 ? ph->p99_ns : ph->p999_ns;
}

/*
 * One CDF curve from h into data, its marks into marks.  The marks carry
 * no text: their values go into the curve's key entry (cdf_title), where
 * they cannot overlap whatever the curves do.
 */
static void cdf_curve(FILE *data, FILE *marks, const struct phase *ph)
{
	const struct hist *h = ph->hist;
	double cum = (double)h->underflow, n = (double)h->total;
	size_t i;

	for (i = 0; i < h->n; i++) {
		cum += (double)h->count[i];
		/* the curve ends below F = 1, where the stretched axis ends */
		if (cum / n > 0.99995)
			break;
		fprintf(data, "%.17g %.17g\n",
			(double)(h->bucket[i] + 1) * h->bucket_ns, cum / n);
	}
	fprintf(data, "\n\n");
	for (i = 0; i < sizeof(cdf_marks) / sizeof(cdf_marks[0]); i++) {
		double v = cdf_mark_ns(ph, i);

		if (isfinite(v) && v > 0)
			fprintf(marks, "%.17g %g %d\n", v, cdf_marks[i].q,
				cdf_marks[i].pt);
	}
	fprintf(marks, "\n\n");
}

/* "label   p50 471  p99 641  p99.9 4208 ns", quoted as one gnuplot word. */
static char *cdf_title(const char *label, bool emulated,
		       const struct phase *ph)
{
	char *t = xasprintf("\"%s%s ", label, emulated ? " (emulated)" : ""), *c;
	size_t i;

	for (c = t + 1; *c; c++)
		if (*c == '"' || *c == '\'' || *c == '\\')
			*c = '_';
	for (i = 0; i < sizeof(cdf_marks) / sizeof(cdf_marks[0]); i++) {
		double v = cdf_mark_ns(ph, i);

		c = isfinite(v) ? xasprintf("%s  %s %.0f", t, cdf_marks[i].label, v) :
			xasprintf("%s  %s n/a", t, cdf_marks[i].label);
		free(t);
		t = c;
	}
	c = xasprintf("%s ns\"", t);
	free(t);
	return c;
}

/*
 * CDF of total for one workload across the variants (or, for the peers,
 * across the peer workloads).  want(r) selects the curves.
 */
static void plot_cdf(const struct runset *rs, struct plotter *p,
		     struct report_items *items, const char *workload,
		     int peers)
{
	char *data, *marks, *caption, *name, *params, *qd, *qm, *qt;
	char *curves = xstrdup("");
	size_t i, n = 0, skipped = 0;
	FILE *fd, *fm;

	caption = peers ? xstrdup("peer baselines: CDF of total") :
		  xasprintf("%s: CDF of total per variant and backend", workload);
	fd = plot_data(p, &data);
	fm = plot_data(p, &marks);
	if (!fd || !fm) {
		report_item_add(items, SEC_CDF, NULL, "%s: cannot write plot data", caption);
		goto out;
	}
	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];
		const struct phase *ph = result_phase(r, "total");
		char *label, *title, *c;

		if (peers ? !result_is_peer(r) :
		    (result_is_peer(r) || strcmp(r->name, workload)))
			continue;
		if (!ph->hist || !ph->hist->total) {
			skipped++;
			continue;
		}
		cdf_curve(fd, fm, ph);
		label = peers ? xasprintf("%s/%s", r->name, r->cfg.backend) :
			result_label(r);
		title = cdf_title(label, r->cfg.emulated, ph);
		c = xasprintf("%s%s%s", curves, n ? " " : "", title);
		free(curves);
		free(title);
		free(label);
		curves = c;
		n++;
	}
	fclose(fd);
	fclose(fm);
	fd = fm = NULL;
	if (!n) {
		report_item_add(items, SEC_CDF, NULL, "%s: skipped, no histogram of total",
		    caption);
		goto out;
	}
	{
		char *w = file_safe(workload);

		name = xasprintf("cdf-%s", w);
		free(w);
	}
	qd = gp_quote(data);
	qm = gp_quote(marks);
	qt = gp_quote(caption);
	params = xasprintf("datafile='%s'; markfile='%s'; curves='%s'; title='%s'",
			   qd, qm, curves, qt);
	report_draw(items, p, SEC_CDF, "cdf", name, caption, params);
	if (skipped)
		report_item_add(items, SEC_CDF, NULL, "%s: %zu file(s) without a histogram of total left out",
		    caption, skipped);
	free(params);
	free(qd);
	free(qm);
	free(qt);
	free(name);
out:
	if (fd)
		fclose(fd);
	if (fm)
		fclose(fm);
	free(caption);
	free(data);
	free(marks);
	free(curves);
}

static int has_breakdown(const struct result *r)
{
	size_t i;

	for (i = 0; i < 4; i++)
		if (!result_phase(r, scf_phase_names[report_breakdown_phases[i]]))
			return 0;
	return 1;
}

/* "12 ns", "340 us", "12 ms": short enough for a bar's label. */
static char *short_ns(double ns)
{
	if (!isfinite(ns))
		return xstrdup("n/a");
	if (ns < 1e4)
		return xasprintf("%.0f ns", ns);
	if (ns < 1e7)
		return xasprintf("%.0f us", ns / 1e3);
	return xasprintf("%.0f ms", ns / 1e6);
}

/*
 * One bar: each phase's share of the four phases' summed means, in
 * percent, so that every workload fills the same height however long it
 * takes; the label carries the mean total that the shares divide.
 */
static void breakdown_row(FILE *f, const struct result *r)
{
	double mean[4], sum = 0;
	char *total = short_ns(result_phase(r, "total")->mean_ns);
	size_t k;

	for (k = 0; k < 4; k++) {
		mean[k] = result_phase(r, scf_phase_names[report_breakdown_phases[k]])->mean_ns;
		/* a phase skewed below zero adds nothing to a share */
		sum += isfinite(mean[k]) && mean[k] > 0 ? mean[k] : 0;
	}
	fprintf(f, "\"%s %s%s, %s\"", r->name, r->dir,
		r->cfg.emulated ? " (emulated)" : "", total);
	for (k = 0; k < 4; k++)
		fprintf(f, " %.17g", sum > 0 && isfinite(mean[k]) && mean[k] > 0 ?
			100 * mean[k] / sum : 0.0);
	fprintf(f, "\n");
	free(total);
}

static void plot_breakdown(const struct runset *rs, struct plotter *p,
			   struct report_items *items)
{
	const char *caption = "phase breakdown (mean ns) per variant and workload";
	char *data, *qd, *params;
	const char *last = NULL;
	size_t i, j, rows = 0;
	FILE *f = plot_data(p, &data);

	if (!f) {
		report_item_add(items, SEC_BREAKDOWN, NULL, "%s: cannot write plot data", caption);
		free(data);
		return;
	}
	/* group by workload: null, write, others; variants in runset order */
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < rs->n; i++) {
			const struct result *w = &rs->r[i];
			int first = 1;

			if (result_is_peer(w) || result_is_payload(w) ||
			    !has_breakdown(w))
				continue;
			/* pass 0: null and write; pass 1: the rest */
			if ((pass == 0) != (!strcmp(w->name, "null") ||
					    !strcmp(w->name, "write")))
				continue;
			for (j = 0; j < i; j++)
				if (!strcmp(rs->r[j].name, w->name) &&
				    has_breakdown(&rs->r[j]) && !result_is_peer(&rs->r[j]))
					first = 0;
			if (!first)
				continue;
			if (last)
				fprintf(f, "\"\" 0 0 0 0\n");
			last = w->name;
			for (j = 0; j < rs->n; j++) {
				const struct result *r = &rs->r[j];

				if (strcmp(r->name, w->name) || result_is_peer(r) ||
				    !has_breakdown(r))
					continue;
				breakdown_row(f, r);
				rows++;
			}
		}
	}
	fclose(f);
	if (!rows) {
		report_item_add(items, SEC_BREAKDOWN, NULL,
		    "%s: skipped, no workload has the queue/memsync/notify/service phases (probes off?)",
		    caption);
		free(data);
		return;
	}
	qd = gp_quote(data);
	params = xasprintf("datafile='%s'; title='%s'", qd, caption);
	report_draw(items, p, SEC_BREAKDOWN, "breakdown", "breakdown", caption, params);
	free(params);
	free(qd);
	free(data);
}

static void plot_payload(const struct runset *rs, struct plotter *p,
			 struct report_items *items)
{
	const char *caption = "payload sweep: total latency against size, copy against map";
	char *data, *qd, *params, *series = xstrdup("");
	const struct result *prev = NULL;
	size_t i, n = 0;
	FILE *f = plot_data(p, &data);

	if (!f) {
		report_item_add(items, SEC_PAYLOAD, NULL, "%s: cannot write plot data", caption);
		goto out;
	}
	/* the runset order groups payload files by variant, memsync, size */
	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];
		const struct phase *t = result_phase(r, "total");

		if (!result_is_payload(r) || result_is_peer(r))
			continue;
		if (!prev || strcmp(prev->dir, r->dir) ||
		    strcmp(prev->cfg.memsync, r->cfg.memsync)) {
			char *s = xasprintf("%s%s%s/%s", series, n ? " " : "",
					    r->dir, r->cfg.memsync);

			if (n)
				fprintf(f, "\n\n");
			free(series);
			series = s;
			n++;
		}
		fprintf(f, "%lld %.17g %.17g\n", (long long)r->cfg.payload,
			t->p50_ns, t->p99_ns);
		prev = r;
	}
	if (n)
		fprintf(f, "\n\n");
	fclose(f);
	if (!n) {
		report_item_add(items, SEC_PAYLOAD, NULL,
		    "%s: skipped, the run has no payload-<memsync>-<bytes> workloads",
		    caption);
		goto out;
	}
	qd = gp_quote(data);
	params = xasprintf("datafile='%s'; series='%s'; title='%s'", qd, series,
			   caption);
	report_draw(items, p, SEC_PAYLOAD, "payload", "payload", caption, params);
	free(params);
	free(qd);
out:
	free(series);
	free(data);
}

static void plot_samples(const struct runset *rs, struct plotter *p,
			 struct report_items *items, const char *workload)
{
	char *data, *qd, *params, *caption, *name, *title, *qt;
	char *series = xstrdup("");
	size_t i, j, n = 0;
	long long cycles = 0;
	FILE *f;

	caption = xasprintf("%s: per-sample means of total", workload);
	f = plot_data(p, &data);
	if (!f) {
		report_item_add(items, SEC_SAMPLES, NULL, "%s: cannot write plot data", caption);
		goto out;
	}
	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];
		char *s, *label;

		if (result_is_peer(r) || strcmp(r->name, workload) ||
		    !r->samples_ns.n)
			continue;
		for (j = 0; j < r->samples_ns.n; j++)
			fprintf(f, "%zu %.17g\n", j + 1, r->samples_ns.v[j]);
		fprintf(f, "\n\n");
		label = result_label(r);
		s = xasprintf("%s%s%s", series, n ? " " : "", label);
		free(label);
		free(series);
		series = s;
		cycles = (long long)r->cfg.cycles;
		n++;
	}
	fclose(f);
	if (!n) {
		report_item_add(items, SEC_SAMPLES, NULL, "%s: skipped, the run has no %s workload with samples_ns",
		    caption, workload);
		goto out;
	}
	name = xasprintf("samples-%s", workload);
	title = xasprintf("%s: mean of each sample of %lld calls", workload, cycles);
	qt = gp_quote(title);
	qd = gp_quote(data);
	params = xasprintf("datafile='%s'; series='%s'; title='%s'", qd, series, qt);
	report_draw(items, p, SEC_SAMPLES, "samples", name, caption, params);
	free(params);
	free(qd);
	free(qt);
	free(title);
	free(name);
out:
	free(caption);
	free(series);
	free(data);
}

void report_plots(const struct runset *rs, struct plotter *p,
		  struct report_items *items)
{
	size_t i, j;
	int peers = 0;

	if (!p->gnuplot) {
		report_item_add(items, SEC_BREAKDOWN, NULL,
		    "no plots: gnuplot is not installed (apt-get install gnuplot-nox)");
		return;
	}
	plot_breakdown(rs, p, items);
	/* one CDF per workload that a variant ran (payload sizes excluded) */
	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];
		int seen = 0;

		if (result_is_peer(r)) {
			peers = 1;
			continue;
		}
		if (result_is_payload(r))
			continue;
		for (j = 0; j < i; j++)
			if (!result_is_peer(&rs->r[j]) && !strcmp(rs->r[j].name, r->name))
				seen = 1;
		if (!seen)
			plot_cdf(rs, p, items, r->name, 0);
	}
	if (peers)
		plot_cdf(rs, p, items, "peers", 1);
	plot_payload(rs, p, items);
	report_design_plots(rs, p, items);
	plot_samples(rs, p, items, "write");
	for (i = 0; i < rs->n; i++)
		plot_hist(&rs->r[i], p, items);
}
