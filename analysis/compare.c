// SPDX-License-Identifier: MIT
/* compare.c - BASE against HEAD for one host (see compare.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "hist.h"

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

static void compare_phase(struct comparison *c, const struct result *rb,
			  const struct phase *b, const struct result *rh,
			  const struct phase *h, const double line[2])
{
	const struct series *sb = NULL, *sh = NULL;
	struct cmp_row *row;
	double moved;

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
	row->values = pick_values(rb, b, rh, h, &sb, &sh);
	row->u.p = NAN;
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
	moved = c->normalize && !b->counter ? row->n50h - row->n50b : h->p50_ns - b->p50_ns;
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
	/* Raw ns taken on two machines say nothing about the code. */
	if (!c->normalize && !b->counter &&
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
