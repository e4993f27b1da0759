// SPDX-License-Identifier: MIT
/*
 * test_join.c - trace_join on a synthetic trace whose answer is known:
 * three requests with round stamps, events on the client CPU, the shadow
 * CPU and a third CPU, at boundaries, inside, between and outside.
 */
#include <string.h>

#include "tap.h"
#include "trace_join.h"

#define CL 1
#define SH 0

/* A request starting at base: C0 +0, C1 +10, C2 +20, C3 +30, C4 +31,
 * S0 +40, S1 +50, S2 +60, S3 +70, S4 +80, S5 +85, C5 +90, C6 +95, C7 +100. */
static void req(struct scf_rec *r, uint64_t base, int late)
{
	static const struct { int p; uint64_t at; } st[] = {
		{ SCF_C0_CALL, 0 }, { SCF_C1_SLOT, 10 }, { SCF_C2_MARSHALLED, 20 },
		{ SCF_C3_SUBMITTED, 30 }, { SCF_C4_KICKED, 31 },
		{ SCF_S0_WOKEN, 40 }, { SCF_S1_POPPED, 50 },
		{ SCF_S2_VALIDATED, 60 }, { SCF_S3_SERVICED, 70 },
		{ SCF_S4_RESPONDED, 80 }, { SCF_S5_REPLY_KICKED, 85 },
		{ SCF_C5_WOKEN, 90 }, { SCF_C6_COLLECTED, 95 },
		{ SCF_C7_DONE, 100 },
	};

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < sizeof(st) / sizeof(*st); i++)
		r->t[st[i].p] = base + st[i].at;
	r->late = (uint32_t)late;
	if (!late)
		r->t[SCF_S5_REPLY_KICKED] = 0;
}

int main(void)
{
	struct scf_rec recs[3];
	static const struct {
		uint64_t ts;
		int cpu;
		int64_t req;
		int phase;
		const char *what;
	} want[] = {
		{ 1000, CL, 0, TJ_QUEUE, "client at C0 of request 0: queue" },
		{ 1015, CL, 0, TJ_MEMSYNC, "client in [C1,C2): memsync" },
		{ 1025, CL, 0, TJ_QUEUE, "client in [C2,C3): queue" },
		{ 1045, CL, 0, TJ_WAIT, "client in [C3,S4): wait" },
		{ 1085, CL, 0, TJ_NOTIFY_RSP, "client in [S4,C5): notify_rsp" },
		{ 1092, CL, 0, TJ_MEMSYNC, "client in [C5,C6): memsync" },
		{ 1099, CL, 0, TJ_QUEUE, "client in [C6,C7): queue" },
		{ 1100, CL, -1, -1, "client at C7: in no request" },
		{ 1150, CL, -1, -1, "client between requests: none" },
		{ 1035, SH, 0, TJ_NOTIFY_REQ, "shadow in [C3,S0): notify_req" },
		{ 1020, SH, -1, -1, "shadow before C3: none" },
		{ 1055, SH, 0, TJ_MEMSYNC, "shadow in [S1,S2): memsync" },
		{ 1065, SH, 0, TJ_SERVICE, "shadow in [S2,S3): service" },
		{ 1075, SH, 0, TJ_QUEUE, "shadow in [S3,S4): queue" },
		{ 1085, SH, 0, TJ_KICK_RSP, "shadow at S5 (inclusive): kick_rsp" },
		{ 1086, SH, -1, -1, "shadow after S5: none" },
		{ 2210, CL, 1, TJ_MEMSYNC, "second request, client memsync" },
		{ 2280, SH, 1, TJ_KICK_RSP, "second request without S5: shadow ends at S4" },
		{ 2281, SH, -1, -1, "... and not after S4" },
		{ 3065, SH, 2, TJ_SERVICE, "third request, shadow service" },
		{ 3065, 5, -1, -1, "a third CPU: none" },
		{ 9000, CL, -1, -1, "after every request: none" },
		{ 10, CL, -1, -1, "before every request: none" },
	};
	enum { N = sizeof(want) / sizeof(*want) };
	struct tj_event ev[N];
	struct tj_hit hit[N];
	size_t i, joined, expect = 0;

	req(&recs[0], 1000, 1);
	req(&recs[1], 2200, 0);
	req(&recs[2], 3000, 1);
	memset(ev, 0, sizeof(ev));
	for (i = 0; i < N; i++) {
		ev[i].ts = want[i].ts;
		ev[i].cpu = want[i].cpu;
		expect += want[i].req >= 0;
	}
	joined = tj_join(recs, 3, CL, SH, ev, N, hit);
	for (i = 0; i < N; i++)
		tap_ok(hit[i].req == want[i].req && hit[i].phase == want[i].phase,
		       "%s (got request %lld phase %d)", want[i].what,
		       (long long)hit[i].req, hit[i].phase);
	tap_ok(joined == expect, "joined count %zu = %zu", joined, expect);

	/* A request missing a stamp takes no event; its neighbours still do. */
	recs[1].t[SCF_S2_VALIDATED] = 0;
	joined = tj_join(recs, 3, CL, SH, ev, N, hit);
	tap_ok(hit[16].req == -1, "an incomplete request takes no event");
	tap_ok(hit[19].req == 2, "the request after it still does");
	printf("1..%d\n", tap_num);
	return tap_failed ? 1 : 0;
}
