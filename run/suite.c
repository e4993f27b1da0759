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

static struct run S;
static bool on;
static char workload[64];

void run_suite_begin(const char *prog)
{
	const char *base = strrchr(prog, '/');

	snprintf(workload, sizeof(workload), "app-%s", base ? base + 1 : prog);
	run_init(&S, 1, SUITE_CALLS);
	S.workload = workload;
	S.dir = scf_notify_name();
	S.memsync = "copy";
	S.probes = SCF_PROBES;
	/* One forwarded call in --probe-every stamps every point (main.c). */
	S.probe_every = SCF_PROBES ? R.probe_every : 0;
	on = true;
}

void run_suite_rec(const struct scf_rec *rec)
{
	if (on && !R.child)
		run_add_rec(&S, rec);
}

int run_suite_end(struct bench *b, double wall_ns, double native_ns)
{
	if (!on)
		return 0;
	S.backend = b->backend;		/* picked after begin */
	S.emulated = scf_notify_note(b->backend) != NULL;
	run_end_sample(&S, 0);
	S.wall_ns[0] = R.fwd_total ? wall_ns / (double)R.fwd_total : 0;
	iso_time(S.end, sizeof(S.end));
	run_extra(&S, "trap_roundtrip_ns", R.trap_rt_ns);
	run_extra(&S, "wall_ms", wall_ns / 1e6);
	if (native_ns > 0)
		run_extra(&S, "native_wall_ms", native_ns / 1e6);
	run_extra(&S, "unclassified", (double)R.unclassified);
	if (S.emulated)
		run_warn(&S, "%s", scf_notify_note(b->backend));
	if (b->latency_note)
		run_warn(&S, "%s", b->latency_note);
	if (run_rewrite_why_not())
		run_warn(&S, "scf-run: %s", run_rewrite_why_not());
	else
		run_extra(&S, "sites_rewritten", (double)R.sites_rewritten);
	run_warn(&S, "scf-run %s: its forwarded calls as one sample; TSC skew "
		 "not measured", R.prog);
	if (R.fwd_total > SUITE_CALLS)
		run_warn(&S, "%llu forwarded calls, the first %u kept",
			 (unsigned long long)R.fwd_total, SUITE_CALLS);
	if (S.identity_violations)
		run_warn(&S, "identity violated by %llu requests",
			 (unsigned long long)S.identity_violations);
	b->tsc_hz = R.tsc_hz;
	b->tsc_invariant = scf_tsc_invariant();
	return results_write(b, &S);
}
