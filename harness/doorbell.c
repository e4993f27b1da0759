// SPDX-License-Identifier: MIT
/*
 * doorbell.c - what a run's doorbells did, and what the two CPUs saw.
 *
 * Before and after each sample of a run: the notify backend's doorbell
 * counters (scf_notify_counts(): per kick, an IPI or a wake-up without
 * one) and the CAL and RES rows of /proc/interrupts for the shadow's and
 * the client's CPU, an independent account of the IPIs they took (the
 * kernel's own, every source included).  Runs take their samples in turn,
 * so only what changed during this run's own samples is summed.  The
 * result keeps those sums, and the interrupt rows as read before the
 * first sample and after the last.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

static int side_cpu(const struct bench *b, int side)
{
	return side == SCF_SIDE_SHADOW ? b->shadow_cpu : b->client_cpu;
}

static bool irq_snap(const struct bench *b, struct irq_pair p[SCF_SIDE_NR])
{
	int side;

	for (side = 0; side < SCF_SIDE_NR; side++)
		if (irqstat_read(side_cpu(b, side), &p[side].cal, &p[side].res))
			return false;
	return true;
}

void doorbell_begin(const struct bench *b, struct measurement *r, bool bell)
{
	r->have_bell = bell && !scf_notify_counts(b->backend, b->dev_fd,
						  b->region, r->bell_at);
	memset(r->bell, 0, sizeof(r->bell));
	memset(r->irq_delta, 0, sizeof(r->irq_delta));
	r->have_irq = irq_snap(b, r->irq_before);
}

void doorbell_sample_begin(const struct bench *b, struct measurement *r)
{
	if (r->have_bell)
		r->have_bell = !scf_notify_counts(b->backend, b->dev_fd,
						  b->region, r->bell_at);
	if (r->have_irq)
		r->have_irq = irq_snap(b, r->irq_at);
}

/* Field by field: after - before, in place. */
static void counts_sub(struct scf_doorbell_counts *d,
		       const struct scf_doorbell_counts *after)
{
	const uint64_t *a = (const uint64_t *)after;
	uint64_t *v = (uint64_t *)d;
	size_t i;

	for (i = 0; i < sizeof(*d) / sizeof(uint64_t); i++)
		v[i] = a[i] - v[i];
}

static void counts_add(struct scf_doorbell_counts *d,
		       const struct scf_doorbell_counts *x)
{
	const uint64_t *a = (const uint64_t *)x;
	uint64_t *v = (uint64_t *)d;
	size_t i;

	for (i = 0; i < sizeof(*d) / sizeof(uint64_t); i++)
		v[i] += a[i];
}

void doorbell_sample_end(const struct bench *b, struct measurement *r)
{
	struct scf_doorbell_counts after[SCF_SIDE_NR];
	struct irq_pair now[SCF_SIDE_NR];
	int side;

	if (r->have_bell &&
	    !scf_notify_counts(b->backend, b->dev_fd, b->region, after)) {
		for (side = 0; side < SCF_SIDE_NR; side++) {
			counts_sub(&r->bell_at[side], &after[side]);
			counts_add(&r->bell[side], &r->bell_at[side]);
		}
	} else {
		r->have_bell = false;
	}
	if (r->have_irq && (r->have_irq = irq_snap(b, now)))
		for (side = 0; side < SCF_SIDE_NR; side++) {
			r->irq_delta[side].cal += now[side].cal - r->irq_at[side].cal;
			r->irq_delta[side].res += now[side].res - r->irq_at[side].res;
		}
}

void doorbell_end(const struct bench *b, struct measurement *r)
{
	if (r->have_irq)
		r->have_irq = irq_snap(b, r->irq_after);
}

static json_t *counts_json(const struct scf_doorbell_counts *c, bool futex)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"kicks", (json_int_t)c->kicks,
		"ipi_sent", (json_int_t)c->ipi_sent,
		"woken_without_ipi", (json_int_t)c->woken_without_ipi,
		"same_cpu", (json_int_t)c->same_cpu,
		"not_waiting", (json_int_t)c->not_waiting,
		"pending", (json_int_t)c->pending,
		"offline", (json_int_t)c->offline,
		"forced", (json_int_t)c->forced,
		"handler_irq", (json_int_t)c->handler_irq,
		"handler_idle", (json_int_t)c->handler_idle);

	if (futex) {
		json_object_set_new(o, "futex_wake", json_integer((json_int_t)c->futex_wake));
		json_object_set_new(o, "futex_woken", json_integer((json_int_t)c->futex_woken));
	}
	return o;
}

/* The module's force_ipi parameter: 1, 0, or -1 when not loaded. */
static int force_ipi(void)
{
	char c = 0;
	int fd = open("/sys/module/scf/parameters/force_ipi", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return c == 'Y' || c == '1';
}

static json_t *irq_json(const struct bench *b, const struct measurement *r, int side)
{
	const struct irq_pair *p0 = &r->irq_before[side], *p1 = &r->irq_after[side];

	/* The deltas are the run's own samples' only. */
	return json_pack("{s:i, s:[I,I], s:[I,I], s:I, s:I}",
		"cpu", side_cpu(b, side),
		"CAL", (json_int_t)p0->cal, (json_int_t)p1->cal,
		"RES", (json_int_t)p0->res, (json_int_t)p1->res,
		"CAL_delta", (json_int_t)r->irq_delta[side].cal,
		"RES_delta", (json_int_t)r->irq_delta[side].res);
}

void doorbell_json(const struct bench *b, const struct measurement *r, void *root)
{
	json_t *config = json_object_get(root, "config");
	bool futex = r->backend && !strcmp(r->backend, "futex");
	bool kmod = r->backend && !strcmp(r->backend, "kmod");
	struct scf_doorbell_counts sum;
	json_t *o;
	int side;

	json_object_set_new(config, "idle", json_string(bench_idle_name(b)));
	json_object_set_new(config, "idle_source",
			    json_string(bench_idle_source(b)));
	if (kmod && force_ipi() >= 0)
		json_object_set_new(config, "force_ipi", json_boolean(force_ipi()));
	if (r->have_bell) {
		memset(&sum, 0, sizeof(sum));
		for (side = 0; side < SCF_SIDE_NR; side++)
			counts_add(&sum, &r->bell[side]);
		o = counts_json(&sum, futex);
		json_object_set_new(o, "counted_by",
				    json_string(kmod ? "module" : futex ?
						"kicker (futex)" : "none"));
		for (side = 0; side < SCF_SIDE_NR; side++)
			json_object_set_new(o, side == SCF_SIDE_SHADOW ?
					    "to_shadow" : "to_client",
					    counts_json(&r->bell[side], futex));
		json_object_set_new(root, "doorbell", o);
	}
	if (r->have_irq)
		json_object_set_new(root, "interrupts", json_pack(
			"{s:s, s:o, s:o}", "source", "/proc/interrupts",
			"shadow", irq_json(b, r, SCF_SIDE_SHADOW),
			"client", irq_json(b, r, SCF_SIDE_CLIENT)));
}

void doorbell_print(const struct measurement *r)
{
	const struct irq_pair *d = r->irq_delta;
	struct scf_doorbell_counts s;
	int side;

	memset(&s, 0, sizeof(s));
	for (side = 0; side < SCF_SIDE_NR; side++)
		counts_add(&s, &r->bell[side]);
	if (r->have_bell && !s.kicks)
		printf("  doorbell: none rung\n");
	else if (r->have_bell && r->backend && !strcmp(r->backend, "futex"))
		printf("  doorbell: %llu kicks: %llu FUTEX_WAKE (woke %llu), "
		       "%llu peer awake; no IPI of its own (see interrupts)\n",
		       (unsigned long long)s.kicks,
		       (unsigned long long)s.futex_wake,
		       (unsigned long long)s.futex_woken,
		       (unsigned long long)s.not_waiting);
	else if (r->have_bell)
		printf("  doorbell: %llu kicks: %llu IPIs (%llu forced), %llu "
		       "woken without IPI (polling idle), %llu same CPU, %llu "
		       "peer awake\n", (unsigned long long)s.kicks,
		       (unsigned long long)s.ipi_sent,
		       (unsigned long long)s.forced,
		       (unsigned long long)s.woken_without_ipi,
		       (unsigned long long)s.same_cpu,
		       (unsigned long long)s.not_waiting);
	if (r->have_irq)
		printf("  interrupts: shadow CPU CAL +%llu RES +%llu, client "
		       "CPU CAL +%llu RES +%llu\n",
		       (unsigned long long)d[SCF_SIDE_SHADOW].cal,
		       (unsigned long long)d[SCF_SIDE_SHADOW].res,
		       (unsigned long long)d[SCF_SIDE_CLIENT].cal,
		       (unsigned long long)d[SCF_SIDE_CLIENT].res);
}
