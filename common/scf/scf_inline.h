/* SPDX-License-Identifier: MIT */
/*
 * scf_inline.h - the inline layout of a slot formatted SCF_RING_INLINE
 * (scf_abi.h): the request in its descriptor's first line, the answer in
 * its second, no index ring.  One call at a time.  scf_put() and
 * scf_take() (scf_path.h) use these; the shadow finds call n with
 * scf_inline_idx().
 */
#ifndef SCF_INLINE_H
#define SCF_INLINE_H

#include "scf_client.h"

/* Descriptor of call number seq (from 1) on an inline slot. */
static inline uint32_t scf_inline_idx(uint64_t seq, uint32_t capacity)
{
	return (uint32_t)(seq - 1) & (capacity - 1);
}

/*
 * Request r into line 0 of descriptor idx (line 1 only where it changes):
 * 0, or -SCF_EINVAL for a payload that does not fit.
 */
int scf_inline_fill(const struct scf_client *c, uint32_t idx,
		    const struct scf_req *r, bool full);
/* Publish request seq, written into descriptor idx. */
void scf_inline_send(struct scf_client *c, uint32_t idx, uint64_t seq);
/* The request in flight is answered, and its answer not yet taken. */
bool scf_inline_answered(const struct scf_client *c);
/* Take that answer: 0 and *idx, or -SCF_EAGAIN. */
int scf_inline_take(struct scf_client *c, uint32_t *idx);

#endif /* SCF_INLINE_H */
