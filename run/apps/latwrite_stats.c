// SPDX-License-Identifier: MIT
/*
 * latwrite_stats.c - the statistics of run/apps/latwrite_ratio.sh: R
 * scf-bench write replicas against R series of scf-run lat_write
 * processes, taken in turns under scf-interleave.
 *
 *   latwrite-stats LABEL BENCH_JSON... -- RUN_TXT...
 *
 * Each BENCH_JSON is one scf-bench replica's write result; each RUN_TXT
 * holds one lat_write line per scf-run process, its "Avg time delay per
 * syscall: X usec" or the one sample's "Live: latency = X usec" that
 * latwrite_ratio.sh picked.  The unit is the replica (one process keeps
 * a level of its own): per replica, the median over its samples of
 * scf-bench's per-sample total p50 and per-sample wall per call
 * (sample_wall_ns) (and its per-sample mean of total, on the replica
 * lines), and for scf-run the median over its processes of
 * lat_write's per-call time.  Printed: the ratio of the medians over
 * replicas, scf-run per call over scf-bench write p50 (the headline),
 * with its 95 % bootstrap interval over replicas (analysis/replicas.c,
 * fixed seed), and beside it the same for wall per call against wall
 * per call, absent where scf-bench saved no wall series.  A backend
 * the results call emulated is labelled "(emulated)".
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replicas.h"

#define SAMPLES_MAX	100000

/* The numbers of a JSON array into v, at most max; the count. */
static size_t array_of(json_t *a, double *v, size_t max)
{
	size_t i, n = 0;

	for (i = 0; json_is_array(a) && i < json_array_size(a) && n < max; i++)
		if (json_is_number(json_array_get(a, i)))
			v[n++] = json_number_value(json_array_get(a, i));
	return n;
}

/* One replica's medians of p50 and wall; 0, or -1 with the reason said. */
static int bench_replica(const char *path, double *p50, double *mean,
			 double *wall, double *buf, int *emulated)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je), *tot;
	size_t n;

	if (!root) {
		fprintf(stderr, "latwrite-stats: %s: %s\n", path, je.text);
		return -1;
	}
	*emulated |= json_is_true(json_object_get(json_object_get(root, "config"),
						 "emulated"));
	tot = json_object_get(json_object_get(root, "phases"), "total");
	n = array_of(json_object_get(tot, "sample_p50_ns"), buf, SAMPLES_MAX);
	if (!n) {
		fprintf(stderr, "latwrite-stats: %s: no phases.total.sample_p50_ns\n",
			path);
		json_decref(root);
		return -1;
	}
	*p50 = median_of(buf, n);
	n = array_of(json_object_get(tot, "sample_means_ns"), buf, SAMPLES_MAX);
	*mean = n ? median_of(buf, n) : NAN;
	n = array_of(json_object_get(root, "sample_wall_ns"), buf, SAMPLES_MAX);
	*wall = n ? median_of(buf, n) : NAN;	/* older results: absent */
	json_decref(root);
	return 0;
}

/* One scf-run series' median per call in ns; 0, or -1 with the reason. */
static int run_replica(const char *path, double *med, size_t *count,
		       double *buf)
{
	static const char *const keys[] = {
		"Avg time delay per syscall:", "Live: latency =",
	};
	FILE *f = fopen(path, "re");
	char line[256];
	size_t n = 0;
	double us;

	if (!f) {
		fprintf(stderr, "latwrite-stats: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) && n < SAMPLES_MAX) {
		size_t k;

		for (k = 0; k < 2; k++) {
			char *p = strstr(line, keys[k]);

			if (p && sscanf(p + strlen(keys[k]), "%lf", &us) == 1 &&
			    us > 0) {
				buf[n++] = us * 1e3;
				break;
			}
		}
	}
	fclose(f);
	if (!n) {
		fprintf(stderr, "latwrite-stats: %s: no lat_write result line\n",
			path);
		return -1;
	}
	*med = median_of(buf, n);
	*count = n;
	return 0;
}

int main(int argc, char **argv)
{
	double bp50[REPLICAS_MAX], bwall[REPLICAS_MAX], run[REPLICAS_MAX];
	double bmean[REPLICAS_MAX];
	double r, lo, hi, rw, wlo, whi, *buf;
	char label[160];
	size_t nb = 0, nr = 0, i, samples = 0, n;
	int a, sep = 0, walls = 0, emulated = 0;

	for (a = 2; a < argc; a++)
		if (!strcmp(argv[a], "--"))
			sep = a;
	if (argc < 5 || !sep || sep - 2 != argc - sep - 1 ||
	    sep - 2 > REPLICAS_MAX) {
		fprintf(stderr, "usage: latwrite-stats LABEL BENCH_JSON... -- "
			"RUN_TXT... (as many of each, at most %d)\n", REPLICAS_MAX);
		return 2;
	}
	buf = malloc(sizeof(*buf) * SAMPLES_MAX);
	if (!buf)
		return 1;
	for (a = 2; a < sep; a++, nb++) {
		if (bench_replica(argv[a], &bp50[nb], &bmean[nb], &bwall[nb], buf,
				  &emulated))
			return 1;
		walls += !isnan(bwall[nb]);
	}
	for (a = sep + 1; a < argc; a++, nr++) {
		if (run_replica(argv[a], &run[nr], &n, buf))
			return 1;
		samples += n;
	}
	if (ratio_interval(run, nr, bp50, nb, &r, &lo, &hi)) {
		fprintf(stderr, "latwrite-stats: %s: no ratio (a median not "
			"positive)\n", argv[1]);
		return 1;
	}
	/* An emulated backend says so in every output. */
	snprintf(label, sizeof(label), "%s%s", argv[1],
		 emulated ? " (emulated)" : "");
	printf("%-14s %3zu %5zu %10.1f %10.1f %10.1f  %6.3f [%5.3f, %5.3f]",
	       label, nr, samples, median_of(run, nr), median_of(bp50, nb),
	       walls == (int)nb ? median_of(bwall, nb) : NAN, r, lo, hi);
	/* Wall against wall only where every replica saved its wall series. */
	if (walls == (int)nb && !ratio_interval(run, nr, bwall, nb, &rw, &wlo, &whi))
		printf("  %6.3f [%5.3f, %5.3f]\n", rw, wlo, whi);
	else
		printf("  %s\n", "absent");
	for (i = 0; i < nr; i++)
		fprintf(stderr, "  %s replica %zu: scf-run %.1f ns, scf-bench p50 "
			"%.1f ns, mean %.1f ns, wall %.1f ns\n", argv[1], i + 1,
			run[i], bp50[i], bmean[i], bwall[i]);
	for (i = 0; i < nb && !isnan(bmean[i]); i++)
		;
	if (i == nb && !ratio_interval(run, nr, bmean, nb, &rw, &wlo, &whi))
		fprintf(stderr, "  %s: scf-run over scf-bench's mean of total: "
			"%.3f [%.3f, %.3f]; scf-bench's own mean over p50: %.3f\n",
			argv[1], rw, wlo, whi,
			median_of(bmean, nb) / median_of(bp50, nb));
	free(buf);
	return 0;
}
