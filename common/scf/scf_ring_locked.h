/* SPDX-License-Identifier: MIT */
/*
 * scf_ring_locked.h - the locked discipline (SCF_RING_LOCKED): the
 * lock-free ring's push and pop under the ring's spinlock, as the
 * origin's queue did (scf_ring_locked.c).
 */
#ifndef SCF_RING_LOCKED_H
#define SCF_RING_LOCKED_H

#include "scf_ring.h"

/* Upper bound on spins for the lock before -SCF_ETIMEDOUT. */
#define SCF_RING_LOCK_SPINS	(1u << 24)

/* As scf_ring_push_nolock()/pop_nolock(), or -SCF_ETIMEDOUT when a peer
 * holds the lock for ever. */
int scf_ring_push_locked(struct scf_ring *r, uint32_t idx);
int scf_ring_pop_locked(struct scf_ring *r, uint32_t *idx);

#endif /* SCF_RING_LOCKED_H */
