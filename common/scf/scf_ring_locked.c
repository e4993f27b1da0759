// SPDX-License-Identifier: MIT
/*
 * scf_ring_locked.c - the locked discipline (SCF_RING_LOCKED): the
 * lock-free ring's push and pop (scf_ring.c) under a spinlock in the
 * region, as the origin's queue did.  The lock's acquire exchange and
 * release store order the body on their own, and the ring's own
 * acquire/release pairs stay correct under it, so the difference measured
 * against the lock-free ring is the cost of the lock and nothing else.
 */
#include "scf_ring_locked.h"
#include "scf_arch.h"

static int ring_lock(struct scf_ring *r)
{
	uint32_t spins = 0;

	for (;;) {
		/* Test before test-and-set: spin on a shared line, not an RMW. */
		if (!atomic_load_explicit(r->lock, memory_order_relaxed) &&
		    !atomic_exchange_explicit(r->lock, 1, memory_order_acquire))
			return 0;	/* acquire: pairs with ring_unlock() */
		if (++spins >= SCF_RING_LOCK_SPINS)
			return -SCF_ETIMEDOUT;	/* peer died holding it */
		scf_cpu_relax();
	}
}

static void ring_unlock(struct scf_ring *r)
{
	/* release: pairs with ring_lock()'s acquire in the next holder */
	atomic_store_explicit(r->lock, 0, memory_order_release);
}

int scf_ring_push_locked(struct scf_ring *r, uint32_t idx)
{
	int ret = ring_lock(r);

	if (ret)
		return ret;
	ret = scf_ring_push_nolock(r, idx);
	ring_unlock(r);
	return ret;
}

int scf_ring_pop_locked(struct scf_ring *r, uint32_t *idx)
{
	int ret = ring_lock(r);

	if (ret)
		return ret;
	ret = scf_ring_pop_nolock(r, idx);
	ring_unlock(r);
	return ret;
}
