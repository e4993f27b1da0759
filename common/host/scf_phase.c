// SPDX-License-Identifier: MIT
/*
 * scf_phase.c - the phase names (scf_phase.h).
 */
#include "scf_phase.h"

const char *const scf_phase_names[PH_NAMES_NR] = {
	[PH_TOTAL] = "total",		[PH_QUEUE] = "queue",
	[PH_MEMSYNC] = "memsync",	[PH_NOTIFY] = "notify",
	[PH_SERVICE] = "service",	[PH_LOCAL] = "local",
	[PH_NOTIFY_REQ] = "notify_req",
	[PH_NOTIFY_RSP] = "notify_rsp",	[PH_KICK_REQ] = "kick_req",
	[PH_KICK_RSP] = "kick_rsp",	[PH_REQ_ENTRY] = "req_entry",
	[PH_REQ_SEND] = "req_send",	[PH_REQ_FLIGHT] = "req_flight",
	[PH_REQ_WAKE] = "req_wake",	[PH_REQ_RETURN] = "req_return",
	[PH_RSP_ENTRY] = "rsp_entry",	[PH_RSP_SEND] = "rsp_send",
	[PH_RSP_FLIGHT] = "rsp_flight",	[PH_RSP_WAKE] = "rsp_wake",
	[PH_RSP_RETURN] = "rsp_return",
	[PH_NOTIFY_REQ_IPI] = "notify_req_ipi",
	[PH_NOTIFY_RSP_IPI] = "notify_rsp_ipi",
	[PH_WAIT_IN_RING] = "wait_in_ring",
	[PH_TOTAL_UNPROBED] = "total_unprobed",
	[PH_TOTAL_PROBED] = "total_probed",
	[PH_NOTIFY_REQ_NOIPI] = "notify_req_noipi",
	[PH_NOTIFY_RSP_NOIPI] = "notify_rsp_noipi",
	[PH_TOTAL_IPI] = "total_ipi",
	[PH_WAIT] = "wait",
};
