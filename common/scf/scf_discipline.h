/* SPDX-License-Identifier: MIT */
/*
 * scf_discipline.h - push and pop on a ring of either discipline, the one
 * its region was formatted with: lock-free (scf_ring.c) or locked
 * (scf_ring_locked.c).  The shadow and the tests use these; the client's
 * call path picks its layout's own (scf_path.h).
 */
#ifndef SCF_DISCIPLINE_H
#define SCF_DISCIPLINE_H

#include "scf_ring.h"
#include "scf_ring_locked.h"

/* Producer: 0, -SCF_ENOSPC when full, -SCF_EPROTO if tail is corrupt. */
static inline int scf_ring_push(struct scf_ring *r, uint32_t idx)
{
	return r->discipline == SCF_RING_LOCKED ? scf_ring_push_locked(r, idx)
						: scf_ring_push_nolock(r, idx);
}

/* Consumer: 0, -SCF_EAGAIN when empty, -SCF_EPROTO if head is corrupt. */
static inline int scf_ring_pop(struct scf_ring *r, uint32_t *idx)
{
	return r->discipline == SCF_RING_LOCKED ? scf_ring_pop_locked(r, idx)
						: scf_ring_pop_nolock(r, idx);
}

#endif /* SCF_DISCIPLINE_H */
