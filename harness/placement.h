/* SPDX-License-Identifier: MIT */
/*
 * placement.h - the region's pages probed and chosen at setup
 * (placement.c says how and why).
 */
#ifndef WORKLOADS_PLACEMENT_H
#define WORKLOADS_PLACEMENT_H

#include <stddef.h>
#include <stdint.h>

struct placement;

struct bench;

/*
 * Probe the n pages at offsets off[] (page aligned) of the region mapped
 * at region from fd (-1: a device's, probed but never replaced), and
 * replace those past the machine's floor, keeping their bytes.  Fills pl.
 * 0, or -errno when it could not probe (the run goes on, its pages as
 * they fell).
 */
int placement_run(struct bench *b, int fd, uint8_t *region, uint64_t size,
		  const uint64_t *off, uint32_t n, struct placement *pl);

/*
 * len bytes of zeroed memory shared with a process forked later (a
 * peer's lines), on pages probed and, past the limit, replaced as the
 * region's are (--placement off: only probed); what was placed is added
 * to acc (NULL: not recorded).  NULL when it could not be mapped.
 */
void *placement_shared(struct bench *b, size_t len, struct placement *acc);
/* Add one placement pl to acc: its pages and probes appended (up to
 * PLACE_MAX_PAGES), its rejections counted, acc->mappings one more. */
void placement_add(struct placement *acc, const struct placement *pl);

#endif /* WORKLOADS_PLACEMENT_H */
