/* SPDX-License-Identifier: MIT */
/*
 * sidebyside.h - the side-by-side table: for null and write, each SCF
 * variant's p50 / p99 / max and CPU cost next to native, io_uring SQPOLL,
 * io_uring and the variant's own raw notification round trip, with the
 * ratio SCF/peer in each cell; then the probe cost.
 *
 * Reads results/<commit>/<host>/{<variant>,peers}/<workload>.json (schema
 * scf-bench/1, libjansson).  Missing variants and peers are shown as such.
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

/* One result's total phase and CPU cost. */
struct sbs_cell {
	bool have;
	char name[48];		/* file name without .json, e.g. "iouring-nop" */
	char backend[32];
	bool emulated;
	double p50, p99, max;	/* ns */
	double cpu_client, cpu_shadow;	/* ns per request, < 0: unknown */
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
	char variant[32];	/* results subdirectory: poll, poll-noprobes, ipi, uintr */
	struct sbs_cell scf;
	struct sbs_cell peer[SBS_NCOL];
	const char *raw_why;	/* why there is no raw peer, or NULL */
};

struct sbs_table {
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
/* Fill the table of one workload from run_dir; the number of rows. */
int sbs_build(const char *run_dir, const char *workload, struct sbs_table *t);
/* The raw notification peer of a variant's backend, or NULL (why in *why). */
const char *sbs_raw_peer(const char *variant, const char *backend,
			 const char **why);

/* sidebyside_fmt.c: both tables and the probe cost; -ENOENT when no SCF
 * null/write result exists under run_dir, else 0. */
int sbs_print(FILE *f, const char *run_dir, enum sbs_format fmt);

#endif /* SIDEBYSIDE_H */
