/* SPDX-License-Identifier: MIT */
/*
 * counters.h - hardware and software counters (libpfm4 names, opened with
 * perf_event_open) as one group on each benchmark thread: the client (the
 * calling thread) and the shadow (its tid, any CPU).  Read at the edges
 * of every sample; reported per request.
 *
 * Each forwarded run keeps its own (struct measurement's cnt), so runs that take
 * their samples in turn count only their own: counters_meas_start() ..
 * counters_meas_end(), then results.c asks counters_json() and
 * counters_print(), and counters_free() lets it go.
 */
#ifndef COUNTERS_H
#define COUNTERS_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

struct measurement;
struct counters_meas;

#define CNT_MAX		8
#define CNT_NAME	64

/* --events LIST: libpfm4 names, comma-separated.  -EINVAL (said why,
 * one line on stderr) when a name is unknown to libpfm4 or too many. */
int counters_select(const char *list);

/* The default set for this machine: cycles, instructions, cache misses
 * and a cross-core transfer event where a PMU answers; otherwise the
 * software events.  names[] gets up to CNT_MAX names; returns how many,
 * and *sw_only says whether the PMU was missing. */
int counters_default(char names[][CNT_NAME], int max, int *sw_only);

/* Encode one libpfm4 name for perf_event_open (counting user and kernel);
 * 0 or a negative PFM_ERR_* code (pfm_strerror() says it). */
struct perf_event_attr;
int counters_encode(const char *name, struct perf_event_attr *attr);

/* Open the groups (shadow_tid <= 0: client only), counting only from
 * counters_sample_begin() to counters_sample_end(). */
struct counters_meas *counters_meas_start(pid_t shadow_tid);	/* NULL: none */
void counters_sample_begin(struct counters_meas *cm);
void counters_sample_end(struct counters_meas *cm, uint64_t requests);
/* Stop, close, and add the run's warnings (no PMU, paranoid, …) to r. */
void counters_meas_end(struct counters_meas *cm, struct measurement *r);

/* The finished run's "counters" object, or NULL when none was counted. */
json_t *counters_json(const struct counters_meas *cm);
/* One line per side, e.g. "counters/req client: instructions 812.4 …". */
void counters_print(const struct counters_meas *cm);
/* The run's groups and figures let go (NULL: nothing). */
void counters_free(struct counters_meas *cm);

#endif /* COUNTERS_H */
