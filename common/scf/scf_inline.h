/* SPDX-License-Identifier: MIT */
/*
 * scf_inline.h - the call path of a slot formatted SCF_RING_INLINE
 * (scf_abi.h): the request in its descriptor's first line, the answer in
 * its second, no index ring.  scf_call() takes it for such a slot.
 */
#ifndef SCF_INLINE_H
#define SCF_INLINE_H

#include "scf_client.h"

/* Descriptor of call number seq (from 1) on an inline slot. */
static inline uint32_t scf_inline_idx(uint64_t seq, uint32_t capacity)
{
	return (uint32_t)(seq - 1) & (capacity - 1);
}

int64_t scf_call_inline(struct scf_client *c, const struct scf_req *r);

#endif /* SCF_INLINE_H */
