// SPDX-License-Identifier: MIT
/*
 * lat_write.c - the origin's lat_write as a standalone program, compiled
 * normally: SAMPLES samples of CYCLES 1-byte write()s to FILE, each
 * sample timed with clock_gettime.  Run natively and under scf-run by
 * run/apps/bench.sh and run/apps/latwrite_ratio.sh.
 *
 *   lat_write FILE [SAMPLES [CYCLES [percall]]]   (default 20 x 10000)
 *
 * The "Live" lines give each sample's mean per call (its wall time over
 * CYCLES).  With "percall", each write() is also timed alone by the TSC
 * and each sample prints the median per call beside its mean, so that it
 * can be set against scf-bench's per-sample median (its p50): a mean and
 * a median differ by the tail.  The timer's own cost is the median of
 * CYCLES empty timed regions, same instrumentation, taken in the same
 * sample just before the writes; the line prints the raw median, that
 * cost and their difference (net).  The TSC's rate is measured over the
 * sample against CLOCK_MONOTONIC_RAW, never assumed.  The Live line of a
 * percall sample includes the timer's cost in every call.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scf_arch.h"

static long parse(const char *s, const char *what)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || v < 1 || v > 100000000) {
		fprintf(stderr, "lat_write: bad %s: '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static double ns_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e9 +
	       (double)(b->tv_nsec - a->tv_nsec);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The median of n ticks (sorts v); the mean of the middle two for even n. */
static double median_ticks(uint64_t *v, long n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return n % 2 ? (double)v[n / 2] :
		       ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

/*
 * One percall sample: CYCLES empty timed regions, then CYCLES timed
 * write()s, each between two scf_rdtsc_ordered() reads (lfence; rdtsc;
 * lfence): the first lfence keeps rdtsc from reading before the code
 * above it has finished, the second keeps the code below (the write's
 * call) from starting before rdtsc has read, so each region holds its
 * write and nothing of the loop around it is counted twice or not at
 * all.  The empty region is the same pair with nothing between: the
 * timer's cost, taken out of the median.  The rate: the sample's TSC
 * ticks over its CLOCK_MONOTONIC_RAW nanoseconds.  0, or -1 (said).
 */
static int percall_sample(int fd, long cycles, uint64_t *d, long i,
			  double *wall_ns)
{
	struct timespec m0, m1, start, end;
	uint64_t c0, c1, t0, t1;
	double hz, empty, raw;
	long j;

	clock_gettime(CLOCK_MONOTONIC_RAW, &m0);
	c0 = scf_rdtsc_ordered();
	for (j = 0; j < cycles; j++) {
		t0 = scf_rdtsc_ordered();
		t1 = scf_rdtsc_ordered();
		d[j] = t1 - t0;
	}
	empty = median_ticks(d, cycles);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (j = 0; j < cycles; j++) {
		t0 = scf_rdtsc_ordered();
		if (write(fd, "x", 1) != 1) {
			perror("lat_write: write");
			return -1;
		}
		t1 = scf_rdtsc_ordered();
		d[j] = t1 - t0;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	c1 = scf_rdtsc_ordered();
	clock_gettime(CLOCK_MONOTONIC_RAW, &m1);
	*wall_ns = ns_between(&start, &end);
	if (c1 <= c0 || ns_between(&m0, &m1) <= 0) {
		fprintf(stderr, "lat_write: the TSC or the clock did not advance\n");
		return -1;
	}
	hz = (double)(c1 - c0) * 1e9 / ns_between(&m0, &m1);
	raw = median_ticks(d, cycles);
	printf("Live: latency = %.3f usec %ld\n",
	       *wall_ns / 1e3 / (double)cycles, i);
	printf("Per call p50: raw %.1f ns, timer %.1f ns, net %.1f ns, "
	       "tsc %.0f Hz %ld\n", raw * 1e9 / hz, empty * 1e9 / hz,
	       (raw - empty) * 1e9 / hz, hz, i);
	return 0;
}

int main(int argc, char **argv)
{
	long samples = 20, cycles = 10000, i, j;
	struct timespec start, end;
	double total = 0, interval;
	uint64_t *d = NULL;
	int fd;

	if (argc < 2 || argc > 5 || (argc == 5 && strcmp(argv[4], "percall"))) {
		fprintf(stderr, "usage: lat_write FILE [SAMPLES [CYCLES [percall]]]\n");
		return 2;
	}
	if (argc > 2)
		samples = parse(argv[2], "SAMPLES");
	if (argc > 3)
		cycles = parse(argv[3], "CYCLES");
	if (argc == 5) {
		d = malloc(sizeof(*d) * (size_t)cycles);
		if (!d) {
			perror("lat_write: malloc");
			return 1;
		}
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror("lat_write: open");
		return 1;
	}
	for (i = 0; i < samples; i++) {
		if (d) {
			if (percall_sample(fd, cycles, d, i, &interval))
				return 1;
			total += interval;
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &start);
		for (j = 0; j < cycles; j++)
			if (write(fd, "x", 1) != 1) {
				perror("lat_write: write");
				return 1;
			}
		clock_gettime(CLOCK_MONOTONIC, &end);
		interval = ns_between(&start, &end);
		printf("Live: latency = %.3f usec %ld\n",
		       interval / 1e3 / (double)cycles, i);
		total += interval;
	}
	printf("Avg time delay per syscall: %.3f usec\n",
	       total / (double)samples / (double)cycles / 1e3);
	printf("Total time delay for %ld syscalls: %.0f usec\n",
	       samples * cycles, total / 1e3);
	close(fd);
	free(d);
	return 0;
}
