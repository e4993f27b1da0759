// SPDX-License-Identifier: MIT
/*
 * test_hist.c - percentiles read from a stored histogram agree with the
 * exact percentiles of the raw values within the histogram's precision.
 *
 * 1. Generated: raw values from several distributions (with negative
 *    values and values past the range) are written as an scf-bench/1
 *    document with jansson, loaded back through result_from_json(), and
 *    every percentile read from the histogram is compared with the exact
 *    nearest-rank percentile of the raw values.
 * 2. Stored: for every file of the fixture run (or of the run directories
 *    given as arguments, e.g. a real `make bench` run), the percentiles read
 *    from each phase's histogram are compared with the exact p50..p99.9
 *    the file states.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hist.h"
#include "runset.h"

static char **run_dirs;
static int nrun_dirs;

static uint64_t rng = 88172645463325252ull;

static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/*
 * Check the histogram answer for q against the exact value: the same
 * side of the range, and inside it within half a bucket (the midpoint of
 * the bucket that holds the exact value).
 */
static void check_q(const struct hist *h, double q, double exact,
		    const char *what)
{
	double got = NAN;
	int where = hist_percentile(h, q, &got);
	double range = (double)h->buckets * h->bucket_ns;

	if (exact < 0) {
		if (where != HIST_UNDER) {
			print_error("%s q=%g: exact %g < 0 but histogram says %d (%g)\n",
				    what, q, exact, where, got);
			fail();
		}
	} else if (exact >= range) {
		if (where != HIST_OVER) {
			print_error("%s q=%g: exact %g past the range but histogram says %d (%g)\n",
				    what, q, exact, where, got);
			fail();
		}
	} else if (where != HIST_IN ||
		   fabs(got - exact) > h->bucket_ns / 2 * (1 + 1e-9)) {
		print_error("%s q=%g: exact %.6g, histogram %.6g (where %d), bucket %g ns\n",
			    what, q, exact, got, where, h->bucket_ns);
		fail();
	}
}

static json_t *doc_for(const double *v, size_t n, double bucket_ns,
		       uint64_t buckets)
{
	json_t *counts = json_array();
	uint64_t *c = calloc(buckets, sizeof(*c)), under = 0, over = 0, b;
	double sum = 0;
	size_t i;

	assert_non_null(c);
	for (i = 0; i < n; i++) {
		sum += v[i];
		if (v[i] < 0)
			under++;
		else if (v[i] >= (double)buckets * bucket_ns)
			over++;
		else
			c[(uint64_t)floor(v[i] / bucket_ns)]++;
	}
	/* sparse and deliberately not in order: the loader sorts */
	for (b = buckets; b-- > 0;)
		if (c[b])
			json_array_append_new(counts, json_pack("[I, I]",
					      (json_int_t)b, (json_int_t)c[b]));
	free(c);
	return json_pack("{s:s, s:{s:s}, s:{s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, s:b},"
			 " s:{s:{s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f}},"
			 " s:{s:s, s:f, s:I, s:{s:{s:I, s:I, s:o}}}}",
			 "schema", "scf-bench/1",
			 "context", "host", "test",
			 "config", "variant", "poll", "backend", "spin",
			 "workload", "gen", "samples", (json_int_t)1,
			 "cycles", (json_int_t)n, "payload", (json_int_t)0,
			 "memsync", "copy", "ring", "lockfree", "probes", 1,
			 "phases", "total", "count", (json_int_t)n,
			 "min_ns", exact_percentile(v, n, 1e-12),
			 "mean_ns", sum / (double)n,
			 "p50_ns", exact_percentile(v, n, 0.5),
			 "p90_ns", exact_percentile(v, n, 0.9),
			 "p99_ns", exact_percentile(v, n, 0.99),
			 "p999_ns", exact_percentile(v, n, 0.999),
			 "max_ns", exact_percentile(v, n, 1),
			 "histogram", "unit", "ns", "bucket_ns", bucket_ns,
			 "buckets", (json_int_t)buckets, "phases", "total",
			 "underflow", (json_int_t)under, "overflow", (json_int_t)over,
			 "counts", counts);
}

static void generated(void **state)
{
	static const double qs[] = {
		1e-6, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999,
		0.9999, 1,
	};
	static const struct {
		const char *name;
		double bucket_ns;
		uint64_t buckets;
	} shapes[] = {
		{ "exponential", 10, 4000 },
		{ "bimodal", 1, 20000 },
		{ "skewed, negatives", 5, 400 },
		{ "heavy tail past the range", 2.5, 1000 },
	};
	size_t s, i, n = 20000;
	double *v = calloc(n, sizeof(*v));

	(void)state;
	assert_non_null(v);
	for (s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		struct result r;
		struct aerr e;
		json_t *doc;

		for (i = 0; i < n; i++) {
			double u = uniform();

			switch (s) {
			case 0:
				v[i] = 300 - 80 * log(1 - u);
				break;
			case 1:
				v[i] = (u < 0.7 ? 1200 : 4000) + 100 * uniform();
				break;
			case 2:
				v[i] = 20 * log(1 - u) + 1500 * uniform() * uniform();
				break;
			default:
				v[i] = 100 / pow(1 - u, 0.9);
				break;
			}
			v[i] = round(v[i] * 10) / 10;	/* 0.1 ns, as stored */
		}
		doc = doc_for(v, n, shapes[s].bucket_ns, shapes[s].buckets);
		if (result_from_json(shapes[s].name, doc, &r, &e)) {
			print_error("%s\n", e.msg);
			fail();
		}
		for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
			check_q(result_phase(&r, "total")->hist, qs[i],
				exact_percentile(v, n, qs[i]), shapes[s].name);
		/* the shapes meant to reach past either end do */
		if (s == 2)
			assert_true(result_phase(&r, "total")->hist->underflow > 0);
		if (s == 3)
			assert_true(result_phase(&r, "total")->hist->overflow > 0);
		result_free(&r);
		json_decref(doc);
	}
	free(v);
}

static void stored(void **state)
{
	int d;
	size_t checked = 0;

	(void)state;
	for (d = 0; d < nrun_dirs; d++) {
		struct runset rs;
		struct aerr e;
		size_t i, j;

		if (runset_load(run_dirs[d], &rs, &e)) {
			print_error("%s\n", e.msg);
			fail();
		}
		for (i = 0; i < rs.n; i++) {
			/* A pooled result's percentiles are the merged
			 * histogram's: each replica's file against its own. */
			size_t k, nk = rs.r[i].nrep ? rs.r[i].nrep : 1;

			for (k = 0; k < nk; k++)
			for (j = 0; j < (rs.r[i].nrep ? rs.r[i].rep[k] : rs.r[i]).nphases; j++) {
				const struct result *r = rs.r[i].nrep ? &rs.r[i].rep[k] : &rs.r[i];
				const struct phase *p = &r->phases[j];
				char what[512];

				if (!p->hist || !p->count)
					continue;
				snprintf(what, sizeof(what), "%s %s", r->path, p->name);
				check_q(p->hist, 0.5, p->p50_ns, what);
				check_q(p->hist, 0.9, p->p90_ns, what);
				check_q(p->hist, 0.99, p->p99_ns, what);
				check_q(p->hist, 0.999, p->p999_ns, what);
				check_q(p->hist, 1, p->max_ns, what);
				checked++;
			}
		}
		runset_free(&rs);
	}
	print_message("# %zu stored histograms checked\n", checked);
	assert_true(checked > 0);
}

static void empty_and_range(void **state)
{
	struct hist h = { .bucket_ns = 10, .buckets = 10 };
	double out;

	(void)state;
	assert_int_equal(hist_percentile(&h, 0.5, &out), -EINVAL);
	h.total = 1;
	h.overflow = 1;
	assert_int_equal(hist_percentile(&h, 0, &out), -EINVAL);
	assert_int_equal(hist_percentile(&h, 1.5, &out), -EINVAL);
	assert_int_equal(hist_percentile(&h, 0.5, &out), HIST_OVER);
	assert_true(out == 100);
}

int main(int argc, char **argv)
{
	static char *fixture[] = {
		"tests/fixtures/analysis/results/aaaaaaa/fixhost",
		"tests/fixtures/analysis/results/1111111/fixhost",
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generated),
		cmocka_unit_test(stored),
		cmocka_unit_test(empty_and_range),
	};

	run_dirs = argc > 1 ? argv + 1 : fixture;
	nrun_dirs = argc > 1 ? argc - 1 : 2;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
