/* SPDX-License-Identifier: MIT */
/*
 * result.h - one scf-bench/1 result file (results/README.md), loaded and
 * checked with jansson.
 *
 * result_load() checks every field the tools rely on and fails with one
 * line "FILE: FIELD: problem", so a missing, truncated or wrong-schema
 * file never reaches the statistics.  Strings point into the JSON tree,
 * which lives as long as the result.
 */
#ifndef ANALYSIS_RESULT_H
#define ANALYSIS_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "util.h"

#define RESULT_SCHEMA "scf-bench/1"
/* scf-bench/2 adds fields to /1 and changes none: read alike. */
#define RESULT_SCHEMA_2 "scf-bench/2"

/* histogram.phases.<phase>: sparse [bucket, count] pairs, sorted. */
struct hist {
	double bucket_ns;
	uint64_t buckets;		/* buckets * bucket_ns is the range */
	uint64_t underflow;		/* values below zero */
	uint64_t overflow;		/* values at or past buckets * bucket_ns */
	size_t n;
	uint64_t *bucket;		/* n ascending bucket indices */
	uint64_t *count;		/* n counts, each > 0 */
	uint64_t total;			/* underflow + sum(count) + overflow */
};

struct series {
	size_t n;
	double *v;
};

struct phase {
	const char *name;
	double count, min_ns, mean_ns, p50_ns, p90_ns, p99_ns, p999_ns, max_ns;
	double negative;		/* 0 when the file does not say */
	struct series sample_means;	/* phases.<p>.sample_means_ns, may be empty */
	struct series sample_p50;	/* phases.<p>.sample_p50_ns, may be empty */
	struct hist *hist;		/* NULL without a histogram for it */
};

struct config {
	const char *variant, *backend, *workload, *memsync, *ring;
	int64_t samples, cycles, payload;
	bool probes, emulated;
};

struct result {
	char *path;
	char *dir;			/* its directory's name: poll, peers, ... */
	char *name;			/* file name without .json */
	json_t *root;
	const json_t *context;
	struct config cfg;
	size_t nphases;
	struct phase *phases;
	struct series samples_ns;	/* may be empty */
	const json_t *warnings;		/* array of strings, may be NULL */
	double cpu_client_ns, cpu_shadow_ns;	/* NAN when absent */
	double identity_checked, identity_violations;	/* NAN when absent */
};

/* Load and check path.  0, or -1 with e set to "path: field: problem". */
int result_load(const char *path, struct result *r, struct aerr *e);
/* The same for a JSON tree already parsed (takes a reference on root). */
int result_from_json(const char *path, json_t *root, struct result *r,
		     struct aerr *e);
void result_free(struct result *r);

const struct phase *result_phase(const struct result *r, const char *name);
/* context.<key> as a string, or NULL. */
const char *result_ctx_str(const struct result *r, const char *key);

#endif /* ANALYSIS_RESULT_H */
