/* SPDX-License-Identifier: MIT */
/*
 * measure_async.h - asynchronous workloads: a workload (its struct wl first,
 * so measure_async() finds the rest from it), the depth of its executor, and
 * the call each task forwards.
 */
#ifndef RUN_ASYNC_H
#define RUN_ASYNC_H

#include "bench.h"
#include "scf_exec.h"

struct wl_async {
	struct wl wl;		/* first: measure_async() gets &wl */
	uint32_t depth;		/* tasks, so calls in flight at most */
	/* Fill *r with the next call; returns the result it must give. */
	int64_t (*make)(struct bench *b, struct scf_req *r);
};

/* struct wl.run of every struct wl_async */
int measure_async(struct bench *b, const struct wl *w, int k, int nk);

#endif /* RUN_ASYNC_H */
