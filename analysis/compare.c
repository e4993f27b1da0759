// SPDX-License-Identifier: MIT
/* compare.c - BASE against HEAD for one host (see compare.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case V_REGRESSION:
		return "regression";
	case V_IMPROVEMENT:
		return "improvement";
	case V_UNTESTED:
		return "untested";
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

static void compare_phase(struct comparison *c, const struct result *rb,
			  const struct phase *b, const struct result *rh,
			  const struct phase *h)
{
	const struct series *sb = NULL, *sh = NULL;
	struct cmp_row *row;

	c->rows = xrealloc(c->rows, (c->nrows + 1) * sizeof(*c->rows));
	row = &c->rows[c->nrows++];
	memset(row, 0, sizeof(*row));
	row->base = rb;
	row->head = rh;
	row->bp = b;
	row->hp = h;
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
	if (mwu_test(sb->v, sb->n, sh->v, sh->n, &row->u)) {
		row->verdict = V_UNTESTED;
		snprintf(row->note, sizeof(row->note), "per-sample values unusable: no U test");
		return;
	}
	if (row->nb < MWU_RELIABLE_N || row->nh < MWU_RELIABLE_N)
		snprintf(row->note, sizeof(row->note),
			 "only %zu/%zu samples (< %d per side): U test unreliable",
			 row->nb, row->nh, MWU_RELIABLE_N);
	if (!isfinite(row->d50) || !(row->u.p < c->alpha) ||
	    (!b->counter && !(fabs(row->d50_total) > c->threshold)) ||
	    (!b->counter && !(fabs(h->p50_ns - b->p50_ns) > c->min_ns)))
		row->verdict = V_NONE;
	else if (row->d50 > c->threshold)
		row->verdict = V_REGRESSION;
	else if (row->d50 < -c->threshold)
		row->verdict = V_IMPROVEMENT;
	else
		row->verdict = V_NONE;
	c->regressions += row->verdict == V_REGRESSION;
	c->improvements += row->verdict == V_IMPROVEMENT;
}

/* The low-noise regression signals: instructions (where a PMU counts
 * them) and context switches per request, on each side. */
static void compare_counters(struct comparison *c, const struct result *rb,
			     const struct result *rh)
{
	static const char *const wanted[] = { "instructions", "context-switches" };
	size_t j, k;

	for (j = 0; j < rb->ncounters; j++) {
		const struct counter *b = &rb->counters[j], *h;

		for (k = 0; k < 2 && strcmp(b->event, wanted[k]); k++)
			;
		h = k < 2 ? result_counter(rh, b->side, b->event) : NULL;
		if (h)
			compare_phase(c, rb, &b->ph, rh, &h->ph);
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
		     struct comparison *c)
{
	size_t i, j;

	memset(c, 0, sizeof(*c));
	c->host = head->host;
	c->threshold = threshold;
	c->alpha = alpha;
	c->min_ns = min_ns;
	for (i = 0; i < base->n; i++) {
		const struct result *rb = &base->r[i];
		const struct result *rh = runset_find(head, rb->dir, rb->name);
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
		for (j = 0; j < rb->nphases; j++) {
			const struct phase *hp = result_phase(rh, rb->phases[j].name);

			if (hp)
				compare_phase(c, rb, &rb->phases[j], rh, hp);
		}
		compare_counters(c, rb, rh);
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
