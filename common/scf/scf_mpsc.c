// SPDX-License-Identifier: MIT
/*
 * scf_mpsc.c - bounded MPSC queue (see scf_mpsc.h for the cell protocol).
 *
 * Memory ordering:
 *
 *   producer                              consumer
 *   claim pos: CAS(head, pos, pos + 1)    s = load_acquire(cell.seq)  (B)
 *   cell.val = v                          if s == pos + 1: v = cell.val
 *   store_release(cell.seq, pos + 1) (A)  store_release(cell.seq,
 *                                             pos + capacity)         (C)
 *   s = load_acquire(cell.seq)       (D)
 *
 * (A) pairs with (B): the entry and whatever the producer wrote before
 * it (the descriptor) are visible once the consumer sees the new seq.
 * (C) pairs with (D): a producer on the next lap writes val only after
 * seeing that the consumer has read it.  The CAS on head only hands out
 * positions; it orders nothing else, so it is relaxed.
 */
#include "scf_mpsc.h"
#include "scf_arch.h"

int scf_mpsc_format(void *mem, uint32_t capacity)
{
	struct scf_mpsc_hdr *h = mem;
	struct scf_mpsc_cell *c = (struct scf_mpsc_cell *)(h + 1);
	uint32_t i;

	if (capacity < 2 || capacity > SCF_CAP_MAX ||
	    (capacity & (capacity - 1)))
		return -SCF_EBADCAP;
	h->capacity = capacity;
	atomic_store_explicit(&h->head.v, 0, memory_order_relaxed);
	atomic_store_explicit(&h->tail.v, 0, memory_order_relaxed);
	for (i = 0; i < capacity; i++) {
		c[i].val = 0;
		/* Relaxed: formatting happens before any peer attaches. */
		atomic_store_explicit(&c[i].seq, i, memory_order_relaxed);
	}
	return 0;
}

int scf_mpsc_attach(struct scf_mpsc *m, void *mem)
{
	struct scf_mpsc_hdr *h = mem;
	uint32_t cap = SCF_READ_ONCE(h->capacity);

	if (cap < 2 || cap > SCF_CAP_MAX || (cap & (cap - 1)))
		return -SCF_EBADCAP;
	m->hdr = h;
	m->cell = (struct scf_mpsc_cell *)(h + 1);
	m->capacity = cap;
	m->mask = cap - 1;
	m->cons = atomic_load_explicit(&h->tail.v, memory_order_relaxed);
	return 0;
}

int scf_mpsc_push(struct scf_mpsc *m, uint32_t val)
{
	uint32_t pos = atomic_load_explicit(&m->hdr->head.v,
					    memory_order_relaxed);
	struct scf_mpsc_cell *c;

	for (;;) {
		int32_t dif;

		c = &m->cell[pos & m->mask];
		/* (D): pairs with the consumer's release (C) of this cell */
		dif = (int32_t)(atomic_load_explicit(&c->seq,
						     memory_order_acquire) - pos);
		if (dif == 0) {
			/* On failure pos is reloaded with the current head. */
			if (atomic_compare_exchange_weak_explicit(
				    &m->hdr->head.v, &pos, pos + 1,
				    memory_order_relaxed, memory_order_relaxed))
				break;
		} else if (dif < 0) {
			return -SCF_ENOSPC;	/* a lap behind: full */
		} else {
			/* Another producer took pos: try the current head. */
			pos = atomic_load_explicit(&m->hdr->head.v,
						   memory_order_relaxed);
		}
	}
	c->val = val;
	/* (A): publishes val (and the descriptor) to the consumer's (B) */
	atomic_store_explicit(&c->seq, pos + 1, memory_order_release);
	return 0;
}

bool scf_mpsc_ready(const struct scf_mpsc *m)
{
	const struct scf_mpsc_cell *c = &m->cell[m->cons & m->mask];

	/* (B): pairs with the producer's release (A) */
	return atomic_load_explicit(&c->seq, memory_order_acquire) ==
	       m->cons + 1;
}

int scf_mpsc_peek(const struct scf_mpsc *m, uint32_t *val)
{
	const struct scf_mpsc_cell *c = &m->cell[m->cons & m->mask];

	/*
	 * (B): pairs with the producer's release (A).  The cell stays ours
	 * until pop releases it (C), so the pop after reads the same val.
	 */
	if (atomic_load_explicit(&c->seq, memory_order_acquire) != m->cons + 1)
		return -SCF_EAGAIN;
	*val = c->val;
	return 0;
}

int scf_mpsc_pop(struct scf_mpsc *m, uint32_t *val)
{
	struct scf_mpsc_cell *c = &m->cell[m->cons & m->mask];

	/* (B): pairs with the producer's release (A) */
	if (atomic_load_explicit(&c->seq, memory_order_acquire) != m->cons + 1)
		return -SCF_EAGAIN;
	*val = c->val;
	/* (C): our read of val is done before a producer's next lap (D) */
	atomic_store_explicit(&c->seq, m->cons + m->capacity,
			      memory_order_release);
	m->cons++;
	/* Progress for observers only (fill level); nothing reads through it. */
	atomic_store_explicit(&m->hdr->tail.v, m->cons, memory_order_relaxed);
	return 0;
}
