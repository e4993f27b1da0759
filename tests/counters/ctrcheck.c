// SPDX-License-Identifier: MIT
/*
 * ctrcheck.c - a result's counters, read with the one result reader
 * (analysis/result.h), against a bound:
 *
 *   ctrcheck FILE SIDE EVENT min|max BOUND
 *       EVENT per request on SIDE in the quietest sample (the fewest per
 *       request) is at least / at most BOUND.  Other work on a busy
 *       machine only adds context switches (preemptions), never takes
 *       them away: "min" holds then in every sample, and the quietest
 *       sample is the closest to what the benchmark itself causes.
 *   ctrcheck --denied FILE
 *       the run completed, said once that kernel.perf_event_paranoid
 *       forbids counting, and carries no counters
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "tap.h"

static int denied(const char *path)
{
	struct result r;
	struct aerr e;
	const json_t *w;
	size_t i, n = 0;

	if (!tap_ok(result_load(path, &r, &e) == 0, "%s loads", path)) {
		printf("# %s\n", e.msg);
		return 1;
	}
	json_array_foreach(r.warnings, i, w)
		n += strstr(json_string_value(w), "kernel.perf_event_paranoid") != NULL;
	tap_ok(n == 1, "one warning names kernel.perf_event_paranoid (%zu)", n);
	tap_ok(r.ncounters == 0, "no counters in the result (%zu)", r.ncounters);
	tap_ok(result_phase(&r, "total")->count > 0, "the run has its requests");
	result_free(&r);
	return 0;
}

int main(int argc, char **argv)
{
	const struct counter *c;
	struct result r;
	struct aerr e;
	double bound, med;	/* the quietest sample's */
	bool min;

	if (argc == 3 && !strcmp(argv[1], "--denied")) {
		denied(argv[2]);
		printf("1..%d\n", tap_num);
		return tap_failed ? 1 : 0;
	}
	if (argc != 6 || (strcmp(argv[4], "min") && strcmp(argv[4], "max"))) {
		fprintf(stderr, "usage: ctrcheck FILE SIDE EVENT min|max BOUND | "
			"--denied FILE\n");
		return 2;
	}
	min = !strcmp(argv[4], "min");
	bound = strtod(argv[5], NULL);
	if (!tap_ok(result_load(argv[1], &r, &e) == 0, "%s loads", argv[1])) {
		printf("# %s\n", e.msg);
	} else if (tap_ok((c = result_counter(&r, argv[2], argv[3])) != NULL,
			  "%s counted on the %s", argv[3], argv[2])) {
		med = NAN;
		for (size_t i = 0; i < c->ph.sample_p50.n; i++)
			if (!(c->ph.sample_p50.v[i] >= med))
				med = c->ph.sample_p50.v[i];
		tap_ok(isfinite(med) && (min ? med >= bound : med <= bound),
		       "%s %s/request: quietest of %zu samples %.4f %s %g (run: %.4f)",
		       argv[2], argv[3], c->ph.sample_p50.n, med,
		       min ? ">=" : "<=", bound, c->per_req);
		result_free(&r);
	}
	printf("1..%d\n", tap_num);
	return tap_failed ? 1 : 0;
}
