// SPDX-License-Identifier: MIT
/*
 * run.c - turn each forwarded call's probe record into its phases
 * (docs/design.md, "Phases"), and collect them per run.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../rtos/rtos_dual.h"
#include "bench.h"
#include "interference.h"
#include "scf_probe.h"

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

void ticks_sorted(int64_t *sorted, const int64_t *v, uint64_t n)
{
	memcpy(sorted, v, n * sizeof(*v));
	qsort(sorted, n, sizeof(*v), cmp_i64);
}

int64_t sorted_pct(const int64_t *sorted, uint64_t n, double p)
{
	uint64_t k = (uint64_t)ceil(p * (double)n);

	return sorted[k ? k - 1 : 0];
}

int64_t series_p50(const struct series *s, int64_t *scratch)
{
	if (!s->n)
		return 0;
	ticks_sorted(scratch, s->v, s->n);
	return sorted_pct(scratch, s->n, 0.50);
}

void meas_init(struct measurement *r, uint32_t samples, uint32_t cycles)
{
	int p;

	memset(r, 0, sizeof(*r));
	r->samples = samples;
	r->cycles = cycles;
	r->client_cpu_ns = r->shadow_cpu_ns = -1;
	/* Values are allocated on a phase's first use: most runs use few. */
	for (p = 0; p < PH_NR; p++) {
		r->ph[p].sample_end = calloc(samples, sizeof(uint32_t));
		if (!r->ph[p].sample_end)
			goto oom;
	}
	r->wall_ns = calloc(samples, sizeof(double));
	r->baseline_ns = calloc(samples, sizeof(double));
	r->wall_gap_pct = calloc(samples, sizeof(double));
	if (!r->wall_ns || !r->baseline_ns || !r->wall_gap_pct)
		goto oom;
	iso_time(r->start, sizeof(r->start));
	return;
oom:
	fprintf(stderr, "scf-bench: out of memory for %u x %u samples\n",
		samples, cycles);
	exit(1);
}

void meas_free(struct measurement *r)
{
	int p;

	for (p = 0; p < PH_NR; p++) {
		free(r->ph[p].v);
		free(r->ph[p].sample_end);
	}
	free(r->wall_ns);
	free(r->baseline_ns);
	free(r->wall_gap_pct);
	interference_free(r->intf);
}

void meas_warn(struct measurement *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nwarn == sizeof(r->warnings) / sizeof(r->warnings[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(r->warnings[r->nwarn++], sizeof(r->warnings[0]), fmt, ap);
	va_end(ap);
}

void meas_extra(struct measurement *r, const char *key, double val)
{
	if (r->nextra == sizeof(r->extra) / sizeof(r->extra[0]))
		return;
	r->extra[r->nextra].key = key;
	r->extra[r->nextra++].val = val;
}

void meas_add(struct measurement *r, enum scf_phase p, int64_t v)
{
	struct series *s = &r->ph[p];

	if (!s->v) {
		s->v = malloc(sizeof(int64_t) * (uint64_t)r->samples * r->cycles);
		if (!s->v) {
			fprintf(stderr, "scf-bench: out of memory for %u x %u "
				"samples\n", r->samples, r->cycles);
			exit(1);
		}
	}
	if (s->n == (uint64_t)r->samples * r->cycles)
		return;
	s->v[s->n++] = v;
	s->negative += v < 0;
}

void meas_end_sample(struct measurement *r, uint32_t sample)
{
	int p;

	for (p = 0; p < PH_NR; p++)
		r->ph[p].sample_end[sample] = (uint32_t)r->ph[p].n;
}

static int64_t d(const uint64_t *t, int to, int from)
{
	return (int64_t)(t[to] - t[from]);
}

/* [from, to) probe pairs of a chain, all stamps present. */
static bool have(const uint64_t *t, const int *pts, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!t[pts[i]])
			return false;
	return true;
}

static const int user_points[] = {
	SCF_C0_CALL, SCF_C1_SLOT, SCF_C2_MARSHALLED, SCF_C3_SUBMITTED,
	SCF_C4_KICKED, SCF_S0_WOKEN, SCF_S1_POPPED, SCF_S2_VALIDATED,
	SCF_S3_SERVICED, SCF_S4_RESPONDED, SCF_C5_WOKEN, SCF_C6_COLLECTED,
	SCF_C7_DONE,
};
static const int kreq_points[] = {
	SCF_KQ_ENTRY, SCF_KQ_IPI_SENT, SCF_KQ_HANDLER, SCF_KQ_RESUMED,
};
static const int krsp_points[] = {
	SCF_KR_ENTRY, SCF_KR_IPI_SENT, SCF_KR_HANDLER, SCF_KR_RESUMED,
};

/* The user-space phases of one call; false when a stamp is missing. */
static bool rec_phases(const struct scf_rec *rec, int64_t ph[PH_NR])
{
	const uint64_t *t = rec->t;

	if (!have(t, user_points, sizeof(user_points) / sizeof(int)))
		return false;
	ph[PH_TOTAL] = d(t, SCF_C7_DONE, SCF_C0_CALL);
	ph[PH_QUEUE] = d(t, SCF_C1_SLOT, SCF_C0_CALL) +
		       d(t, SCF_C3_SUBMITTED, SCF_C2_MARSHALLED) +
		       d(t, SCF_S1_POPPED, SCF_S0_WOKEN) +
		       d(t, SCF_S4_RESPONDED, SCF_S3_SERVICED) +
		       d(t, SCF_C7_DONE, SCF_C6_COLLECTED);
	ph[PH_MEMSYNC] = d(t, SCF_C2_MARSHALLED, SCF_C1_SLOT) +
			 d(t, SCF_S2_VALIDATED, SCF_S1_POPPED) +
			 d(t, SCF_C6_COLLECTED, SCF_C5_WOKEN);
	ph[PH_NOTIFY_REQ] = d(t, SCF_S0_WOKEN, SCF_C3_SUBMITTED);
	ph[PH_NOTIFY_RSP] = d(t, SCF_C5_WOKEN, SCF_S4_RESPONDED);
	ph[PH_NOTIFY] = ph[PH_NOTIFY_REQ] + ph[PH_NOTIFY_RSP];
	ph[PH_SERVICE] = d(t, SCF_S3_SERVICED, SCF_S2_VALIDATED);
	ph[PH_KICK_REQ] = d(t, SCF_C4_KICKED, SCF_C3_SUBMITTED);
	return true;
}

/*
 * The stamps taken on one CPU come in program order: the client's
 * C0 <= C1 <= C2 <= C3 <= C5 <= C6 <= C7 (and C3 <= C4, its kick), the
 * shadow's S0 <= ... <= S4.  Stamps of two CPUs are not compared: TSC
 * skew may order them either way.
 */
static bool stamps_ordered(const uint64_t *t)
{
	static const int client[] = {
		SCF_C0_CALL, SCF_C1_SLOT, SCF_C2_MARSHALLED, SCF_C3_SUBMITTED,
		SCF_C5_WOKEN, SCF_C6_COLLECTED, SCF_C7_DONE,
	};
	static const int shadow[] = {
		SCF_S0_WOKEN, SCF_S1_POPPED, SCF_S2_VALIDATED, SCF_S3_SERVICED,
		SCF_S4_RESPONDED,
	};
	size_t i;

	for (i = 1; i < sizeof(client) / sizeof(client[0]); i++)
		if (t[client[i]] < t[client[i - 1]])
			return false;
	for (i = 1; i < sizeof(shadow) / sizeof(shadow[0]); i++)
		if (t[shadow[i]] < t[shadow[i - 1]])
			return false;
	return t[SCF_C4_KICKED] >= t[SCF_C3_SUBMITTED];
}

void meas_add_rec(struct measurement *r, const struct scf_rec *rec)
{
	const uint64_t *t = rec->t;
	int64_t ph[PH_NR];

	if (!rec->probed) {
		/* Only C0 and C7: the call as undisturbed as probes allow. */
		if (!t[SCF_C0_CALL] || !t[SCF_C7_DONE]) {
			r->identity_violations++;
			return;
		}
		meas_add(r, PH_TOTAL, d(t, SCF_C7_DONE, SCF_C0_CALL));
		meas_add(r, PH_TOTAL_UNPROBED, d(t, SCF_C7_DONE, SCF_C0_CALL));
		return;
	}
	/*
	 * What can fail here: a stamp missing, or stamps of one CPU out of
	 * order.  That the four phases then sum to total holds by
	 * construction (they telescope), so it is no check; the net
	 * residual and the wall-clock gap (results_truth.c) check the
	 * stamps against something else.
	 */
	r->identity_checked++;
	if (!rec_phases(rec, ph) || !stamps_ordered(t)) {
		r->identity_violations++;
		return;
	}

	meas_add(r, PH_TOTAL, ph[PH_TOTAL]);
	meas_add(r, PH_TOTAL_PROBED, ph[PH_TOTAL]);
	meas_add(r, PH_QUEUE, ph[PH_QUEUE]);
	meas_add(r, PH_MEMSYNC, ph[PH_MEMSYNC]);
	meas_add(r, PH_NOTIFY, ph[PH_NOTIFY]);
	meas_add(r, PH_SERVICE, ph[PH_SERVICE]);
	meas_add(r, PH_NOTIFY_REQ, ph[PH_NOTIFY_REQ]);
	meas_add(r, PH_NOTIFY_RSP, ph[PH_NOTIFY_RSP]);
	meas_add(r, PH_KICK_REQ, ph[PH_KICK_REQ]);
	if (rec->late)
		meas_add(r, PH_KICK_RSP, d(t, SCF_S5_REPLY_KICKED,
					  SCF_S4_RESPONDED));
	else
		r->missing_late++;
	/*
	 * The module stamps IPI_SENT only when an IPI went out, and HANDLER
	 * only when that IPI's interrupt ran the handler: a request is split
	 * only then.  Any other kick it saw (ENTRY stamped) was answered
	 * without an IPI: polling idle, same CPU, or a peer still awake.
	 */
	if (have(t, kreq_points, 4)) {
		meas_add(r, PH_REQ_ENTRY, d(t, SCF_KQ_ENTRY, SCF_C3_SUBMITTED));
		meas_add(r, PH_REQ_SEND, d(t, SCF_KQ_IPI_SENT, SCF_KQ_ENTRY));
		meas_add(r, PH_REQ_FLIGHT, d(t, SCF_KQ_HANDLER, SCF_KQ_IPI_SENT));
		meas_add(r, PH_REQ_WAKE, d(t, SCF_KQ_RESUMED, SCF_KQ_HANDLER));
		meas_add(r, PH_REQ_RETURN, d(t, SCF_S0_WOKEN, SCF_KQ_RESUMED));
		meas_add(r, PH_NOTIFY_REQ_IPI, ph[PH_NOTIFY_REQ]);
		/* the same calls' own total, beside the pooled one */
		meas_add(r, PH_TOTAL_IPI, ph[PH_TOTAL]);
	} else if (t[SCF_KQ_ENTRY]) {
		meas_add(r, PH_NOTIFY_REQ_NOIPI, ph[PH_NOTIFY_REQ]);
	}
	if (rec->late && have(t, krsp_points, 4)) {
		meas_add(r, PH_RSP_ENTRY, d(t, SCF_KR_ENTRY, SCF_S4_RESPONDED));
		meas_add(r, PH_RSP_SEND, d(t, SCF_KR_IPI_SENT, SCF_KR_ENTRY));
		meas_add(r, PH_RSP_FLIGHT, d(t, SCF_KR_HANDLER, SCF_KR_IPI_SENT));
		meas_add(r, PH_RSP_WAKE, d(t, SCF_KR_RESUMED, SCF_KR_HANDLER));
		meas_add(r, PH_RSP_RETURN, d(t, SCF_C5_WOKEN, SCF_KR_RESUMED));
		meas_add(r, PH_NOTIFY_RSP_IPI, ph[PH_NOTIFY_RSP]);
	} else if (rec->late && t[SCF_KR_ENTRY]) {
		meas_add(r, PH_NOTIFY_RSP_NOIPI, ph[PH_NOTIFY_RSP]);
	}
}

/*
 * The phases summed over a dual call's parts, plus local.  The parts'
 * S5 stamps (kick_rsp) and kernel stamps are not summed: a part may have
 * been made by a forked process on another slot, whose late log this
 * process never sees.  Probes compiled out: only the total.
 */
void meas_add_dual(struct measurement *r, const struct dual_rec *dr)
{
	static const int summed[] = {
		PH_QUEUE, PH_MEMSYNC, PH_NOTIFY, PH_SERVICE, PH_NOTIFY_REQ,
		PH_NOTIFY_RSP, PH_KICK_REQ,
	};
	int64_t sum[PH_NR] = { 0 }, ph[PH_NR], total, parts = 0;
	uint32_t i, k;

	total = (int64_t)(dr->t_end - dr->t0);
	if (!SCF_PROBES) {
		meas_add(r, PH_TOTAL, total);
		return;
	}
	for (i = 0; i < dr->n && i < DUAL_PARTS; i++)
		if (!dr->part[i].probed) {
			/* A part stamped C0 and C7 only: the total alone. */
			meas_add(r, PH_TOTAL, total);
			meas_add(r, PH_TOTAL_UNPROBED, total);
			return;
		}
	r->identity_checked++;
	for (i = 0; i < dr->n && i < DUAL_PARTS; i++) {
		if (!rec_phases(&dr->part[i], ph)) {
			r->identity_violations++;
			return;
		}
		for (k = 0; k < sizeof(summed) / sizeof(summed[0]); k++)
			sum[summed[k]] += ph[summed[k]];
		parts += ph[PH_TOTAL];
	}
	sum[PH_LOCAL] = total - parts;
	if (sum[PH_QUEUE] + sum[PH_MEMSYNC] + sum[PH_NOTIFY] +
	    sum[PH_SERVICE] + sum[PH_LOCAL] != total)
		r->identity_violations++;
	meas_add(r, PH_TOTAL, total);
	meas_add(r, PH_TOTAL_PROBED, total);
	for (k = 0; k < sizeof(summed) / sizeof(summed[0]); k++)
		meas_add(r, summed[k], sum[summed[k]]);
	meas_add(r, PH_LOCAL, sum[PH_LOCAL]);
}
