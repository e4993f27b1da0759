// SPDX-License-Identifier: MIT
/*
 * scf_inline.c - the inline layout (SCF_RING_INLINE): call number n is
 * in descriptor scf_inline_idx(n), its request in the first line, its
 * answer in the second; no ring of indices.  The steps scf_put() and
 * scf_take() (scf_path.h) take for it.
 *
 * Memory ordering:
 *
 *   client                               shadow
 *   write opcode, flags, args (line 0)   s = load_acquire(desc.seq)   (B)
 *   store_release(desc.seq, n)     (A)   if s == n: read line 0, serve
 *                                        write ret, out_len (line 1)
 *   d = load_acquire(desc.done)    (D)   store_release(desc.done, n)  (C)
 *   if d == (u32)n: read ret, out_len
 *
 * (A) pairs with (B): the request's fields are visible to a shadow that
 * sees its number.  (C) pairs with (D): the answer is visible to a client
 * that sees it done.  The client writes line 1 (payload fields) only when
 * they change, so a call without a payload moves line 0 one way and
 * line 1 the other, and nothing else.
 */
#include "scf_inline.h"
#include "scf_client_impl.h"

int scf_inline_fill(const struct scf_client *c, uint32_t idx,
		    const struct scf_req *r, bool full)
{
	const struct scf_queue *q = &c->q;
	struct scf_desc *d = &q->desc[idx];
	uint32_t i, off = idx * q->pool_chunk, len = 0;
	int err;

	d->opcode = r->opcode;
	d->flags = (c->memsync == SCF_MEMSYNC_MAP ? SCF_DF_MAP : 0) |
		   (r->flags & SCF_DF_CLIENT_MASK) |
		   (full ? SCF_DF_PROBE : 0);
	for (i = 0; i < 6; i++)
		d->args[i] = r->args[i];
	if (r->in_len || r->in_nmore) {
		err = scf_gather(q->pool + off, q->pool_chunk, r);
		if (err < 0)
			return err;
		len = (uint32_t)err;
	}
	if (SCF_READ_ONCE(d->payload_off) != off)
		SCF_WRITE_ONCE(d->payload_off, off);
	if (SCF_READ_ONCE(d->payload_len) != len)
		SCF_WRITE_ONCE(d->payload_len, len);
	return 0;
}

void scf_inline_send(struct scf_client *c, uint32_t idx, uint64_t seq)
{
	c->inline_sent = seq;
	/* (A): publishes the request to the shadow's (B) */
	atomic_store_explicit((_Atomic uint64_t *)&c->q.desc[idx].seq, seq,
			      memory_order_release);
}

bool scf_inline_answered(const struct scf_client *c)
{
	uint64_t n = c->inline_sent;
	const struct scf_desc *d = &c->q.desc[scf_inline_idx(n, c->q.capacity)];

	/* (D): pairs with the shadow's release of done (C) */
	return n && atomic_load_explicit((_Atomic uint32_t *)&d->done,
					 memory_order_acquire) == (uint32_t)n;
}

int scf_inline_take(struct scf_client *c, uint32_t *idx)
{
	if (!scf_inline_answered(c))
		return -SCF_EAGAIN;
	*idx = scf_inline_idx(c->inline_sent, c->q.capacity);
	c->inline_sent = 0;	/* one call at a time: its answer is taken once */
	return 0;
}
