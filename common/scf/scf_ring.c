// SPDX-License-Identifier: MIT
/*
 * scf_ring.c - SPSC rings of descriptor indices: the lock-free ring, the
 * "indirect" layout of the call path (scf_path.h).  The locked discipline
 * wraps the same body in a spinlock: scf_ring_locked.c.
 *
 * Memory ordering, lockfree discipline (the liburing pattern):
 *
 *   producer                         consumer
 *   write descriptor, entry[h]       h = load_acquire(head)      (B)
 *   store_release(head, h + 1) (A)   read entry[t], descriptor
 *                                    store_release(tail, t + 1)  (C)
 *   t = load_acquire(tail)     (D)
 *
 * (A) pairs with (B): whatever the producer wrote before publishing the
 * new head, the descriptor included, is visible to a consumer that sees
 * it.  (C) pairs with (D): the consumer's read of entry[t] happens before
 * the producer overwrites that entry on its next lap.
 *
 */
#include "scf_ring.h"
#include "scf_arch.h"

void scf_ring_bind(struct scf_ring *r, _Atomic uint32_t *head,
		   _Atomic uint32_t *tail, _Atomic uint32_t *lock,
		   _Atomic uint32_t *entry, uint32_t capacity,
		   uint32_t discipline)
{
	r->head = head;
	r->tail = tail;
	r->lock = lock;
	r->entry = entry;
	r->capacity = capacity;
	r->mask = capacity - 1;
	r->discipline = discipline;
	/* Relaxed: binding happens before the peer starts, via process start. */
	r->prod = atomic_load_explicit(head, memory_order_relaxed);
	r->cons = atomic_load_explicit(tail, memory_order_relaxed);
	r->tail_seen = r->cons;
	r->head_seen = r->cons;
}

int scf_ring_reserve(struct scf_ring *r, uint32_t *pos)
{
	uint32_t head = r->prod;
	uint32_t used = head - r->tail_seen;

	/*
	 * Read the consumer's line only when the last tail we saw says the
	 * ring is full: the consumer only ever advances it, so room seen once
	 * is still there, and the common case costs no cache miss (liburing
	 * keeps a cached head for the same reason).
	 */
	if (used >= r->capacity) {
		/* (D): pairs with the consumer's release in scf_ring_consume() */
		r->tail_seen = atomic_load_explicit(r->tail,
						    memory_order_acquire);
		used = head - r->tail_seen;
		if (used > r->capacity)
			return -SCF_EPROTO;
		if (used == r->capacity)
			return -SCF_ENOSPC;
	}
	*pos = head & r->mask;
	return 0;
}

void scf_ring_publish(struct scf_ring *r)
{
	/* (A): publishes the reserved entry and whatever it names */
	atomic_store_explicit(r->head, r->prod + 1, memory_order_release);
	r->prod++;
}

int scf_ring_peek(struct scf_ring *r, uint32_t *pos)
{
	uint32_t avail = r->head_seen - r->cons;

	/*
	 * Read the producer's line only when the entries seen last time are
	 * used up: a batch published at once costs one transfer, not one per
	 * entry.  The acquire of the load that saw them still orders them.
	 */
	if (avail == 0 || avail > r->capacity) {
		/* (B): pairs with the producer's release of head (A) */
		r->head_seen = atomic_load_explicit(r->head,
						    memory_order_acquire);
		avail = r->head_seen - r->cons;
	}
	if (avail == 0)
		return -SCF_EAGAIN;
	if (avail > r->capacity)
		return -SCF_EPROTO;
	*pos = r->cons & r->mask;
	return 0;
}

void scf_ring_consume(struct scf_ring *r)
{
	/* (C): our reads of the entry are done before the producer reuses it */
	atomic_store_explicit(r->tail, r->cons + 1, memory_order_release);
	r->cons++;
}

int scf_ring_stage(struct scf_ring *r, uint32_t idx)
{
	uint32_t pos;
	int ret;

	if (r->discipline == SCF_RING_LOCKED)
		return -SCF_EINVAL;	/* the lock is per push */
	ret = scf_ring_reserve(r, &pos);
	if (ret)
		return ret;
	atomic_store_explicit(&r->entry[pos], idx, memory_order_relaxed);
	r->prod++;
	return 0;
}

void scf_ring_commit(struct scf_ring *r)
{
	/* (A): publishes every staged entry and whatever they name */
	atomic_store_explicit(r->head, r->prod, memory_order_release);
}

int scf_ring_push_nolock(struct scf_ring *r, uint32_t idx)
{
	uint32_t pos;
	int ret = scf_ring_reserve(r, &pos);

	if (ret)
		return ret;
	atomic_store_explicit(&r->entry[pos], idx, memory_order_relaxed);
	scf_ring_publish(r);
	return 0;
}

int scf_ring_pop_nolock(struct scf_ring *r, uint32_t *idx)
{
	uint32_t pos;
	int ret = scf_ring_peek(r, &pos);

	if (ret)
		return ret;
	*idx = atomic_load_explicit(&r->entry[pos], memory_order_relaxed);
	scf_ring_consume(r);
	return 0;
}

uint32_t scf_ring_pending(const struct scf_ring *r)
{
	/* (B) again: a waiter that sees entries will then pop them */
	return atomic_load_explicit(r->head, memory_order_acquire) - r->cons;
}

uint32_t scf_ring_resync(struct scf_ring *r)
{
	uint32_t head = atomic_load_explicit(r->head, memory_order_acquire);
	uint32_t lost = head - r->cons;

	atomic_store_explicit(r->tail, head, memory_order_release);
	r->cons = head;
	r->head_seen = head;
	return lost;
}
