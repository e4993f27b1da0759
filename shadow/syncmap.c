// SPDX-License-Identifier: MIT
/*
 * syncmap.c - syncmap/syncunmap: map the client's memory at the same
 * virtual address, so pointer arguments need no copy (the origin's
 * memsync=map).  Every range is checked against the agreed window
 * (SCF_SYNC_BASE, see scf_calls.h), the memfd's size and the ranges
 * already mapped; the file offset is fixed by the address (addr - base),
 * so one page of the memfd can never appear at two addresses.
 */
#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shadow.h"

static bool in_window(uint64_t addr, uint64_t len)
{
	return addr >= SCF_SYNC_BASE && len <= SCF_SYNC_SIZE &&
	       addr - SCF_SYNC_BASE <= SCF_SYNC_SIZE - len;
}

int syncmap_map(struct syncmap *m, uint64_t addr, uint64_t len, uint64_t off)
{
	struct stat st;
	void *p;

	if (m->memfd < 0)
		return -ENODEV;
	if (!len || addr % 4096 || len % 4096 || !in_window(addr, len) ||
	    off != addr - SCF_SYNC_BASE)
		return -EINVAL;
	if (fstat(m->memfd, &st))
		return -errno;
	if (off > (uint64_t)st.st_size || len > (uint64_t)st.st_size - off)
		return -EINVAL;
	if (m->n == SHADOW_SYNC_MAX)
		return -ENOMEM;
	/* NOREPLACE: overlap with a synced range, or anything, fails. */
	p = mmap((void *)(uintptr_t)addr, len, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED_NOREPLACE, m->memfd, (off_t)off);
	if (p == MAP_FAILED)
		return errno == EEXIST ? -EEXIST : -errno;
	if ((uint64_t)(uintptr_t)p != addr) {
		/* Kernels before 4.17 treat NOREPLACE as a hint. */
		munmap(p, len);
		return -EEXIST;
	}
	m->r[m->n].addr = addr;
	m->r[m->n].len = len;
	m->n++;
	return 0;
}

int syncmap_unmap(struct syncmap *m, uint64_t addr, uint64_t len)
{
	uint32_t i;

	/* Only whole ranges that syncmap made: never the shadow's own memory. */
	for (i = 0; i < m->n; i++) {
		if (m->r[i].addr != addr || m->r[i].len != len)
			continue;
		if (munmap((void *)(uintptr_t)addr, len))
			return -errno;
		m->r[i] = m->r[--m->n];
		return 0;
	}
	return -EINVAL;
}

bool syncmap_contains(const struct syncmap *m, uint64_t addr, uint64_t len)
{
	uint32_t i;

	for (i = 0; i < m->n; i++) {
		const struct sync_range *r = &m->r[i];

		if (addr >= r->addr && len <= r->len &&
		    addr - r->addr <= r->len - len)
			return true;
	}
	return false;
}

void syncmap_unmap_all(struct syncmap *m)
{
	while (m->n) {
		m->n--;
		munmap((void *)(uintptr_t)m->r[m->n].addr, m->r[m->n].len);
	}
}
