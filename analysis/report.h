/* SPDX-License-Identifier: MIT */
/*
 * report.h - what scf-report produces for one run directory: the plots
 * (report_plots.c) and report.md (report_md.c).  The files depend one
 * way: report_md and report_plots on report_design, all three on
 * report_items (the plots drawn and the notes, report_items.h).
 */
#ifndef ANALYSIS_REPORT_H
#define ANALYSIS_REPORT_H

#include <stdio.h>

#include "plot.h"
#include "report_items.h"
#include "runset.h"
#include "scf_phase.h"

/* The phases of the stacked breakdown, in stacking order. */
extern const enum scf_phase report_breakdown_phases[4];

/* "<variant dir>/<backend>", malloc'd. */
char *result_label(const struct result *r);

/* Draw every plot the run has data for; note every one it has not. */
void report_plots(const struct runset *rs, struct plotter *p,
		  struct report_items *items);

/*
 * report_quality.c: per result, the probes, stamp cost, residual, baseline
 * and its drift, wall gap and interference (scf-bench/2), with the net
 * phases beside the raw ones: a report.md section, or terminal lines.
 * Nothing for results without those fields.
 */
void report_quality_md(FILE *f, const struct runset *rs);
void report_quality_terminal(FILE *f, const struct runset *rs);

/* report_design.c: lat_write's configurations, sync or async, SPSC or MPSC. */
void report_design_md(FILE *f, const struct runset *rs,
		      const struct report_items *items);
/* report_design.c: latency against throughput, doorbells against depth. */
void report_design_plots(const struct runset *rs, struct plotter *p,
			 struct report_items *items);
/* Write report.md for rs with items embedded, to f. */
void report_md(FILE *f, const struct runset *rs,
	       const struct report_items *items);

/* report_counters.c: the counters per request, per variant and workload. */
void report_counters(FILE *f, const struct runset *rs);
/* report_tail.c: the tail explained, for the results of a --trace run. */
void report_tail(FILE *f, const struct runset *rs);
/* report_ipi.c: the calls a real IPI woke, beside all, where split. */
void report_ipi(FILE *f, const struct runset *rs);

/*
 * The side-by-side table: for null and write, each variant's total
 * p50/p99/max next to the peer baselines of peers/ (native, io_uring
 * SQPOLL, io_uring, the variant's own raw notification round trip), with
 * the ratio SCF/peer.  Writes nothing but a note when there are no peers.
 */

#endif /* ANALYSIS_REPORT_H */
