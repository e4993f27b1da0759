// SPDX-License-Identifier: MIT
/*
 * scf_client.c - forward one call: the RTOS side of the SCF protocol.
 */
#include "scf_client.h"
#include "scf_arch.h"
#include "scf_probe.h"

int scf_client_init(struct scf_client *c, struct scf_notify *n,
		    uint32_t memsync, uint32_t *stack, uint8_t *used)
{
	if (memsync != SCF_MEMSYNC_COPY && memsync != SCF_MEMSYNC_MAP)
		return -SCF_EINVAL;
	c->n = n;
	c->memsync = memsync;
	c->seq = 0;
	c->protocol_errors = 0;
	c->rec = 0;
	c->cancel = 0;
	return scf_desc_alloc_init(&c->alloc, c->q.capacity, stack, used);
}

static bool response_ready(void *arg)
{
	struct scf_client *c = arg;

	return scf_ring_pending(&c->q.rsp) != 0 || (c->cancel && *c->cancel);
}

/* Shadow-side stamps travel in the descriptor; copy them out at the end. */
static const uint8_t shadow_probes[] = {
	SCF_S0_WOKEN, SCF_S1_POPPED, SCF_S2_VALIDATED, SCF_S3_SERVICED,
	SCF_S4_RESPONDED, SCF_KQ_HANDLER, SCF_KQ_RESUMED,
};

/* Copy the request's bytes into its pool chunk; bytes used or -errno. */
static int gather(uint8_t *dst, uint32_t room, const struct scf_req *r)
{
	uint64_t used = r->in_len;
	uint32_t i;

	if (used > room)
		return -SCF_EINVAL;
	if (r->in_len)
		__builtin_memcpy(dst, r->in, r->in_len);
	for (i = 0; i < r->in_nmore; i++) {
		uint64_t len = r->in_more[i].len;

		if (len > room - used)
			return -SCF_EINVAL;
		if (len)
			__builtin_memcpy(dst + used, r->in_more[i].p, len);
		used += len;
	}
	return (int)used;
}

int64_t scf_call(struct scf_client *c, const struct scf_req *r)
{
	struct scf_rec *rec = c->rec ? c->rec : &c->scratch;
	struct scf_queue *q = &c->q;
	struct scf_desc *d;
	uint64_t *kst = SCF_PROBES ? rec->t : 0;
	uint32_t idx, got, i, out_len;
	int64_t ret;
	int slot, err;

	scf_probe(rec->t, SCF_C0_CALL);
	slot = scf_desc_get(&c->alloc);
	if (slot < 0)
		return slot;
	idx = (uint32_t)slot;
	scf_probe(rec->t, SCF_C1_SLOT);

	d = &q->desc[idx];
	d->opcode = r->opcode;
	d->flags = c->memsync == SCF_MEMSYNC_MAP ? SCF_DF_MAP : 0;
	d->seq = ++c->seq;
	for (i = 0; i < 6; i++)
		d->args[i] = r->args[i];
	/* ret and out_len are the shadow's to write: not touched here. */
	d->payload_off = idx * q->pool_chunk;
	d->payload_len = 0;
	if (r->in_len || r->in_nmore) {
		err = gather(q->pool + d->payload_off, q->pool_chunk, r);
		if (err < 0) {
			scf_desc_put(&c->alloc, idx);
			return err;
		}
		d->payload_len = (uint32_t)err;
	}
	scf_probe(rec->t, SCF_C2_MARSHALLED);

	/*
	 * Cannot be full: a request holds its descriptor until collected and
	 * there are exactly capacity descriptors.  -SCF_EPROTO means the
	 * shadow scribbled over our tail.
	 */
	err = scf_ring_push(&q->req, idx);
	if (err) {
		scf_desc_put(&c->alloc, idx);
		c->protocol_errors++;
		return err;
	}
	scf_probe(rec->t, SCF_C3_SUBMITTED);
	err = scf_notify_kick(c->n, kst ? kst + SCF_KQ_ENTRY : 0);
	scf_probe(rec->t, SCF_C4_KICKED);
	if (err > 0)		/* no doorbell (poll): by definition C4 = C3 */
		scf_probe_set(rec->t, SCF_C4_KICKED, rec->t[SCF_C3_SUBMITTED]);

	err = scf_notify_wait(c->n, response_ready, c,
			      kst ? kst + SCF_KR_HANDLER : 0);
	scf_probe(rec->t, SCF_C5_WOKEN);
	if (err >= 0)
		err = scf_ring_pop(&q->rsp, &got);
	if (err == -SCF_EAGAIN)
		return -SCF_EINTR;	/* cancelled; the descriptor stays out */
	if (err < 0 || got != idx) {
		/*
		 * One call in flight: the only response can be ours.  Anything
		 * else is a broken peer; the descriptor stays out of the pool
		 * since the shadow may still write it.
		 */
		c->protocol_errors++;
		return err < 0 ? err : -SCF_EPROTO;
	}
	/* The pop's acquire (pairs with the shadow's publish) orders these. */
	ret = d->ret;
	if (r->out_cap) {
		out_len = SCF_READ_ONCE(d->out_len);
		if (out_len > r->out_cap || out_len > q->pool_chunk) {
			c->protocol_errors++;
			ret = -SCF_EPROTO;
		} else if (out_len) {
			__builtin_memcpy(r->out, q->pool + d->payload_off,
					 out_len);
		}
	}
	scf_probe(rec->t, SCF_C6_COLLECTED);
	scf_desc_put(&c->alloc, idx);
	scf_probe(rec->t, SCF_C7_DONE);

	/* Outside the timed window: the shadow's stamps, for the phases. */
	if (SCF_PROBES) {
		for (i = 0; i < sizeof(shadow_probes); i++)
			rec->t[shadow_probes[i]] = d->probe[shadow_probes[i]];
	}
	rec->seq = d->seq;
	rec->ret = ret;
	rec->opcode = r->opcode;
	rec->late = 0;
	return ret;
}

uint32_t scf_client_drain_late(struct scf_client *c, scf_late_fn fn,
			       void *arg)
{
	struct scf_late rec;
	uint32_t pos, n = 0;

	while (scf_ring_peek(&c->q.lat, &pos) == 0) {
		/* peek's acquire pairs with the shadow's scf_ring_publish() */
		rec = c->q.late[pos];
		scf_ring_consume(&c->q.lat);
		fn(arg, &rec);
		n++;
	}
	return n;
}
