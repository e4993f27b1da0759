// SPDX-License-Identifier: MIT
/*
 * peercheck - check one peer baseline's result file (scf-bench/2) and
 * print TAP: schema, config, the total phase only, count = samples x
 * cycles, ordered percentiles, one sample mean per sample, the cpu block.
 *
 *   peercheck FILE WORKLOAD SAMPLES CYCLES [--two-sided]
 *
 * --two-sided: the peer side did work, so shadow_ns_per_req must be > 0.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int n_test, n_fail;

static void ok(int cond, const char *fmt, const char *arg)
{
	n_test++;
	if (!cond)
		n_fail++;
	printf("%sok %d - ", cond ? "" : "not ", n_test);
	printf(fmt, arg);
	putchar('\n');
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static double num(json_t *o, const char *k, double dflt)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : dflt;
}

int main(int argc, char **argv)
{
	json_t *root, *cfg, *ph, *tot, *cpu;
	json_error_t je;
	long samples, cycles;
	int two = argc > 5 && !strcmp(argv[5], "--two-sided");
	const char *wl;
	double cc, cs;

	if (argc < 5) {
		fprintf(stderr, "usage: peercheck FILE WORKLOAD SAMPLES CYCLES "
			"[--two-sided]\n");
		return 2;
	}
	wl = argv[2];
	samples = atol(argv[3]);
	cycles = atol(argv[4]);
	root = json_load_file(argv[1], 0, &je);
	ok(root != NULL, "%s parses as JSON", argv[1]);
	if (!root) {
		printf("# %s\n", je.text);
		return 1;
	}
	cfg = json_object_get(root, "config");
	ph = json_object_get(root, "phases");
	tot = json_object_get(ph, "total");
	cpu = json_object_get(root, "cpu");
	ok(!strcmp(str(root, "schema"), "scf-bench/2"), "schema is %s", "scf-bench/2");
	ok(!strcmp(str(cfg, "variant"), "peers") &&
	   !strcmp(str(cfg, "workload"), wl), "config names peers/%s", wl);
	ok(num(cfg, "samples", -1) == samples && num(cfg, "cycles", -1) == cycles,
	   "config samples x cycles as asked%s", "");
	ok(json_is_object(json_object_get(root, "context")), "context present%s", "");
	ok(json_is_object(tot) && json_object_size(ph) == 1,
	   "phases: total only%s", "");
	ok(num(tot, "count", -1) == (double)samples * (double)cycles,
	   "total.count = samples x cycles%s", "");
	ok(num(tot, "min_ns", -1) > 0 &&
	   num(tot, "min_ns", -1) <= num(tot, "p50_ns", -1) &&
	   num(tot, "p50_ns", -1) <= num(tot, "p99_ns", -1) &&
	   num(tot, "p99_ns", -1) <= num(tot, "max_ns", -1),
	   "0 < min <= p50 <= p99 <= max%s", "");
	ok(json_array_size(json_object_get(root, "samples_ns")) == (size_t)samples,
	   "one sample mean per sample%s", "");
	cc = num(cpu, "client_ns_per_req", -1);
	cs = num(cpu, "shadow_ns_per_req", -1);
	ok(json_is_object(cpu) && cc > 0 && cs >= 0,
	   "cpu block: client > 0, shadow >= 0 ns per request%s", "");
	if (two)
		ok(cs > 0, "cpu block: the peer side's CPU time is counted%s", "");
	printf("# %s: p50 %.0f ns, cpu client %.0f shadow %.0f ns/req\n", wl,
	       num(tot, "p50_ns", -1), cc, cs);
	printf("1..%d\n", n_test);
	json_decref(root);
	return n_fail ? 1 : 0;
}
