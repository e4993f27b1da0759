// SPDX-License-Identifier: MIT
/* replicas.c - replicas pooled, and statistics over replicas (replicas.h). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "replicas.h"

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double median_of(const double *v, size_t n)
{
	double *s, m;

	if (!n)
		return NAN;
	s = xcalloc(n, sizeof(*s));
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_dbl);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

/* dst gets src appended. */
static void series_cat(struct series *dst, const struct series *src)
{
	if (!src->n)
		return;
	dst->v = xrealloc(dst->v, (dst->n + src->n) * sizeof(*dst->v));
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
}

/* The concatenation of every replica's series (at offset off in each). */
static void series_pool(struct series *out, const struct result *reps,
			size_t n, size_t off)
{
	struct series acc = { 0 };
	size_t i;

	for (i = 0; i < n; i++)
		series_cat(&acc, (const struct series *)((const char *)&reps[i] + off));
	free(out->v);
	*out = acc;
}

/* ceil(q * n), at least 1 and at most n: the nearest rank. */
static uint64_t rank_of(double q, uint64_t n)
{
	double r = ceil(q * (double)n - 1e-9);

	return r < 1 ? 1 : r > (double)n ? n : (uint64_t)r;
}

/*
 * The replicas' histograms of one phase merged at the coarsest bucket:
 * each bucket's midpoint goes to the merged bucket that holds it.  NULL
 * when one replica has none.
 */
static struct hist *hist_merge(const struct phase *const *ph, size_t n)
{
	struct hist *m;
	uint64_t *dense, nb = 0, j;
	double bw = 0;
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (!ph[i]->hist || !(ph[i]->hist->bucket_ns > 0))
			return NULL;
		if (ph[i]->hist->bucket_ns > bw)
			bw = ph[i]->hist->bucket_ns;
	}
	for (i = 0; i < n; i++) {
		const struct hist *h = ph[i]->hist;
		uint64_t b = (uint64_t)ceil((double)h->buckets * h->bucket_ns / bw);

		nb = b > nb ? b : nb;
	}
	m = xcalloc(1, sizeof(*m));
	m->bucket_ns = bw;
	m->buckets = nb;
	dense = xcalloc(nb + 1, sizeof(*dense));
	for (i = 0; i < n; i++) {
		const struct hist *h = ph[i]->hist;

		m->underflow += h->underflow;
		m->overflow += h->overflow;
		for (k = 0; k < h->n; k++) {
			j = (uint64_t)(((double)h->bucket[k] + 0.5) * h->bucket_ns / bw);
			if (j >= nb)
				m->overflow += h->count[k];
			else
				dense[j] += h->count[k];
		}
	}
	for (j = 0; j < nb; j++)
		m->n += dense[j] > 0;
	m->bucket = xcalloc(m->n + 1, sizeof(*m->bucket));
	m->count = xcalloc(m->n + 1, sizeof(*m->count));
	m->total = m->underflow + m->overflow;
	for (j = 0, k = 0; j < nb; j++) {
		if (!dense[j])
			continue;
		m->bucket[k] = j;
		m->count[k++] = dense[j];
		m->total += dense[j];
	}
	free(dense);
	return m;
}

/* Nearest-rank percentile q of a merged histogram (a bucket midpoint). */
static double hist_q(const struct hist *h, double q)
{
	uint64_t k, cum;
	size_t i;

	if (!h->total)
		return NAN;
	k = rank_of(q, h->total);
	cum = h->underflow;
	if (k <= cum)
		return 0;
	for (i = 0; i < h->n; i++) {
		cum += h->count[i];
		if (k <= cum)
			return ((double)h->bucket[i] + 0.5) * h->bucket_ns;
	}
	return (double)h->buckets * h->bucket_ns;
}

static void hist_free(struct hist *h)
{
	if (!h)
		return;
	free(h->bucket);
	free(h->count);
	free(h);
}

/*
 * One phase of the pooled result from the same phase of each replica
 * (those that have it): every call counted once.
 */
static void phase_pool(struct phase *out, const struct phase *const *ph,
		       size_t n)
{
	static const size_t pct_off[] = {
		offsetof(struct phase, p50_ns), offsetof(struct phase, p90_ns),
		offsetof(struct phase, p99_ns), offsetof(struct phase, p999_ns),
	};
	static const double pct_q[] = { 0.50, 0.90, 0.99, 0.999 };
	struct hist *m = hist_merge(ph, n);
	double sum = 0, v[REPLICAS_MAX];
	size_t i, k;

	out->count = out->negative = 0;
	out->min_ns = INFINITY;
	out->max_ns = -INFINITY;
	for (i = 0; i < n; i++) {
		out->count += ph[i]->count;
		out->negative += ph[i]->negative;
		out->min_ns = fmin(out->min_ns, ph[i]->min_ns);
		out->max_ns = fmax(out->max_ns, ph[i]->max_ns);
		sum += ph[i]->mean_ns * ph[i]->count;
	}
	out->mean_ns = out->count > 0 ? sum / out->count : NAN;
	for (k = 0; k < 4; k++) {
		double *dst = (double *)((char *)out + pct_off[k]);

		/* A bucket is p99.9/1000 of its replica: where the tail is
		 * long it is too coarse for the body's percentiles. */
		if (m && m->bucket_ns * 50 <= hist_q(m, pct_q[k])) {
			*dst = hist_q(m, pct_q[k]);
			continue;
		}
		/* No histogram fine enough to pool: the replicas' median
		 * stands in. */
		for (i = 0; i < n; i++)
			v[i] = *(const double *)((const char *)ph[i] + pct_off[k]);
		*dst = median_of(v, n);
	}
	if (m) {
		hist_free(out->hist);
		out->hist = m;
	}
	free(out->sample_means.v);
	free(out->sample_p50.v);
	memset(&out->sample_means, 0, sizeof(out->sample_means));
	memset(&out->sample_p50, 0, sizeof(out->sample_p50));
	for (i = 0; i < n; i++) {
		series_cat(&out->sample_means, &ph[i]->sample_means);
		series_cat(&out->sample_p50, &ph[i]->sample_p50);
	}
}

static const struct phase *find_phase(const struct phase *v, size_t n,
				      const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

/* Every phase of out (phases, or phases_net when net) pooled. */
static void phases_pool(struct result *out, const struct result *reps,
			size_t n, int net)
{
	const struct phase *ph[REPLICAS_MAX];
	struct phase *v = net ? out->net : out->phases;
	size_t np = net ? out->nnet : out->nphases, i, j, m;

	for (j = 0; j < np; j++) {
		for (i = 0, m = 0; i < n; i++) {
			const struct phase *p = net ?
				find_phase(reps[i].net, reps[i].nnet, v[j].name) :
				find_phase(reps[i].phases, reps[i].nphases, v[j].name);

			if (p)
				ph[m++] = p;
		}
		phase_pool(&v[j], ph, m);
	}
}

/* Counters per request: the replicas' mean; the per-sample values pooled. */
static void counters_pool(struct result *out, const struct result *reps,
			  size_t n)
{
	size_t i, j, m;

	for (j = 0; j < out->ncounters; j++) {
		struct counter *c = &out->counters[j];
		double sum = 0;

		free(c->ph.sample_p50.v);
		memset(&c->ph.sample_p50, 0, sizeof(c->ph.sample_p50));
		for (i = 0, m = 0; i < n; i++) {
			const struct counter *k = result_counter(&reps[i], c->side,
								 c->event);

			if (!k)
				continue;
			sum += k->per_req;
			m++;
			series_cat(&c->ph.sample_p50, &k->ph.sample_p50);
		}
		c->per_req = c->ph.mean_ns = sum / (double)m;
		if (c->ph.sample_p50.n) {
			double *s = xcalloc(c->ph.sample_p50.n, sizeof(*s));
			size_t ns = c->ph.sample_p50.n;

			memcpy(s, c->ph.sample_p50.v, ns * sizeof(*s));
			qsort(s, ns, sizeof(*s), cmp_dbl);
			c->ph.p50_ns = s[rank_of(0.50, ns) - 1];
			c->ph.p99_ns = s[rank_of(0.99, ns) - 1];
			free(s);
		}
	}
}

/* The mean of the finite values at offset off of each replica. */
static double mean_finite(const struct result *reps, size_t n, size_t off)
{
	double sum = 0, v;
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		v = *(const double *)((const char *)&reps[i] + off);
		if (isfinite(v)) {
			sum += v;
			m++;
		}
	}
	return m ? sum / (double)m : NAN;
}

/* Every replica's warnings, each text once. */
static void warnings_pool(struct result *out, const struct result *reps,
			  size_t n)
{
	json_t *all = json_array(), *w, *x;
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		json_array_foreach(reps[i].warnings, j, w) {
			int seen = 0;

			json_array_foreach(all, k, x)
				seen |= json_equal(w, x);
			if (!seen)
				json_array_append(all, w);
		}
	}
	out->own_warnings = all;
	out->warnings = all;
}

static void trust_pool(struct result *out, const struct result *reps,
		       size_t n)
{
	size_t i, k, base = 0;
	double lo = INFINITY, hi = 0;

	out->identity_checked = out->identity_violations = 0;
	out->probes.probed = 0;
	out->intf.nsamples = 0;
	free(out->intf.samples);
	out->intf.samples = NULL;
	for (i = 0; i < n; i++) {
		const struct result *r = &reps[i];

		out->identity_checked += r->identity_checked;
		out->identity_violations += r->identity_violations;
		out->probes.probed += r->probes.probed;
		/* The worst replica's residual: a check passes for all. */
		if (isfinite(r->probes.residual_pct) &&
		    !(fabs(r->probes.residual_pct) <= fabs(out->probes.residual_pct)))
			out->probes.residual_pct = r->probes.residual_pct;
		/* Sample k of replica i is sample base + k of the pool. */
		out->intf.samples = xrealloc(out->intf.samples,
			(out->intf.nsamples + r->intf.nsamples + 1) *
			sizeof(*out->intf.samples));
		for (k = 0; k < r->intf.nsamples; k++)
			out->intf.samples[out->intf.nsamples++] =
				r->intf.samples[k] + (int64_t)base;
		base += (size_t)r->cfg.samples;
	}
	series_pool(&out->baseline.p50_ns, reps, n,
		    offsetof(struct result, baseline.p50_ns));
	for (i = 0; i < out->baseline.p50_ns.n; i++) {
		lo = fmin(lo, out->baseline.p50_ns.v[i]);
		hi = fmax(hi, out->baseline.p50_ns.v[i]);
	}
	if (out->baseline.p50_ns.n && lo > 0)
		out->baseline.spread = hi / lo;
	series_pool(&out->wall_gap_pct, reps, n,
		    offsetof(struct result, wall_gap_pct));
}

/* extra.<key> (throughput, doorbells per call): the replicas' mean. */
static void extra_pool(json_t *root, const struct result *reps, size_t n)
{
	json_t *ex = json_object_get(root, "extra"), *v;
	const char *key;
	size_t i, m;

	json_object_foreach(ex, key, v) {
		double sum = 0;

		for (i = 0, m = 0; i < n; i++) {
			const json_t *x = json_object_get(
				json_object_get(reps[i].root, "extra"), key);

			if (json_is_number(x)) {
				sum += json_number_value(x);
				m++;
			}
		}
		if (m)
			json_object_set_new(ex, key, json_real(sum / (double)m));
	}
}

int result_pool(struct result *reps, size_t n, struct result *out,
		struct aerr *e)
{
	json_t *root;
	size_t i;
	int err;

	memset(out, 0, sizeof(*out));
	if (!n || n > REPLICAS_MAX)
		return aerr_set(e, "%zu replicas: want 1 to %d", n, REPLICAS_MAX);
	/* Replica 1, read again: the pooled result starts as its copy,
	 * with extra's values the replicas' mean. */
	root = json_deep_copy(reps[0].root);
	extra_pool(root, reps, n);
	err = result_from_json(reps[0].path, root, out, e);
	json_decref(root);
	if (err)
		return -1;
	phases_pool(out, reps, n, 0);
	phases_pool(out, reps, n, 1);
	counters_pool(out, reps, n);
	series_pool(&out->samples_ns, reps, n, offsetof(struct result, samples_ns));
	out->cfg.samples = 0;
	for (i = 0; i < n; i++)
		out->cfg.samples += reps[i].cfg.samples;
	out->cpu_client_ns = mean_finite(reps, n,
					 offsetof(struct result, cpu_client_ns));
	out->cpu_shadow_ns = mean_finite(reps, n,
					 offsetof(struct result, cpu_shadow_ns));
	warnings_pool(out, reps, n);
	trust_pool(out, reps, n);
	out->rep = reps;
	out->nrep = n;
	return 0;
}

size_t replica_values(const struct result *r, const char *phase, double *v,
		      size_t max)
{
	size_t i, n = 0;

	if (!r->nrep) {
		const struct phase *p = result_phase(r, phase);

		if (!p || !max || !isfinite(p->p50_ns))
			return 0;
		v[0] = p->p50_ns;
		return 1;
	}
	for (i = 0; i < r->nrep && n < max; i++) {
		const struct phase *p = result_phase(&r->rep[i], phase);

		if (p && isfinite(p->p50_ns) && p->count > 0)
			v[n++] = p->p50_ns;
	}
	return n;
}

/* xorshift64*: the bootstrap's generator, seeded the same every time. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

#define BOOT_N		2000
#define BOOT_SEED	0x5cfb0075ULL

int ratio_interval(const double *a, size_t na, const double *b, size_t nb,
		   double *ratio, double *lo, double *hi)
{
	double ra[REPLICAS_MAX], rb[REPLICAS_MAX], *boot, mb;
	uint64_t s = BOOT_SEED;
	size_t i, k;

	if (!na || !nb || na > REPLICAS_MAX || nb > REPLICAS_MAX)
		return -EINVAL;
	mb = median_of(b, nb);
	if (!(mb > 0))
		return -EINVAL;
	*ratio = *lo = *hi = median_of(a, na) / mb;
	if (na < 2 || nb < 2)
		return 0;
	boot = xcalloc(BOOT_N, sizeof(*boot));
	for (k = 0; k < BOOT_N; k++) {
		for (i = 0; i < na; i++)
			ra[i] = a[rng_next(&s) % na];
		for (i = 0; i < nb; i++)
			rb[i] = b[rng_next(&s) % nb];
		mb = median_of(rb, nb);
		boot[k] = mb > 0 ? median_of(ra, na) / mb : INFINITY;
	}
	qsort(boot, BOOT_N, sizeof(*boot), cmp_dbl);
	*lo = boot[rank_of(0.025, BOOT_N) - 1];
	*hi = boot[rank_of(0.975, BOOT_N) - 1];
	free(boot);
	return 0;
}

void replica_spread(const struct result *r, const char *phase,
		    double *between, double *within)
{
	double v[REPLICAS_MAX], w[REPLICAS_MAX], med, lo, hi;
	size_t n = replica_values(r, phase, v, REPLICAS_MAX), i, k, m = 0;

	*between = *within = NAN;
	med = median_of(v, n);
	if (!(med > 0))
		return;
	if (r->nrep >= 2 && n >= 2) {
		lo = hi = v[0];
		for (i = 1; i < n; i++) {
			lo = fmin(lo, v[i]);
			hi = fmax(hi, v[i]);
		}
		*between = (hi - lo) / med * 100;
	}
	for (i = 0; i < (r->nrep ? r->nrep : 1); i++) {
		const struct phase *p = result_phase(r->nrep ? &r->rep[i] : r, phase);

		if (!p || p->sample_p50.n < 2)
			continue;
		lo = hi = p->sample_p50.v[0];
		for (k = 1; k < p->sample_p50.n; k++) {
			lo = fmin(lo, p->sample_p50.v[k]);
			hi = fmax(hi, p->sample_p50.v[k]);
		}
		w[m++] = (hi - lo) / med * 100;
	}
	if (m)
		*within = median_of(w, m);
}

/* Replica i of r, or r itself where it pools none. */
static const struct result *replica_at(const struct result *r, size_t i)
{
	return r->nrep ? &r->rep[i] : r;
}

/* The baseline after sample i, NAN where none was measured. */
static double baseline_at(const struct result *r, size_t i)
{
	return r->baseline.has && i < r->baseline.p50_ns.n ?
	       r->baseline.p50_ns.v[i] : NAN;
}

/* Replica k's ratio: the median of its same-state sample pairs. */
static double replica_paired(const struct result *ra, const char *pa,
			     const struct result *rb, const char *pb,
			     double state_limit, struct paired *out)
{
	const struct phase *x = result_phase(ra, pa), *y = result_phase(rb, pb);
	double v[512], ba, bb;
	size_t i, n = 0;

	if (!x || !y)
		return NAN;
	for (i = 0; i < x->sample_p50.n && i < y->sample_p50.n && n < 512; i++) {
		if (!(x->sample_p50.v[i] > 0) || !(y->sample_p50.v[i] > 0))
			continue;
		out->rounds++;
		ba = baseline_at(ra, i);
		bb = baseline_at(rb, i);
		if (isfinite(ba) && isfinite(bb) && bb > 0 &&
		    fabs(ba / bb - 1) > state_limit)
			continue;
		out->kept++;
		v[n++] = x->sample_p50.v[i] / y->sample_p50.v[i];
	}
	return n ? median_of(v, n) : NAN;
}

int paired_ratio(const struct result *a, const char *pa,
		 const struct result *b, const char *pb, double state_limit,
		 struct paired *out)
{
	size_t na = a->nrep ? a->nrep : 1, nb = b->nrep ? b->nrep : 1, k, i, j;
	double v[REPLICAS_MAX], rs[REPLICAS_MAX], *boot;
	uint64_t s = BOOT_SEED;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < na && k < nb && k < REPLICAS_MAX; k++) {
		double r = replica_paired(replica_at(a, k), pa, replica_at(b, k),
					  pb, state_limit, out);

		if (isfinite(r))
			v[out->nrep++] = r;
	}
	if (!out->nrep)
		return -EINVAL;
	out->ratio = out->lo = out->hi = median_of(v, out->nrep);
	if (out->nrep < 2)
		return 0;
	boot = xcalloc(BOOT_N, sizeof(*boot));
	for (j = 0; j < BOOT_N; j++) {
		for (i = 0; i < out->nrep; i++)
			rs[i] = v[rng_next(&s) % out->nrep];
		boot[j] = median_of(rs, out->nrep);
	}
	qsort(boot, BOOT_N, sizeof(*boot), cmp_dbl);
	out->lo = boot[rank_of(0.025, BOOT_N) - 1];
	out->hi = boot[rank_of(0.975, BOOT_N) - 1];
	free(boot);
	return 0;
}
