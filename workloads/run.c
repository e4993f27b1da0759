// SPDX-License-Identifier: MIT
/*
 * run.c - turn each forwarded call's probe record into its phases
 * (DESIGN.md "Probe points and phases"), and collect them per run.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

const char *const phase_names[PH_NR] = {
	[PH_TOTAL] = "total",		[PH_QUEUE] = "queue",
	[PH_MEMSYNC] = "memsync",	[PH_NOTIFY] = "notify",
	[PH_SERVICE] = "service",	[PH_NOTIFY_REQ] = "notify_req",
	[PH_NOTIFY_RSP] = "notify_rsp",	[PH_KICK_REQ] = "kick_req",
	[PH_KICK_RSP] = "kick_rsp",	[PH_REQ_ENTRY] = "req_entry",
	[PH_REQ_SEND] = "req_send",	[PH_REQ_FLIGHT] = "req_flight",
	[PH_REQ_WAKE] = "req_wake",	[PH_REQ_RETURN] = "req_return",
	[PH_RSP_ENTRY] = "rsp_entry",	[PH_RSP_SEND] = "rsp_send",
	[PH_RSP_FLIGHT] = "rsp_flight",	[PH_RSP_WAKE] = "rsp_wake",
	[PH_RSP_RETURN] = "rsp_return",
	[PH_NOTIFY_REQ_IPI] = "notify_req_ipi",
	[PH_NOTIFY_RSP_IPI] = "notify_rsp_ipi",
};

void run_init(struct run *r, uint32_t samples, uint32_t cycles)
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
	if (!r->wall_ns)
		goto oom;
	iso_time(r->start, sizeof(r->start));
	return;
oom:
	fprintf(stderr, "scf-bench: out of memory for %u x %u samples\n",
		samples, cycles);
	exit(1);
}

void run_free(struct run *r)
{
	int p;

	for (p = 0; p < PH_NR; p++) {
		free(r->ph[p].v);
		free(r->ph[p].sample_end);
	}
	free(r->wall_ns);
}

void run_warn(struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nwarn == sizeof(r->warnings) / sizeof(r->warnings[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(r->warnings[r->nwarn++], sizeof(r->warnings[0]), fmt, ap);
	va_end(ap);
}

void run_extra(struct run *r, const char *key, double val)
{
	if (r->nextra == sizeof(r->extra) / sizeof(r->extra[0]))
		return;
	r->extra[r->nextra].key = key;
	r->extra[r->nextra++].val = val;
}

void run_add(struct run *r, enum phase p, int64_t v)
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

void run_end_sample(struct run *r, uint32_t sample)
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

void run_add_rec(struct run *r, const struct scf_rec *rec)
{
	const uint64_t *t = rec->t;
	int64_t total, queue, memsync, nreq, nrsp, service;

	r->identity_checked++;
	if (!have(t, user_points, sizeof(user_points) / sizeof(int))) {
		r->identity_violations++;	/* a stamp is missing */
		return;
	}
	total = d(t, SCF_C7_DONE, SCF_C0_CALL);
	queue = d(t, SCF_C1_SLOT, SCF_C0_CALL) +
		d(t, SCF_C3_SUBMITTED, SCF_C2_MARSHALLED) +
		d(t, SCF_S1_POPPED, SCF_S0_WOKEN) +
		d(t, SCF_S4_RESPONDED, SCF_S3_SERVICED) +
		d(t, SCF_C7_DONE, SCF_C6_COLLECTED);
	memsync = d(t, SCF_C2_MARSHALLED, SCF_C1_SLOT) +
		  d(t, SCF_S2_VALIDATED, SCF_S1_POPPED) +
		  d(t, SCF_C6_COLLECTED, SCF_C5_WOKEN);
	nreq = d(t, SCF_S0_WOKEN, SCF_C3_SUBMITTED);
	nrsp = d(t, SCF_C5_WOKEN, SCF_S4_RESPONDED);
	service = d(t, SCF_S3_SERVICED, SCF_S2_VALIDATED);
	/* The identity: the four phases account for every cycle of the call. */
	if (queue + memsync + nreq + nrsp + service != total)
		r->identity_violations++;

	run_add(r, PH_TOTAL, total);
	run_add(r, PH_QUEUE, queue);
	run_add(r, PH_MEMSYNC, memsync);
	run_add(r, PH_NOTIFY, nreq + nrsp);
	run_add(r, PH_SERVICE, service);
	run_add(r, PH_NOTIFY_REQ, nreq);
	run_add(r, PH_NOTIFY_RSP, nrsp);
	run_add(r, PH_KICK_REQ, d(t, SCF_C4_KICKED, SCF_C3_SUBMITTED));
	if (rec->late)
		run_add(r, PH_KICK_RSP, d(t, SCF_S5_REPLY_KICKED,
					  SCF_S4_RESPONDED));
	else
		r->missing_late++;
	if (have(t, kreq_points, 4)) {
		run_add(r, PH_REQ_ENTRY, d(t, SCF_KQ_ENTRY, SCF_C3_SUBMITTED));
		run_add(r, PH_REQ_SEND, d(t, SCF_KQ_IPI_SENT, SCF_KQ_ENTRY));
		run_add(r, PH_REQ_FLIGHT, d(t, SCF_KQ_HANDLER, SCF_KQ_IPI_SENT));
		run_add(r, PH_REQ_WAKE, d(t, SCF_KQ_RESUMED, SCF_KQ_HANDLER));
		run_add(r, PH_REQ_RETURN, d(t, SCF_S0_WOKEN, SCF_KQ_RESUMED));
		run_add(r, PH_NOTIFY_REQ_IPI, nreq);
	}
	if (rec->late && have(t, krsp_points, 4)) {
		run_add(r, PH_RSP_ENTRY, d(t, SCF_KR_ENTRY, SCF_S4_RESPONDED));
		run_add(r, PH_RSP_SEND, d(t, SCF_KR_IPI_SENT, SCF_KR_ENTRY));
		run_add(r, PH_RSP_FLIGHT, d(t, SCF_KR_HANDLER, SCF_KR_IPI_SENT));
		run_add(r, PH_RSP_WAKE, d(t, SCF_KR_RESUMED, SCF_KR_HANDLER));
		run_add(r, PH_RSP_RETURN, d(t, SCF_C5_WOKEN, SCF_KR_RESUMED));
		run_add(r, PH_NOTIFY_RSP_IPI, nrsp);
	}
}
