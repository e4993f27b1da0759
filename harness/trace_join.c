// SPDX-License-Identifier: MIT
/*
 * trace_join.c - kernel events to requests and phases (trace_join.h).
 */
#include <stdbool.h>

#include "trace_join.h"

const enum scf_phase tj_phase_ids[TJ_NPH] = {
	[TJ_QUEUE] = PH_QUEUE,		[TJ_MEMSYNC] = PH_MEMSYNC,
	[TJ_NOTIFY_REQ] = PH_NOTIFY_REQ, [TJ_SERVICE] = PH_SERVICE,
	[TJ_NOTIFY_RSP] = PH_NOTIFY_RSP, [TJ_WAIT] = PH_WAIT,
	[TJ_KICK_RSP] = PH_KICK_RSP,
};

const char *const tj_kind_names[TK_NR] = {
	"interrupt", "preemption", "page_fault", "other",
};

static bool complete(const struct scf_rec *r)
{
	static const int need[] = {
		SCF_C0_CALL, SCF_C1_SLOT, SCF_C2_MARSHALLED, SCF_C3_SUBMITTED,
		SCF_S0_WOKEN, SCF_S1_POPPED, SCF_S2_VALIDATED, SCF_S3_SERVICED,
		SCF_S4_RESPONDED, SCF_C5_WOKEN, SCF_C6_COLLECTED, SCF_C7_DONE,
	};

	for (size_t i = 0; i < sizeof(need) / sizeof(*need); i++)
		if (!r->t[need[i]])
			return false;
	return true;
}

/* The window of one side: client [C0, C7), shadow [C3, S5 or S4]. */
static uint64_t win_lo(const struct scf_rec *r, int shadow)
{
	return r->t[shadow ? SCF_C3_SUBMITTED : SCF_C0_CALL];
}

static uint64_t win_hi(const struct scf_rec *r, int shadow)
{
	if (!shadow)
		return r->t[SCF_C7_DONE];
	/* inclusive end as an exclusive bound */
	return (r->late && r->t[SCF_S5_REPLY_KICKED] ?
		r->t[SCF_S5_REPLY_KICKED] : r->t[SCF_S4_RESPONDED]) + 1;
}

int tj_phase_of(const struct scf_rec *rec, int shadow, uint64_t ts)
{
	/* Boundaries in time order and the phase that starts at each. */
	static const struct { int at, ph; } client[] = {
		{ SCF_C0_CALL, TJ_QUEUE }, { SCF_C1_SLOT, TJ_MEMSYNC },
		{ SCF_C2_MARSHALLED, TJ_QUEUE }, { SCF_C3_SUBMITTED, TJ_WAIT },
		{ SCF_S4_RESPONDED, TJ_NOTIFY_RSP }, { SCF_C5_WOKEN, TJ_MEMSYNC },
		{ SCF_C6_COLLECTED, TJ_QUEUE },
	}, shadow_side[] = {
		{ SCF_C3_SUBMITTED, TJ_NOTIFY_REQ }, { SCF_S0_WOKEN, TJ_QUEUE },
		{ SCF_S1_POPPED, TJ_MEMSYNC }, { SCF_S2_VALIDATED, TJ_SERVICE },
		{ SCF_S3_SERVICED, TJ_QUEUE }, { SCF_S4_RESPONDED, TJ_KICK_RSP },
	};
	const typeof(client[0]) *b = shadow ? shadow_side : client;
	size_t nb = shadow ? sizeof(shadow_side) / sizeof(*shadow_side) :
			     sizeof(client) / sizeof(*client);
	int ph = -1;

	if (!complete(rec) || ts < win_lo(rec, shadow) || ts >= win_hi(rec, shadow))
		return -1;
	for (size_t i = 0; i < nb && rec->t[b[i].at] <= ts; i++)
		ph = b[i].ph;
	return ph;
}

/* The last request whose window on this side opens at or before ts. */
static int64_t find(const struct scf_rec *recs, size_t n, int shadow,
		    uint64_t ts)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (win_lo(&recs[mid], shadow) <= ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int64_t)lo - 1;
}

size_t tj_join(const struct scf_rec *recs, size_t n, int client_cpu,
	       int shadow_cpu, const struct tj_event *ev, size_t nev,
	       struct tj_hit *hit)
{
	size_t i, joined = 0;

	for (i = 0; i < nev; i++) {
		int shadow = ev[i].cpu == shadow_cpu ? 1 :
			     ev[i].cpu == client_cpu ? 0 : -1;
		int64_t k = shadow < 0 ? -1 : find(recs, n, shadow, ev[i].ts);
		int ph = -1;

		/* Windows of one side do not overlap (calls are sequential),
		 * but an incomplete request has none: look one further back. */
		for (; k >= 0 && ph < 0; k--) {
			ph = tj_phase_of(&recs[k], shadow, ev[i].ts);
			if (ph >= 0 || complete(&recs[k]))
				break;
		}
		hit[i].req = ph >= 0 ? k : -1;
		hit[i].phase = ph;
		joined += ph >= 0;
	}
	return joined;
}
