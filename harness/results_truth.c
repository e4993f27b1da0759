// SPDX-License-Identifier: MIT
/*
 * results_truth.c - the scf-bench/2 fields that say how far a run can be
 * trusted: sampled probes and the net phases with the stamps' cost taken
 * out, the baseline beside every sample, the wall-clock check, and what
 * else ran on the benchmark CPUs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drift.h"
#include "interference.h"
#include "net.h"
#include "results_truth.h"

static double to_ns(const struct bench *b, double ticks)
{
	return ticks * 1e9 / (double)b->tsc_hz;
}

static json_t *num1(double v)
{
	return isfinite(v) ? json_real(round(v * 10) / 10) : json_null();
}

/* Net p50 of phase p in ns; NAN when it has no values or no net. */
static double net_p50_ns(const struct bench *b, const struct measurement *r,
			 enum scf_phase p, int64_t *scratch)
{
	double cost = net_cost(p, b->stamp_ticks[0], b->stamp_ticks[1]);

	if (!r->ph[p].n || cost < 0)
		return NAN;
	return to_ns(b, (double)series_p50(&r->ph[p], scratch) - cost);
}

double meas_residual_pct(const struct bench *b, const struct measurement *r,
			int64_t *scratch)
{
	return net_residual_pct(net_p50_ns(b, r, PH_TOTAL_PROBED, scratch),
				net_p50_ns(b, r, PH_TOTAL_UNPROBED, scratch));
}

static json_t *probes_json(const struct bench *b, const struct measurement *r,
			   int64_t *scratch)
{
	return json_pack("{s:i, s:I, s:{s:o, s:o}, s:o}",
		"every", (int)r->probe_every,
		"probed", (json_int_t)r->ph[PH_TOTAL_PROBED].n,
		"stamp_ns",
		"client", num1(to_ns(b, b->stamp_ticks[0])),
		"shadow", num1(to_ns(b, b->stamp_ticks[1])),
		"residual_pct", num1(meas_residual_pct(b, r, scratch)));
}

static json_t *baseline_json(const struct measurement *r)
{
	json_t *a = json_array();
	uint32_t i;

	for (i = 0; i < r->samples_done; i++)
		json_array_append_new(a, num1(r->baseline_ns[i]));
	return json_pack("{s:o, s:o}", "p50_ns", a, "spread",
			 num1(drift_spread(r->baseline_ns, r->samples_done)));
}

static json_t *net_json(const struct bench *b, const struct measurement *r,
			int64_t *scratch)
{
	json_t *o = json_object();
	int p;

	for (p = 0; p < PH_NR; p++) {
		double v = net_p50_ns(b, r, p, scratch);

		if (isnan(v))
			continue;
		json_object_set_new(o, p == PH_TOTAL_PROBED ? "total" :
				    scf_phase_names[p], json_pack("{s:I, s:o}",
				    "count", (json_int_t)r->ph[p].n,
				    "p50_ns", num1(v)));
	}
	return o;
}

static json_t *interference_json(const struct measurement *r)
{
	const struct interference *f = r->intf;
	json_t *hit = json_array(), *nv = json_array(), *tasks = json_array();
	uint32_t i;

	for (i = 0; f && i < r->samples_done; i++) {
		if (f->hit[i])
			json_array_append_new(hit, json_integer(i + 1));
		json_array_append_new(nv, json_integer((json_int_t)f->nvcsw[i]));
	}
	for (i = 0; f && i < f->ntask; i++)
		json_array_append_new(tasks, json_pack(
			"{s:i, s:i, s:s, s:i, s:o}", "sample",
			(int)f->task[i].sample + 1, "pid", f->task[i].pid,
			"comm", f->task[i].comm, "cpu", f->task[i].cpu,
			"ran_ns", num1(f->task[i].ran_ns)));
	return json_pack("{s:b, s:o, s:o, s:o, s:i}",
		"detected", json_array_size(hit) > 0, "samples", hit,
		"nonvoluntary_switches", nv, "tasks", tasks,
		"tasks_left_out", f ? (int)f->dropped : 0);
}

void truth_json(const struct bench *b, const struct measurement *r, json_t *root,
		int64_t *scratch)
{
	json_t *gap = json_array();
	uint32_t i;

	json_object_set_new(root, "probes", probes_json(b, r, scratch));
	/* What was not measured is left out, never written as zero. */
	if (r->baseline_measured && r->samples_done)
		json_object_set_new(root, "baseline", baseline_json(r));
	json_object_set_new(root, "phases_net", net_json(b, r, scratch));
	/* Forwarded runs only: a peer's measure() has no per-call totals. */
	for (i = 0; r->wall_gap_measured && i < r->samples_done; i++)
		json_array_append_new(gap, num1(r->wall_gap_pct[i]));
	if (json_array_size(gap))
		json_object_set(root, "wall_gap_pct", gap);
	json_decref(gap);
	if (r->intf && r->samples_done)
		json_object_set_new(root, "interference", interference_json(r));
}

void truth_print(const struct bench *b, const struct measurement *r, int64_t *scratch)
{
	double res = meas_residual_pct(b, r, scratch), worst = 0;
	uint32_t i;

	if (r->probe_every)
		printf("  probes: 1 call in %u stamps every point (%llu did), "
		       "stamp %.1f/%.1f ns, net total residual %s%.1f %%\n",
		       r->probe_every,
		       (unsigned long long)r->ph[PH_TOTAL_PROBED].n,
		       to_ns(b, b->stamp_ticks[0]), to_ns(b, b->stamp_ticks[1]),
		       isnan(res) ? "n/a " : "", isnan(res) ? 0 : res);
	if (r->baseline_measured && r->samples_done)
		printf("  baseline ping-pong p50 per sample: spread %.2f\n",
		       drift_spread(r->baseline_ns, r->samples_done));
	for (i = 0; r->wall_gap_measured && i < r->samples_done; i++)
		if (fabs(r->wall_gap_pct[i]) > fabs(worst))
			worst = r->wall_gap_pct[i];
	if (r->wall_gap_measured && r->samples_done)
		printf("  wall clock vs calls' totals: worst gap %+.1f %%\n",
		       worst);
}

void truth_warn(const struct bench *b, struct measurement *r)
{
	int64_t *scratch = malloc(sizeof(int64_t) *
				  ((uint64_t)r->samples * r->cycles + 1));
	char names[160];
	double res;
	uint32_t i, n = 0;

	if (scratch) {
		res = meas_residual_pct(b, r, scratch);
		if (!isnan(res) && fabs(res) > RESIDUAL_LIMIT_PCT)
			meas_warn(r, "net total differs from the unprobed calls' "
				 "by %.1f %% (over %.0f %%): the stamps' cost is "
				 "not what was calibrated", res,
				 RESIDUAL_LIMIT_PCT);
		free(scratch);
	}
	if (r->baseline_measured &&
	    drift_samples(r->baseline_ns, r->samples_done, DRIFT_LIMIT, names,
			  sizeof(names)))
		meas_warn(r, "baseline drift: ping-pong p50 max/min %.2f > %.2f; "
			 "samples %s moved", drift_spread(r->baseline_ns,
			 r->samples_done), DRIFT_LIMIT, names);
	names[0] = 0;
	for (i = 0; r->wall_gap_measured && i < r->samples_done; i++) {
		size_t off = strlen(names);

		if (fabs(r->wall_gap_pct[i]) <= WALL_GAP_LIMIT_PCT)
			continue;
		n++;
		snprintf(names + off, sizeof(names) - off, "%s%u (%+.1f %%)",
			 n > 1 ? ", " : "", i + 1, r->wall_gap_pct[i]);
	}
	if (n)
		meas_warn(r, "wall clock differs from the calls' totals by more "
			 "than %.0f %% in samples %s", WALL_GAP_LIMIT_PCT, names);
	if (interference_hits(r->intf, names, sizeof(names))) {
		const struct interference *f = r->intf;
		const struct intf_task *top = f->ntask ? &f->task[0] : NULL;

		for (i = 1; i < f->ntask; i++)
			if (f->task[i].ran_ns > top->ran_ns)
				top = &f->task[i];
		meas_warn(r, "interference: another task ran on CPU %d or %d in "
			 "samples %s (longest: %s, pid %d, %.0f us in sample %u)",
			 b->client_cpu, b->shadow_cpu, names,
			 top ? top->comm : "?", top ? top->pid : 0,
			 top ? top->ran_ns / 1e3 : 0, top ? top->sample + 1 : 0);
	}
}
