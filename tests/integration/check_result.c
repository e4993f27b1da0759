// SPDX-License-Identifier: MIT
/*
 * check_result.c - assert what a stored result must hold, as TAP lines.
 *
 *   check-result FILE [--count N] [--identity] [--phases a,b,…] [--backend B]
 *
 * Checks: the file parses as JSON (libjansson), schema "scf-bench/2", the
 * context/config/phases/histogram/cpu blocks exist, the listed phase total
 * has exactly N values (--count) and every other listed phase one per
 * probed call (probes.probed), the identity block reports the probed calls
 * checked and no violation (--identity), samples_ns has config.samples
 * entries, the
 * histogram's total counts add up to the phase count, and config.backend.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int n_test, n_fail;

static void ok(int cond, const char *file, const char *what)
{
	n_test++;
	if (!cond)
		n_fail++;
	printf("%sok %d - %s: %s\n", cond ? "" : "not ", n_test, file, what);
}

int main(int argc, char **argv)
{
	const char *file, *phases = "total", *backend = NULL;
	json_int_t count = -1, samples, probed;
	json_t *root, *ph, *hist;
	json_error_t jerr;
	char what[256], *list, *tok, *save;
	int i, identity = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: check-result FILE [--count N] "
			"[--identity] [--phases a,b] [--backend B]\n");
		return 2;
	}
	file = argv[1];
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoll(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--identity"))
			identity = 1;
		else if (!strcmp(argv[i], "--phases") && i + 1 < argc)
			phases = argv[++i];
		else if (!strcmp(argv[i], "--backend") && i + 1 < argc)
			backend = argv[++i];
		else {
			fprintf(stderr, "check-result: bad argument '%s'\n", argv[i]);
			return 2;
		}
	}
	root = json_load_file(file, 0, &jerr);
	ok(root != NULL, file, "parses as JSON");
	if (!root)
		return 1;
	ok(!strcmp(json_string_value(json_object_get(root, "schema")) ?: "",
		   "scf-bench/2"), file, "schema scf-bench/2");
	/* total counts every call; the other phases the probed ones */
	probed = json_integer_value(json_object_get(json_object_get(root,
						    "probes"), "probed"));
	ok(json_is_object(json_object_get(root, "context")) &&
	   json_is_integer(json_object_get(json_object_get(root, "context"),
					   "tsc_hz")), file, "context with tsc_hz");
	ok(json_is_object(json_object_get(root, "cpu")), file, "cpu block");
	samples = json_integer_value(json_object_get(json_object_get(root,
						     "config"), "samples"));
	ok(samples > 0 && (json_int_t)json_array_size(json_object_get(root,
				"samples_ns")) == samples, file,
	   "samples_ns has one value per sample");
	if (backend) {
		snprintf(what, sizeof(what), "backend is %s", backend);
		ok(!strcmp(json_string_value(json_object_get(json_object_get(root,
			"config"), "backend")) ?: "", backend), file, what);
	}
	ph = json_object_get(root, "phases");
	hist = json_object_get(json_object_get(root, "histogram"), "phases");
	list = strdup(phases);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		json_t *p = json_object_get(ph, tok), *h = json_object_get(hist, tok);
		json_int_t n = json_integer_value(json_object_get(p, "count"));
		json_int_t want = strcmp(tok, "total") ? probed : count;
		json_int_t sum = 0;
		size_t k;
		json_t *pair;

		snprintf(what, sizeof(what), "phase %s has %lld values (want %lld)",
			 tok, (long long)n, (long long)want);
		ok(p && (count < 0 ? n > 0 : n == want), file, what);
		json_array_foreach(json_object_get(h, "counts"), k, pair)
			sum += json_integer_value(json_array_get(pair, 1));
		sum += json_integer_value(json_object_get(h, "underflow")) +
		       json_integer_value(json_object_get(h, "overflow"));
		snprintf(what, sizeof(what), "histogram of %s sums to its count",
			 tok);
		ok(h && sum == n, file, what);
	}
	free(list);
	if (identity) {
		json_t *id = json_object_get(root, "identity");

		snprintf(what, sizeof(what), "identity: %lld checked, %lld violations",
			 (long long)json_integer_value(json_object_get(id, "checked")),
			 (long long)json_integer_value(json_object_get(id, "violations")));
		ok(id && json_integer_value(json_object_get(id, "checked")) == probed &&
		   json_integer_value(json_object_get(id, "violations")) == 0,
		   file, what);
	}
	json_decref(root);
	return n_fail ? 1 : 0;
}
