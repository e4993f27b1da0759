// SPDX-License-Identifier: MIT
/*
 * report_counters.c - report.md's counters table: every counted event per
 * request, one row per variant, workload and side (client, shadow).
 */
#include <math.h>
#include <string.h>

#include "report.h"

#define MAX_COLS 16

/* The events any file counted, in the order they first appear. */
static size_t columns(const struct runset *rs, const char **col)
{
	size_t i, j, k, n = 0;

	for (i = 0; i < rs->n; i++)
		for (j = 0; j < rs->r[i].ncounters; j++) {
			const char *ev = rs->r[i].counters[j].event;

			for (k = 0; k < n && strcmp(col[k], ev); k++)
				;
			if (k == n && n < MAX_COLS)
				col[n++] = ev;
		}
	return n;
}

static void cell(FILE *f, const struct counter *c)
{
	if (!c)
		fputs(" — |", f);
	else if (fabs(c->per_req) >= 100)
		fprintf(f, " %.0f |", c->per_req);
	else
		fprintf(f, " %.3f |", c->per_req);
}

void report_counters(FILE *f, const struct runset *rs)
{
	static const char *const sides[] = { "client", "shadow" };
	const char *col[MAX_COLS];
	size_t ncol = columns(rs, col), i, k, s;
	bool sw = false;

	fputs("## Counters per request\n\n", f);
	if (!ncol) {
		fputs("> note: no result carries counters.\n\n", f);
		return;
	}
	for (i = 0; i < rs->n; i++)
		sw |= rs->r[i].counters_source &&
		      !strcmp(rs->r[i].counters_source, "software");
	fputs("Each event counted on the benchmark thread of each side over the "
	      "samples, divided by the requests (`task-clock` in ns).  "
	      "*scale* above 1: the kernel multiplexed the group and the counts "
	      "are extrapolated.\n\n", f);
	if (sw)
		fputs("> note: software events only where no hardware PMU "
		      "answered (see Warnings).\n\n", f);
	fputs("| variant | backend | workload | side |", f);
	for (k = 0; k < ncol; k++)
		fprintf(f, " %s |", col[k]);
	fputs(" scale |\n|---|---|---|---|", f);
	for (k = 0; k <= ncol; k++)
		fputs("--:|", f);
	fputs("\n", f);
	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];

		for (s = 0; s < 2; s++) {
			const struct counter *any = NULL;

			for (k = 0; k < r->ncounters && !any; k++)
				if (!strcmp(r->counters[k].side, sides[s]))
					any = &r->counters[k];
			if (!any)
				continue;
			fprintf(f, "| %s | %s%s | %s | %s |", r->dir, r->cfg.backend,
				r->cfg.emulated ? " (emulated)" : "", r->name,
				sides[s]);
			for (k = 0; k < ncol; k++)
				cell(f, result_counter(r, sides[s], col[k]));
			fprintf(f, " %.2f |\n", any->scale);
		}
	}
	fputs("\n", f);
}
