// SPDX-License-Identifier: MIT
/*
 * wl_async.c - forwarded null calls from depth executor tasks at once
 * (measure_async.c): depth 1 is the synchronous call made through the
 * asynchronous path; 4, 16 and 64 batch.  async-1 and async-16 are in
 * the default run, so every report answers "sync or async?" from the
 * same run; the group "async" is the depth sweep (--capacity 64 for 64).
 */
#include "measure_async.h"

static int64_t null_make(struct bench *b, struct scf_req *r)
{
	(void)b;
	*r = (struct scf_req){ .opcode = SCF_OP_NULL };
	return 0;
}

#define ASYNC_WL(d, ext) \
	static const struct wl_async wl_async_##d = { \
		.wl = { .name = "async-" #d, .kind = WL_FWD, \
			.about = "null calls, " #d " in flight (executor)", \
			.group = "async", .extended = ext, \
			.run = measure_async }, \
		.depth = d, .make = null_make, \
	}; \
	static const struct wl *const wl_async_##d##_reg \
	__attribute__((used, section("scf_workloads"))) = &wl_async_##d.wl

ASYNC_WL(1, false);
ASYNC_WL(4, true);
ASYNC_WL(16, false);
ASYNC_WL(64, true);
