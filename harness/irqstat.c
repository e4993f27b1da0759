// SPDX-License-Identifier: MIT
/*
 * irqstat.c - one CPU's call-function (CAL) and rescheduling (RES)
 * interrupt counts from /proc/interrupts: an account of the IPIs a CPU
 * took that owes nothing to the doorbell's own counters.
 *
 * The header row names the online CPUs ("CPU0 CPU1 ..."); a row is its
 * name, then one count per column in that order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/* Index of "CPU<cpu>" among the header's columns, or -1. */
static int cpu_column(char *header, int cpu)
{
	char *save = NULL, *tok;
	int col = 0;

	for (tok = strtok_r(header, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save), col++) {
		char *end;
		long n;

		if (strncmp(tok, "CPU", 3))
			return -1;
		n = strtol(tok + 3, &end, 10);
		if (end != tok + 3 && !*end && n == cpu)
			return col;
	}
	return -1;
}

/* The col-th count after the row's name, or -1 when the row is short. */
static int row_count(const char *rest, int col, uint64_t *v)
{
	char *end;
	int i;

	for (i = 0; i <= col; i++) {
		*v = strtoull(rest, &end, 10);
		if (end == rest)
			return -1;
		rest = end;
	}
	return 0;
}

int irqstat_read(int cpu, uint64_t *cal, uint64_t *res)
{
	char line[8192];
	int col, found = 0;
	FILE *f = fopen("/proc/interrupts", "re");

	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f) || (col = cpu_column(line, cpu)) < 0) {
		fclose(f);
		return -ENOENT;
	}
	while (fgets(line, sizeof(line), f) && found < 2) {
		char *name = line + strspn(line, " ");

		if (!strncmp(name, "CAL:", 4))
			found += !row_count(name + 4, col, cal);
		else if (!strncmp(name, "RES:", 4))
			found += !row_count(name + 4, col, res);
	}
	fclose(f);
	return found == 2 ? 0 : -ENOENT;
}
