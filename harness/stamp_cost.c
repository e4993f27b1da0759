// SPDX-License-Identifier: MIT
/*
 * stamp_cost.c - what one ordered stamp costs on the CPU we run on: the
 * median of back-to-back stamps, the unit net.c takes out of each phase.
 */
#include <stdint.h>
#include <stdlib.h>

#include "bench.h"
#include "scf_arch.h"

#define STAMP_PAIRS	4001

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

double stamp_cost_ticks(void)
{
	static uint64_t d[STAMP_PAIRS];
	uint32_t i;

	for (i = 0; i < STAMP_PAIRS; i++) {
		uint64_t t0 = scf_rdtsc_ordered();

		d[i] = scf_rdtsc_ordered() - t0;
	}
	qsort(d, STAMP_PAIRS, sizeof(d[0]), cmp_u64);
	return (double)d[STAMP_PAIRS / 2];
}
