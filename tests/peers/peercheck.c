// SPDX-License-Identifier: MIT
/*
 * peercheck - check one peer baseline's result file (scf-bench/2) and
 * print TAP: it reads with the tools' reader (analysis/result.h), config,
 * the total phase only, count = samples x cycles, ordered percentiles,
 * one sample mean per sample, the cpu block.
 *
 *   peercheck FILE WORKLOAD SAMPLES CYCLES [--two-sided] [--wait W]
 *
 * --two-sided: the peer side did work, so shadow_ns_per_req must be > 0.
 * --wait W: config.wait must be W ("none": the result records no policy).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"
#include "tap.h"

int main(int argc, char **argv)
{
	const char *wait = NULL;
	const struct phase *tot;
	int two = 0, i;
	struct result r;
	struct aerr e;
	long samples, cycles;
	const char *wl;
	double cc, cs;

	if (argc < 5) {
		fprintf(stderr, "usage: peercheck FILE WORKLOAD SAMPLES CYCLES "
			"[--two-sided]\n");
		return 2;
	}
	for (i = 5; i < argc; i++) {
		if (!strcmp(argv[i], "--two-sided"))
			two = 1;
		else if (!strcmp(argv[i], "--wait") && i + 1 < argc)
			wait = argv[++i];
		else {
			fprintf(stderr, "peercheck: unknown argument '%s'\n",
				argv[i]);
			return 2;
		}
	}
	wl = argv[2];
	samples = atol(argv[3]);
	cycles = atol(argv[4]);
	if (!tap_ok(!result_load(argv[1], &r, &e), "%s reads as a result",
		    argv[1])) {
		tap_diag("%s", e.msg);
		result_free(&r);
		return tap_done();
	}
	tot = result_phase(&r, "total");
	tap_ok(r.schema == 2, "schema is scf-bench/2");
	tap_ok(!strcmp(r.cfg.variant, "peers") && !strcmp(r.cfg.workload, wl),
	       "config names peers/%s", wl);
	tap_ok(r.cfg.samples == samples && r.cfg.cycles == cycles,
	       "config samples x cycles as asked");
	tap_ok(r.nphases == 1, "phases: total only");
	tap_ok(tot->count == (double)samples * (double)cycles,
	       "total.count = samples x cycles");
	tap_ok(tot->min_ns > 0 && tot->min_ns <= tot->p50_ns &&
	       tot->p50_ns <= tot->p99_ns && tot->p99_ns <= tot->max_ns,
	       "0 < min <= p50 <= p99 <= max");
	tap_ok(r.samples_ns.n == (size_t)samples, "one sample mean per sample");
	cc = r.cpu_client_ns;
	cs = r.cpu_shadow_ns;
	tap_ok(r.has_cpu && cc > 0 && cs >= 0,
	       "cpu block: client > 0, shadow >= 0 ns per request");
	if (two)
		tap_ok(cs > 0, "cpu block: the peer side's CPU time is counted");
	if (wait && !strcmp(wait, "none"))
		tap_ok(!r.cfg.wait[0], "config.wait absent (got '%s')",
		       r.cfg.wait);
	else if (wait)
		tap_ok(!strcmp(r.cfg.wait, wait), "config.wait is %s (got '%s')",
		       wait, r.cfg.wait);
	tap_diag("%s: p50 %.0f ns, cpu client %.0f shadow %.0f ns/req", wl,
		 tot->p50_ns, cc, cs);
	result_free(&r);
	return tap_done();
}
