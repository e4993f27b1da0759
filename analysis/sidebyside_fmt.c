// SPDX-License-Identifier: MIT
/*
 * sidebyside_fmt.c - print the side-by-side tables (sidebyside.h) as a
 * padded markdown table, readable as is in a terminal, and the probe cost.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "replicas.h"
#include "sidebyside.h"

#define NCOLS	(2 + 1 + SBS_NCOL)	/* variant, stat, SCF, peers */
/* header, 4 stats per variant and its IPI-woken line */
#define NLINES	(1 + 5 * SBS_MAX_ROWS)
#define CELL	64

struct grid {
	char c[NLINES][NCOLS][CELL];
	int lines;
	bool not_interleaved;	/* a cell says n/i: print the footnote */
	bool wait_differs;	/* a cell says its peer waited otherwise */
	bool ipi_split;		/* a row has its IPI-woken line */
	bool interval;		/* a ratio has its replica interval */
	bool state_differs;	/* a ratio is of two machine states */
	bool paired;		/* a ratio is paired within rounds */
	const char *run_dir;	/* where the cells' results are read again */
};

enum stat { ST_P50, ST_P99, ST_MAX, ST_CPU, ST_N };

static const char *const stat_name[ST_N] = {
	"p50 ns", "p99 ns", "max ns", "cpu ns/req c+s",
};

static double stat_of(const struct sbs_cell *c, enum stat s)
{
	switch (s) {
	/* The median of the replicas' p50s: what every ratio divides. */
	case ST_P50: return c->nrep ? median_of(c->rep_p50, (size_t)c->nrep) : c->p50;
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

/*
 * Whether the two were measured mostly in different machine states: their
 * baselines (the median of every per-sample ping-pong) differ by more than
 * STATE_LIMIT.  A machine that switches between states faster than a run
 * puts the majority of one side's samples in one and of the other's in
 * the other, and the ratio then measures the states, not the two.
 */
#define STATE_LIMIT	0.15
static bool state_differs(const struct sbs_cell *a, const struct sbs_cell *b)
{
	return isfinite(a->baseline) && isfinite(b->baseline) && b->baseline > 0 &&
	       fabs(a->baseline / b->baseline - 1) > STATE_LIMIT;
}

/*
 * The ratio paired within rounds (replicas.h), its sample pairs taken
 * only where both sides' baselines agree; usable where at least half the
 * pairs did (else the two were measured mostly in different states, and
 * the guard above speaks).  Phase pa falls back to total where a result
 * has no per-sample series for it.
 */
static bool paired(const char *run_dir, const struct sbs_cell *a,
		   const char *pa, const struct sbs_cell *b, struct paired *pr)
{
	if (!run_dir ||
	    (sbs_paired(run_dir, a, pa, b, "total", STATE_LIMIT, pr) &&
	     (!strcmp(pa, "total") ||
	      sbs_paired(run_dir, a, "total", b, "total", STATE_LIMIT, pr))))
		return false;
	return 2 * pr->kept >= pr->rounds;
}

/* "peer (SCF/peer x)", or "peer (n/i)" where the two were not interleaved */
static void ratio_cell(struct grid *g, char *buf, const struct sbs_cell *scf,
		       const struct sbs_cell *p, enum stat s)
{
	double a = stat_of(scf, s), b, lo, hi;
	struct paired pr;
	size_t n;

	value(buf, p, s);
	if (!p->have || !scf->have)
		return;
	b = stat_of(p, s);
	n = strlen(buf);
	if (isnan(a) || isnan(b) || !(b > 0))
		return;
	if (!result_interleaved(&scf->ordering, &p->ordering)) {
		snprintf(buf + n, CELL - n, " (n/i)");
		g->not_interleaved = true;
		return;
	}
	if (s == ST_P50 && paired(g->run_dir, scf, "total", p, &pr)) {
		if (pr.nrep > 1)
			snprintf(buf + n, CELL - n, " (%.2fx [%.2f-%.2f] paired)",
				 pr.ratio, pr.lo, pr.hi);
		else
			snprintf(buf + n, CELL - n, " (%.2fx paired)", pr.ratio);
		g->paired = true;
		return;
	}
	if (state_differs(scf, p)) {
		snprintf(buf + n, CELL - n, " (%.2fx, state!)", a / b);
		g->state_differs = true;
		return;
	}
	if (s == ST_P50 && scf->nrep > 1 && p->nrep > 1 &&
	    !ratio_interval(scf->rep_p50, (size_t)scf->nrep, p->rep_p50,
			    (size_t)p->nrep, &a, &lo, &hi)) {
		snprintf(buf + n, CELL - n, " (%.2fx [%.2f-%.2f])", a, lo, hi);
		g->interval = true;
		return;
	}
	snprintf(buf + n, CELL - n, " (%.2fx)", a / b);
}

/*
 * Whether the peer's receivers waited otherwise than the SCF row's: where
 * both recorded a policy and they differ, or where the raw peer (the
 * notification set against the row's own) recorded none beside a row
 * that did.
 */
static bool wait_differs(const struct sbs_cell *scf, const struct sbs_cell *p,
			 bool raw)
{
	if (!scf->wait[0] || (!p->wait[0] && !raw))
		return false;
	return strcmp(scf->wait, p->wait) != 0;
}

/*
 * The ratio cell, then " [peer waits P]" where its receivers waited by P,
 * not as the row's did.
 */
static void peer_cell(struct grid *g, char *buf, const struct sbs_cell *scf,
		      const struct sbs_cell *p, enum stat s, bool raw)
{
	size_t n;

	ratio_cell(g, buf, scf, p, s);
	if (!p->have || !scf->have || !wait_differs(scf, p, raw))
		return;
	n = strlen(buf);
	snprintf(buf + n, CELL - n, " [peer waits %s]",
		 p->wait[0] ? p->wait : "unrecorded");
	g->wait_differs = true;
}

/*
 * The IPI-woken line of a row whose calls were split: the share, the
 * idle, and their total p50 beside the pooled p50 of the same sampled
 * calls.  No line (nothing, not a zero) for a row without the split.
 */
static void ipi_line(struct grid *g, const struct sbs_cell *c)
{
	char (*line)[CELL];

	if (!c->have || !c->ipi.measured)
		return;
	line = g->c[g->lines++];
	ipi_split_label(&c->ipi, line[0], CELL);
	snprintf(line[1], CELL, "p50 ns IPI-woken/all");
	if (isnan(c->ipi.total_p50_ipi))
		snprintf(line[2], CELL, "n/a/%.0f", c->ipi.total_p50_all);
	else
		snprintf(line[2], CELL, "%.0f/%.0f", c->ipi.total_p50_ipi,
			 c->ipi.total_p50_all);
	g->ipi_split = true;
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
	g->run_dir = t->run_dir;
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
			else if (k == 2 && row->raw_why[0])
				snprintf(line[0], CELL, "(%s)", row->raw_why);
			else if (k == 3)
				snprintf(line[0], CELL, "wait = %s",
					 row->scf.wait[0] ? row->scf.wait :
					 "not recorded");
			snprintf(line[1], CELL, "%s", stat_name[k]);
			value(line[2], &row->scf, (enum stat)k);
			for (p = 0; p < SBS_NCOL; p++)
				peer_cell(g, line[3 + p], &row->scf, &row->peer[p],
					  (enum stat)k, p == SBS_RAW);
		}
		ipi_line(g, &row->scf);
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

/*
 * One probe-cost line: replica medians; the ratio paired within rounds
 * with its interval, or where it cannot be paired, the ratio of replica
 * medians with its interval.
 */
static void probe_line(FILE *f, const char *run_dir, const char *workload,
		       const struct sbs_row *on, const struct sbs_row *off)
{
	const double *a = on->scf.nrep ? on->scf.rep_p50_unprobed : &on->scf.p50_unprobed;
	const double *b = off->scf.nrep ? off->scf.rep_p50 : &off->scf.p50;
	size_t na = on->scf.nrep ? (size_t)on->scf.nrep : 1;
	size_t nb = off->scf.nrep ? (size_t)off->scf.nrep : 1;
	double ra = median_of(a, na), rb = median_of(b, nb), x, lo, hi;
	struct paired pr;

	fprintf(f, "  probe cost, %s %-5s p50: %.0f ns with probes (calls not "
		"sampled), %.0f without (%+.0f ns", on->name, workload, ra, rb,
		ra - rb);
	if (paired(run_dir, &on->scf, "total_unprobed", &off->scf, &pr)) {
		fprintf(f, "; paired within rounds: %.3fx", pr.ratio);
		if (pr.nrep > 1)
			fprintf(f, ", 95%% interval %.3f-%.3f over %zu replica "
				"pairs", pr.lo, pr.hi, pr.nrep);
		else
			fputs(", one replica pair: no interval", f);
		fprintf(f, ", %zu of %zu rounds in one state)\n", pr.kept,
			pr.rounds);
		return;
	}
	if (state_differs(&on->scf, &off->scf)) {
		fprintf(f, ", %.2fx: NOT a probe cost, the two were measured "
			"mostly in different machine states, baselines %.0f and "
			"%.0f ns)\n", ra / rb, on->scf.baseline, off->scf.baseline);
		return;
	}
	if (ratio_interval(a, na, b, nb, &x, &lo, &hi))
		fputs(")\n", f);
	else if (na > 1 && nb > 1)
		fprintf(f, ", %.2fx, 95%% interval %.2f-%.2f over %zu+%zu "
			"replicas)\n", x, lo, hi, na, nb);
	else
		fprintf(f, ", %.2fx, one process a side: no interval)\n", x);
}

/*
 * The between-replica spread of each row's SCF p50 against the spread
 * within a replica (replicas.h); a warning where the processes' levels
 * differ more than one process's samples do.  The number of replicated
 * rows, printed on f unless f is NULL.
 */
static int spreads(FILE *f, const struct sbs_table *t)
{
	int i, k, warn = 0;

	for (i = 0; i < t->nrows; i++) {
		const struct sbs_cell *c = &t->row[i].scf;

		if (c->nrep < 2)
			continue;
		warn++;
		if (!f)
			continue;
		fprintf(f, "  replicas, %-14s %-5s p50:", t->row[i].variant,
			t->workload);
		for (k = 0; k < c->nrep; k++)
			fprintf(f, " %.0f", c->rep_p50[k]);
		fprintf(f, "; spread between %.1f %%, within %.1f %%%s\n",
			c->spread_between, c->spread_within,
			c->spread_between > c->spread_within ?
			"  WARNING: the processes differ more than their samples" : "");
	}
	return warn;
}

/*
 * Each variant built without probes against the same variant with them;
 * the number of such pairs, printed on f unless f is NULL.
 */
static int probes(FILE *f, const struct sbs_table *t)
{
	int i, j, n = 0;

	for (i = 0; i < t->nrows; i++) {
		const struct sbs_row *off = &t->row[i];

		for (j = 0; j < t->nrows && !off->probes; j++) {
			const struct sbs_row *on = &t->row[j];

			if (!on->probes || strcmp(on->name, off->name))
				continue;
			if (n++, !f)
				break;
			/* The build with probes: its calls that stamped only
			 * C0 and C7, so the cost is of the probes compiled
			 * in, not of the sampled calls' full stamps. */
			if (!result_interleaved(&on->scf.ordering,
						&off->scf.ordering))
				fprintf(f, "  probe cost, %s %-5s p50: n/i (%.0f ns with "
					"probes (calls not sampled), %.0f without, "
					"not interleaved)\n", on->name, t->workload,
					on->scf.p50_unprobed, off->scf.p50);
			else
				probe_line(f, t->run_dir, t->workload, on, off);
			break;
		}
	}
	return n;
}

int sbs_print(FILE *f, const char *run_dir, enum sbs_format fmt)
{
	struct sbs_table t[2];
	struct grid *g = malloc(sizeof(*g));
	bool ni = false, wd = false, split = false, iv = false, sd = false;
	bool pd = false;
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
		ni |= g->not_interleaved;
		sd |= g->state_differs;
		wd |= g->wait_differs;
		split |= g->ipi_split;
		iv |= g->interval;
		pd |= g->paired;
	}
	if (split)
		fputs("IPI-woken X%: of the sampled calls (one in --probe-every), "
		      "the share whose request a real IPI woke (the kernel's "
		      "stamps); p50 ns IPI-woken/all: their total latency beside "
		      "that of every sampled call.  Idle halt lets a kick send "
		      "an IPI; idle poll wakes a polling CPU without one.  Rows "
		      "without that split (no kernel stamps) have no such line."
		      "\n\n", f);
	if (ni)
		fputs("n/i: not interleaved.  No ratio is taken between results "
		      "whose samples were not alternated (the same run with "
		      "round-robin order, or one interleaved pair run): drift "
		      "between them would be read as a difference.\n\n", f);
	if (wd)
		fputs("[peer waits P]: the peer's receivers waited by P (sleep, "
		      "spin, or hybrid:N = spin N ns then sleep), not as the "
		      "row's did (its wait = line), so the ratio compares unlike "
		      "waits; scf-bench --wait makes the raw peer wait as the "
		      "variant does.\n\n", f);
	if (sd)
		fputs("state!: the two were measured mostly in different "
		      "machine states (their baselines, the median per-sample "
		      "ping-pong, differ by more than 15 %): the machine "
		      "switched states during the run, and the ratio is of the "
		      "states, not of the two.\n\n", f);
	if (pd)
		fputs("paired: the p50 ratio taken within rounds: under "
		      "scf-interleave round i runs sample i of every process, "
		      "so sample i of each side's replica k pair up (left out "
		      "where their baselines differ by more than 15 %); a "
		      "replica's ratio is the median of its pairs, the cell "
		      "the median over replicas, [lo-hi] its 95 % bootstrap "
		      "interval over the replicas.\n\n", f);
	if (iv)
		fputs("[lo-hi]: the 95 % interval of the ratio of replica "
		      "medians, from a bootstrap over the replicas (fixed seed); "
		      "each p50 is the median of its replicas' p50s, p99 and max "
		      "are of every call pooled.\n\n", f);
	if (spreads(NULL, &t[0]) + spreads(NULL, &t[1])) {
		if (fmt == SBS_MARKDOWN)
			fputs("```\n", f);
		spreads(f, &t[0]);
		spreads(f, &t[1]);
		fputs("  (between: max - min of the replicas' p50s; within: "
		      "the median over replicas of max - min of one replica's "
		      "sample p50s; both in % of the median)\n", f);
		if (fmt == SBS_MARKDOWN)
			fputs("```\n", f);
		fputc('\n', f);
	}
	if (!probes(NULL, &t[0]) && !probes(NULL, &t[1]))
		goto out;
	if (fmt == SBS_MARKDOWN)
		fputs("```\n", f);
	probes(f, &t[0]);
	probes(f, &t[1]);
	if (fmt == SBS_MARKDOWN)
		fputs("```\n", f);
	fputc('\n', f);
out:
	free(g);
	return 0;
}
