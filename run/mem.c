// SPDX-License-Identifier: MIT
/*
 * mem.c - the program's memory calls.  Local, as an RTOS kernel serves
 * them, with one rule: the runtime's own mappings (maps.c) are not the
 * program's to replace, unmap or re-protect.  The break is emulated: the host's belongs to the
 * runtime's malloc.  mmap of a file is dual: anonymous memory here,
 * filled by forwarded reads.
 */
#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "calls.h"
#include "raw.h"

#define PAGE		4096ull
#define PAGE_UP(x)	(((x) + PAGE - 1) & ~(PAGE - 1))
#define BRK_MAX		(1ull << 30)

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
