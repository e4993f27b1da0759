// SPDX-License-Identifier: MIT
/*
 * test_truth.c - the arithmetic behind the trust fields of scf-bench/2:
 * net phases on synthetic stamps (run.c's phases, net.c's stamp counts),
 * the residual, and baseline drift on fixtures (drift.c).  TAP.
 */
#include <math.h>
#include <string.h>

#include "../tap.h"
#include "../../harness/drift.h"
#include "../../harness/net.h"
#include "../../harness/results_truth.h"

/* Client stamps cost CC ticks, shadow stamps CS: each interval holds the
 * work put in plus half of each end's cost. */
#define CC	20
#define CS	30

/* Work (ticks) between consecutive stamps of the probed chain. */
static const struct { int from, to; int64_t work; } chain[] = {
	{ SCF_C0_CALL, SCF_C1_SLOT, 5 },
	{ SCF_C1_SLOT, SCF_C2_MARSHALLED, 7 },
	{ SCF_C2_MARSHALLED, SCF_C3_SUBMITTED, 11 },
	{ SCF_C3_SUBMITTED, SCF_S0_WOKEN, 101 },
	{ SCF_S0_WOKEN, SCF_S1_POPPED, 13 },
	{ SCF_S1_POPPED, SCF_S2_VALIDATED, 17 },
	{ SCF_S2_VALIDATED, SCF_S3_SERVICED, 307 },
	{ SCF_S3_SERVICED, SCF_S4_RESPONDED, 19 },
	{ SCF_S4_RESPONDED, SCF_C5_WOKEN, 103 },
	{ SCF_C5_WOKEN, SCF_C6_COLLECTED, 23 },
	{ SCF_C6_COLLECTED, SCF_C7_DONE, 29 },
};

static bool shadow_point(int p)
{
	return p >= SCF_S0_WOKEN && p <= SCF_S5_REPLY_KICKED;
}

static void synth(struct scf_rec *rec)
{
	uint64_t t = 1000000;
	size_t i;

	memset(rec, 0, sizeof(*rec));
	rec->probed = 1;
	rec->late = 1;
	rec->t[SCF_C0_CALL] = t;
	for (i = 0; i < sizeof(chain) / sizeof(chain[0]); i++) {
		int64_t cost = ((shadow_point(chain[i].from) ? CS : CC) +
				(shadow_point(chain[i].to) ? CS : CC)) / 2;

		t += (uint64_t)(chain[i].work + cost);
		rec->t[chain[i].to] = t;
	}
	rec->t[SCF_C4_KICKED] = rec->t[SCF_C3_SUBMITTED];
	rec->t[SCF_S5_REPLY_KICKED] = rec->t[SCF_S4_RESPONDED] + 40;
}

/* The net value of phase p of the one request in r. */
static double net_of(const struct measurement *r, enum scf_phase p)
{
	return (double)r->ph[p].v[0] - net_cost(p, CC, CS);
}

/*
 * One probed call whose C2 stamp came late ticks after its calibrated
 * cost (the stamp cost more than measured), beside an unprobed call of
 * the same work: net total against net unprobed total is the residual,
 * and past RESIDUAL_LIMIT_PCT scf-bench warns.
 */
static void test_late_stamp(int64_t work_total, int64_t late, bool flagged)
{
	struct scf_rec rec;
	struct measurement r;
	double res;
	size_t i;

	synth(&rec);
	for (i = SCF_C2_MARSHALLED; i <= SCF_C7_DONE; i++)
		if (rec.t[i])
			rec.t[i] += (uint64_t)late;
	meas_init(&r, 1, 2);
	meas_add_rec(&r, &rec);
	memset(&rec, 0, sizeof(rec));
	rec.t[SCF_C0_CALL] = 5000;
	rec.t[SCF_C7_DONE] = 5000 + (uint64_t)work_total + CC;
	meas_add_rec(&r, &rec);
	res = net_residual_pct((double)r.ph[PH_TOTAL_PROBED].v[0] -
			       net_cost(PH_TOTAL_PROBED, CC, CS),
			       (double)r.ph[PH_TOTAL_UNPROBED].v[0] -
			       net_cost(PH_TOTAL_UNPROBED, CC, CS));
	tap_ok(r.identity_violations == 0 &&
	       (fabs(res) > RESIDUAL_LIMIT_PCT) == flagged,
	       "one stamp %lld ticks late on a %lld-tick call: residual %.1f %% %s "
	       "the %.0f %% limit", (long long)late, (long long)work_total, res,
	       flagged ? "past" : "within", RESIDUAL_LIMIT_PCT);
	meas_free(&r);
}

static void test_net(void)
{
	struct scf_rec rec;
	struct measurement r;
	int64_t work_total = 0;
	size_t i;

	for (i = 0; i < sizeof(chain) / sizeof(chain[0]); i++)
		work_total += chain[i].work;
	synth(&rec);
	meas_init(&r, 1, 2);
	meas_add_rec(&r, &rec);
	tap_ok(r.identity_violations == 0,
	       "synthetic probed call: every stamp present and ordered");
	tap_ok(net_of(&r, PH_TOTAL_PROBED) == (double)work_total,
	       "net total = the work put in (%g, want %lld)",
	       net_of(&r, PH_TOTAL_PROBED), (long long)work_total);
	tap_ok(net_of(&r, PH_QUEUE) == 5 + 11 + 13 + 19 + 29,
	       "net queue = its five intervals' work");
	tap_ok(net_of(&r, PH_MEMSYNC) == 7 + 17 + 23,
	       "net memsync = its three intervals' work");
	tap_ok(net_of(&r, PH_NOTIFY_REQ) == 101 && net_of(&r, PH_NOTIFY_RSP) == 103,
	       "net notify_req, notify_rsp: half a stamp from each CPU");
	tap_ok(net_of(&r, PH_NOTIFY) == 204, "net notify = 101 + 103");
	tap_ok(net_of(&r, PH_SERVICE) == 307, "net service = S2-S3 work");
	tap_ok(net_of(&r, PH_QUEUE) + net_of(&r, PH_MEMSYNC) +
	       net_of(&r, PH_NOTIFY) + net_of(&r, PH_SERVICE) ==
	       net_of(&r, PH_TOTAL_PROBED),
	       "the net phases still sum to the net total");
	tap_ok(net_cost(PH_KICK_REQ, CC, CS) < 0 && net_cost(PH_LOCAL, CC, CS) < 0,
	       "no net value for phases off the call's path");

	/* An unprobed call of the same work: C0 and C7 only. */
	memset(&rec, 0, sizeof(rec));
	rec.t[SCF_C0_CALL] = 5000;
	rec.t[SCF_C7_DONE] = 5000 + (uint64_t)work_total + CC;
	meas_add_rec(&r, &rec);
	tap_ok(r.ph[PH_TOTAL].n == 2 && r.ph[PH_TOTAL_UNPROBED].n == 1 &&
	       r.ph[PH_TOTAL_PROBED].n == 1 && r.ph[PH_QUEUE].n == 1,
	       "total has both calls, the phases the probed one only");
	tap_ok(r.identity_checked == 1,
	       "stamps are checked on probed calls only");
	tap_ok((double)r.ph[PH_TOTAL_UNPROBED].v[0] -
	       net_cost(PH_TOTAL_UNPROBED, CC, CS) == (double)work_total,
	       "net unprobed total = the same work");
	tap_ok(net_residual_pct(550, 500) > 9.99 && net_residual_pct(550, 500) < 10.01 &&
	       isnan(net_residual_pct(550, 0)),
	       "residual: 550 / 500 - 1 = 10 %%; none without unprobed calls");
	meas_free(&r);

	/* The check can fail: the shadow's S2 stamped before its S1. */
	synth(&rec);
	meas_init(&r, 1, 1);
	rec.t[SCF_S2_VALIDATED] = rec.t[SCF_S1_POPPED] - 1;
	meas_add_rec(&r, &rec);
	tap_ok(r.identity_checked == 1 && r.identity_violations == 1 &&
	       r.ph[PH_QUEUE].n == 0,
	       "a stamp out of order on its CPU: a violation, the call left out");
	meas_free(&r);

	/* The residual catches one stamp that cost a few tens of ns more
	 * than calibrated, and lets a smaller slip pass. */
	test_late_stamp(work_total, 70, true);
	test_late_stamp(work_total, 50, false);

	memset(&rec, 0, sizeof(rec));
	meas_init(&r, 1, 1);
	rec.t[SCF_C0_CALL] = 5000;
	meas_add_rec(&r, &rec);
	tap_ok(r.identity_violations == 1 && r.ph[PH_TOTAL].n == 0,
	       "an unprobed call without C7 counts as a missing stamp");
	meas_free(&r);
}

static void test_drift(void)
{
	static const double steady[] = { 110, 112, 108, 111, 109, 115, 106 };
	static const double moved[] = { 110, 111, 109, 481, 112, 110 };
	static const double slow_fast[] = { 70, 71, 140, 139, 70 };
	static const double with_gap[] = { 100, 0, 100, 130 };
	char buf[64];

	tap_ok(fabs(drift_spread(steady, 7) - 115.0 / 106) < 1e-9,
	       "spread = max / min");
	tap_ok(drift_samples(steady, 7, DRIFT_LIMIT, buf, sizeof(buf)) == 0 &&
	       !buf[0], "steady baselines: no drift named");
	tap_ok(drift_samples(moved, 6, DRIFT_LIMIT, buf, sizeof(buf)) == 1 &&
	       !strcmp(buf, "4"), "one sample moved: named (%s)", buf);
	tap_ok(drift_samples(slow_fast, 5, DRIFT_LIMIT, buf, sizeof(buf)) == 2 &&
	       !strcmp(buf, "3,4"),
	       "machine changed mid-run: the samples off the median (%s)", buf);
	tap_ok(drift_spread(with_gap, 4) == 1.3,
	       "a failed baseline (0) is left out of the spread");
	tap_ok(drift_spread(with_gap, 0) == 0 &&
	       drift_samples(with_gap, 0, DRIFT_LIMIT, buf, sizeof(buf)) == 0,
	       "no samples: no spread, nothing named");
}

int main(void)
{
	test_net();
	test_drift();
	printf("1..%d\n", tap_num);
	return tap_failed != 0;
}
