/* SPDX-License-Identifier: MIT */
/*
 * results_truth.h - the fields of scf-bench/2 that say how far a result
 * can be trusted (probes and their cost, the baseline, the wall-clock
 * check, interference): results.c writes and prints them through these.
 */
#ifndef RESULTS_TRUTH_H
#define RESULTS_TRUTH_H

#include <jansson.h>

#include "bench.h"

/* Wall time may differ from the calls' totals by this much (%). */
#define WALL_GAP_LIMIT_PCT	5.0
/* Net total against the unprobed calls' (%). */
#define RESIDUAL_LIMIT_PCT	10.0

/* net total p50 / unprobed net total p50 - 1, in %; NAN when unknown. */
double meas_residual_pct(const struct bench *b, const struct measurement *r,
			int64_t *scratch);
/* Add probes, baseline, phases_net, wall_gap_pct, interference to root. */
void truth_json(const struct bench *b, const struct measurement *r, json_t *root,
		int64_t *scratch);
/* The same, as lines under the terminal table. */
void truth_print(const struct bench *b, const struct measurement *r, int64_t *scratch);
/* Warnings they raise (meas_finish, before the file is written). */
void truth_warn(const struct bench *b, struct measurement *r);

#endif /* RESULTS_TRUTH_H */
