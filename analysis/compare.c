// SPDX-License-Identifier: MIT
/* compare.c - BASE against HEAD for one host (see compare.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "hist.h"
#include "replicas.h"

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_REGRESSION:
		return "regression";
	case V_IMPROVEMENT:
		return "improvement";
	case V_UNTESTED:
		return "untested";
	case V_MACHINE:
		return "machine changed";
	default:
		return "none";
	}
}

static void why_add(char *why, size_t len, const char *field, const char *b,
		    const char *h)
{
	size_t used = strlen(why);

	snprintf(why + used, len - used, "%s%s %s -> %s", used ? "; " : "",
		 field, b, h);
}

/* Configurations that must match for a comparison to mean anything. */
static int config_differs(const struct config *b, const struct config *h,
			  char *why, size_t len)
{
	char x[32], y[32];

	why[0] = '\0';
#define CMP_INT(f) do { if (b->f != h->f) { \
		snprintf(x, sizeof(x), "%lld", (long long)b->f); \
		snprintf(y, sizeof(y), "%lld", (long long)h->f); \
		why_add(why, len, #f, x, y); } } while (0)
#define CMP_STR(f) do { if (strcmp(b->f, h->f)) why_add(why, len, #f, b->f, h->f); } while (0)
	CMP_STR(variant);
	CMP_STR(backend);
	CMP_INT(samples);
	CMP_INT(cycles);
	CMP_INT(payload);
	CMP_STR(memsync);
	CMP_STR(ring);
	if (b->probes != h->probes)
		why_add(why, len, "probes", b->probes ? "true" : "false",
			h->probes ? "true" : "false");
#undef CMP_INT
#undef CMP_STR
	return why[0] != '\0';
}

static double change(double b, double h)
{
	if (!isfinite(b) || !isfinite(h))
		return NAN;
	if (b == 0)
		return h == 0 ? 0 : NAN;
	return (h - b) / fabs(b) * 100;
}

/* The per-sample values of a phase: its name, and the two series. */
static const char *pick_values(const struct result *rb, const struct phase *b,
			       const struct result *rh, const struct phase *h,
			       const struct series **sb, const struct series **sh)
{
	if (b->sample_p50.n && h->sample_p50.n) {
		*sb = &b->sample_p50;
		*sh = &h->sample_p50;
		return "sample_p50_ns";
	}
	if (b->sample_means.n && h->sample_means.n) {
		*sb = &b->sample_means;
		*sh = &h->sample_means;
		return "sample_means_ns";
	}
	if (!strcmp(b->name, "total") && rb->samples_ns.n && rh->samples_ns.n) {
		*sb = &rb->samples_ns;
		*sh = &rh->samples_ns;
		return "samples_ns";
	}
	return NULL;
}

/* Median of v[i] / baseline[i] over one side's samples, times scale. */
static int norm_p50(const struct series *v, const struct result *r,
		    double scale, double **ratios, double *p50)
{
	if (baseline_ratios(v, r, ratios))
		return -EINVAL;
	*p50 = exact_percentile(*ratios, v->n, 0.5) * scale;
	return 0;
}

/*
 * --normalize: the U test on per-sample phase/baseline ratios, and the
 * p50 changes of the ratios' medians in ns at BASE's machine speed.
 */
static int normalize_row(struct cmp_row *row, const struct series *sb,
			 const struct series *sh)
{
	const struct phase *tb = result_phase(row->base, "total");
	const struct phase *th = result_phase(row->head, "total");
	const struct series *vb, *vh;
	double *xb = NULL, *xh = NULL, *xt = NULL, t50 = NAN;
	int err;

	err = norm_p50(sb, row->base, row->base_line, &xb, &row->n50b) ||
	      norm_p50(sh, row->head, row->base_line, &xh, &row->n50h) ||
	      !pick_values(row->base, tb, row->head, th, &vb, &vh) ||
	      norm_p50(vb, row->base, row->base_line, &xt, &t50) ||
	      !isfinite(row->base_line);
	if (!err)
		err = mwu_test(xb, sb->n, xh, sh->n, &row->u);
	free(xb);
	free(xh);
	free(xt);
	if (err) {
		row->verdict = V_UNTESTED;
		snprintf(row->note, sizeof(row->note),
			 "no baseline for every sample: not normalized, no U test");
		return -EINVAL;
	}
	row->d50 = change(row->n50b, row->n50h);
	row->d50_total = change(t50, t50 + row->n50h - row->n50b);
	return 0;
}

/*
 * The smallest shift, in % of median(b), of h re-centred on median(b)
 * that the U test finds at p < alpha: INFINITY where none does (too few
 * values: the exact test's smallest p is 2 / C(nb + nh, nb)).
 */
static double detectable_shift(const double *b, size_t nb, const double *h,
			       size_t nh, double alpha)
{
	double mb = median_of(b, nb), mh = median_of(h, nh), lo = 0, hi = 1000;
	double *x = xcalloc(nh + 1, sizeof(*x));
	struct mwu u;
	size_t i;
	int k;

	if (!(mb > 0)) {
		free(x);
		return NAN;
	}
	for (k = 0; k < 40; k++) {
		double d = k ? (lo + hi) / 2 : hi;

		for (i = 0; i < nh; i++)
			x[i] = h[i] - mh + mb * (1 + d / 100);
		if (mwu_test(b, nb, x, nh, &u) || !(u.p < alpha)) {
			if (!k) {
				free(x);
				return INFINITY;
			}
			lo = d;
		} else if (k) {
			hi = d;
		}
	}
	free(x);
	return hi;
}

/*
 * A counter's value per request in every replica of r; bp is the
 * counter's phase in base (which names its side and event).
 */
static size_t counter_values(const struct result *r, const struct result *base,
			     const struct phase *bp, double *v)
{
	const struct counter *c = NULL;
	size_t i, n = 0;

	for (i = 0; i < base->ncounters && !c; i++)
		if (&base->counters[i].ph == bp)
			c = &base->counters[i];
	for (i = 0; c && i < r->nrep; i++) {
		const struct counter *x = result_counter(&r->rep[i], c->side,
							 c->event);

		if (x && isfinite(x->per_req))
			v[n++] = x->per_req;
	}
	return n;
}

/*
 * Replicas on both sides: one value per replica, its p50 (normalized:
 * over its own baseline's median, times BASE's baseline).  0, or -1
 * where the row has no such values.
 */
static int replica_row(struct cmp_row *row, const struct comparison *c,
		       double *vb, double *vh)
{
	const struct result *side[2] = { row->base, row->head };
	double *v[2] = { vb, vh }, tb[REPLICAS_MAX], t50;
	size_t n[2], i, k, nt;

	if (!row->base->nrep || !row->head->nrep)
		return -1;
	for (k = 0; k < 2; k++) {
		n[k] = row->bp->counter ?
		       counter_values(side[k], row->base, row->bp, v[k]) :
		       replica_values(side[k], row->bp->name, v[k], REPLICAS_MAX);
		if (n[k] != side[k]->nrep)
			return -1;	/* a replica without the phase */
		for (i = 0; c->normalize && !row->bp->counter && i < n[k]; i++) {
			const struct series *bl = &side[k]->rep[i].baseline.p50_ns;
			double m = median_of(bl->v, bl->n);

			if (!(m > 0) || !isfinite(row->base_line))
				return -1;
			v[k][i] = v[k][i] / m * row->base_line;
		}
	}
	nt = replica_values(row->base, "total", tb, REPLICAS_MAX);
	t50 = median_of(tb, nt);
	row->replicas = true;
	row->nb = n[0];
	row->nh = n[1];
	row->n50b = median_of(vb, n[0]);
	row->n50h = median_of(vh, n[1]);
	row->d50 = change(row->n50b, row->n50h);
	row->d50_total = row->bp->counter ? NAN :
			 change(t50, t50 + row->n50h - row->n50b);
	row->values = row->bp->counter ? "replica per_req" : "replica p50";
	return 0;
}

static void compare_phase(struct comparison *c, const struct result *rb,
			  const struct phase *b, const struct result *rh,
			  const struct phase *h, const double line[2])
{
	const struct series *sb = NULL, *sh = NULL;
	double moved, vb[REPLICAS_MAX], vh[REPLICAS_MAX];
	struct cmp_row *row;

	c->rows = xrealloc(c->rows, (c->nrows + 1) * sizeof(*c->rows));
	row = &c->rows[c->nrows++];
	memset(row, 0, sizeof(*row));
	row->base = rb;
	row->head = rh;
	row->bp = b;
	row->hp = h;
	row->base_line = line[0];
	row->head_line = line[1];
	row->n50b = row->n50h = NAN;
	row->d50 = change(b->p50_ns, h->p50_ns);
	row->d99 = change(b->p99_ns, h->p99_ns);
	/* A counter per request has no share of the total latency: its
	 * verdict needs the U test and the change of its own p50 only. */
	row->d50_total = b->counter ? NAN :
		change(result_phase(rb, "total")->p50_ns,
		       result_phase(rb, "total")->p50_ns + h->p50_ns - b->p50_ns);
	row->u.p = NAN;
	row->detectable = NAN;
	if (!replica_row(row, c, vb, vh)) {
		if (mwu_test(vb, row->nb, vh, row->nh, &row->u)) {
			row->verdict = V_UNTESTED;
			snprintf(row->note, sizeof(row->note),
				 "replica values unusable: no U test");
			return;
		}
		row->detectable = detectable_shift(vb, row->nb, vh, row->nh,
						   c->alpha);
		moved = row->n50h - row->n50b;
		goto verdict;
	}
	row->values = pick_values(rb, b, rh, h, &sb, &sh);
	if (!row->values) {
		row->verdict = V_UNTESTED;
		snprintf(row->note, sizeof(row->note), "no per-sample values: no U test");
		return;
	}
	row->nb = sb->n;
	row->nh = sh->n;
	/* Counters count events, not ns: a machine's speed does not scale
	 * them, so they are neither normalized nor set aside as
	 * "machine changed". */
	if (c->normalize && !b->counter) {
		if (normalize_row(row, sb, sh))
			return;
	} else if (mwu_test(sb->v, sb->n, sh->v, sh->n, &row->u)) {
		row->verdict = V_UNTESTED;
		snprintf(row->note, sizeof(row->note), "per-sample values unusable: no U test");
		return;
	}
	if (row->nb < MWU_RELIABLE_N || row->nh < MWU_RELIABLE_N)
		snprintf(row->note, sizeof(row->note),
			 "only %zu/%zu samples (< %d per side): U test unreliable",
			 row->nb, row->nh, MWU_RELIABLE_N);
	row->detectable = detectable_shift(sb->v, sb->n, sh->v, sh->n, c->alpha);
	moved = c->normalize && !b->counter ? row->n50h - row->n50b : h->p50_ns - b->p50_ns;
verdict:
	/* Nor can a change below the thresholds be flagged. */
	if (isfinite(row->detectable)) {
		double tb = result_phase(rb, "total")->p50_ns;

		row->detectable = fmax(row->detectable, c->threshold);
		if (!b->counter && b->p50_ns > 0 && tb > 0)
			row->detectable = fmax(row->detectable,
					       c->threshold * tb / b->p50_ns);
	}
	if (!isfinite(row->d50) || !(row->u.p < c->alpha) ||
	    (!b->counter && !(fabs(row->d50_total) > c->threshold)) ||
	    (!b->counter && !(fabs(moved) > c->min_ns)))
		row->verdict = V_NONE;
	else if (row->d50 > c->threshold)
		row->verdict = V_REGRESSION;
	else if (row->d50 < -c->threshold)
		row->verdict = V_IMPROVEMENT;
	else
		row->verdict = V_NONE;
	/* Raw ns taken on two machines say nothing about the code.  Two
	 * sides that took turns sample by sample (one interleave group)
	 * (config.interleave_group; two runs of one command line are
	 * not one run) ran on one machine state: their baselines differ
	 * only by the
	 * processes' own levels, which is no machine change. */
	if (!c->normalize && !b->counter &&
	    !(rb->cfg.ordering.group[0] &&
	      !strcmp(rb->cfg.ordering.group, rh->cfg.ordering.group)) &&
	    fabs(change(line[0], line[1])) > c->threshold) {
		row->verdict = V_MACHINE;
		c->machine_changed++;
		return;
	}
	c->regressions += row->verdict == V_REGRESSION;
	c->improvements += row->verdict == V_IMPROVEMENT;
}

/* The low-noise regression signals: instructions (where a PMU counts
 * them) and context switches per request, on each side. */
static void compare_counters(struct comparison *c, const struct result *rb,
			     const struct result *rh, const double line[2])
{
	static const char *const wanted[] = { "instructions", "context-switches" };
	size_t j, k;

	for (j = 0; j < rb->ncounters; j++) {
		const struct counter *b = &rb->counters[j], *h;

		for (k = 0; k < 2 && strcmp(b->event, wanted[k]); k++)
			;
		h = k < 2 ? result_counter(rh, b->side, b->event) : NULL;
		if (h)
			compare_phase(c, rb, &b->ph, rh, &h->ph, line);
	}
}

static void add_only(struct comparison *c, const struct result *r, int head)
{
	c->only = xrealloc(c->only, (c->nonly + 1) * sizeof(*c->only));
	c->only_head = xrealloc(c->only_head, (c->nonly + 1) * sizeof(int));
	c->only[c->nonly] = r;
	c->only_head[c->nonly++] = head;
}

void compare_runsets(const struct runset *base, const struct runset *head,
		     double threshold, double alpha, double min_ns,
		     bool normalize, struct comparison *c)
{
	size_t i, j;

	memset(c, 0, sizeof(*c));
	c->host = head->host;
	c->threshold = threshold;
	c->alpha = alpha;
	c->min_ns = min_ns;
	c->normalize = normalize;
	for (i = 0; i < base->n; i++) {
		const struct result *rb = &base->r[i];
		const struct result *rh = runset_find(head, rb->dir, rb->name);
		double line[2];
		char why[512];

		if (!rh) {
			add_only(c, rb, 0);
			continue;
		}
		if (config_differs(&rb->cfg, &rh->cfg, why, sizeof(why))) {
			c->skips = xrealloc(c->skips, (c->nskips + 1) * sizeof(*c->skips));
			c->skips[c->nskips].base = rb;
			c->skips[c->nskips].head = rh;
			snprintf(c->skips[c->nskips++].why, sizeof(why), "%s", why);
			continue;
		}
		line[0] = runset_baseline(base, rb->dir);
		line[1] = runset_baseline(head, rh->dir);
		for (j = 0; j < rb->nphases; j++) {
			const struct phase *hp = result_phase(rh, rb->phases[j].name);

			if (hp)
				compare_phase(c, rb, &rb->phases[j], rh, hp, line);
		}
		compare_counters(c, rb, rh, line);
	}
	for (i = 0; i < head->n; i++)
		if (!runset_find(base, head->r[i].dir, head->r[i].name))
			add_only(c, &head->r[i], 1);
}

void comparison_free(struct comparison *c)
{
	free(c->rows);
	free(c->skips);
	free(c->only);
	free(c->only_head);
	memset(c, 0, sizeof(*c));
}
