// SPDX-License-Identifier: MIT
/*
 * check_kmod_result.c - the structure of a result of the ipi variant:
 * backend and labels, the doorbell counters and the interrupts around
 * the run, and (backend kmod) the notify sub-phases adding up to notify.
 *
 *   check_kmod_result [--expect ipi|polling|forced|futex] FILE.json...
 *
 * prints TAP, exit 1 on a failure.  A request's sub-phases telescope
 * exactly (C3 -> KQ_ENTRY -> KQ_IPI_SENT -> KQ_HANDLER -> KQ_RESUMED ->
 * S0), but they exist only for requests whose waiter slept and was woken
 * by an IPI's interrupt; the harness reports notify_req_ipi over exactly
 * those requests and notify_req_noipi over the others.
 *
 * --expect says how the kicks must have ended, in nearly all cases
 * (EXPECT_MIN of the kicks that found the peer asleep):
 *   ipi      an IPI each (default idle: the waiter's CPU halts)
 *   polling  no IPI: the waiter's CPU polled in idle (idle=poll)
 *   forced   an IPI each, forced where the CPU polled (force_ipi=1)
 *   futex    the futex backend: no IPI of its own, FUTEX_WAKE counted
 * Without --expect only the structure is checked.
 */
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/*
 * "Nearly all": what may go otherwise is a kick racing the waiter's own
 * wake-up (a timer, a signal) or, under TCG, a vCPU descheduled by the
 * host for longer than the peer's whole round trip.
 */
#define EXPECT_MIN	0.95

static const char *expect;

static int test_no, failures;

#define TAP(ok, ...) do {						\
	int ok_ = (ok);							\
	printf("%sok %d - ", ok_ ? "" : "not ", ++test_no);		\
	printf(__VA_ARGS__);						\
	putchar('\n');							\
	failures += !ok_;						\
} while (0)

static const char *const req_sub[] = {
	"req_entry", "req_send", "req_flight", "req_wake", "req_return",
};
static const char *const rsp_sub[] = {
	"rsp_entry", "rsp_send", "rsp_flight", "rsp_wake", "rsp_return",
};

static double num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/*
 * Sub-phases of one direction against notify_<dir>_ipi, the same phase
 * over the same requests (those the kernel's IPI woke): every request's
 * sub-phases telescope to it, so the means must agree to rounding.
 */
static void direction(const char *file, json_t *phases, const char *whole,
		      const char *const *sub)
{
	char name[64];
	json_t *w, *k;
	double wcount, kcount, kmean, sum = 0, count = -1;
	int i, present = 0, same = 1;

	snprintf(name, sizeof(name), "%s_ipi", whole);
	w = json_object_get(phases, whole);
	k = json_object_get(phases, name);
	wcount = num(w, "count");
	kcount = num(k, "count");
	kmean = num(k, "mean_ns");
	for (i = 0; i < 5; i++) {
		json_t *p = json_object_get(phases, sub[i]);
		double c = num(p, "count"), m = num(p, "mean_ns");

		if (!json_is_object(p) || !(c > 0) || isnan(m))
			continue;
		present++;
		if (count >= 0 && c != count)
			same = 0;
		count = c;
		sum += m;
	}
	TAP(present == 5 && same && count == kcount && wcount > 0 &&
	    count <= wcount,
	    "%s: %s sub-phases %s..%s all present, over %.0f of %.0f requests",
	    file, whole, sub[0], sub[4], count, wcount);
	TAP(present == 5 && !isnan(kmean) &&
	    /* the JSON rounds each mean to 0.1 ns: six roundings */
	    fabs(sum - kmean) <= 0.35,
	    "%s: they sum to %s (%.2f vs %.2f ns)", file, name, sum, kmean);
}

static double count(json_t *o, const char *k)
{
	double v = num(o, k);

	return isnan(v) ? 0 : v;
}

/* Kicks that found the peer asleep: every outcome but not_waiting. */
static double asleep(json_t *d)
{
	return count(d, "kicks") - count(d, "not_waiting");
}

/*
 * One direction's (or the total's) counters add up: each kick ends one
 * way (futex: a FUTEX_WAKE, or nobody waiting).
 */
static int counts_add_up(json_t *d)
{
	double sum = count(d, "ipi_sent") + count(d, "woken_without_ipi") +
		     count(d, "same_cpu") + count(d, "not_waiting") +
		     count(d, "pending") + count(d, "offline") +
		     count(d, "futex_wake");

	return json_is_object(d) && count(d, "kicks") == sum &&
	       count(d, "forced") <= count(d, "ipi_sent");
}

static void doorbell(const char *file, json_t *root, bool kmod)
{
	json_t *d = json_object_get(root, "doorbell");
	json_t *irq = json_object_get(root, "interrupts");
	json_t *cfg = json_object_get(root, "config");
	const char *idle = json_string_value(json_object_get(cfg, "idle"));
	const char *by = json_string_value(json_object_get(d, "counted_by"));
	double kicks = count(d, "kicks"), sleeping = asleep(d);
	double ipi = count(d, "ipi_sent"), polled = count(d, "woken_without_ipi");

	TAP(idle && (!strcmp(idle, "poll") || !strcmp(idle, "halt")),
	    "%s: config.idle is poll or halt (%s)", file, idle ? idle : "none");
	TAP(json_is_object(d) && kicks > 0 && by &&
	    !strcmp(by, kmod ? "module" : "kicker (futex)"),
	    "%s: doorbell: %.0f kicks, counted by %s", file, kicks,
	    by ? by : "nobody");
	TAP(counts_add_up(d) && counts_add_up(json_object_get(d, "to_shadow")) &&
	    counts_add_up(json_object_get(d, "to_client")) &&
	    count(json_object_get(d, "to_shadow"), "kicks") +
	    count(json_object_get(d, "to_client"), "kicks") == kicks,
	    "%s: each kick counted once (ipi_sent, woken_without_ipi, same_cpu, not_waiting, pending, offline, futex_wake), in each direction",
	    file);
	TAP(json_is_integer(json_object_get(json_object_get(irq, "shadow"),
					    "CAL_delta")) &&
	    json_is_integer(json_object_get(json_object_get(irq, "shadow"),
					    "RES_delta")),
	    "%s: shadow CPU's CAL and RES before and after the run recorded",
	    file);
	printf("# %s: %.0f kicks, %.0f found the peer asleep: ipi_sent %.0f "
	       "(%.4f of kicks), woken_without_ipi %.0f (%.4f), forced %.0f, "
	       "handler irq %.0f idle %.0f; shadow CPU CAL +%.0f RES +%.0f\n",
	       file, kicks, sleeping, ipi, kicks ? ipi / kicks : 0, polled,
	       kicks ? polled / kicks : 0, count(d, "forced"),
	       count(d, "handler_irq"), count(d, "handler_idle"),
	       count(json_object_get(irq, "shadow"), "CAL_delta"),
	       count(json_object_get(irq, "shadow"), "RES_delta"));
	if (!expect)
		return;
	if (!strcmp(expect, "futex")) {
		TAP(ipi == 0 && polled == 0 &&
		    count(d, "futex_wake") + count(d, "not_waiting") == kicks &&
		    count(d, "futex_woken") <= count(d, "futex_wake"),
		    "%s: futex: no IPI of its own, %.0f FUTEX_WAKE + %.0f not waiting = %.0f kicks",
		    file, count(d, "futex_wake"), count(d, "not_waiting"), kicks);
		return;
	}
	if (!strcmp(expect, "polling"))
		TAP(sleeping > 0 && polled >= EXPECT_MIN * sleeping,
		    "%s: idle=poll: %.0f of %.0f kicks to a sleeping peer woke it without an IPI (at least %.2f)",
		    file, polled, sleeping, EXPECT_MIN);
	else
		TAP(sleeping > 0 && ipi >= EXPECT_MIN * sleeping,
		    "%s: %s: %.0f of %.0f kicks to a sleeping peer sent an IPI (at least %.2f)",
		    file, expect, ipi, sleeping, EXPECT_MIN);
	if (!strcmp(expect, "forced"))
		TAP(count(d, "forced") > 0 && json_is_true(json_object_get(cfg, "force_ipi")),
		    "%s: force_ipi on, %.0f IPIs sent where the CPU polled",
		    file, count(d, "forced"));
}

/* notify_<dir> = notify_<dir>_ipi + notify_<dir>_noipi, by count. */
static void split(const char *file, json_t *phases, const char *whole)
{
	char ipi[64], noipi[64];
	double w, a, b;

	snprintf(ipi, sizeof(ipi), "%s_ipi", whole);
	snprintf(noipi, sizeof(noipi), "%s_noipi", whole);
	w = count(json_object_get(phases, whole), "count");
	a = count(json_object_get(phases, ipi), "count");
	b = count(json_object_get(phases, noipi), "count");
	TAP(w > 0 && a + b == w, "%s: %s: %.0f requests = %.0f by IPI + %.0f without",
	    file, whole, w, a, b);
}

/*
 * The three accounts of the IPIs to the shadow's CPU agree: requests
 * split as woken by an IPI are no more than the handlers run in its
 * interrupt, and /proc/interrupts' CAL on that CPU saw (nearly) each of
 * those interrupts (two queued calls may share one).
 */
static void ipi_agrees(const char *file, json_t *root)
{
	json_t *d = json_object_get(root, "doorbell");
	json_t *ph = json_object_get(root, "phases");
	json_t *q = json_object_get(d, "to_shadow"), *r = json_object_get(d, "to_client");
	double cal = count(json_object_get(json_object_get(root, "interrupts"),
					   "shadow"), "CAL_delta");
	double qirq = count(q, "handler_irq"), rirq = count(r, "handler_irq");
	double qsplit = count(json_object_get(ph, "notify_req_ipi"), "count");
	double rsplit = count(json_object_get(ph, "notify_rsp_ipi"), "count");

	TAP(qsplit <= qirq && rsplit <= count(r, "handler_irq") &&
	    qirq <= count(q, "ipi_sent") && rirq <= count(r, "ipi_sent"),
	    "%s: requests split by IPI (%.0f, %.0f) <= handlers run from an IPI (%.0f, %.0f) <= IPIs sent",
	    file, qsplit, rsplit, qirq, rirq);
	TAP(cal >= EXPECT_MIN * qirq,
	    "%s: /proc/interrupts: shadow CPU CAL +%.0f covers the %.0f handlers run from an IPI there",
	    file, cal, qirq);
}

static void check(const char *file)
{
	json_error_t err;
	json_t *root = json_load_file(file, 0, &err), *cfg, *ph;
	const char *backend, *variant;
	double notify, req, rsp;

	TAP(root != NULL, "%s: parses (%s)", file, root ? "ok" : err.text);
	if (!root)
		return;
	cfg = json_object_get(root, "config");
	ph = json_object_get(root, "phases");
	backend = json_string_value(json_object_get(cfg, "backend"));
	variant = json_string_value(json_object_get(cfg, "variant"));
	if (expect && !strcmp(expect, "futex")) {
		TAP(variant && !strcmp(variant, "ipi") && backend &&
		    !strcmp(backend, "futex") &&
		    json_is_true(json_object_get(cfg, "emulated")),
		    "%s: variant ipi, backend futex, emulated", file);
		doorbell(file, root, false);
		json_decref(root);
		return;
	}
	TAP(variant && !strcmp(variant, "ipi") && backend &&
	    !strcmp(backend, "kmod") &&
	    json_is_false(json_object_get(cfg, "emulated")),
	    "%s: variant ipi, backend kmod, not emulated", file);
	doorbell(file, root, true);
	notify = num(json_object_get(ph, "notify"), "mean_ns");
	req = num(json_object_get(ph, "notify_req"), "mean_ns");
	rsp = num(json_object_get(ph, "notify_rsp"), "mean_ns");
	TAP(!isnan(notify) && fabs(req + rsp - notify) <= 1.0 + 1e-6 * notify,
	    "%s: notify = notify_req + notify_rsp (%.1f = %.1f + %.1f ns)",
	    file, notify, req, rsp);
	split(file, ph, "notify_req");
	split(file, ph, "notify_rsp");
	ipi_agrees(file, root);
	/* Hardly any IPI (idle=poll): hardly anything to split. */
	if (!expect || strcmp(expect, "polling")) {
		direction(file, ph, "notify_req", req_sub);
		direction(file, ph, "notify_rsp", rsp_sub);
	}
	json_decref(root);
}

int main(int argc, char **argv)
{
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "--expect")) {
		expect = argv[2];
		i = 3;
		if (strcmp(expect, "ipi") && strcmp(expect, "polling") &&
		    strcmp(expect, "forced") && strcmp(expect, "futex")) {
			fprintf(stderr, "check_kmod_result: --expect %s: not one of ipi, polling, forced, futex\n",
				expect);
			return 2;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "usage: check_kmod_result [--expect ipi|polling|forced|futex] FILE.json...\n");
		return 2;
	}
	for (; i < argc; i++)
		check(argv[i]);
	printf("1..%d\n", test_no);
	return failures ? 1 : 0;
}
