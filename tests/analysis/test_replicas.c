// SPDX-License-Identifier: MIT
/*
 * test_replicas.c - replicas pooled into one result (analysis/replicas.h):
 * the replica's name loses its .rK, every call is counted once, the
 * percentiles come from the merged histograms, the per-sample series are
 * concatenated; the ratio of replica medians has an interval that is the
 * same on every run (fixed seed) and holds the ratio; the spreads say
 * when the processes differ more than their samples; a ratio paired
 * within rounds takes only the pairs measured in one machine state.
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

#include "replicas.h"

/*
 * One replica's result: n calls of value v each (one bucket of 1 ns),
 * samples with p50s s[0..ns), config.replica k of of.
 */
static void replica_base(struct result *r, int k, int of, double v,
			 uint64_t n, const double *s, size_t ns,
			 const double *base)
{
	json_t *p50 = json_array(), *counts = json_array(), *doc;
	char path[64];
	struct aerr e;
	size_t i;

	for (i = 0; i < ns; i++)
		json_array_append_new(p50, json_real(s[i]));
	json_array_append_new(counts, json_pack("[I, I]", (json_int_t)v,
						(json_int_t)n));
	doc = json_pack("{s:s, s:{s:s}, s:{s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s,"
			" s:b, s:{s:i, s:i}},"
			" s:{s:{s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:o}},"
			" s:{s:s, s:f, s:I, s:{s:{s:I, s:I, s:o}}}}",
			"schema", "scf-bench/1", "context", "host", "test",
			"config", "variant", "poll", "backend", "spin",
			"workload", "null", "samples", (json_int_t)ns,
			"cycles", (json_int_t)n, "payload", (json_int_t)0,
			"memsync", "copy", "ring", "lockfree", "probes", 1,
			"replica", "index", k, "of", of,
			"phases", "total", "count", (json_int_t)n,
			"min_ns", v, "mean_ns", v + 0.5, "p50_ns", v + 0.5,
			"p90_ns", v + 0.5, "p99_ns", v + 0.5, "p999_ns", v + 0.5,
			"max_ns", v + 0.9, "sample_p50_ns", p50,
			"histogram", "unit", "ns", "bucket_ns", 1.0,
			"buckets", (json_int_t)20000, "phases", "total",
			"underflow", (json_int_t)0, "overflow", (json_int_t)0,
			"counts", counts);
	assert_non_null(doc);
	json_object_set_new(doc, "extra", json_pack("{s:f}", "calls_per_s", v * 10));
	if (base) {	/* the ping-pong p50 after each sample */
		json_t *bl = json_array();

		for (i = 0; i < ns; i++)
			json_array_append_new(bl, json_real(base[i]));
		json_object_set_new(doc, "baseline", json_pack("{s:o, s:f}",
				    "p50_ns", bl, "spread", 1.0));
	}
	snprintf(path, sizeof(path), "run/poll/null.r%d.json", k);
	if (result_from_json(path, doc, r, &e)) {
		print_error("%s\n", e.msg);
		fail();
	}
	json_decref(doc);
}

static void replica(struct result *r, int k, int of, double v, uint64_t n,
		    const double *s, size_t ns)
{
	replica_base(r, k, of, v, n, s, ns, NULL);
}

static void pooled(void **state)
{
	static const double s1[] = { 500, 510, 505 }, s2[] = { 600, 610 },
			    s3[] = { 700 };
	struct result *reps = calloc(3, sizeof(*reps)), out;
	const struct phase *t;
	double v[REPLICAS_MAX];
	struct aerr e;

	(void)state;
	replica(&reps[0], 1, 3, 500, 100, s1, 3);
	replica(&reps[1], 2, 3, 600, 100, s2, 2);
	replica(&reps[2], 3, 3, 700, 300, s3, 1);
	assert_string_equal(reps[1].name, "null");
	assert_int_equal(reps[1].replica, 2);
	assert_int_equal(reps[1].replicas, 3);
	assert_int_equal(result_pool(reps, 3, &out, &e), 0);
	t = result_phase(&out, "total");
	/* every call once: 500 calls, 300 of them at 700 */
	assert_true(t->count == 500);
	assert_true(t->min_ns == 500 && t->max_ns == 700.9);
	assert_true(t->p50_ns == 700.5);	/* rank 250 is in the 700s */
	assert_true(fabs(t->mean_ns - (500.5 * 100 + 600.5 * 100 + 700.5 * 300) / 500) < 1e-9);
	assert_int_equal(t->sample_p50.n, 6);
	assert_true(t->sample_p50.v[3] == 600 && t->sample_p50.v[5] == 700);
	assert_int_equal(out.cfg.samples, 6);
	/* extra: the replicas' mean (5000, 6000, 7000 calls/s) */
	assert_true(json_real_value(json_object_get(json_object_get(out.root,
		    "extra"), "calls_per_s")) == 6000);
	/* the unit of every ratio: one p50 per replica */
	assert_int_equal(replica_values(&out, "total", v, REPLICAS_MAX), 3);
	assert_true(v[0] == 500.5 && v[1] == 600.5 && v[2] == 700.5);
	assert_true(median_of(v, 3) == 600.5);
	result_free(&out);
}

static void interval(void **state)
{
	static const double a[] = { 110, 112, 108, 111, 109 };
	static const double b[] = { 100, 101, 99, 100, 102 };
	double r, lo, hi, r2, lo2, hi2;

	(void)state;
	assert_int_equal(ratio_interval(a, 5, b, 5, &r, &lo, &hi), 0);
	assert_true(fabs(r - 1.10) < 1e-9);
	assert_true(lo <= r && r <= hi && lo > 1.0 && hi < 1.2);
	/* the same answer every time: the seed is fixed */
	assert_int_equal(ratio_interval(a, 5, b, 5, &r2, &lo2, &hi2), 0);
	assert_true(lo == lo2 && hi == hi2);
	/* one value a side: no interval to give */
	assert_int_equal(ratio_interval(a, 1, b, 1, &r, &lo, &hi), 0);
	assert_true(lo == r && hi == r);
	assert_int_equal(ratio_interval(a, 0, b, 1, &r, &lo, &hi), -EINVAL);
}

static void spread(void **state)
{
	static const double s1[] = { 500, 502, 501 }, s2[] = { 700, 703, 701 };
	struct result *reps = calloc(2, sizeof(*reps)), out;
	double between, within;
	struct aerr e;

	(void)state;
	replica(&reps[0], 1, 2, 500, 100, s1, 3);
	replica(&reps[1], 2, 2, 700, 100, s2, 3);
	assert_int_equal(result_pool(reps, 2, &out, &e), 0);
	replica_spread(&out, "total", &between, &within);
	/* two levels 200 ns apart, samples within 3 ns of their own */
	assert_true(fabs(between - 200 / 600.5 * 100) < 1e-6);
	assert_true(within > 0 && within < 1);
	assert_true(between > within);
	result_free(&out);
}

/*
 * The machine switching between two states round by round, a side's
 * samples in one state (H) more often than the other's: replica k of a
 * is 1.03 + 0.02 k times b wherever the two are in one state.  The pairs
 * in one state give that ratio; a pair in two states is left out.
 */
#define ROUNDS	8
static void pool_states(struct result *out, const char *st, double x0)
{
	struct result *reps = calloc(4, sizeof(*reps));
	double s[ROUNDS], base[ROUNDS];
	struct aerr e;
	int k, i;

	for (k = 0; k < 4; k++) {
		for (i = 0; i < ROUNDS; i++) {
			base[i] = st[i] == 'H' ? 400 : 135;
			s[i] = base[i] * 2 * (x0 ? x0 + 0.02 * k : 1);
		}
		replica_base(&reps[k], k + 1, 4, s[0], 100, s, ROUNDS, base);
	}
	assert_int_equal(result_pool(reps, 4, out, &e), 0);
}

static void paired_states(void **state)
{
	struct result a, b, c, d;
	struct paired pr, pr2;

	(void)state;
	pool_states(&a, "HHHHHHLL", 1.03);
	pool_states(&b, "LLHHHHLL", 0);
	assert_int_equal(paired_ratio(&a, "total", &b, "total", 0.15, &pr), 0);
	assert_int_equal((int)pr.nrep, 4);
	assert_int_equal((int)pr.rounds, 4 * ROUNDS);
	assert_int_equal((int)pr.kept, 4 * 6);	/* rounds 2-7 agree */
	assert_true(fabs(pr.ratio - 1.06) < 1e-9);
	assert_true(pr.lo >= 1.03 - 1e-9 && pr.lo <= pr.ratio &&
		    pr.ratio <= pr.hi && pr.hi <= 1.09 + 1e-9);
	/* the same interval every time: the seed is fixed */
	assert_int_equal(paired_ratio(&a, "total", &b, "total", 0.15, &pr2), 0);
	assert_true(pr.lo == pr2.lo && pr.hi == pr2.hi);
	/* every pair across the two states: no ratio to give */
	pool_states(&c, "LLLLLLHH", 0);
	assert_int_equal(paired_ratio(&a, "total", &c, "total", 0.15, &pr), -EINVAL);
	assert_int_equal((int)pr.kept, 0);
	/* mostly across the states: a ratio from the few, kept < half
	 * (the side-by-side guard then says state! instead) */
	pool_states(&d, "HHLLLLHH", 0);
	assert_int_equal(paired_ratio(&a, "total", &d, "total", 0.15, &pr), 0);
	assert_int_equal((int)pr.kept, 4 * 2);
	assert_true(2 * pr.kept < pr.rounds);
	/* no such phase: nothing paired */
	assert_int_equal(paired_ratio(&a, "queue", &b, "total", 0.15, &pr), -EINVAL);
	result_free(&a);
	result_free(&b);
	result_free(&c);
	result_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pooled),
		cmocka_unit_test(interval),
		cmocka_unit_test(spread),
		cmocka_unit_test(paired_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
