// SPDX-License-Identifier: MIT
/*
 * test_encode.c - libpfm4 encodes every name of this machine's default
 * set (counters_default: the PMU's, or the software events without one)
 * and every software event, and --events refuses what it cannot encode.
 */
#include <linux/perf_event.h>
#include <perfmon/pfmlib.h>
#include <stdio.h>

#include "bench.h"
#include "counters.h"
#include "tap.h"

/* counters.c reports through meas_warn(); nothing is run here. */
void meas_warn(struct measurement *r, const char *fmt, ...)
{
	(void)r;
	(void)fmt;
}

int main(void)
{
	static const char *const sw[] = {
		"task-clock", "context-switches", "cpu-migrations", "page-faults",
	};
	char names[CNT_MAX][CNT_NAME];
	struct perf_event_attr a;
	int n, sw_only, i, e;

	n = counters_default(names, CNT_MAX, &sw_only);
	tap_ok(n >= 2, "default set has %d events (%s)", n,
	       sw_only ? "software: no PMU" : "PMU");
	for (i = 0; i < n; i++) {
		e = counters_encode(names[i], &a);
		tap_ok(e == PFM_SUCCESS && a.size == sizeof(a),
		       "default '%s' encodes (%s), type %u", names[i],
		       pfm_strerror(e), a.type);
	}
	for (i = 0; i < 4; i++) {
		e = counters_encode(sw[i], &a);
		tap_ok(e == PFM_SUCCESS && a.type == PERF_TYPE_SOFTWARE,
		       "software '%s' encodes as PERF_TYPE_SOFTWARE", sw[i]);
	}
	/* The PMU branch's generic names encode whether or not a PMU
	 * answers here: libpfm4 knows them for every x86 core. */
	for (i = 0; i < 3; i++) {
		static const char *const hw[] = {
			"cycles", "instructions", "cache-misses",
		};

		e = counters_encode(hw[i], &a);
		tap_ok(e == PFM_SUCCESS && a.type == PERF_TYPE_HARDWARE,
		       "hardware '%s' encodes as PERF_TYPE_HARDWARE", hw[i]);
	}
	tap_ok(counters_select("instructions,context-switches") == 0,
	       "--events instructions,context-switches accepted");
	tap_ok(counters_select("context-switches,no-such-event") < 0,
	       "--events with an unknown name refused");
	tap_ok(counters_select("") < 0, "--events with no name refused");
	printf("1..%d\n", tap_num);
	return tap_failed ? 1 : 0;
}
