// SPDX-License-Identifier: MIT
/*
 * scf_client.c - the RTOS side of the SCF protocol around the calls: a
 * client's set-up, a call recorded without the queue, and the late log
 * of S5 stamps.  The call itself is scf_call.c's.
 */
#include "scf_client_impl.h"

int scf_client_init(struct scf_client *c, struct scf_notify *n,
		    uint32_t memsync, uint32_t *stack, uint8_t *used)
{
	if (memsync != SCF_MEMSYNC_COPY && memsync != SCF_MEMSYNC_MAP)
		return -SCF_EINVAL;
	c->n = n;
	c->memsync = memsync;
	c->seq = 0;
	c->inline_sent = 0;
	c->probe_every = 1;
	c->probe_base = 0;
	c->protocol_errors = 0;
	c->rec = 0;
	c->cancel = 0;
	c->mt = 0;
	c->timeout_tsc = 0;
	c->judge = 0;
	c->judge_arg = 0;
	c->timed_out = SCF_PHASE_NONE;
	return scf_desc_alloc_init(&c->alloc, c->q.capacity, stack, used);
}

int64_t scf_call_outside(struct scf_client *c, const struct scf_req *r)
{
	/* a descriptor of its own: the queue's are the shadow's to read */
	static struct scf_desc none;
	struct scf_rec *rec = c->rec ? c->rec : &c->scratch;
	bool full = scf_probe_full(c, c->seq + 1);

	scf_probe(rec->t, SCF_C0_CALL);
	scf_probe(rec->t, SCF_C7_DONE);
	/* c->seq stays: the shadow expects the next request's number */
	scf_rec_finish(rec, &none, c->seq + 1, r, 0, full);
	return 0;
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
