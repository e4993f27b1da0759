// SPDX-License-Identifier: MIT
/*
 * ipi_split.c - a result's IPI-woken calls beside all of them
 * (ipi_split.h), read with the result reader.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ipi_split.h"

static double count(const struct phase *p)
{
	return p ? p->count : 0;
}

static double p50(const struct phase *p)
{
	return p && p->count > 0 ? p->p50_ns : NAN;
}

static void cfg_str(const struct result *r, const char *key, char *buf,
		    size_t len)
{
	const char *v = json_string_value(json_object_get(
		json_object_get(r->root, "config"), key));

	snprintf(buf, len, "%s", v ? v : "");
}

void ipi_split_of(const struct result *r, struct ipi_split *s)
{
	const struct phase *ipi = result_phase(r, "notify_req_ipi");
	const struct phase *noipi = result_phase(r, "notify_req_noipi");
	const struct phase *probed = result_phase(r, "total_probed");

	memset(s, 0, sizeof(*s));
	s->share = s->total_p50_ipi = s->total_p50_all = NAN;
	s->notify_p50_ipi = s->notify_p50_all = NAN;
	cfg_str(r, "idle", s->idle, sizeof(s->idle));
	cfg_str(r, "idle_source", s->idle_source, sizeof(s->idle_source));
	s->ipi = count(ipi);
	s->calls = s->ipi + count(noipi);
	s->measured = s->calls > 0;
	if (!s->measured)
		return;
	s->share = s->ipi / s->calls;
	s->total_p50_ipi = p50(result_phase(r, "total_ipi"));
	/* The pooled p50 over the same sampled calls, where recorded. */
	s->total_p50_all = p50(probed && probed->count > 0 ? probed :
			       result_phase(r, "total"));
	s->notify_p50_ipi = p50(ipi);
	s->notify_p50_all = p50(result_phase(r, "notify_req"));
}

void ipi_split_label(const struct ipi_split *s, char *buf, size_t len)
{
	int n = snprintf(buf, len, "IPI-woken %.1f%%", 100 * s->share);

	if (n < 0 || (size_t)n >= len || !s->idle[0])
		return;
	snprintf(buf + n, len - (size_t)n, ", idle %s%s%s%s", s->idle,
		 s->idle_source[0] ? " (" : "", s->idle_source,
		 s->idle_source[0] ? ")" : "");
}
