/* SPDX-License-Identifier: MIT */
/*
 * scf_phase.h - the one table of phase names (docs/design.md, "Phases"):
 * scf-bench collects a series per phase and writes it under this name;
 * its trace join and the analysis tools find it by the same name.
 */
#ifndef SCF_PHASE_H
#define SCF_PHASE_H

enum scf_phase {
	PH_TOTAL,
	PH_QUEUE,
	PH_MEMSYNC,
	PH_NOTIFY,
	PH_SERVICE,
	PH_LOCAL,		/* dual calls: the RTOS side's own work */
	PH_NOTIFY_REQ,
	PH_NOTIFY_RSP,
	PH_KICK_REQ,
	PH_KICK_RSP,
	/* ipi/kmod: notify split by the kernel's stamps */
	PH_REQ_ENTRY,		/* C3 -> ioctl entry */
	PH_REQ_SEND,		/* ioctl entry -> IPI sent */
	PH_REQ_FLIGHT,		/* IPI sent -> handler on the shadow's CPU */
	PH_REQ_WAKE,		/* handler -> waiter resumed */
	PH_REQ_RETURN,		/* resumed -> S0 in user space */
	PH_RSP_ENTRY,
	PH_RSP_SEND,
	PH_RSP_FLIGHT,
	PH_RSP_WAKE,
	PH_RSP_RETURN,
	PH_NOTIFY_REQ_IPI,	/* notify_req over the requests split above */
	PH_NOTIFY_RSP_IPI,	/* notify_rsp likewise: the sub-phases sum to it */
	PH_WAIT_IN_RING,	/* S1 - C3, calls with others in flight (async) */
	PH_TOTAL_UNPROBED,	/* total of the requests that stamped C0, C7 only */
	PH_TOTAL_PROBED,	/* total of the requests that stamped every point */
	PH_NOTIFY_REQ_NOIPI,	/* kmod: notify_req of every other request */
	PH_NOTIFY_RSP_NOIPI,	/* kmod: notify_rsp likewise */
	PH_TOTAL_IPI,		/* kmod: total of the requests notify_req_ipi covers */
	PH_NR,			/* the phases scf-bench collects a series of */
	/*
	 * Named but never collected: the trace join's client-side window
	 * while a request travels and is served (trace_join.h).
	 */
	PH_WAIT = PH_NR,
	PH_NAMES_NR
};

/* Indexed by enum scf_phase, PH_NAMES_NR entries, none NULL. */
extern const char *const scf_phase_names[PH_NAMES_NR];

#endif /* SCF_PHASE_H */
