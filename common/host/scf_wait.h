/* SPDX-License-Identifier: MIT */
/*
 * scf_wait.h - the receiver's wait policy (scf_notify.h) as the command
 * line and the results spell it: "sleep", "spin" or "hybrid:N" (spin for
 * N ns, then sleep), and the spin phase the hosted backends share.
 */
#ifndef SCF_WAIT_H
#define SCF_WAIT_H

#include <stdbool.h>
#include <stddef.h>

#include "scf_notify.h"

/* The longest hybrid spin accepted: one second. */
#define SCF_WAIT_SPIN_MAX_NS	1000000000ull

/* Parse "sleep", "spin" or "hybrid:N" (N ns, 1..1e9); 0 or -EINVAL. */
int scf_wait_parse(const char *s, struct scf_wait_policy *out);
/* "sleep", "spin", "hybrid:N", or "default" for SCF_WAIT_DEFAULT; buf. */
const char *scf_wait_format(const struct scf_wait_policy *w, char *buf,
			    size_t len);
/*
 * Poll ready(arg) for up to ns nanoseconds (CLOCK_MONOTONIC); true as
 * soon as it holds, false when the time ran out first.
 */
bool scf_wait_spin(scf_ready_fn ready, void *arg, unsigned long long ns);

#endif /* SCF_WAIT_H */
