// SPDX-License-Identifier: MIT
/*
 * report_ipi.c - report.md's "Woken by a real IPI": for every result
 * whose calls are split by how they were woken (ipi_split.h), the share
 * a real IPI woke, how idle CPUs waited, and the IPI-woken calls' own
 * p50 (total and notify_req) beside the pooled one.  Results without the
 * split get no row: nothing there was measured.
 */
#include <math.h>
#include <stdio.h>

#include "ipi_split.h"
#include "report.h"

static void cell(FILE *f, double v)
{
	if (isnan(v))
		fputs(" — |", f);
	else
		fprintf(f, " %.0f |", v);
}

void report_ipi(FILE *f, const struct runset *rs)
{
	struct ipi_split s;
	size_t i, rows = 0;

	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];

		ipi_split_of(r, &s);
		if (!s.measured)
			continue;
		if (!rows++)
			fputs("## Woken by a real IPI\n\n"
			      "The sampled calls (one in --probe-every) split by "
			      "the kernel's stamps: those whose request a real "
			      "IPI woke, and the others (a polling idle CPU, the "
			      "peer still awake).  Each p50 of the IPI-woken "
			      "calls stands beside the p50 of every sampled "
			      "call; — where none was IPI-woken.  Idle halt lets "
			      "a kick send an IPI; idle poll (held at 0 us) wakes "
			      "a polling CPU without one.\n\n"
			      "| variant | backend | workload | idle | calls split "
			      "| IPI-woken | total p50 IPI-woken | total p50 all "
			      "| notify_req p50 IPI-woken | notify_req p50 all |\n"
			      "|---|---|---|---|--:|--:|--:|--:|--:|--:|\n", f);
		fprintf(f, "| %s | %s | %s | %s%s%s%s | %.0f | %.1f%% |", r->dir,
			r->cfg.backend, r->name, s.idle[0] ? s.idle : "not recorded",
			s.idle_source[0] ? " (" : "", s.idle_source,
			s.idle_source[0] ? ")" : "", s.calls, 100 * s.share);
		cell(f, s.total_p50_ipi);
		cell(f, s.total_p50_all);
		cell(f, s.notify_p50_ipi);
		cell(f, s.notify_p50_all);
		fputs("\n", f);
	}
	if (rows)
		fputs("\n", f);
}
