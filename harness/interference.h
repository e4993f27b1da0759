/* SPDX-License-Identifier: MIT */
/*
 * interference.h - did anything else run on the benchmark CPUs during a
 * sample?  Every task's run time (/proc/<pid>/task/<tid>/schedstat) before
 * and after the sample; a task not ours whose last CPU is a benchmark CPU
 * and that ran long enough is named.  Beside it, the pinned threads'
 * involuntary context switches (/proc/.../status).
 */
#ifndef INTERFERENCE_H
#define INTERFERENCE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* A task counts once it ran this long, or this share of the sample. */
#define INTF_MIN_NS	50000.0
#define INTF_MIN_SHARE	0.005
#define INTF_MAX_TASKS	16

struct intf_task {
	uint32_t sample;	/* 0-based */
	int pid, cpu;
	char comm[20];
	double ran_ns;
};

struct intf_snap;

struct interference {
	uint32_t samples;
	bool *hit;			/* per sample */
	uint64_t *nvcsw;		/* per sample: client + shadow */
	struct intf_task task[INTF_MAX_TASKS];	/* the longest runners */
	uint32_t ntask, dropped;
	struct intf_snap *before;
	uint64_t nv_before;
};

struct interference *interference_new(uint32_t samples);
void interference_free(struct interference *f);
/* Around one sample: the shadow's pid (<=0: none) is ours too. */
void interference_begin(struct interference *f, pid_t shadow);
void interference_end(struct interference *f, uint32_t sample, int cpu_a,
		      int cpu_b, pid_t shadow, double wall_ns);
/* Samples hit; their 1-based numbers into buf ("2,5"). */
uint32_t interference_hits(const struct interference *f, char *buf,
			   size_t len);

#endif /* INTERFERENCE_H */
