/* SPDX-License-Identifier: MIT */
/*
 * compare.h - BASE against HEAD for one host: for every (variant,
 * workload, phase) present on both sides, the change of p50 and p99 and a
 * two-sided Mann-Whitney U test on the per-sample values, with a verdict.
 *
 * Per-sample values are phases.<p>.sample_p50_ns, else sample_means_ns
 * (else, for total, samples_ns).  Where both sides pool replicas
 * (replicas.h), the unit is the replica instead: one value per replica,
 * its p50, and the p50s compared are the replicas' medians, since the
 * samples of one process share its level and are not independent.  Each
 * row also says the smallest slowdown it could have flagged (detectable):
 * HEAD's values moved to BASE's median, then shifted until the U test
 * gives p < alpha, and at least the threshold.  A row regressed when p < alpha and
 * its p50 grew by more than threshold % of its own BASE p50, by more than
 * threshold % of BASE's total p50 (the change moves the end-to-end
 * latency that much), and by more than min_ns; it improved when p50 fell
 * by as much.  The second condition keeps a phase of a few clock ticks
 * from being a verdict: with a 10 ns clock quantum, one tick is 20 % of a
 * 50 ns phase, and per-sample medians make such a tick "significant".  Files whose configurations differ are
 * listed as not comparable and never compared.
 *
 * The machine: where both sides carry per-sample baselines (scf-bench/2),
 * each side's baseline for a variant directory is the median of all its
 * files' per-sample baseline p50s.  When they differ by more than
 * threshold %, the machine changed under the comparison, so every row of
 * that directory gets V_MACHINE instead of a verdict and counts as no
 * regression; unless the two sides took turns in one interleaved run
 * (the same config.interleave_group): then they saw one machine state, and their
 * baselines differ only by their processes' own levels.  With normalize, every per-sample value is first divided
 * by the baseline of its own sample, the U test runs on those ratios, and
 * the p50s compared are the ratios' medians times BASE's baseline (ns at
 * BASE's machine speed); rows without per-sample baselines are untested.
 */
#ifndef ANALYSIS_COMPARE_H
#define ANALYSIS_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include "mwu.h"
#include "runset.h"

enum verdict { V_NONE, V_REGRESSION, V_IMPROVEMENT, V_UNTESTED, V_MACHINE };

struct cmp_row {
	const struct result *base, *head;
	const struct phase *bp, *hp;
	double d50, d99;		/* % change of p50, p99; NAN if undefined */
	double d50_total;		/* p50 change in % of BASE's total p50 */
	double base_line, head_line;	/* each side's baseline ns, NAN if none */
	double n50b, n50h;		/* normalized p50s (normalize), else NAN */
	const char *values;		/* the per-sample field used, or NULL */
	size_t nb, nh;
	struct mwu u;
	/* Replicas on both sides: the U test took one value per replica
	 * (its p50), and the p50s compared are the replicas' medians. */
	bool replicas;
	/* The smallest slowdown of this row, in % of BASE's p50, that its
	 * values would have flagged: NAN where untested, INFINITY where no
	 * shift could reach p < alpha with so few values. */
	double detectable;
	enum verdict verdict;
	char note[160];			/* e.g. too few samples */
};

/* A file present on both sides whose configurations differ. */
struct cmp_skip {
	const struct result *base, *head;
	char why[512];			/* "cycles 200 -> 300; memsync ..." */
};

struct comparison {
	const char *host;
	double threshold, alpha, min_ns;
	bool normalize;
	size_t nrows, nskips, nonly;
	struct cmp_row *rows;
	struct cmp_skip *skips;
	const struct result **only;	/* files on one side only */
	int *only_head;			/* 1: in HEAD only, 0: in BASE only */
	size_t regressions, improvements, machine_changed;
};

void compare_runsets(const struct runset *base, const struct runset *head,
		     double threshold, double alpha, double min_ns,
		     bool normalize, struct comparison *c);
void comparison_free(struct comparison *c);
const char *verdict_name(enum verdict v);

/* compare_baseline.c: the median of every per-sample baseline p50 of the
 * files in variant directory vdir, or NAN when they have none. */
double runset_baseline(const struct runset *rs, const char *vdir);
/* v[i] / the baseline of sample i of r, malloc'd into *out; -EINVAL when
 * r has no baseline for every sample of v. */
int baseline_ratios(const struct series *v, const struct result *r,
		    double **out);

/* compare_out.c: the table on f, compare.json, the plots of moved rows. */
#define SCF_COMPARE_SCHEMA	"scf-compare/1"	/* compare.json's "schema" */
void compare_print(FILE *f, const struct comparison *c, const char *base_name,
		   const char *head_name);
json_t *compare_json(const struct comparison *c, const char *base_name,
		     const char *head_name);
/* 0, or the number of plots that could not be drawn. */
int compare_plots(const struct comparison *c, const char *plots_dir,
		  const char *base_name, const char *head_name, FILE *log);

#endif /* ANALYSIS_COMPARE_H */
