// SPDX-License-Identifier: MIT
/*
 * report_tail.c - report.md's "Tail" section, from the results of a
 * --trace run: per variant and workload, the share of p99.9 requests
 * that had an interrupt, a preemption, a page fault or nothing in each
 * phase, and the slowest requests with the kernel events in each phase.
 */
#include <string.h>

#include "report.h"

static const char *const kinds[] = {
	"interrupt", "preemption", "page_fault", "unexplained",
};

static void shares(FILE *f, const struct tail *t)
{
	const char *ph;
	const json_t *s;
	size_t k;

	fputs("| phase | interrupt | preemption | page fault | nothing (unexplained) |\n"
	      "|---|--:|--:|--:|--:|\n", f);
	json_object_foreach((json_t *)t->share, ph, s) {
		fprintf(f, "| %s |", ph);
		for (k = 0; k < 4; k++)
			fprintf(f, " %.0f %% |", 100 * json_number_value(
					json_object_get(s, kinds[k])));
		fputs("\n", f);
	}
	fputs("\n", f);
}

/* "client local_timer_entry, shadow sched_switch ×3" for one phase. */
static void phase_events(FILE *f, const json_t *evs, const char *phase)
{
	const json_t *e, *e2;
	size_t i, j, n = 0;

	json_array_foreach(evs, i, e) {
		const char *side = json_string_value(json_object_get(e, "side"));
		const char *name = json_string_value(json_object_get(e, "event"));
		size_t count = 0;
		bool seen = false;

		if (strcmp(json_string_value(json_object_get(e, "phase")), phase))
			continue;
		json_array_foreach(evs, j, e2) {
			bool same = !strcmp(json_string_value(json_object_get(e2, "phase")), phase) &&
				!strcmp(json_string_value(json_object_get(e2, "side")), side) &&
				!strcmp(json_string_value(json_object_get(e2, "event")), name);

			if (same && j < i)
				seen = true;
			count += same;
		}
		if (seen)
			continue;
		fprintf(f, "%s%s %s", n++ ? ", " : "", side, name);
		if (count > 1)
			fprintf(f, " ×%zu", count);
	}
	if (!n)
		fputs("—", f);
}

static void slowest(FILE *f, const struct tail *t)
{
	static const enum scf_phase ph[] = {
		PH_QUEUE, PH_MEMSYNC, PH_NOTIFY_REQ, PH_SERVICE, PH_NOTIFY_RSP,
	};
	const json_t *s;
	size_t i, k;

	fprintf(f, "The %zu slowest requests; phases in ns, then the kernel "
		"events inside each phase (side, event, how many).\n\n"
		"| # | total | queue | memsync | notify_req | service | notify_rsp | events by phase |\n"
		"|--:|--:|--:|--:|--:|--:|--:|---|\n", json_array_size(t->slowest));
	json_array_foreach(t->slowest, i, s) {
		const json_t *p = json_object_get(s, "phases_ns");
		const json_t *evs = json_object_get(s, "events");
		const json_t *more = json_object_get(s, "events_not_listed");
		const char *name;
		const json_t *v;
		bool first = true;

		fprintf(f, "| %zu | %.0f |", i + 1,
			json_number_value(json_object_get(s, "total_ns")));
		for (k = 0; k < 5; k++)
			fprintf(f, " %.0f |", json_number_value(json_object_get(p, scf_phase_names[ph[k]])));
		fputs(" ", f);
		json_object_foreach((json_t *)p, name, v) {
			size_t j;
			const json_t *e;
			bool any = false;

			json_array_foreach(evs, j, e)
				any |= !strcmp(json_string_value(json_object_get(e, "phase")), name);
			if (!any)
				continue;
			fprintf(f, "%s**%s**: ", first ? "" : "; ", name);
			phase_events(f, evs, name);
			first = false;
		}
		if (first)
			fputs("none", f);
		if (json_integer_value(more) > 0)
			fprintf(f, " (+%lld not listed)", (long long)json_integer_value(more));
		fputs(" |\n", f);
	}
	fputs("\n", f);
}

void report_tail(FILE *f, const struct runset *rs)
{
	size_t i, n = 0;

	for (i = 0; i < rs->n; i++) {
		const struct result *r = &rs->r[i];
		const struct tail *t = &r->tail;

		if (!t->present)
			continue;
		if (!n++)
			fputs("## Tail\n\n"
			      "Kernel events recorded with the TSC clock (`--trace`) and "
			      "joined to the request and phase whose window holds them, "
			      "on the CPU where they happened: the client's CPU to its "
			      "phases (`wait`: it waits while the request travels and "
			      "is served), the shadow's CPU to the shadow's.  "
			      "Explained: a p99.9 request with an interrupt, a "
			      "preemption or a page fault in some phase.\n\n", f);
		fprintf(f, "### %s/%s (%s%s)\n\n", r->dir, r->name, r->cfg.backend,
			r->cfg.emulated ? ", emulated" : "");
		fprintf(f, "p99.9 of total: %.0f ns; %.0f requests at or above it, "
			"**%.0f %% explained**; %.0f events recorded, %.0f inside a "
			"request's window.\n\n", t->p999_ns, t->requests,
			100 * t->explained, t->events, t->joined);
		shares(f, t);
		slowest(f, t);
	}
}
