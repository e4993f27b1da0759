/* SPDX-License-Identifier: MIT */
/*
 * scf_mpsc.h - one bounded multi-producer, single-consumer queue of u32
 * entries: the receive queue of one syscall core that many RTOS clients
 * submit into (topology "mpsc"), against a ring pair per client ("spsc").
 *
 * Layout, in shared memory (every size pinned below):
 *
 *   struct scf_mpsc_hdr   line 0: capacity; line 1: head (producers'
 *                         claim counter); line 2: the consumer's tail
 *   struct scf_mpsc_cell  [capacity]: { seq, val }, 8 bytes each
 *
 * The algorithm is D. Vyukov's bounded queue with the consumer side
 * single-threaded: a cell's seq says whose turn it is.  seq == pos: free
 * for the producer that claims position pos; seq == pos + 1: holds the
 * entry for pos; the consumer then sets seq = pos + capacity, freeing it
 * for the next lap.  Producers claim a position by compare-and-swap on
 * head, so each position goes to exactly one producer; the entry is
 * published by the release store of seq, so the consumer never sees a
 * claimed but unwritten cell as full.
 *
 * A producer that dies between claim and publish stalls the consumer at
 * that cell (it sees "empty" there for ever): the price of a shared queue
 * that a per-client ring does not pay.  scf_mpsc_pop() reports it as
 * empty; the consumer's owner decides when to give up on the queue.
 *
 * Entries carry the client in the high bits (SCF_MPSC_ENTRY), so the
 * consumer routes each response back to its client's response ring.
 */
#ifndef SCF_MPSC_H
#define SCF_MPSC_H

#include "scf_abi.h"

struct scf_mpsc_cell {
	_Atomic uint32_t seq;
	uint32_t val;
};

struct scf_mpsc_hdr {
	uint32_t capacity;		/* power of two, written by the creator */
	uint32_t pad0[15];
	struct scf_line head;		/* producers: next position to claim */
	struct scf_line tail;		/* consumer: next position to read */
};

_Static_assert(sizeof(struct scf_mpsc_cell) == 8, "mpsc cell");
_Static_assert(offsetof(struct scf_mpsc_hdr, head) == 64, "mpsc.head");
_Static_assert(offsetof(struct scf_mpsc_hdr, tail) == 128, "mpsc.tail");
_Static_assert(sizeof(struct scf_mpsc_hdr) == 3 * SCF_CACHELINE, "mpsc hdr");

/* An entry: client number in the top 12 bits, descriptor index below. */
#define SCF_MPSC_CLIENT_SHIFT	20u
#define SCF_MPSC_IDX_MASK	((1u << SCF_MPSC_CLIENT_SHIFT) - 1)
#define SCF_MPSC_ENTRY(client, idx) \
	(((uint32_t)(client) << SCF_MPSC_CLIENT_SHIFT) | (uint32_t)(idx))
#define SCF_MPSC_CLIENT(e)	((e) >> SCF_MPSC_CLIENT_SHIFT)
#define SCF_MPSC_IDX(e)		((e) & SCF_MPSC_IDX_MASK)

/* Bytes of a queue of capacity entries (header and cells). */
static inline uint64_t scf_mpsc_size(uint32_t capacity)
{
	return sizeof(struct scf_mpsc_hdr) +
	       (uint64_t)capacity * sizeof(struct scf_mpsc_cell);
}

_Static_assert(sizeof(struct scf_mpsc_hdr) + SCF_QHDR_RECV_CAP *
	       sizeof(struct scf_mpsc_cell) <=
	       sizeof(((struct scf_qhdr *)0)->recv), "qhdr.recv holds its queue");

/* One side's private view. */
struct scf_mpsc {
	struct scf_mpsc_hdr *hdr;
	struct scf_mpsc_cell *cell;
	uint32_t capacity;		/* private copy, checked at attach */
	uint32_t mask;
	uint32_t cons;			/* consumer: private next position */
};

/* The creator, before anyone attaches: 0 or -SCF_EBADCAP. */
int scf_mpsc_format(void *mem, uint32_t capacity);
/* Either side: 0 or -SCF_EBADCAP when the header is not a valid queue. */
int scf_mpsc_attach(struct scf_mpsc *m, void *mem);
/* Producer, any thread: 0, or -SCF_ENOSPC when the queue is full. */
int scf_mpsc_push(struct scf_mpsc *m, uint32_t val);
/* The one consumer: 0, or -SCF_EAGAIN when nothing is published next. */
int scf_mpsc_pop(struct scf_mpsc *m, uint32_t *val);
/* The one consumer: is an entry published at the next position? */
bool scf_mpsc_ready(const struct scf_mpsc *m);
/*
 * The one consumer: the entry published at the next position, left in
 * the queue (the next pop returns it): 0, or -SCF_EAGAIN as pop.
 */
int scf_mpsc_peek(const struct scf_mpsc *m, uint32_t *val);

#endif /* SCF_MPSC_H */
