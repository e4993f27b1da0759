/* SPDX-License-Identifier: MIT */
/*
 * placement.h - the region's pages probed and chosen at setup
 * (placement.c says how and why).
 */
#ifndef WORKLOADS_PLACEMENT_H
#define WORKLOADS_PLACEMENT_H

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

#endif /* WORKLOADS_PLACEMENT_H */
