// SPDX-License-Identifier: MIT
/*
 * lat_write.c - the origin's lat_write as a standalone program, compiled
 * normally: SAMPLES samples of CYCLES 1-byte write()s to FILE, each
 * sample timed with clock_gettime.  Run natively and under scf-run by
 * run/apps/bench.sh.
 *
 *   lat_write FILE [SAMPLES [CYCLES]]      (default 20 x 10000)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

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

int main(int argc, char **argv)
{
	long samples = 20, cycles = 10000, i, j;
	struct timespec start, end;
	double total = 0, interval;
	int fd;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: lat_write FILE [SAMPLES [CYCLES]]\n");
		return 2;
	}
	if (argc > 2)
		samples = parse(argv[2], "SAMPLES");
	if (argc > 3)
		cycles = parse(argv[3], "CYCLES");
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror("lat_write: open");
		return 1;
	}
	for (i = 0; i < samples; i++) {
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
	return 0;
}
