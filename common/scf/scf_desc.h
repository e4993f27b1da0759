/* SPDX-License-Identifier: MIT */
/*
 * scf_desc.h - the client's bounded descriptor allocator.
 *
 * A LIFO stack of free descriptor indices in caller-provided storage: no
 * allocation on the hot path, O(1) get and put, and the most recently
 * freed (cache-hot) descriptor is handed out first.  It lives in the
 * client's private memory, never in the region, so a misbehaving shadow
 * cannot corrupt it.  Not thread-safe: callers serialise.
 */
#ifndef SCF_DESC_H
#define SCF_DESC_H

#include "scf_abi.h"

struct scf_desc_alloc {
	uint32_t capacity;
	uint32_t nfree;
	uint32_t *stack;	/* [capacity] free indices, top at nfree - 1 */
	uint8_t *used;		/* [capacity] 1 while handed out */
};

int scf_desc_alloc_init(struct scf_desc_alloc *a, uint32_t capacity,
			uint32_t *stack, uint8_t *used);
/* A free index, or -SCF_EAGAIN when every descriptor is in flight. */
int scf_desc_get(struct scf_desc_alloc *a);
/* 0, or -SCF_EINVAL for an index out of range or not handed out. */
int scf_desc_put(struct scf_desc_alloc *a, uint32_t idx);

#endif /* SCF_DESC_H */
