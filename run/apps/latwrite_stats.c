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
 *
 * lat_write's per-call time is a mean (the sample's wall over its
 * calls), scf-bench's p50 a median: where every scf-run sample also has
 * lat_write's "Per call p50: raw R ns, timer T ns, net N ns" line (its
 * percall mode), a line on stderr gives the like-for-like ratio, the
 * median over replicas of each series' median net per-call p50 over
 * scf-bench's p50, with its interval and the timer cost taken out.  A
 * series with a p50 line missing or malformed (not three numbers, raw or
 * net not positive, net not raw - timer) has no p50: the line then says
 * the ratio is absent, never a zero.
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

/*
 * One percall line's net p50 and timer cost in ns: 0, or -1 where the
 * line is malformed (three numbers, raw and net positive, timer not
 * negative, net within 0.2 ns of raw - timer: each printed to 0.1 ns).
 */
static int p50_line(const char *p, double *net, double *timer)
{
	double raw;

	if (sscanf(p, " raw %lf ns, timer %lf ns, net %lf ns", &raw, timer,
		   net) != 3 || !(raw > 0) || !(*timer >= 0) || !(*net > 0) ||
	    fabs(raw - *timer - *net) > 0.2)
		return -1;
	return 0;
}

struct run_series {
	double mean;	/* median over its processes of the mean per call */
	size_t count;	/* its mean lines */
	double p50;	/* median net per-call p50; NAN: no (good) p50 lines */
	double timer;	/* median timer cost of the p50 lines; NAN likewise */
	const char *why_no_p50;
};

/* One scf-run series' medians per call in ns; 0, or -1 with the reason. */
static int run_replica(const char *path, struct run_series *rs, double *buf,
		       double *p50s, double *timers)
{
	static const char *const keys[] = {
		"Avg time delay per syscall:", "Live: latency =",
	};
	static const char p50_key[] = "Per call p50:";
	FILE *f = fopen(path, "re");
	char line[256];
	size_t n = 0, np = 0, bad = 0;
	double us;

	if (!f) {
		fprintf(stderr, "latwrite-stats: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) && n < SAMPLES_MAX &&
	       np < SAMPLES_MAX) {
		char *p = strstr(line, p50_key);
		size_t k;

		if (p) {
			if (p50_line(p + strlen(p50_key), &p50s[np], &timers[np]))
				bad++;
			else
				np++;
			continue;
		}
		for (k = 0; k < 2; k++) {
			p = strstr(line, keys[k]);
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
	rs->mean = median_of(buf, n);
	rs->count = n;
	rs->p50 = rs->timer = NAN;
	rs->why_no_p50 = bad ? "a malformed per-call p50 line" :
			 np != n ? "a sample without its per-call p50 line" : NULL;
	if (!rs->why_no_p50) {
		rs->p50 = median_of(p50s, np);
		rs->timer = median_of(timers, np);
	}
	return 0;
}

int main(int argc, char **argv)
{
	double bp50[REPLICAS_MAX], bwall[REPLICAS_MAX], run[REPLICAS_MAX];
	double bmean[REPLICAS_MAX], p50[REPLICAS_MAX], timer[REPLICAS_MAX];
	struct run_series rs[REPLICAS_MAX];
	double r, lo, hi, rw, wlo, whi, *buf;
	size_t np = 0;
	char label[160];
	size_t nb = 0, nr = 0, i, samples = 0;
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
	buf = malloc(sizeof(*buf) * SAMPLES_MAX * 3);
	if (!buf)
		return 1;
	for (a = 2; a < sep; a++, nb++) {
		if (bench_replica(argv[a], &bp50[nb], &bmean[nb], &bwall[nb], buf,
				  &emulated))
			return 1;
		walls += !isnan(bwall[nb]);
	}
	for (a = sep + 1; a < argc; a++, nr++) {
		if (run_replica(argv[a], &rs[nr], buf, buf + SAMPLES_MAX,
				buf + 2 * SAMPLES_MAX))
			return 1;
		run[nr] = rs[nr].mean;
		samples += rs[nr].count;
		if (!isnan(rs[nr].p50)) {
			p50[np] = rs[nr].p50;
			timer[np++] = rs[nr].timer;
		}
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
	for (i = 0; i < nr; i++) {
		fprintf(stderr, "  %s replica %zu: scf-run %.1f ns, scf-bench p50 "
			"%.1f ns, mean %.1f ns, wall %.1f ns", argv[1], i + 1,
			run[i], bp50[i], bmean[i], bwall[i]);
		if (!isnan(rs[i].p50))
			fprintf(stderr, "; scf-run per-call p50 net %.1f ns "
				"(timer %.1f ns)", rs[i].p50, rs[i].timer);
		fputc('\n', stderr);
	}
	for (i = 0; i < nb && !isnan(bmean[i]); i++)
		;
	if (i == nb && !ratio_interval(run, nr, bmean, nb, &rw, &wlo, &whi))
		fprintf(stderr, "  %s: scf-run over scf-bench's mean of total: "
			"%.3f [%.3f, %.3f]; scf-bench's own mean over p50: %.3f\n",
			argv[1], rw, wlo, whi,
			median_of(bmean, nb) / median_of(bp50, nb));
	/*
	 * Like for like: a median per call over a median per call, where
	 * every series has its per-call p50s; absent otherwise, never 0.
	 */
	for (i = 0; i < nr && !rs[i].why_no_p50; i++)
		;
	if (i == nr && np == nr &&
	    !ratio_interval(p50, np, bp50, nb, &rw, &wlo, &whi))
		fprintf(stderr, "  %s: like for like, scf-run lat_write per-call "
			"p50 (net of timer) over scf-bench write p50: %.3f "
			"[%.3f, %.3f]; scf-run p50 %.1f ns net, timer %.1f ns "
			"taken out\n", label, rw, wlo, whi, median_of(p50, np),
			median_of(timer, np));
	else if (i < nr)
		fprintf(stderr, "  %s: like for like, scf-run lat_write per-call "
			"p50 over scf-bench write p50: absent (scf-run series "
			"%zu: %s)\n", label, i + 1, rs[i].why_no_p50);
	else
		fprintf(stderr, "  %s: like for like, scf-run lat_write per-call "
			"p50 over scf-bench write p50: absent (no ratio)\n", label);
	free(buf);
	return 0;
}
