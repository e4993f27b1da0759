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
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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
	TAP(variant && !strcmp(variant, "ipi") && backend &&
	    !strcmp(backend, "kmod") &&
	    json_is_false(json_object_get(cfg, "emulated")),
	    "%s: variant ipi, backend kmod, not emulated", file);
	notify = num(json_object_get(ph, "notify"), "mean_ns");
	req = num(json_object_get(ph, "notify_req"), "mean_ns");
	rsp = num(json_object_get(ph, "notify_rsp"), "mean_ns");
	TAP(!isnan(notify) && fabs(req + rsp - notify) <= 1.0 + 1e-6 * notify,
	    "%s: notify = notify_req + notify_rsp (%.1f = %.1f + %.1f ns)",
	    file, notify, req, rsp);
	direction(file, ph, "notify_req", req_sub);
	direction(file, ph, "notify_rsp", rsp_sub);
	json_decref(root);
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		check(argv[i]);
	printf("1..%d\n", test_no);
	return failures || argc < 2 ? 1 : 0;
}
