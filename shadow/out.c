// SPDX-License-Identifier: MIT
/*
 * out.c - what every serve loop does once an answer is published: the
 * reply kick, a probed call's S5 and its late-log entry, and what waited
 * for the answer to be out (a park the client asked for, a dual call's
 * second half).  One copy, so the layouts cannot drift apart.
 */
#include <stdatomic.h>

#include "scf_probe.h"
#include "shadow.h"

void shadow_kick(struct shadow *s, uint64_t *kkick)
{
	kkick[0] = kkick[1] = 0;
	if (scf_notify_kick(s->n, kkick) == 0)
		/* Statistics only: no reader orders anything by it. */
		atomic_fetch_add_explicit(&s->q.hdr->rsp_kicks.v, 1,
					  memory_order_relaxed);
}

void shadow_stamp_out(struct shadow *s, uint64_t seq, uint64_t *probe,
		      const uint64_t *kkick)
{
	scf_probe(probe, SCF_S5_REPLY_KICKED);
	shadow_late_log(s, seq, probe[SCF_S5_REPLY_KICKED], kkick);
	/* The next call of the batch was ready when this one was done. */
	scf_probe_set(probe, SCF_S0_WOKEN, probe[SCF_S5_REPLY_KICKED]);
}

bool shadow_after_out(struct shadow *s)
{
	if (s->park_asked) {
		s->park_asked = false;
		shadow_park(s);
	}
	/* exit, exec: their second half, once the answer is out */
	return s->dual.pending && dual_after(s);
}
