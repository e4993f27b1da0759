/* SPDX-License-Identifier: MIT */
/*
 * trace_join.h - kernel events joined to the forwarded requests whose
 * time window holds them, on the CPU where they happened.  Pure: no
 * tracefs here, so a synthetic trace with a known answer can test it.
 *
 * Both clocks are the TSC: the probes' rdtsc and the trace's x86-tsc.
 * Each side has its own windows (docs/design.md, "The tail"):
 *   client CPU, [C0, C7):  queue  [C0,C1) [C2,C3) [C6,C7)
 *                          memsync [C1,C2) [C5,C6)
 *                          wait    [C3,S4)  (the client waits while the
 *                                            request travels and is served)
 *                          notify_rsp [S4,C5)
 *   shadow CPU, [C3, S5]:  notify_req [C3,S0)
 *                          queue  [S0,S1) [S3,S4)
 *                          memsync [S1,S2)
 *                          service [S2,S3)
 *                          kick_rsp [S4,S5]
 */
#ifndef TRACE_JOIN_H
#define TRACE_JOIN_H

#include <stddef.h>
#include <stdint.h>

#include "scf_client.h"
#include "scf_phase.h"

enum tj_phase {
	TJ_QUEUE, TJ_MEMSYNC, TJ_NOTIFY_REQ, TJ_SERVICE, TJ_NOTIFY_RSP,
	TJ_WAIT, TJ_KICK_RSP, TJ_NPH
};
/* Each joined phase in the one phase table (scf_phase.h). */
extern const enum scf_phase tj_phase_ids[TJ_NPH];

static inline const char *tj_phase_name(enum tj_phase p)
{
	return scf_phase_names[tj_phase_ids[p]];
}

/* What an event can explain.  TK_OTHER: recorded, explains nothing
 * (a wake-up, a voluntary sleep, the shadow's own syscalls). */
enum tj_kind { TK_IRQ, TK_PREEMPT, TK_FAULT, TK_OTHER, TK_NR };
extern const char *const tj_kind_names[TK_NR];

struct tj_event {
	uint64_t ts;		/* TSC */
	int cpu;
	uint8_t kind;		/* enum tj_kind */
	char name[27];		/* e.g. "irq_handler_entry", "sched_switch" */
};

struct tj_hit {
	int64_t req;		/* index into recs, -1: in no request's window */
	int phase;		/* enum tj_phase, -1 with req -1 */
};

/*
 * Join nev events to n requests, recs in call order (their C0 ascending).
 * A request takes part only with every stamp it needs (C0..C7, S0..S4;
 * S5 optional: without it the shadow's window ends at S4).  Fills hit[]
 * and returns how many events landed in a request.
 */
size_t tj_join(const struct scf_rec *recs, size_t n, int client_cpu,
	       int shadow_cpu, const struct tj_event *ev, size_t nev,
	       struct tj_hit *hit);

/* The phase of ts in rec on one side (0 client, 1 shadow), or -1. */
int tj_phase_of(const struct scf_rec *rec, int shadow_side, uint64_t ts);

#endif /* TRACE_JOIN_H */
