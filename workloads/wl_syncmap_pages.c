// SPDX-License-Identifier: MIT
/*
 * wl_syncmap_pages.c - syncing a 64 KiB range into the shadow page by
 * page (the NimbOS case: one syncmap per 4 KiB page it maps) against as
 * one contiguous range (the NuttX case: one syncmap per range).  Each
 * cycle maps the range and syncs it, or unsyncs and unmaps it; the calls
 * of one cycle are its parts (as a dual call's are), so total is the
 * whole range's cost and local is the RTOS side's own mmap/munmap.
 */
#include <sys/mman.h>

#include "bench.h"
#include "../rtos/rtos_dual.h"
#include "scf_arch.h"

#define PAGE		4096ull
#define NPAGES		(CHURN_LEN / PAGE)
#define PAGES_CYCLES	1000u	/* 16 calls a cycle: keep a sample short */

_Static_assert(NPAGES <= DUAL_PARTS, "one part per page");

static int range_setup(struct bench *b, struct wl_ctx *x)
{
	(void)b;
	x->dual = true;
	x->max_cycles = PAGES_CYCLES;
	return 0;
}

/* Sync (even i) or unsync (odd i) [addr, addr + CHURN_LEN) in step bytes. */
static int churn(struct bench *b, struct wl_ctx *x, uint64_t i,
		 uint64_t step)
{
	uint8_t *addr = (uint8_t *)(uintptr_t)(SCF_SYNC_BASE + CHURN_OFF);
	struct dual_rec *d = x->drec;
	uint64_t off;
	int64_t ret = 0;

	d->n = d->dropped = 0;
	d->t0 = scf_rdtsc_ordered();
	if (!(i & 1) && mmap(addr, CHURN_LEN, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_FIXED_NOREPLACE, b->memfd,
			     CHURN_OFF) != addr)
		return -1;
	for (off = 0; off < CHURN_LEN && !ret; off += step) {
		b->c.rec = rtos_part(d);
		ret = i & 1 ? scf_syncunmap(&b->c, addr + off, step) :
			      scf_syncmap(&b->c, addr + off, step);
	}
	b->c.rec = NULL;
	if (ret || ((i & 1) && munmap(addr, CHURN_LEN)))
		return -1;
	d->t_end = scf_rdtsc_ordered();
	return 0;
}

static int pages_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	return churn(b, x, i, PAGE);
}

static int range_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	return churn(b, x, i, CHURN_LEN);
}

static const struct wl wl_syncmap_pages = {
	.name = "syncmap-pages",
	.kind = WL_FWD,
	.about = "map+sync 64 KiB one 4 KiB page a call, and back (NimbOS)",
	.group = "syncmap-grain",
	.extended = true,
	.setup = range_setup,
	.op = pages_op,
};
static const struct wl wl_syncmap_range = {
	.name = "syncmap-range",
	.kind = WL_FWD,
	.about = "map+sync 64 KiB as one range, and back (NuttX)",
	.group = "syncmap-grain",
	.extended = true,
	.setup = range_setup,
	.op = range_op,
};
SCF_WORKLOAD(wl_syncmap_pages);
SCF_WORKLOAD(wl_syncmap_range);
