/* SPDX-License-Identifier: MIT */
/*
 * net.h - a phase's value with the probes' own cost taken out.
 *
 * A phase is a sum of intervals between consecutive stamps, and every
 * interval carries one ordered stamp's cost: the back-to-back cost of two
 * stamps, measured on each CPU at start.  An interval that crosses CPUs
 * carries half of each side's.  net = raw - the phase's stamp cost.
 */
#ifndef NET_H
#define NET_H

#include "bench.h"

/* Halves of a stamp cost inside one phase, per CPU; both 0: no net value. */
struct net_halves {
	int client, shadow;
};

struct net_halves net_halves(enum scf_phase p);
/* What the stamps cost inside phase p (same unit as the two costs); <0: none. */
double net_cost(enum scf_phase p, double client_stamp, double shadow_stamp);
/* net total p50 / unprobed net total p50 - 1, in %; NAN when either is 0. */
double net_residual_pct(double net_total_p50, double net_unprobed_p50);

#endif /* NET_H */
