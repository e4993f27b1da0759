// SPDX-License-Identifier: MIT
/*
 * scf_inline.c - one forwarded call on an inline slot.
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

struct inline_wait {
	const struct scf_desc *d;
	uint32_t n;
	const volatile int *cancel;
};

static bool answered(void *arg)
{
	struct inline_wait *w = arg;

	/* (D): pairs with the shadow's release of done (C) */
	return atomic_load_explicit((_Atomic uint32_t *)&w->d->done,
				    memory_order_acquire) == w->n ||
	       (w->cancel && *w->cancel);
}

/* Arguments into line 0, payload into the pool; line 1 only on change. */
static int inline_marshal(const struct scf_client *c, uint32_t idx,
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

int64_t scf_call_inline(struct scf_client *c, const struct scf_req *r)
{
	struct scf_rec *rec = c->rec ? c->rec : &c->scratch;
	struct scf_queue *q = &c->q;
	uint64_t n = c->seq + 1;
	bool full = scf_probe_full(c, n);
	uint64_t *kst = full ? rec->t : 0;
	uint32_t idx = scf_inline_idx(n, q->capacity);
	struct scf_desc *d = &q->desc[idx];
	struct inline_wait w = { d, (uint32_t)n, c->cancel };
	int64_t ret;
	bool bad;
	int err;

	scf_probe(rec->t, SCF_C0_CALL);
	scf_probe(rec->t, SCF_C1_SLOT);		/* positional: nothing to take */
	err = inline_marshal(c, idx, r, full);
	if (err)
		return err;
	scf_probe(rec->t, SCF_C2_MARSHALLED);
	c->seq = n;
	/* (A): publishes the request to the shadow's (B) */
	atomic_store_explicit((_Atomic uint64_t *)&d->seq, n,
			      memory_order_release);
	scf_probe(rec->t, SCF_C3_SUBMITTED);
	err = scf_notify_kick(c->n, kst ? kst + SCF_KQ_ENTRY : 0);
	scf_probe(rec->t, SCF_C4_KICKED);
	if (err > 0)		/* no doorbell (poll): by definition C4 = C3 */
		scf_probe_set(rec->t, SCF_C4_KICKED, rec->t[SCF_C3_SUBMITTED]);
	err = scf_notify_wait(c->n, answered, &w,
			      kst ? kst + SCF_KR_HANDLER : 0);
	scf_probe(rec->t, SCF_C5_WOKEN);
	if (err < 0)
		return err;
	if (!answered(&(struct inline_wait){ d, (uint32_t)n, 0 }))
		return -SCF_EINTR;	/* cancelled; the descriptor stays out */
	ret = scf_collect(c, idx, r, &bad);
	if (bad)
		c->protocol_errors++;
	scf_probe(rec->t, SCF_C6_COLLECTED);
	scf_probe(rec->t, SCF_C7_DONE);
	scf_rec_finish(rec, d, n, r, ret, full);
	return ret;
}
