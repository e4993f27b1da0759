// SPDX-License-Identifier: MIT
/*
 * suite.c - the run as a result in the suite's own schema (scf-bench's
 * writer's SCF_BENCH_SCHEMA, results/README.md), written by that writer: the workload
 * "app-<program>", one sample whose requests are the program's forwarded
 * calls, with their phases, histogram and identity check; the trap's
 * round trip and both wall times go in "extra".  The per-call-number
 * breakdown stays in the SCF_RUN_SCHEMA file (--out).
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "run.h"
#include "scf_tsc.h"

#define SUITE_CALLS	(1u << 21)	/* requests kept; more are counted */

static struct measurement suite;
static bool on;
static char workload[64];

void run_suite_begin(const char *prog)
{
	const char *base = strrchr(prog, '/');

	snprintf(workload, sizeof(workload), "app-%s", base ? base + 1 : prog);
	meas_init(&suite, 1, SUITE_CALLS);
	suite.workload = workload;
	suite.dir = scf_notify_name();
	suite.memsync = "copy";
	suite.probes = SCF_PROBES;
	/* One forwarded call in --probe-every stamps every point (main.c). */
	suite.probe_every = SCF_PROBES ? runtime.probe_every : 0;
	on = true;
}

void run_suite_rec(const struct scf_rec *rec)
{
	if (on && !runtime.child)
		meas_add_rec(&suite, rec);
}

int run_suite_end(struct bench *b, double wall_ns, double native_ns)
{
	if (!on)
		return 0;
	suite.backend = b->backend;		/* picked after begin */
	suite.emulated = scf_notify_note(b->backend) != NULL;
	meas_end_sample(&suite, 0);
	suite.wall_ns[0] = runtime.fwd_total ? wall_ns / (double)runtime.fwd_total : 0;
	iso_time(suite.end, sizeof(suite.end));
	meas_extra(&suite, "trap_roundtrip_ns", runtime.trap_rt_ns);
	meas_extra(&suite, "wall_ms", wall_ns / 1e6);
	if (native_ns > 0)
		meas_extra(&suite, "native_wall_ms", native_ns / 1e6);
	meas_extra(&suite, "unclassified", (double)runtime.unclassified);
	if (suite.emulated)
		meas_warn(&suite, "%s", scf_notify_note(b->backend));
	if (b->latency_note)
		meas_warn(&suite, "%s", b->latency_note);
	if (runtime.rewrite_why_not)
		meas_warn(&suite, "scf-run: %s", runtime.rewrite_why_not);
	else
		meas_extra(&suite, "sites_rewritten", (double)runtime.sites_rewritten);
	meas_warn(&suite, "scf-run %s: its forwarded calls as one sample; TSC skew "
		 "not measured", runtime.prog);
	if (runtime.fwd_total > SUITE_CALLS)
		meas_warn(&suite, "%llu forwarded calls, the first %u kept",
			 (unsigned long long)runtime.fwd_total, SUITE_CALLS);
	if (suite.identity_violations)
		meas_warn(&suite, "identity violated by %llu requests",
			 (unsigned long long)suite.identity_violations);
	b->tsc_hz = runtime.tsc_hz;
	b->tsc_invariant = scf_tsc_invariant();
	return results_write(b, &suite);
}
