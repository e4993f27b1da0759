/* SPDX-License-Identifier: MIT */
/*
 * report.h - what scf-report produces for one run directory: the plots
 * (report_plots.c) and report.md (report_md.c).
 */
#ifndef ANALYSIS_REPORT_H
#define ANALYSIS_REPORT_H

#include <stdio.h>

#include "plot.h"
#include "scf_phase.h"
#include "runset.h"

enum report_section {
	SEC_BREAKDOWN,
	SEC_CDF,
	SEC_PAYLOAD,
	SEC_SAMPLES,
	SEC_HIST,
	SEC_DESIGN,
	SEC_COUNT
};

/* A plot that was drawn (name set), or a note on one that was not. */
struct report_item {
	enum report_section sec;
	char *name;		/* plots/<name>.png and .svg, or NULL */
	char *text;		/* caption, or the note */
};

struct report_items {
	size_t n;
	struct report_item *v;
};

/* The phases of the stacked breakdown, in stacking order. */
extern const enum scf_phase report_breakdown_phases[4];

/* "<variant dir>/<backend>", malloc'd. */
char *result_label(const struct result *r);

/* Draw every plot the run has data for; note every one it has not. */
void report_plots(const struct runset *rs, struct plotter *p,
		  struct report_items *items);
void report_items_free(struct report_items *items);

/*
 * report_quality.c: per result, the probes, stamp cost, residual, baseline
 * and its drift, wall gap and interference (scf-bench/2), with the net
 * phases beside the raw ones: a report.md section, or terminal lines.
 * Nothing for results without those fields.
 */
void report_quality_md(FILE *f, const struct runset *rs);
void report_quality_terminal(FILE *f, const struct runset *rs);

/* Write report.md for rs with items embedded, to f. */
/* report_design.c: lat_write's configurations, sync or async, SPSC or MPSC. */
void report_design_md(FILE *f, const struct runset *rs,
		      const struct report_items *items);
/* report_design.c: latency against throughput, doorbells against depth. */
void report_design_plots(const struct runset *rs, struct plotter *p,
			 struct report_items *items);
/* report_plots.c: draw script into plots/<name>, or note why not. */
void report_draw(struct report_items *items, struct plotter *p,
		 enum report_section sec, const char *script, const char *name,
		 const char *caption, const char *params);
/* report_plots.c: a note in place of a plot. */
void report_note(struct report_items *items, enum report_section sec,
		 const char *text);
/* report_md.c: the plots and notes of section sec, embedded. */
void report_embed(FILE *f, const struct report_items *items,
		  enum report_section sec);

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
