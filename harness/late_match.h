/* SPDX-License-Identifier: MIT */
/*
 * late_match.h - the S5 stamps a client's late log holds (the shadow's
 * reply kick, and the kernel's stamps of it under kmod), put into the
 * records of the calls that made them, matched by seq.  The synchronous
 * and the asynchronous sample loops both drain through it.
 */
#ifndef LATE_MATCH_H
#define LATE_MATCH_H

#include <stdint.h>

#include "scf_client.h"

/* recs[i] is the call numbered base + i; matched counts stamps placed. */
struct late_match {
	struct scf_rec *recs;
	uint64_t base;
	uint32_t n, matched;
};

/*
 * An scf_late_fn: arg is a struct late_match, or NULL to drop every
 * stamp.  A stamp for a seq outside [base, base + n) (a set-up call's,
 * or garbage), or for a record that has one already, is ignored.
 */
void late_match_one(void *arg, const struct scf_late *l);

#endif /* LATE_MATCH_H */
