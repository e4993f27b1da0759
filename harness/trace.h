/* SPDX-License-Identifier: MIT */
/*
 * trace.h - --trace: kernel events recorded with the TSC clock in a
 * private tracefs instance on the client and shadow CPUs, read with
 * libtracefs/libtraceevent after every sample, joined to that sample's
 * requests (trace_join.h), and summed up as the run's "tail": the
 * slowest requests with the events inside each phase, and per phase the
 * share of p99.9 requests an interrupt, a preemption or a page fault
 * explains.
 *
 * Each forwarded run keeps its own tail, like counters.h; what was
 * recorded between its samples (other runs', baselines') is dropped at
 * trace_sample_begin().  --trace stamps every call (--probe-every 1).
 */
#ifndef TRACE_H
#define TRACE_H

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#include "scf_client.h"
#include "trace_join.h"

struct measurement;
struct trace_meas;

#define TAIL_K		20	/* slowest requests listed */
#define TAIL_EVENTS	16	/* events listed per slow request */

/* trace_rec.c: the recording */
void trace_enable(void);		/* --trace */
int trace_enabled(void);
/* Create the instance and start recording; 0 or -errno (said in warn). */
int trace_rec_start(int client_cpu, int shadow_cpu, pid_t client_tid,
		    pid_t shadow_pid, char *warn, size_t len);
/* What was recorded since the last call, consumed; *n events.  The array
 * is the recorder's, valid until the next call. */
const struct tj_event *trace_rec_read(size_t *n);
void trace_rec_stop(void);

/* trace_tail.c: the hooks of the run loop */
/* Each forwarded run keeps its own tail (struct measurement's trace); NULL
 * without --trace.  The first open run starts the recording, the last
 * one to end stops it. */
struct trace_meas *trace_meas_start(int client_cpu, int shadow_cpu,
				   pid_t shadow_pid, uint64_t tsc_hz);
void trace_sample_begin(struct trace_meas *tm);
void trace_sample_end(struct trace_meas *tm, const struct scf_rec *recs,
		      uint32_t n, uint32_t sample);
void trace_meas_end(struct trace_meas *tm, struct measurement *r);
json_t *trace_json(const struct trace_meas *tm);	/* NULL without a trace */
void trace_print(const struct trace_meas *tm);
void trace_free(struct trace_meas *tm);

#endif /* TRACE_H */
