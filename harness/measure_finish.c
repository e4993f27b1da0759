// SPDX-License-Identifier: MIT
/*
 * meas_finish.c - a finished run, peer or forwarded: the warnings every result
 * carries, then its file (with --out) and its table.
 */
#include "harness.h"
#include "results_truth.h"

void meas_finish(struct bench *b, struct measurement *r)
{
	iso_time(r->end, sizeof(r->end));
	if (b->note)
		meas_warn(r, "%s", b->note);
	if (b->latency_note)
		meas_warn(r, "%s", b->latency_note);
	meas_warn(r, "tsc skew CPU %d -> CPU %d: %.1f ns (best round trip %.0f ns)",
		 b->client_cpu, b->shadow_cpu, b->skew_ns, b->skew_rtt_ns);
	if (!b->tsc_invariant)
		meas_warn(r, "TSC is not invariant on this CPU: phases may drift");
	for (int p = 0; p < PH_NR; p++)
		if (r->ph[p].negative)
			meas_warn(r, "%s: %llu negative deltas (cross-CPU skew), "
				 "kept unclamped", scf_phase_names[p],
				 (unsigned long long)r->ph[p].negative);
	if (r->missing_late)
		meas_warn(r, "%llu responses without an S5 stamp (late log)",
			 (unsigned long long)r->missing_late);
	if (r->identity_violations)
		meas_warn(r, "a stamp missing or out of order in %llu requests",
			 (unsigned long long)r->identity_violations);
	truth_warn(b, r);
	if (b->out_dir && results_write(b, r))
		b->failures++;
	results_print(b, r);
}
