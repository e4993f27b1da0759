/* SPDX-License-Identifier: MIT */
/*
 * result.h - one scf-bench/1 or scf-bench/2 result file
 * (results/README.md), loaded and checked with jansson.
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

#define RESULT_SCHEMA_1 "scf-bench/1"
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
	bool counter;			/* a counter per request, not ns */
};

/*
 * How a result's samples were ordered against the other results' samples:
 * a ratio of two results means something only when drift hit both alike
 * (result_interleaved()).  Copied out of the JSON tree, so it outlives it.
 */
struct run_order {
	char mode[16];			/* config.order_mode, "" when absent */
	char group[64];			/* config.interleave_group, "" when absent */
	char run[1024];		/* context.cmdline: one scf-bench run */
};

struct config {
	const char *variant, *backend, *workload, *memsync, *ring;
	int64_t samples, cycles, payload;
	bool probes, emulated;
	/* What variants/<v>/variant.mk declares; older files lack it. */
	int64_t order;			/* -1 when not recorded */
	bool has_raw_peer;		/* config.raw_peer is present */
	const char *raw_peer;		/* NULL: none declared for the backend */
	struct run_order ordering;
	/* config.wait: how the receivers waited ("sleep", "spin",
	 * "hybrid:N"); "" where the result has none (older files, and peers
	 * that wait for no notification: native, io_uring) */
	char wait[32];
};

/* probes (scf-bench/2): sampled full probes and the stamp cost. */
struct probes {
	bool has;
	int64_t every, probed;
	double stamp_client_ns, stamp_shadow_ns;	/* NAN when null */
	double residual_pct;				/* NAN when null */
};

/* baseline (scf-bench/2): the ping-pong p50 after each sample. */
struct baseline {
	bool has;
	struct series p50_ns;
	double spread;			/* max/min, NAN when null */
};

/* interference (scf-bench/2): other tasks on the benchmark CPUs. */
struct interference {
	bool has;
	size_t nsamples;
	int64_t *samples;		/* sample indices with interference */
	const json_t *tasks;		/* [{comm, pid, cpu, ns}], may be NULL */
};

/* counters.<side>.<event>: one counted event, per request. */
struct counter {
	const char *side, *event;	/* "client" | "shadow", a libpfm4 name */
	double per_req;
	double scale;			/* counters.scale.<side>; 1: not multiplexed */
	/* As a phase for scf-compare: name "<side> <event>/req", p50 and
	 * p99 over the per-sample values, mean the run's per_req. */
	struct phase ph;
};

/* tail (scf-bench --trace): kernel events joined to the requests. */
struct tail {
	bool present;
	double p999_ns, explained;	/* explained: share of p99.9 requests */
	double requests, events, joined;
	const json_t *share;		/* {phase: {interrupt, preemption,
					 *  page_fault, unexplained}} */
	const json_t *slowest;		/* [{total_ns, phases_ns, events}] */
};

struct result {
	char *path;
	char *dir;			/* its directory's name: <variant>, peers, ... */
	char *name;			/* file name without .json */
	json_t *root;
	const json_t *context;
	struct config cfg;
	size_t nphases;
	struct phase *phases;
	struct series samples_ns;	/* may be empty */
	const json_t *warnings;		/* array of strings, may be NULL */
	bool has_cpu;			/* the cpu block is there */
	double cpu_client_ns, cpu_shadow_ns;	/* NAN when absent or null */
	double identity_checked, identity_violations;	/* NAN when absent */
	size_t ncounters;		/* 0: the file has no counters */
	struct counter *counters;
	const char *counters_source;	/* "pmu", "software", or NULL */
	struct tail tail;
	int schema;			/* 1 or 2 */
	struct probes probes;
	struct baseline baseline;
	size_t nnet;
	struct phase *net;		/* phases_net, may be empty */
	struct series wall_gap_pct;	/* may be empty */
	struct interference intf;
	/* config.replica: replica index of of (1-based); 0 and 0 where the
	 * file is no replica.  A replica's name has its ".r<index>" taken
	 * off, so the replicas of one configuration share dir and name. */
	int replica, replicas;
	/* A pooled result (replicas.h): the replicas it pools, each a
	 * result of its own; nrep 0 for a result read from one file. */
	size_t nrep;
	struct result *rep;
	json_t *own_warnings;		/* the pooled warnings, owned */
};

/* Load and check path.  0, or -1 with e set to "path: field: problem". */
int result_load(const char *path, struct result *r, struct aerr *e);
/* The same for a JSON tree already parsed (takes a reference on root). */
int result_from_json(const char *path, json_t *root, struct result *r,
		     struct aerr *e);
void result_free(struct result *r);

const struct phase *result_phase(const struct result *r, const char *name);
/* The counter of side and event, or NULL. */
const struct counter *result_counter(const struct result *r, const char *side,
				     const char *event);
/* context.<key> as a string, or NULL. */
const char *result_ctx_str(const struct result *r, const char *key);
/* phases_net.<name>, or NULL. */
const struct phase *result_net_phase(const struct result *r, const char *name);

/*
 * Whether a ratio between two results divides measurements whose samples
 * were interleaved: both from one interleaved pair run (the same
 * config.interleave_group), or both from the same scf-bench run
 * (context.cmdline) with its workloads taken round-robin.
 */
bool result_interleaved(const struct run_order *a, const struct run_order *b);

#endif /* ANALYSIS_RESULT_H */
