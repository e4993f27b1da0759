// SPDX-License-Identifier: MIT
/* compare_out.c - the comparison as a table, as compare.json, as plots. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "plot.h"

static void pct(FILE *f, double d)
{
	if (isfinite(d))
		fprintf(f, " %+7.1f%%", d);
	else
		fprintf(f, " %8s", "n/a");
}

/* ns with one decimal; a counter per request with four digits. */
static void val2(FILE *f, const struct phase *p, double b, double h)
{
	if (p->counter)
		fprintf(f, " %10.4g %10.4g", b, h);
	else
		fprintf(f, " %10.1f %10.1f", b, h);
}

void compare_print(FILE *f, const struct comparison *c, const char *base_name,
		   const char *head_name)
{
	size_t i, notes = 0;

	fprintf(f, "host %s: BASE %s, HEAD %s: a verdict needs U test p < %g and a p50 change > %g %% of the phase, > %g %% of total p50 and > %g ns\n",
		c->host, base_name, head_name, c->alpha, c->threshold,
		c->threshold, c->min_ns);
	fprintf(f, "counter rows (<side> <event>/req, per-sample values per request): U test p < %g and a p50 change > %g %%; never normalized nor set aside as machine changed\n",
		c->alpha, c->threshold);
	if (c->normalize)
		fprintf(f, "normalized: each sample's value over the baseline of that sample; p50 columns are the ratios' medians times BASE's baseline (ns at BASE's machine speed)\n");
	fprintf(f, "replica rows (n = replicas a side, marked r): one value per process, its p50 (a counter: its per-request value); the p50s are the replicas' medians, p99 of every call pooled; detects: the smallest slowdown the row could have flagged\n");
	fprintf(f, "%-14s %-10s %-12s %-11s %10s %10s %9s %9s %10s %10s %9s %7s %9s %8s  %s\n",
		"variant", "backend", "workload", "phase", "p50 base", "p50 head",
		"p50", "of total", "p99 base", "p99 head", "p99", "n", "p-value",
		"detects", "verdict");
	for (i = 0; i < c->nrows; i++) {
		const struct cmp_row *r = &c->rows[i];
		bool norm = (c->normalize && !r->bp->counter) || r->replicas;
		char n[32], det[16];

		snprintf(n, sizeof(n), "%zu/%zu%s", r->nb, r->nh, r->replicas ? "r" : "");
		if (isnan(r->detectable))
			snprintf(det, sizeof(det), "-");
		else if (isinf(r->detectable))
			snprintf(det, sizeof(det), "none");
		else
			snprintf(det, sizeof(det), "%.1f%%", r->detectable);
		fprintf(f, "%-14s %-10s %-12s %-11s", r->base->dir,
			r->base->cfg.backend, r->base->name, r->bp->name);
		val2(f, r->bp, norm ? r->n50b : r->bp->p50_ns,
		     norm ? r->n50h : r->hp->p50_ns);
		pct(f, r->d50);
		pct(f, r->d50_total);
		val2(f, r->bp, r->bp->p99_ns, r->hp->p99_ns);
		pct(f, r->d99);
		if (isfinite(r->u.p))
			fprintf(f, " %7s %9.2g %8s", n, r->u.p, det);
		else
			fprintf(f, " %7s %9s %8s", n, "-", det);
		if (r->verdict == V_MACHINE)
			fprintf(f, "  machine changed (baseline %.0f → %.0f ns)%s\n",
				r->base_line, r->head_line, r->note[0] ? " *" : "");
		else
			fprintf(f, "  %s%s\n", verdict_name(r->verdict),
				r->note[0] ? " *" : "");
		notes += r->note[0] != '\0';
	}
	if (notes) {
		/* one line per distinct note */
		for (i = 0; i < c->nrows; i++) {
			size_t j;
			int dup = 0;

			if (!c->rows[i].note[0])
				continue;
			for (j = 0; j < i && !dup; j++)
				dup = !strcmp(c->rows[j].note, c->rows[i].note);
			if (!dup)
				fprintf(f, "* %s\n", c->rows[i].note);
		}
	}
	for (i = 0; i < c->nskips; i++)
		fprintf(f, "not comparable: %s/%s: %s\n", c->skips[i].base->dir,
			c->skips[i].base->name, c->skips[i].why);
	for (i = 0; i < c->nonly; i++)
		fprintf(f, "only in %s: %s/%s\n", c->only_head[i] ? "HEAD" : "BASE",
			c->only[i]->dir, c->only[i]->name);
	fprintf(f, "host %s: %zu rows compared, %zu regressions, %zu improvements, %zu not comparable, %zu machine changed\n",
		c->host, c->nrows, c->regressions, c->improvements, c->nskips,
		c->machine_changed);
}

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *compare_json(const struct comparison *c, const char *base_name,
		     const char *head_name)
{
	json_t *doc = json_object(), *rows = json_array(), *skips = json_array();
	json_t *only = json_array();
	size_t i;

	json_object_set_new(doc, "schema", json_string(SCF_COMPARE_SCHEMA));
	json_object_set_new(doc, "base", json_string(base_name));
	json_object_set_new(doc, "head", json_string(head_name));
	json_object_set_new(doc, "host", json_string(c->host));
	json_object_set_new(doc, "threshold_pct", json_real(c->threshold));
	json_object_set_new(doc, "alpha", json_real(c->alpha));
	json_object_set_new(doc, "min_ns", json_real(c->min_ns));
	json_object_set_new(doc, "regressions", json_integer((json_int_t)c->regressions));
	json_object_set_new(doc, "improvements", json_integer((json_int_t)c->improvements));
	json_object_set_new(doc, "machine_changed", json_integer((json_int_t)c->machine_changed));
	json_object_set_new(doc, "normalize", json_boolean(c->normalize));
	for (i = 0; i < c->nrows; i++) {
		const struct cmp_row *r = &c->rows[i];
		json_t *o = json_pack("{s:s, s:s, s:s, s:s}",
				      "variant", r->base->dir,
				      "backend", r->base->cfg.backend,
				      "workload", r->base->name,
				      "phase", r->bp->name);

		json_object_set_new(o, "base", json_pack("{s:o, s:o, s:I}",
				    "p50_ns", num(r->bp->p50_ns), "p99_ns", num(r->bp->p99_ns),
				    "samples", (json_int_t)r->nb));
		json_object_set_new(o, "head", json_pack("{s:o, s:o, s:I}",
				    "p50_ns", num(r->hp->p50_ns), "p99_ns", num(r->hp->p99_ns),
				    "samples", (json_int_t)r->nh));
		json_object_set_new(o, "p50_change_pct", num(r->d50));
		json_object_set_new(o, "p99_change_pct", num(r->d99));
		json_object_set_new(o, "p50_change_pct_of_total", num(r->d50_total));
		json_object_set_new(o, "values", r->values ? json_string(r->values) : json_null());
		json_object_set_new(o, "baseline_ns", json_pack("{s:o, s:o}",
				    "base", num(r->base_line), "head", num(r->head_line)));
		json_object_set_new(o, "replicas", json_boolean(r->replicas));
		if (r->replicas)
			json_object_set_new(o, "replica_median_p50_ns", json_pack("{s:o, s:o}",
					    "base", num(r->n50b), "head", num(r->n50h)));
		/* null: untested; a string: no shift could be flagged */
		json_object_set_new(o, "smallest_detectable_pct",
				    isinf(r->detectable) ? json_string("none") :
				    num(r->detectable));
		if (c->normalize)
			json_object_set_new(o, "normalized_p50_ns", json_pack("{s:o, s:o}",
					    "base", num(r->n50b), "head", num(r->n50h)));
		if (isfinite(r->u.p)) {
			json_object_set_new(o, "u", json_real(r->u.u1));
			json_object_set_new(o, "p_value", json_real(r->u.p));
			json_object_set_new(o, "method", json_string(r->u.exact ?
					    "exact" : "normal approximation, tie and continuity corrected"));
		} else {
			json_object_set_new(o, "p_value", json_null());
		}
		json_object_set_new(o, "verdict", json_string(verdict_name(r->verdict)));
		if (r->note[0])
			json_object_set_new(o, "note", json_string(r->note));
		json_array_append_new(rows, o);
	}
	for (i = 0; i < c->nskips; i++)
		json_array_append_new(skips, json_pack("{s:s, s:s, s:s}",
				      "variant", c->skips[i].base->dir,
				      "workload", c->skips[i].base->name,
				      "differences", c->skips[i].why));
	for (i = 0; i < c->nonly; i++)
		json_array_append_new(only, json_pack("{s:s, s:s, s:s}",
				      "side", c->only_head[i] ? "head" : "base",
				      "variant", c->only[i]->dir,
				      "workload", c->only[i]->name));
	json_object_set_new(doc, "rows", rows);
	json_object_set_new(doc, "not_comparable", skips);
	json_object_set_new(doc, "only_one_side", only);
	return doc;
}

static int plot_row(struct plotter *p, const struct cmp_row *r,
		    const char *base_name, const char *head_name)
{
	const struct hist *hb = r->bp->hist, *hh = r->hp->hist;
	char *data, *name, *qd, *qt, *qb, *qh, *title, *a, *b, *c;
	const char *mode;
	FILE *f = plot_data(p, &data);
	int ret;

	if (!f) {
		snprintf(p->last_error, sizeof(p->last_error), "cannot write plot data");
		return -1;
	}
	if (hb && hh && hb->total && hh->total) {
		mode = "hist";
		plot_write_hist(f, hb);
		plot_write_hist(f, hh);
	} else {
		const struct series *s[2] = {
			r->values && !strcmp(r->values, "sample_p50_ns") ? &r->bp->sample_p50 :
			r->values && !strcmp(r->values, "sample_means_ns") ? &r->bp->sample_means :
			&r->base->samples_ns,
			r->values && !strcmp(r->values, "sample_p50_ns") ? &r->hp->sample_p50 :
			r->values && !strcmp(r->values, "sample_means_ns") ? &r->hp->sample_means :
			&r->head->samples_ns,
		};

		mode = "samples";
		for (int k = 0; k < 2; k++) {
			for (size_t i = 0; i < s[k]->n; i++)
				fprintf(f, "%zu %.17g\n", i + 1, s[k]->v[i]);
			fprintf(f, "%s\n\n", s[k]->n ? "" : "0 0\n");
		}
	}
	fclose(f);
	a = file_safe(r->base->dir);
	b = file_safe(r->base->name);
	c = file_safe(r->bp->name);
	name = xasprintf("compare-%s-%s-%s", a, b, c);
	title = xasprintf("%s %s %s: %s %+.1f%% p50 (p = %.2g)", r->base->dir,
			  r->base->name, r->bp->name, verdict_name(r->verdict),
			  r->d50, r->u.p);
	qd = gp_quote(data);
	qt = gp_quote(title);
	free(title);
	title = xasprintf("BASE %s", base_name);
	qb = gp_quote(title);
	free(title);
	title = xasprintf("HEAD %s", head_name);
	qh = gp_quote(title);
	ret = plot_draw(p, "compare", name, "datafile='%s'; title='%s'; base='%s'; head='%s'; mode='%s'",
			qd, qt, qb, qh, mode);
	free(a);
	free(b);
	free(c);
	free(name);
	free(title);
	free(qd);
	free(qt);
	free(qb);
	free(qh);
	free(data);
	return ret;
}

int compare_plots(const struct comparison *c, const char *plots_dir,
		  const char *base_name, const char *head_name, FILE *log)
{
	struct plotter p;
	struct aerr e;
	size_t i, moved = 0;
	int failed = 0;

	for (i = 0; i < c->nrows; i++)
		moved += c->rows[i].verdict == V_REGRESSION ||
			 c->rows[i].verdict == V_IMPROVEMENT;
	if (!moved)
		return 0;
	if (plotter_open(&p, plots_dir, &e)) {
		fprintf(log, "scf-compare: %s\n", e.msg);
		return 1;
	}
	if (!p.gnuplot) {
		fprintf(log, "scf-compare: note: gnuplot is not installed, no BASE-vs-HEAD plots\n");
		plotter_close(&p);
		return 0;
	}
	for (i = 0; i < c->nrows; i++) {
		const struct cmp_row *r = &c->rows[i];

		if (r->verdict != V_REGRESSION && r->verdict != V_IMPROVEMENT)
			continue;
		if (plot_row(&p, r, base_name, head_name)) {
			fprintf(log, "scf-compare: %s/%s %s: plot not drawn: %s\n",
				r->base->dir, r->base->name, r->bp->name, p.last_error);
			failed++;
		}
	}
	if (moved > (size_t)failed)
		fprintf(log, "scf-compare: %zu BASE-vs-HEAD plots in %s/compare-*.png\n",
			moved - (size_t)failed, plots_dir);
	plotter_close(&p);
	return failed;
}
