// SPDX-License-Identifier: MIT
/*
 * net.c - how many stamp costs each phase holds (docs/design.md,
 * "Phases"): counted along the chain of a probed call,
 *   C0 C1 C2 C3 | S0 S1 S2 S3 S4 | C5 C6 C7
 * (C4 and S5 are off the call's path: kick_req and kick_rsp get no net).
 */
#include <math.h>

#include "net.h"

struct net_halves net_halves(enum scf_phase p)
{
	switch (p) {
	/* eleven intervals: six on the client, four on the shadow, two across */
	case PH_TOTAL_PROBED:	return (struct net_halves){ 12, 10 };
	/* C0-C1, C2-C3, C6-C7 | S0-S1, S3-S4 */
	case PH_QUEUE:		return (struct net_halves){ 6, 4 };
	/* C1-C2, C5-C6 | S1-S2 */
	case PH_MEMSYNC:	return (struct net_halves){ 4, 2 };
	/* C3-S0 and S4-C5: one half on each side */
	case PH_NOTIFY:		return (struct net_halves){ 2, 2 };
	case PH_NOTIFY_REQ:	return (struct net_halves){ 1, 1 };
	case PH_NOTIFY_RSP:	return (struct net_halves){ 1, 1 };
	/* S2-S3 */
	case PH_SERVICE:	return (struct net_halves){ 0, 2 };
	/* C0-C7 and nothing between */
	case PH_TOTAL_UNPROBED:	return (struct net_halves){ 2, 0 };
	default:		return (struct net_halves){ 0, 0 };
	}
}

double net_cost(enum scf_phase p, double client_stamp, double shadow_stamp)
{
	struct net_halves h = net_halves(p);

	if (!h.client && !h.shadow)
		return -1;
	return (h.client * client_stamp + h.shadow * shadow_stamp) / 2;
}

double net_residual_pct(double net_total_p50, double net_unprobed_p50)
{
	if (net_total_p50 == 0 || net_unprobed_p50 == 0)
		return NAN;
	return (net_total_p50 / net_unprobed_p50 - 1) * 100;
}
