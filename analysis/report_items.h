/* SPDX-License-Identifier: MIT */
/*
 * report_items.h - the plots scf-report drew, and the notes on those it
 * did not, per report.md section: filled by report_plots.c and
 * report_design.c, embedded by report_md.c and report_design.c.
 */
#ifndef ANALYSIS_REPORT_ITEMS_H
#define ANALYSIS_REPORT_ITEMS_H

#include <stdio.h>

#include "plot.h"

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

/* Append a plot (name set) or a note (name NULL) to section sec. */
__attribute__((format(printf, 4, 5)))
void report_item_add(struct report_items *items, enum report_section sec,
		     const char *name, const char *fmt, ...);
/* A note in place of a plot. */
void report_note(struct report_items *items, enum report_section sec,
		 const char *text);
/* Draw script into plots/<name>, and record the plot or why it is missing. */
void report_draw(struct report_items *items, struct plotter *p,
		 enum report_section sec, const char *script, const char *name,
		 const char *caption, const char *params);
/* The plots and notes of section sec, embedded in markdown. */
void report_embed(FILE *f, const struct report_items *items,
		  enum report_section sec);
void report_items_free(struct report_items *items);

#endif /* ANALYSIS_REPORT_ITEMS_H */
