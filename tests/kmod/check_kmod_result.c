// SPDX-License-Identifier: MIT
/*
 * check_kmod_result.c - the structure of a result of the ipi variant with
 * the kmod backend (run in the VM): backend and labels, every notify
 * sub-phase present, and the sub-phases adding up to notify.
 *
 *   check_kmod_result FILE.json...      prints TAP, exit 1 on a failure
 *
 * A request's sub-phases telescope exactly (C3 -> KQ_ENTRY -> KQ_IPI_SENT
 * -> KQ_HANDLER -> KQ_RESUMED -> S0), but they exist only for requests
 * whose waiter slept and was woken by an IPI; the harness reports
 * notify_req_ipi / notify_rsp_ipi over exactly those requests.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "result.h"
#include "tap.h"

static const char *const req_sub[] = {
	"req_entry", "req_send", "req_flight", "req_wake", "req_return",
};
static const char *const rsp_sub[] = {
	"rsp_entry", "rsp_send", "rsp_flight", "rsp_wake", "rsp_return",
};

/* A phase's count or mean, NAN when the file has no such phase. */
static double count_of(const struct result *r, const char *name)
{
	const struct phase *p = result_phase(r, name);

	return p ? p->count : NAN;
}

static double mean_of(const struct result *r, const char *name)
{
	const struct phase *p = result_phase(r, name);

	return p ? p->mean_ns : NAN;
}

/*
 * Sub-phases of one direction against notify_<dir>_ipi, the same phase
 * over the same requests (those the kernel's IPI woke): every request's
 * sub-phases telescope to it, so the means must agree to rounding.
 */
static void direction(const char *file, const struct result *r,
		      const char *whole, const char *const *sub)
{
	char name[64];
	double wcount, kcount, kmean, sum = 0, count = -1;
	int i, present = 0, same = 1;

	snprintf(name, sizeof(name), "%s_ipi", whole);
	wcount = count_of(r, whole);
	kcount = count_of(r, name);
	kmean = mean_of(r, name);
	for (i = 0; i < 5; i++) {
		double c = count_of(r, sub[i]), m = mean_of(r, sub[i]);

		if (!(c > 0) || isnan(m))
			continue;
		present++;
		if (count >= 0 && c != count)
			same = 0;
		count = c;
		sum += m;
	}
	tap_ok(present == 5 && same && count == kcount && wcount > 0 &&
	       count <= wcount,
	       "%s: %s sub-phases %s..%s all present, over %.0f of %.0f requests",
	       file, whole, sub[0], sub[4], count, wcount);
	tap_ok(present == 5 && !isnan(kmean) &&
	       /* the JSON rounds each mean to 0.1 ns: six roundings */
	       fabs(sum - kmean) <= 0.35,
	       "%s: they sum to %s (%.2f vs %.2f ns)", file, name, sum, kmean);
}

static void check(const char *file)
{
	struct result r;
	struct aerr e;
	double notify, req, rsp;

	if (!tap_ok(!result_load(file, &r, &e), "%s: reads as scf-bench/1",
		    file)) {
		tap_diag("%s", e.msg);
		result_free(&r);
		return;
	}
	tap_ok(!strcmp(r.cfg.variant, "ipi") && !strcmp(r.cfg.backend, "kmod") &&
	       !r.cfg.emulated,
	       "%s: variant ipi, backend kmod, not emulated", file);
	notify = mean_of(&r, "notify");
	req = mean_of(&r, "notify_req");
	rsp = mean_of(&r, "notify_rsp");
	tap_ok(!isnan(notify) && fabs(req + rsp - notify) <= 1.0 + 1e-6 * notify,
	       "%s: notify = notify_req + notify_rsp (%.1f = %.1f + %.1f ns)",
	       file, notify, req, rsp);
	direction(file, &r, "notify_req", req_sub);
	direction(file, &r, "notify_rsp", rsp_sub);
	result_free(&r);
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		check(argv[i]);
	if (argc < 2)
		tap_ok(false, "check_kmod_result: no result file given");
	return tap_done();
}
