/* SPDX-License-Identifier: MIT */
/*
 * runset.h - every result of one run directory, results/<commit>/<host>.
 *
 * A run directory holds <variant>/<workload>.json files (results/README.md).
 * They are loaded in a fixed order: variants by the order their
 * variant.mk declares (config.order; by name where a file has none), then
 * peers; within a variant null, write, other workloads, then the payload
 * sweep by memsync and size.
 */
#ifndef ANALYSIS_RUNSET_H
#define ANALYSIS_RUNSET_H

#include "result.h"

struct runset {
	char *dir;		/* as given */
	char *host;		/* its last component */
	size_t n;
	struct result *r;
	/* The run's INCOMPLETE mark (its first line), or NULL: it failed,
	 * was interrupted or is still running. */
	char *incomplete;
};

/*
 * Load every <variant>/<workload>.json under dir.  0; -1 with e set on
 * the first bad file, or on a directory that cannot be read or holds no
 * results.
 */
int runset_load(const char *dir, struct runset *rs, struct aerr *e);
void runset_free(struct runset *rs);

/* The result for variant directory vdir and file name, or NULL. */
const struct result *runset_find(const struct runset *rs, const char *vdir,
				 const char *name);

/* True for a payload-sweep file (payload-<memsync>-<bytes>). */
int result_is_payload(const struct result *r);
int result_is_peer(const struct result *r);

/*
 * Is dir a run directory (it has <sub>/<x>.json files)?  1, 0, or -errno
 * when it cannot be read.
 */
int is_run_dir(const char *dir);

#endif /* ANALYSIS_RUNSET_H */
