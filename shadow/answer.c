// SPDX-License-Identifier: MIT
/*
 * answer.c - one request's answer: served, stamped when the request is a
 * sampled one, published on its client's response ring; and the late log
 * that carries S5 and the reply kick's kernel stamps after it.  Shared by
 * every serve loop (one ring pair, inline ring, several clients).
 */
#include "scf_probe.h"
#include "shadow.h"

/* S5 and the reply kick's kernel stamps, after the response is out. */
void shadow_late_log(struct shadow *s, uint64_t seq, uint64_t s5,
		     const uint64_t *kst)
{
	uint32_t pos;

	if (scf_ring_reserve(&s->q.lat, &pos)) {
		s->st.late_dropped++;
		return;
	}
	s->q.late[pos].seq = seq;
	s->q.late[pos].s5 = s5;
	s->q.late[pos].kr_entry = kst[0];
	s->q.late[pos].kr_ipi_sent = kst[1];
	scf_ring_publish(&s->q.lat);
}

bool shadow_answer_fill(struct shadow *s, uint32_t idx, uint64_t *probe,
			const uint64_t *kwait)
{
	struct scf_desc *d = &s->q.desc[idx];
	bool full = SCF_PROBES &&
		    (SCF_READ_ONCE(d->flags) & SCF_DF_PROBE);
	int64_t ret;

	ret = shadow_serve(s, idx, full ? probe : NULL);
	s->st.served++;
	s->st.stamped += full;
	SCF_WRITE_ONCE(d->ret, ret);
	if (full) {
		d->probe[SCF_S0_WOKEN] = probe[SCF_S0_WOKEN];
		d->probe[SCF_S1_POPPED] = probe[SCF_S1_POPPED];
		d->probe[SCF_S2_VALIDATED] = probe[SCF_S2_VALIDATED];
		d->probe[SCF_S3_SERVICED] = probe[SCF_S3_SERVICED];
		d->probe[SCF_KQ_HANDLER] = kwait[0];
		d->probe[SCF_KQ_RESUMED] = kwait[1];
		scf_probe(d->probe, SCF_S4_RESPONDED);
	}
	return full;
}

int shadow_answer(struct shadow *s, uint32_t idx, uint64_t *probe,
		  const uint64_t *kwait, uint64_t *seq)
{
	bool full;

	*seq = SCF_READ_ONCE(s->q.desc[idx].seq);
	shadow_taken(s, *seq);
	full = shadow_answer_fill(s, idx, probe, kwait);
	/* publish: pairs with the client's pop (acquire) */
	if (scf_ring_push(&s->q.rsp, idx)) {
		s->st.bad_ring++;	/* client broke its tail */
		return -1;
	}
	return full;
}
