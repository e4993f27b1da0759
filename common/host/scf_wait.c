// SPDX-License-Identifier: MIT
/*
 * scf_wait.c - parse and name wait policies; the bounded spin of the
 * hybrid policy.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scf_arch.h"
#include "scf_wait.h"

/* ready() polls between clock reads: a clock read costs ~20 ns (vDSO). */
#define SPIN_CHECKS_PER_CLOCK	16

int scf_wait_parse(const char *s, struct scf_wait_policy *out)
{
	unsigned long long ns;
	char *end;

	memset(out, 0, sizeof(*out));
	if (!strcmp(s, "sleep")) {
		out->kind = SCF_WAIT_SLEEP;
		return 0;
	}
	if (!strcmp(s, "spin")) {
		out->kind = SCF_WAIT_SPIN;
		return 0;
	}
	if (strncmp(s, "hybrid:", 7) || s[7] < '0' || s[7] > '9')
		return -EINVAL;
	errno = 0;
	ns = strtoull(s + 7, &end, 10);
	if (errno || *end || !ns || ns > SCF_WAIT_SPIN_MAX_NS)
		return -EINVAL;
	out->kind = SCF_WAIT_HYBRID;
	out->spin_ns = ns;
	return 0;
}

const char *scf_wait_format(const struct scf_wait_policy *w, char *buf,
			    size_t len)
{
	switch (w->kind) {
	case SCF_WAIT_SLEEP:
		snprintf(buf, len, "sleep");
		break;
	case SCF_WAIT_SPIN:
		snprintf(buf, len, "spin");
		break;
	case SCF_WAIT_HYBRID:
		snprintf(buf, len, "hybrid:%llu",
			 (unsigned long long)w->spin_ns);
		break;
	default:
		snprintf(buf, len, "default");
		break;
	}
	return buf;
}

static unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

bool scf_wait_spin(scf_ready_fn ready, void *arg, unsigned long long ns)
{
	unsigned long long end = mono_ns() + ns;
	unsigned int i;

	for (;;) {
		/* ready() does the acquire load that pairs with the publish. */
		for (i = 0; i < SPIN_CHECKS_PER_CLOCK; i++) {
			if (ready(arg))
				return true;
			scf_cpu_relax();
		}
		if (mono_ns() >= end)
			return ready(arg);
	}
}
