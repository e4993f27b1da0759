// SPDX-License-Identifier: MIT
/*
 * trace_rec.c - the kernel events of a --trace run, recorded in a private
 * tracefs instance (the global buffer is left alone, so trace-cmd or
 * another user may trace at the same time) with trace_clock x86-tsc, the
 * clock of the probes, and read back with libtracefs/libtraceevent.
 */
#include <errno.h>
#include <event-parse.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracefs.h>
#include <unistd.h>

#include "trace.h"

static struct {
	bool on;
	struct tracefs_instance *inst;
	struct tep_handle *tep;
	pid_t client_tid, shadow_pid;
	struct tj_event *ev;
	size_t n, cap;
	uint64_t lost;		/* events dropped for want of memory */
} T;

void trace_enable(void)
{
	T.on = true;
}

int trace_enabled(void)
{
	return T.on;
}

/* What each event can explain (trace_join.h). */
static uint8_t kind_of(struct tep_event *e, struct tep_record *rec)
{
	unsigned long long prev_pid, prev_state;
	size_t len = strlen(e->name);

	/* A fault explains only when one of ours took it: another task's
	 * fault means that task ran here, which its sched_switch says. */
	if (!strcmp(e->system, "exceptions")) {
		pid_t pid = (pid_t)tep_data_pid(e->tep, rec);

		return pid == T.client_tid || pid == T.shadow_pid ?
			TK_FAULT : TK_OTHER;
	}
	if ((!strcmp(e->system, "irq_vectors") || !strcmp(e->system, "irq")) &&
	    len > 6 && !strcmp(e->name + len - 6, "_entry"))
		return TK_IRQ;
	if (!strcmp(e->name, "sched_switch") &&
	    !tep_get_field_val(NULL, e, "prev_pid", rec, &prev_pid, 0) &&
	    !tep_get_field_val(NULL, e, "prev_state", rec, &prev_state, 0) &&
	    ((pid_t)prev_pid == T.client_tid || (pid_t)prev_pid == T.shadow_pid) &&
	    /* runnable when switched out (0, or "R+" for a preemption) */
	    !(prev_state & 0xff))
		return TK_PREEMPT;
	return TK_OTHER;
}

static int on_event(struct tep_event *e, struct tep_record *rec, int cpu,
		    void *arg)
{
	struct tj_event *x;

	(void)arg;
	if (T.n == T.cap) {
		size_t cap = T.cap ? 2 * T.cap : 4096;
		struct tj_event *p = realloc(T.ev, cap * sizeof(*p));

		if (!p) {
			T.lost++;
			return 0;
		}
		T.ev = p;
		T.cap = cap;
	}
	x = &T.ev[T.n++];
	x->ts = rec->ts;
	x->cpu = cpu;
	x->kind = kind_of(e, rec);
	snprintf(x->name, sizeof(x->name), "%s", e->name);
	return 0;
}

static int enable(const char *sys, const char *ev)
{
	return tracefs_event_enable(T.inst, sys, ev) ? -1 : 0;
}

int trace_rec_start(int client_cpu, int shadow_cpu, pid_t client_tid,
		    pid_t shadow_pid, char *warn, size_t len)
{
	static const char *const ev[][2] = {
		{ "irq", "irq_handler_entry" }, { "irq", "irq_handler_exit" },
		{ "irq", "softirq_entry" }, { "irq", "softirq_exit" },
		{ "irq_vectors", NULL }, { "ipi", NULL },
		{ "sched", "sched_switch" }, { "sched", "sched_wakeup" },
		{ "sched", "sched_waking" },
		{ "exceptions", "page_fault_user" },
		{ "exceptions", "page_fault_kernel" },
		{ "raw_syscalls", "sys_enter" }, { "raw_syscalls", "sys_exit" },
		{ "scf", NULL },
	};
	char name[64], mask[32], filter[64];
	size_t i;

	T.client_tid = client_tid;
	T.shadow_pid = shadow_pid;
	T.n = 0;
	T.lost = 0;
	snprintf(name, sizeof(name), "scf-bench-%d", (int)getpid());
	T.inst = tracefs_instance_create(name);
	if (!T.inst) {
		int e = errno ? errno : ENODEV;

		snprintf(warn, len, "trace: no tracefs instance (%s): is tracefs "
			 "mounted (mount -t tracefs nodev /sys/kernel/tracing) "
			 "and are we root?", strerror(e));
		return -e;
	}
	if (tracefs_instance_file_write(T.inst, "trace_clock", "x86-tsc") < 0) {
		snprintf(warn, len, "trace: trace_clock x86-tsc refused: events "
			 "cannot be joined to the probes' TSC stamps");
		trace_rec_stop();
		return -EINVAL;
	}
	tracefs_instance_file_write(T.inst, "buffer_size_kb", "16384");
	snprintf(mask, sizeof(mask), "%llx", (1ull << client_cpu) |
		 (1ull << shadow_cpu));
	tracefs_instance_file_write(T.inst, "tracing_cpumask", mask);
	for (i = 0; i < sizeof(ev) / sizeof(*ev); i++)
		enable(ev[i][0], ev[i][1]);	/* absent ones: not here */
	/* The shadow's system calls only. */
	snprintf(filter, sizeof(filter), "common_pid == %d", (int)shadow_pid);
	tracefs_event_file_write(T.inst, "raw_syscalls", "sys_enter", "filter", filter);
	tracefs_event_file_write(T.inst, "raw_syscalls", "sys_exit", "filter", filter);
	T.tep = tracefs_local_events(NULL);
	if (!T.tep) {
		snprintf(warn, len, "trace: the event formats cannot be read "
			 "(libtraceevent)");
		trace_rec_stop();
		return -EIO;
	}
	tracefs_trace_on(T.inst);
	return 0;
}

const struct tj_event *trace_rec_read(size_t *n)
{
	T.n = 0;
	if (T.inst && T.tep)
		tracefs_iterate_raw_events(T.tep, T.inst, NULL, 0, on_event, NULL);
	*n = T.n;
	return T.ev;
}

void trace_rec_stop(void)
{
	if (T.inst) {
		tracefs_trace_off(T.inst);
		tracefs_instance_destroy(T.inst);
		tracefs_instance_free(T.inst);
		T.inst = NULL;
	}
	if (T.tep) {
		tep_free(T.tep);
		T.tep = NULL;
	}
	free(T.ev);
	T.ev = NULL;
	T.n = T.cap = 0;
}
