/* SPDX-License-Identifier: MIT */
/*
 * ipi_split.h - how many of a result's calls a real IPI woke, and what
 * those calls took beside all of them, from the split a backend with
 * kernel stamps records (ipi/kmod): notify_req_ipi over the sampled
 * requests whose wake-up was an IPI's interrupt, notify_req_noipi over
 * the others, total_ipi the IPI-woken calls' own total.  A result
 * without the split (every other backend, futex included) has none: its
 * fields are absent, never zero.
 */
#ifndef IPI_SPLIT_H
#define IPI_SPLIT_H

#include <stdbool.h>
#include <stddef.h>

#include "result.h"

struct ipi_split {
	bool measured;		/* the result has the split */
	double calls;		/* sampled requests split */
	double ipi;		/* of which an IPI woke */
	double share;		/* ipi / calls */
	/* p50s, ns; NAN where there is none (no IPI-woken call, or an
	 * older result without total_ipi) */
	double total_p50_ipi, total_p50_all;	/* all: the sampled calls */
	double notify_p50_ipi, notify_p50_all;	/* notify_req */
	char idle[8];		/* config.idle, "" when not recorded */
	char idle_source[12];	/* config.idle_source, "" when not recorded */
};

void ipi_split_of(const struct result *r, struct ipi_split *s);
/* "IPI-woken 97.1%, idle halt (default)": the split's label */
void ipi_split_label(const struct ipi_split *s, char *buf, size_t len);

#endif
