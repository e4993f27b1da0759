/* SPDX-License-Identifier: MIT */
/*
 * sidebyside.h - the side-by-side table: for null and write, each SCF
 * variant's p50 / p99 / max and CPU cost next to native, io_uring SQPOLL,
 * io_uring and the variant's own raw notification round trip, with the
 * ratio SCF/peer in each cell where the two were measured interleaved
 * (result_interleaved()), "n/i" where they were not; then the probe cost.
 *
 * Reads results/<commit>/<host>/{<variant>,peers}/<workload>.json with the
 * result reader (result.h).  Every directory but peers/ that holds a
 * null or write result is a row, in the order its variant declares
 * (config.order); the raw peer is the one the result records
 * (config.raw_peer).  Missing peers are shown as such.  Each row says how
 * its receivers waited (config.wait); a peer cell whose peer waited
 * otherwise says so beside its ratio.  A row whose calls are split by
 * how they were woken (ipi_split.h) adds a line: the share a real IPI
 * woke, how idle CPUs waited, and those calls' own p50 beside the pooled
 * one; rows without the split have no such line.
 *
 * Embedding (scf-report): link analysis/sidebyside.c and
 * analysis/sidebyside_fmt.c and call sbs_print(f, run_dir, SBS_MARKDOWN)
 * where the first table of report.md belongs; or run
 * `scf-sidebyside --markdown <run_dir>` and include its output.
 */
#ifndef SIDEBYSIDE_H
#define SIDEBYSIDE_H

#include <stdbool.h>
#include <stdio.h>

#include "ipi_split.h"
#include "replicas.h"
#include "result.h"

/* One result's total phase and CPU cost. */
struct sbs_cell {
	bool have;
	char name[48];		/* file name without .json, e.g. "iouring-nop" */
	char sub[48];		/* its directory: the variant's, or peers */
	char backend[32];
	char wait[32];		/* config.wait, "" where not recorded */
	bool emulated;
	double p50, p99, max;	/* ns */
	double p50_unprobed;	/* total_unprobed's p50, else p50 */
	double cpu_client, cpu_shadow;	/* ns per request, < 0: unknown */
	struct run_order ordering;	/* whether a ratio to it may be taken */
	struct ipi_split ipi;	/* calls a real IPI woke; .measured false: none */
	/* Each replica's p50 (total; total_unprobed where sampled probes
	 * left calls unstamped): every ratio divides replica medians. */
	int nrep;
	double rep_p50[16], rep_p50_unprobed[16];
	double spread_between, spread_within;	/* % (replicas.h), NAN: none */
	/* The median of every per-sample baseline of its replicas: the state
	 * the machine was in while it was measured; NAN where none. */
	double baseline;
};

enum sbs_peer_col {
	SBS_NATIVE,
	SBS_SQPOLL,
	SBS_IOURING,
	SBS_RAW,
	SBS_NCOL
};

#define SBS_MAX_ROWS	8

/* One variant's row block for one workload. */
struct sbs_row {
	char variant[32];	/* results subdirectory, e.g. <v> or <v>-noprobes */
	char name[32];		/* config.variant */
	bool probes;
	long long order;	/* config.order, -1 when not recorded */
	struct sbs_cell scf;
	struct sbs_cell peer[SBS_NCOL];
	char raw_why[64];	/* why there is no raw peer, or "" */
};

struct sbs_table {
	const char *run_dir;
	const char *workload;	/* "null" or "write" */
	struct sbs_row row[SBS_MAX_ROWS];
	int nrows;
};

enum sbs_format {
	SBS_TERMINAL,
	SBS_MARKDOWN,
};

/* sidebyside.c: read one result; 0, -ENOENT when absent, -EINVAL when bad. */
int sbs_load_cell(const char *run_dir, const char *sub, const char *name,
		  struct sbs_cell *c);
/*
 * The ratio of phase pa of cell a over phase pb of cell b paired within
 * rounds (replicas.h, paired_ratio()), their results read again from
 * run_dir; 0, or -errno where either cannot be read or no pair gave a
 * ratio.
 */
int sbs_paired(const char *run_dir, const struct sbs_cell *a, const char *pa,
	       const struct sbs_cell *b, const char *pb, double state_limit,
	       struct paired *out);
/* Fill the table of one workload from run_dir; the number of rows. */
int sbs_build(const char *run_dir, const char *workload, struct sbs_table *t);

/* sidebyside_fmt.c: both tables and the probe cost; -ENOENT when no SCF
 * null/write result exists under run_dir, else 0. */
int sbs_print(FILE *f, const char *run_dir, enum sbs_format fmt);
/*
 * The reader's message for the first result that sbs_print() (or the
 * loaders under it) could not read and so left out, or NULL: a table
 * with a row missing is not to pass for a complete one.
 */
const char *sbs_bad_result(void);

#endif /* SIDEBYSIDE_H */
