// SPDX-License-Identifier: MIT
/*
 * maps.c - who owns which memory: the runtime's own mappings (recorded
 * before the program was loaded), which the program may not replace,
 * unmap or re-protect (mem.c) and whose syscall sites are never
 * rewritten (rewrite.c); and the program's mappings, so an exec can drop
 * them all (exec.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "run.h"

#define PAGE		4096ull
#define PAGE_UP(x)	(((x) + PAGE - 1) & ~(PAGE - 1))

/* Every mapping of this process so far is the runtime's. */
int run_owned_snapshot(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	unsigned long lo, hi;
	char line[512];
	uint32_t cap = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2)
			continue;
		if (runtime.nowned == cap) {
			void *p;

			cap = cap ? cap * 2 : 64;
			p = realloc(runtime.owned, cap * sizeof(*runtime.owned));
			if (!p) {
				fclose(f);
				return -ENOMEM;
			}
			runtime.owned = p;
		}
		runtime.owned[runtime.nowned][0] = lo;
		runtime.owned[runtime.nowned++][1] = hi;
	}
	fclose(f);
	return 0;
}

bool run_owned_overlap(uint64_t addr, uint64_t len)
{
	uint64_t end = addr + PAGE_UP(len);
	uint32_t i;

	if (end < addr)
		return true;
	for (i = 0; i < runtime.nowned; i++)
		if (addr < runtime.owned[i][1] && runtime.owned[i][0] < end)
			return true;
	return false;
}

/* The program's mappings: [lo, hi), possibly overlapping. */
static struct { uint64_t lo, hi; } *track;
static uint32_t ntrack, captrack;

void run_track_add(uint64_t addr, uint64_t len)
{
	if (!len)
		return;
	if (ntrack == captrack) {
		uint32_t cap = captrack ? captrack * 2 : 64;
		void *p = realloc(track, cap * sizeof(*track));

		if (!p)
			run_stop("out of memory tracking the program's mappings");
		track = p;
		captrack = cap;
	}
	track[ntrack].lo = addr;
	track[ntrack++].hi = addr + PAGE_UP(len);
}

void run_track_del(uint64_t addr, uint64_t len)
{
	uint64_t lo = addr, hi = addr + PAGE_UP(len);
	uint32_t i, j, n = ntrack;

	for (i = 0; i < n; i++) {
		uint64_t a = track[i].lo, b = track[i].hi;

		if (hi <= a || b <= lo)
			continue;
		if (lo <= a && b <= hi) {
			track[i].lo = track[i].hi = 0;	/* wholly gone */
			continue;
		}
		if (a < lo && hi < b) {		/* a hole in the middle */
			track[i].hi = lo;
			run_track_add(hi, b - hi);
			continue;
		}
		if (a < lo)
			track[i].hi = lo;
		else
			track[i].lo = hi;
	}
	for (i = j = 0; i < ntrack; i++)
		if (track[i].hi > track[i].lo)
			track[j++] = track[i];
	ntrack = j;
}

void run_track_unmap_all(void)
{
	uint32_t i;

	for (i = 0; i < ntrack; i++)
		munmap((void *)(uintptr_t)track[i].lo, track[i].hi - track[i].lo);
	ntrack = 0;
}
