/* SPDX-License-Identifier: MIT */
/*
 * harness.h - what main.c drives: the machine set up for a run, the
 * order of the runs, the two run loops (peers, forwarded calls), and the
 * progress they report.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "bench.h"

/* Set by main.c's signal handlers: every loop stops at its next step. */
extern volatile int bench_interrupted;

/* setup.c: the machine and the shadow's --root for this run */
char *setup_default_shadow(void);
/* The notify backend --backend asked for; -1 (said why) if it cannot run. */
int setup_backend(struct bench *b);
/* Pin, calibrate, hold idle states off, make --root; exits when it cannot. */
void setup_run(struct bench *b);
/* Remove the --root setup_run() made, if it made one. */
void setup_remove_root(void);

/* measure_all.c: which workloads run, and in which order */
#define MAX_SEL 64
struct sel {
	const struct wl *w[MAX_SEL];
	int n;
};

/* list: names, "all", "forwarded", "-name"; -1 (said why) when bad. */
int select_workloads(const char *list, struct sel *sel);
/* input_check.c: the CPUs, --root and --shadow exist and fit; 0, or -1
 * after one line saying which does not (exit 2, nothing has run). */
int input_check(const struct bench *b, const struct sel *sel);
/*
 * Round-robin (default): sample 1 of every workload, then sample 2, ...,
 * so slow drift touches each alike; --order sequential: one workload's
 * samples after another's.  After every sample, the baseline.
 */
void measure_all(struct bench *b, const struct sel *sel);

/* One run (a workload, or one size of the payload sweep) being sampled. */
struct job {
	const struct wl *w;
	char name[64];
	uint64_t payload;
	uint32_t memsync, cycles;
	int k;			/* its number in the progress line */
	bool begun, failed;
	struct measurement r;
	struct wl_ctx x;
	struct scf_rec *recs;
	struct dual_rec *drecs;
	int64_t *ticks;		/* a peer's round trips */
	int err;		/* why a peer failed */
	const char *skip_why;	/* a peer that cannot run here */
	double client_cpu, side_cpu;	/* ns, summed over its samples */
	uint64_t total_ns;
	struct placement place;	/* a peer's shared lines, every sample's */
};

/* measure_peer.c, measure_fwd.c: begin a job, take sample s, end it; <0: failed */
int peer_begin(struct bench *b, struct job *j);
int peer_sample(struct bench *b, struct job *j, uint32_t s, int nk);
void peer_end(struct bench *b, struct job *j);
/*
 * w->measure() on a fresh thread (peer_own_thread.c): 0 or its error;
 * *cpu_ns gets that thread's CPU time.
 */
int peer_measure_own_thread(struct bench *b, const struct wl *w,
			    struct wl_ctx *x, int64_t *ticks, uint64_t n,
			    double *cpu_ns);
int fwd_begin(struct bench *b, struct job *j);
int fwd_sample(struct bench *b, struct job *j, uint32_t s, int nk);
void fwd_end(struct bench *b, struct job *j);
/* measure_fwd.c: the sample loop's own cost per call, measured once */
void fwd_calibrate_loop(struct bench *b);

/* meas_finish.c: a finished run's warnings, its file, its table */
void meas_finish(struct bench *b, struct measurement *r);

/* clock.c: CPU time (ns) of this thread, and of process pid (<0: none) */
double thread_cpu_ns(void);
double proc_cpu_ns(pid_t pid);

/*
 * progress.c: on stderr, nothing with quiet.  On a terminal one live
 * line, redrawn per sample; otherwise (a log, a pipe) one line per run,
 * at its first sample, so a log stays as long as the list of runs.
 */
void progress_init(bool quiet);
void progress_sample(int k, int nk, const char *dir, const char *name,
		     uint32_t sample, uint32_t samples);
/* Erase the live line (terminal only). */
void progress_clear(void);
/* A line of its own, after erasing the live line. */
void progress_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* HARNESS_H */
