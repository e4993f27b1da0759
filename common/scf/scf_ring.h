/* SPDX-License-Identifier: MIT */
/*
 * scf_ring.h - the request and response rings.
 *
 * A struct scf_ring is one side's private view of a shared ring: pointers
 * into the region plus the index this side owns, kept privately so that a
 * peer scribbling over the shared copy cannot steer us (the shadow trusts
 * nothing in the region).  The producer owns head, the consumer owns tail.
 */
#ifndef SCF_RING_H
#define SCF_RING_H

#include "scf_abi.h"

struct scf_ring {
	_Atomic uint32_t *head;		/* shared, written by the producer */
	_Atomic uint32_t *tail;		/* shared, written by the consumer */
	_Atomic uint32_t *lock;		/* shared, SCF_RING_LOCKED only */
	_Atomic uint32_t *entry;	/* shared, capacity descriptor indices */
	uint32_t capacity;		/* private copies of the geometry */
	uint32_t mask;
	uint32_t discipline;
	uint32_t prod;			/* private: producer's next head */
	uint32_t cons;			/* private: consumer's next tail */
	uint32_t tail_seen;		/* producer: last tail read; it only grows */
	uint32_t head_seen;		/* consumer: last head read; it only grows */
};

void scf_ring_bind(struct scf_ring *r, _Atomic uint32_t *head,
		   _Atomic uint32_t *tail, _Atomic uint32_t *lock,
		   _Atomic uint32_t *entry, uint32_t capacity,
		   uint32_t discipline);

/*
 * Two-step access for rings of records (the late log): reserve/publish on
 * the producer side, peek/consume on the consumer side, with the same
 * ordering as push/pop.  *pos is the masked position to write or read.
 * These never take the lock: the late log is always lock-free.
 */
int scf_ring_reserve(struct scf_ring *r, uint32_t *pos);
void scf_ring_publish(struct scf_ring *r);
int scf_ring_peek(struct scf_ring *r, uint32_t *pos);
void scf_ring_consume(struct scf_ring *r);

/*
 * Producer, lock-free discipline only: stage writes the entry without
 * publishing it; commit publishes every staged entry with one store of
 * head, so the consumer sees a batch with one cache-line transfer.
 */
int scf_ring_stage(struct scf_ring *r, uint32_t idx);
void scf_ring_commit(struct scf_ring *r);
/* Staged entries not yet committed. */
static inline uint32_t scf_ring_staged(const struct scf_ring *r)
{
	return r->prod - atomic_load_explicit(r->head, memory_order_relaxed);
}

/*
 * Push and pop of the lock-free ring.  A ring of either discipline is
 * pushed and popped with scf_discipline.h's scf_ring_push()/scf_ring_pop().
 */
int scf_ring_push_nolock(struct scf_ring *r, uint32_t idx);
int scf_ring_pop_nolock(struct scf_ring *r, uint32_t *idx);
/* Consumer: entries waiting (acquire: pairs with the producer's release). */
uint32_t scf_ring_pending(const struct scf_ring *r);
/* Consumer: drop whatever a corrupt producer index claims (counts lost). */
uint32_t scf_ring_resync(struct scf_ring *r);

#endif /* SCF_RING_H */
