/* SPDX-License-Identifier: MIT */
/*
 * plot.h - drive gnuplot: data files in a private temporary directory,
 * one script per kind of plot (analysis/gnuplot/<kind>.gp), PNG and SVG
 * renamed into the plots directory only once gnuplot has succeeded.
 *
 * Scripts are found in $SCF_GNUPLOT_DIR, else ../../analysis/gnuplot from
 * the executable (build/analysis/), else analysis/gnuplot.  gnuplot is
 * $GNUPLOT or "gnuplot" on PATH; without it nothing is drawn and callers
 * say so.
 */
#ifndef ANALYSIS_PLOT_H
#define ANALYSIS_PLOT_H

#include <stdio.h>

#include "util.h"

struct plotter {
	char *plots_dir;	/* where finished plots go */
	char *tmp;		/* private scratch directory inside plots_dir */
	char *gp_dir;		/* the scripts */
	char *gnuplot;		/* NULL when not installed */
	unsigned seq;		/* data files made so far */
	unsigned failures;	/* plots gnuplot failed on */
	char last_error[512];	/* why the last plot_draw() failed */
};

/* Create plots_dir (if needed) and the scratch directory.  0 or -1. */
int plotter_open(struct plotter *p, const char *plots_dir, struct aerr *e);
/* Remove the scratch directory and everything in it. */
void plotter_close(struct plotter *p);

/* Open a new data file in the scratch directory; *path is malloc'd. */
FILE *plot_data(struct plotter *p, char **path);

/*
 * Run analysis/gnuplot/<script>.gp with `outbase` and the assignments in
 * params (gnuplot syntax, "a='x'; n=3"), then rename <name>.png and
 * <name>.svg into plots_dir.  0, or -1 with p->last_error set.
 */
__attribute__((format(printf, 4, 5)))
int plot_draw(struct plotter *p, const char *script, const char *name,
	      const char *params_fmt, ...);

struct hist;
/*
 * Write h as "<bucket start ns> <count>" rows for a step plot: each
 * non-empty bucket, and a zero row wherever the next bucket is empty, so
 * every step is exactly one bucket wide.  Ends with two blank lines (one
 * gnuplot data block).
 */
void plot_write_hist(FILE *f, const struct hist *h);

/* s made safe inside a gnuplot '...' string (quotes doubled); malloc'd. */
char *gp_quote(const char *s);
/* s made safe for a file name: [A-Za-z0-9._-], others become '_'. */
char *file_safe(const char *s);

#endif /* ANALYSIS_PLOT_H */
