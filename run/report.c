// SPDX-License-Identifier: MIT
/*
 * report.c - the end of a run: the per-call table on stderr and the
 * SCF_RUN_SCHEMA file (--out), from what stats.c counted, each call
 * named and classified by the table.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "dispatch.h"
#include "envelope.h"
#include "report.h"
#include "scf_notify.h"
#include "scf_probe.h"
#include "scf_tsc.h"

static double ns_per(uint64_t ticks, uint64_t n)
{
	return n ? scf_tsc_to_ns((int64_t)ticks, runtime.tsc_hz) / (double)n : 0;
}

static uint64_t trap_of(const struct run_nr_stat *s)
{
	return s->handler > s->total ? s->handler - s->total : 0;
}

/* The table's name, or "nr<N>" for a call outside it. */
static const char *name_of(int nr)
{
	static char buf[16];
	const struct run_ent *e = run_table(nr);

	if (e)
		return e->name;
	snprintf(buf, sizeof(buf), "nr%d", nr);
	return buf;
}

static const char *class_of(int nr)
{
	const struct run_ent *e = run_table(nr);

	return e ? run_class_name(e->cls) : "none";
}

void run_report(int status, double wall_ns, double native_ns)
{
	uint64_t calls = 0, fwd = 0, rewritten = 0;
	int nr;

	const char *note = scf_notify_note(scf_notify_backend(runtime.c->n));

	fprintf(stderr, "\nscf-run: %s, variant %s, backend %s%s%s, exit status "
		"%d\n", runtime.prog, scf_notify_name(), scf_notify_backend(runtime.c->n),
		note ? " " : "", note ? "(emulated)" : "", status);
	fprintf(stderr, "%-4s %-16s %-7s %9s %9s %7s %6s %10s %10s %10s %10s %10s %10s\n",
		"nr", "call", "class", "calls", "rewritten", "fwd", "denied", "trap_ns",
		"total_ns", "queue_ns", "memsync_ns", "notify_ns", "service_ns");
	for (nr = 0; nr < RUN_NR_MAX; nr++) {
		const struct run_nr_stat *s = &runtime.nr[nr];

		if (!s->calls)
			continue;
		calls += s->calls;
		fwd += s->fwd;
		rewritten += s->rewritten;
		fprintf(stderr, "%-4d %-16s %-7s %9llu %9llu %7llu %6llu %10.0f %10.0f "
			"%10.0f %10.0f %10.0f %10.0f\n", nr, name_of(nr),
			class_of(nr), (unsigned long long)s->calls,
			(unsigned long long)s->rewritten,
			(unsigned long long)s->fwd,
			(unsigned long long)(s->denied + s->passthrough),
			ns_per(trap_of(s), s->calls), ns_per(s->total, s->fwd),
			ns_per(s->queue, s->probed), ns_per(s->memsync, s->probed),
			ns_per(s->notify, s->probed), ns_per(s->service, s->probed));
	}
	fprintf(stderr, "calls %llu, forwarded %llu, unclassified %llu (%s), "
		"phase identity violations %llu, probed calls with a stamp "
		"missing or out of order %llu (not in the phases); per-call means (total: every "
		"forwarded call; the phases: the one in %u stamped at every "
		"point)\n",
		(unsigned long long)calls, (unsigned long long)fwd,
		(unsigned long long)runtime.unclassified,
		runtime.passthrough ? "passed through" : "denied -ENOSYS",
		(unsigned long long)runtime.fwd_bad_identity,
		(unsigned long long)runtime.fwd_unusable, runtime.c->probe_every);
	if (runtime.rewrite_why_not)
		fprintf(stderr, "rewriting off: %s\n", runtime.rewrite_why_not);
	else
		fprintf(stderr, "rewritten sites %llu (kept trapping: %llu need "
			"the trap's context, %llu straddle a cache line, %llu other); "
			"calls through them %llu of %llu\n",
			(unsigned long long)runtime.sites_rewritten,
			(unsigned long long)runtime.sites_kept_context,
			(unsigned long long)runtime.sites_kept_split,
			(unsigned long long)runtime.sites_kept_other,
			(unsigned long long)rewritten, (unsigned long long)calls);
	fprintf(stderr, "trap round trip (SIGSYS delivery, handler, sigreturn) "
		"beyond a plain syscall: %.0f ns, measured before the start\n",
		runtime.trap_rt_ns);
	fprintf(stderr, "wall: scf-run %.3f ms", wall_ns / 1e6);
	if (native_ns > 0)
		fprintf(stderr, ", native %.3f ms, ratio %.2f", native_ns / 1e6,
			wall_ns / native_ns);
	fputc('\n', stderr);
}

int run_write_json(const char *path, int status, double wall_ns,
		   double native_ns)
{
	json_t *root, *body, *rw, *calls = json_object();
	uint64_t trapped = 0, rewritten = 0;
	int nr, err;

	for (nr = 0; nr < RUN_NR_MAX; nr++) {
		const struct run_nr_stat *s = &runtime.nr[nr];

		if (!s->calls)
			continue;
		json_object_set_new(calls, name_of(nr), json_pack(
			"{s:i, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:{s:f, s:f, s:f, "
			"s:f, s:f, s:f}}", "nr", nr, "class", class_of(nr),
			"calls", (json_int_t)s->calls,
			"trapped", (json_int_t)s->trapped,
			"rewritten", (json_int_t)s->rewritten,
			"forwarded", (json_int_t)s->fwd,
			"probed", (json_int_t)s->probed,
			"denied", (json_int_t)s->denied,
			"passthrough", (json_int_t)s->passthrough,
			"mean_ns", "trap", ns_per(trap_of(s), s->calls),
			scf_phase_names[PH_TOTAL], ns_per(s->total, s->fwd),
			scf_phase_names[PH_QUEUE], ns_per(s->queue, s->probed),
			scf_phase_names[PH_MEMSYNC], ns_per(s->memsync, s->probed),
			scf_phase_names[PH_NOTIFY], ns_per(s->notify, s->probed),
			scf_phase_names[PH_SERVICE], ns_per(s->service, s->probed)));
	}
	for (nr = 0; nr < RUN_NR_MAX; nr++) {
		trapped += runtime.nr[nr].trapped;
		rewritten += runtime.nr[nr].rewritten;
	}
	rw = json_pack("{s:b, s:o, s:I, s:I, s:{s:I, s:I, s:I}}",
		"on", runtime.rewrite,
		"why_not", runtime.rewrite_why_not ?
			json_string(runtime.rewrite_why_not) : json_null(),
		"calls_trapped", (json_int_t)trapped,
		"calls_rewritten", (json_int_t)rewritten,
		"sites", "rewritten", (json_int_t)runtime.sites_rewritten,
		"kept_context", (json_int_t)runtime.sites_kept_context,
		"kept_split", (json_int_t)runtime.sites_kept_split);
	json_object_set_new(json_object_get(rw, "sites"), "kept_other",
			    json_integer((json_int_t)runtime.sites_kept_other));
	root = envelope_new(SCF_RUN_SCHEMA, runtime.tsc_hz);
	json_object_set_new(envelope_context(root), "root",
			    json_string(runtime.root));
	body = json_pack("{s:{s:s, s:s, s:s, s:b, s:b, s:b, s:s},"
			 " s:s, s:i, s:o, s:o, s:o, s:I, s:I, s:I, s:o}",
		"config", "variant", scf_notify_name(),
		"backend", scf_notify_backend(runtime.c->n), "memsync", "copy",
		"probes", SCF_PROBES != 0, "passthrough", runtime.passthrough,
		"emulated", scf_notify_note(scf_notify_backend(runtime.c->n)) != NULL,
		"idle", bench_idle_name(runtime.bench),
		"program", runtime.prog, "exit_status", status,
		"wall_ns", json_real(wall_ns),
		"native_wall_ns", native_ns > 0 ? json_real(native_ns) : json_null(),
		"trap_roundtrip_ns", json_real(runtime.trap_rt_ns),
		"forwarded", (json_int_t)runtime.fwd_total,
		"unclassified", (json_int_t)runtime.unclassified,
		"identity_violations", (json_int_t)runtime.fwd_bad_identity,
		"syscalls", calls);
	if (json_object_update_new(root, body)) {
		json_decref(root);
		root = NULL;
	}
	if (root)
		json_object_set_new(root, "stamps_unusable",
				    json_integer((json_int_t)runtime.fwd_unusable));
	if (root) {
		json_object_set_new(root, "threads", json_pack("{s:b, s:I, s:I}",
			"supported", runtime.threads_ok,
			"started", (json_int_t)runtime.threads_started,
			"exited", (json_int_t)runtime.threads_exited));
		json_object_set_new(root, "rewrite", rw);
	}
	else
		json_decref(rw);
	if (!root)
		return -EINVAL;
	err = envelope_write(path, root, JSON_INDENT(1));
	json_decref(root);
	if (err)
		fprintf(stderr, "scf-run: cannot write %s: %s\n", path,
			strerror(-err));
	return err;
}
