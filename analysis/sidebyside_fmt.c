// SPDX-License-Identifier: MIT
/*
 * sidebyside_fmt.c - print the side-by-side tables (sidebyside.h) as a
 * padded markdown table, readable as is in a terminal, and the probe cost.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sidebyside.h"

#define NCOLS	(2 + 1 + SBS_NCOL)	/* variant, stat, SCF, peers */
#define NLINES	(1 + 4 * SBS_MAX_ROWS)	/* header, 4 stats per variant */
#define CELL	64

struct grid {
	char c[NLINES][NCOLS][CELL];
	int lines;
};

enum stat { ST_P50, ST_P99, ST_MAX, ST_CPU, ST_N };

static const char *const stat_name[ST_N] = {
	"p50 ns", "p99 ns", "max ns", "cpu ns/req c+s",
};

static double stat_of(const struct sbs_cell *c, enum stat s)
{
	switch (s) {
	case ST_P50: return c->p50;
	case ST_P99: return c->p99;
	case ST_MAX: return c->max;
	default:
		if (c->cpu_client < 0 || c->cpu_shadow < 0)
			return NAN;
		return c->cpu_client + c->cpu_shadow;
	}
}

static void value(char *buf, const struct sbs_cell *c, enum stat s)
{
	if (!c->have)
		snprintf(buf, CELL, "n/a");
	else if (s != ST_CPU)
		snprintf(buf, CELL, "%.0f", stat_of(c, s));
	else if (isnan(stat_of(c, s)))
		snprintf(buf, CELL, "n/a");
	else
		snprintf(buf, CELL, "%.0f+%.0f", c->cpu_client, c->cpu_shadow);
}

/* "peer (SCF/peer x)" */
static void peer_cell(char *buf, const struct sbs_cell *scf,
		      const struct sbs_cell *p, enum stat s)
{
	double a = stat_of(scf, s), b;
	size_t n;

	value(buf, p, s);
	if (!p->have || !scf->have)
		return;
	b = stat_of(p, s);
	n = strlen(buf);
	if (!isnan(a) && !isnan(b) && b > 0)
		snprintf(buf + n, CELL - n, " (%.2fx)", a / b);
}

static void fill(struct grid *g, const struct sbs_table *t)
{
	static const char *const head_null[SBS_NCOL] = {
		"native-null", "io_uring SQPOLL nop", "io_uring nop", "raw round trip",
	};
	static const char *const head_write[SBS_NCOL] = {
		"native-write", "io_uring SQPOLL write", "io_uring write",
		"raw round trip",
	};
	const char *const *head = strcmp(t->workload, "null") ? head_write : head_null;
	int r, k;

	memset(g, 0, sizeof(*g));
	snprintf(g->c[0][0], CELL, "%s: variant", t->workload);
	snprintf(g->c[0][1], CELL, "stat");
	snprintf(g->c[0][2], CELL, "SCF");
	for (k = 0; k < SBS_NCOL; k++)
		snprintf(g->c[0][3 + k], CELL, "%s", head[k]);
	g->lines = 1;
	for (r = 0; r < t->nrows; r++) {
		const struct sbs_row *row = &t->row[r];

		for (k = 0; k < ST_N; k++) {
			char (*line)[CELL] = g->c[g->lines++];
			int p;

			if (k == 0)
				snprintf(line[0], CELL, "%s/%s%s", row->variant,
					 row->scf.backend,
					 row->scf.emulated ? " (emulated)" : "");
			else if (k == 1)
				snprintf(line[0], CELL, "raw = %s",
					 row->peer[SBS_RAW].name[0] ?
					 row->peer[SBS_RAW].name : "none");
			else if (k == 2 && row->raw_why)
				snprintf(line[0], CELL, "(%s)", row->raw_why);
			snprintf(line[1], CELL, "%s", stat_name[k]);
			value(line[2], &row->scf, (enum stat)k);
			for (p = 0; p < SBS_NCOL; p++)
				peer_cell(line[3 + p], &row->scf, &row->peer[p],
					  (enum stat)k);
		}
	}
}

static void print_grid(FILE *f, const struct grid *g)
{
	int w[NCOLS] = { 0 }, l, c;

	for (l = 0; l < g->lines; l++)
		for (c = 0; c < NCOLS; c++)
			if ((int)strlen(g->c[l][c]) > w[c])
				w[c] = (int)strlen(g->c[l][c]);
	for (l = 0; l < g->lines; l++) {
		for (c = 0; c < NCOLS; c++)
			fprintf(f, c < 2 ? "| %-*s " : "| %*s ", w[c], g->c[l][c]);
		fputs("|\n", f);
		if (l)
			continue;
		for (c = 0; c < NCOLS; c++) {
			fputs(c < 2 ? "|-" : "|", f);
			for (int i = 0; i < w[c] + (c < 2 ? 0 : 1); i++)
				fputc('-', f);
			fputs(c < 2 ? "-" : ":", f);
		}
		fputs("|\n", f);
	}
}

static const struct sbs_row *row_of(const struct sbs_table *t, const char *v)
{
	int r;

	for (r = 0; r < t->nrows; r++)
		if (!strcmp(t->row[r].variant, v))
			return &t->row[r];
	return NULL;
}

static void probes(FILE *f, const struct sbs_table *t)
{
	const struct sbs_row *on = row_of(t, "poll"), *off = row_of(t, "poll-noprobes");

	if (on && off)
		fprintf(f, "  probe cost, poll %-5s p50: %.0f ns with probes, %.0f "
			"without (%+.0f ns)\n", t->workload, on->scf.p50,
			off->scf.p50, on->scf.p50 - off->scf.p50);
}

int sbs_print(FILE *f, const char *run_dir, enum sbs_format fmt)
{
	struct sbs_table t[2];
	struct grid *g = malloc(sizeof(*g));
	int i;

	if (!g)
		return -ENOMEM;
	sbs_build(run_dir, "null", &t[0]);
	sbs_build(run_dir, "write", &t[1]);
	if (!t[0].nrows && !t[1].nrows) {
		free(g);
		return -ENOENT;
	}
	fprintf(f, fmt == SBS_MARKDOWN ? "## Side by side: SCF against what a "
		"program would use instead\n\n" : "\nside by side (%s)\n", run_dir);
	fputs(fmt == SBS_MARKDOWN ? "Total latency in ns and CPU time per request "
	      "(client+shadow, user+sys); each peer cell is the peer's value "
	      "with the ratio SCF/peer in parentheses.\n\n" : "", f);
	for (i = 0; i < 2; i++) {
		if (!t[i].nrows)
			continue;
		fill(g, &t[i]);
		print_grid(f, g);
		fputc('\n', f);
	}
	fputs(fmt == SBS_MARKDOWN ? "Probe cost (the PROBES=0 build, "
	      "interleaved sample by sample):\n\n```\n" :
	      "probe cost (the PROBES=0 build, interleaved sample by sample):\n",
	      f);
	probes(f, &t[0]);
	probes(f, &t[1]);
	if (fmt == SBS_MARKDOWN)
		fputs("```\n", f);
	fputc('\n', f);
	free(g);
	return 0;
}
