// SPDX-License-Identifier: MIT
/*
 * mem.c - the program's memory calls.  Local, as an RTOS kernel serves
 * them, with one rule: the runtime's own mappings (recorded before the
 * program was loaded) are not the program's to replace, unmap or
 * re-protect.  The break is emulated: the host's belongs to the
 * runtime's malloc.  mmap of a file is dual: anonymous memory here,
 * filled by forwarded reads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "raw.h"
#include "run.h"

#define PAGE		4096ull
#define PAGE_UP(x)	(((x) + PAGE - 1) & ~(PAGE - 1))
#define BRK_MAX		(1ull << 30)

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

static bool failed(int64_t r)
{
	return r < 0 && r > -4096;
}

static void guard(const char *what, uint64_t addr, uint64_t len)
{
	if (run_owned_overlap(addr, len))
		run_stop("the program tried to %s the runtime's memory "
			 "[%#llx, +%#llx)", what, (unsigned long long)addr,
			 (unsigned long long)len);
}

int64_t rl_brk(struct run_call *k)
{
	uint64_t want = PAGE_UP(k->a[0]), cur = PAGE_UP(runtime.brk_cur);

	if (!k->a[0] || k->a[0] < runtime.brk_start || k->a[0] - runtime.brk_start > BRK_MAX)
		return (int64_t)runtime.brk_cur;
	if (want > cur) {
		void *p = mmap((void *)cur, want - cur, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);

		if (p == MAP_FAILED || (uint64_t)(uintptr_t)p != cur) {
			if (p != MAP_FAILED)
				munmap(p, want - cur);
			return (int64_t)runtime.brk_cur;	/* malloc falls back to mmap */
		}
		run_track_add(cur, want - cur);
	} else if (want < cur) {
		munmap((void *)want, cur - want);
		run_track_del(want, cur - want);
	}
	runtime.brk_cur = k->a[0];
	return (int64_t)runtime.brk_cur;
}

/* A private file mapping: anonymous memory, filled from the file. */
static int64_t map_file(struct run_call *k)
{
	uint64_t len = k->a[1], prot = k->a[2], flags = k->a[3], done = 0;
	int fd = (int)k->a[4];
	int64_t off = (int64_t)k->a[5], r;
	char *p;

	if ((flags & MAP_SHARED) && (prot & PROT_WRITE))
		return -EACCES;	/* writes could never reach the file */
	r = raw_syscall6(SYS_mmap, k->a[0], len, PROT_READ | PROT_WRITE,
			 (flags & ~(uint64_t)(MAP_SHARED | MAP_SHARED_VALIDATE |
			  MAP_DENYWRITE | MAP_EXECUTABLE)) | MAP_PRIVATE |
			 MAP_ANONYMOUS, (uint64_t)-1, 0);
	if (failed(r))
		return r;
	p = (char *)(uintptr_t)r;
	run_track_add((uint64_t)r, len);
	while (done < len) {
		uint64_t chunk = scf_client_chunk(runtime.c);
		uint64_t n = len - done > chunk ? chunk : len - done;
		int64_t got = run_forwarded(k, scf_pread64(runtime.c, fd, p + done, n,
						off + (int64_t)done));

		if (got < 0) {
			munmap(p, len);
			run_track_del((uint64_t)r, len);
			return got;
		}
		if (!got)
			break;		/* past the end of the file: zeros */
		done += (uint64_t)got;
	}
	if (mprotect(p, len, (int)prot)) {
		munmap(p, len);
		run_track_del((uint64_t)r, len);
		return -EACCES;
	}
	return r;
}

int64_t rl_mmap(struct run_call *k)
{
	int64_t r;

	if (k->a[3] & MAP_FIXED)
		guard("map over", k->a[0], k->a[1]);
	if (!(k->a[3] & MAP_ANONYMOUS))
		return map_file(k);
	r = raw_syscall6(SYS_mmap, k->a[0], k->a[1], k->a[2], k->a[3],
			 k->a[4], k->a[5]);
	if (!failed(r))
		run_track_add((uint64_t)r, k->a[1]);
	return r;
}

int64_t rl_munmap(struct run_call *k)
{
	int64_t r;

	guard("unmap", k->a[0], k->a[1]);
	r = raw_syscall6(SYS_munmap, k->a[0], k->a[1], 0, 0, 0, 0);
	if (!r)
		run_track_del(k->a[0], k->a[1]);
	return r;
}

int64_t rl_mprotect(struct run_call *k)
{
	guard("re-protect", k->a[0], k->a[1]);
	return raw_syscall6(SYS_mprotect, k->a[0], k->a[1], k->a[2], 0, 0, 0);
}

int64_t rl_madvise(struct run_call *k)
{
	guard("madvise", k->a[0], k->a[1]);
	return raw_syscall6(SYS_madvise, k->a[0], k->a[1], k->a[2], 0, 0, 0);
}

int64_t rl_mremap(struct run_call *k)
{
	int64_t r;

	guard("remap", k->a[0], k->a[1]);
	if (k->a[3] & MREMAP_FIXED)
		guard("remap over", k->a[4], k->a[2]);
	r = raw_syscall6(SYS_mremap, k->a[0], k->a[1], k->a[2], k->a[3],
			 k->a[4], 0);
	if (!failed(r)) {
		run_track_del(k->a[0], k->a[1]);
		run_track_add((uint64_t)r, k->a[2]);
	}
	return r;
}
