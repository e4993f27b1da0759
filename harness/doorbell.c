// SPDX-License-Identifier: MIT
/*
 * doorbell.c - what a run's doorbells did, and what the two CPUs saw.
 *
 * Before and after each sample of a run: the notify backend's doorbell
 * counters (scf_notify_counts(): named and described by the variant, so
 * nothing here knows what they count) and the CAL and RES rows of /proc/interrupts for the shadow's and
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

/* A snapshot of the counters; false when the backend keeps none. */
static bool bell_snap(const struct bench *b, struct scf_counters *c)
{
	return !scf_notify_counts(b->backend, b->dev_fd, b->region, c) &&
	       c->n >= 1 && c->n <= SCF_COUNTERS_MAX && c->names;
}

void doorbell_begin(const struct bench *b, struct measurement *r, bool bell)
{
	r->have_bell = bell && bell_snap(b, &r->bell_at);
	r->bell = r->bell_at;	/* the names; the sums start at 0 */
	memset(r->bell.side, 0, sizeof(r->bell.side));
	memset(r->irq_delta, 0, sizeof(r->irq_delta));
	r->have_irq = irq_snap(b, r->irq_before);
}

void doorbell_sample_begin(const struct bench *b, struct measurement *r)
{
	if (r->have_bell)
		r->have_bell = bell_snap(b, &r->bell_at);
	if (r->have_irq)
		r->have_irq = irq_snap(b, r->irq_at);
}

void doorbell_sample_end(const struct bench *b, struct measurement *r)
{
	struct scf_counters after;
	struct irq_pair now[SCF_SIDE_NR];
	uint32_t i;
	int side;

	/* The same counters as at the start, or none are trusted. */
	if (r->have_bell && bell_snap(b, &after) && after.n == r->bell.n &&
	    after.names == r->bell.names) {
		for (side = 0; side < SCF_SIDE_NR; side++)
			for (i = 0; i < after.n; i++)
				r->bell.side[side][i] += after.side[side][i] -
							 r->bell_at.side[side][i];
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

/* Counter i summed over the sides, or one side's (side >= 0). */
static uint64_t bell_value(const struct scf_counters *c, uint32_t i, int side)
{
	return side >= 0 ? c->side[side][i] :
	       c->side[SCF_SIDE_SHADOW][i] + c->side[SCF_SIDE_CLIENT][i];
}

static json_t *counts_json(const struct scf_counters *c, int side)
{
	json_t *o = json_object();
	uint32_t i;

	for (i = 0; i < c->n; i++)
		json_object_set_new(o, c->names[i],
				    json_integer((json_int_t)bell_value(c, i, side)));
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
	bool kmod = r->backend && !strcmp(r->backend, "kmod");
	json_t *o;
	int side;

	json_object_set_new(config, "idle", json_string(bench_idle_name(b)));
	json_object_set_new(config, "idle_source",
			    json_string(bench_idle_source(b)));
	if (kmod && force_ipi() >= 0)
		json_object_set_new(config, "force_ipi", json_boolean(force_ipi()));
	if (r->have_bell) {
		o = counts_json(&r->bell, -1);
		json_object_set_new(o, "counted_by",
				    json_string(r->bell.counted_by ?
						r->bell.counted_by : "none"));
		for (side = 0; side < SCF_SIDE_NR; side++)
			json_object_set_new(o, side == SCF_SIDE_SHADOW ?
					    "to_shadow" : "to_client",
					    counts_json(&r->bell, side));
		json_object_set_new(root, "doorbell", o);
	}
	if (r->have_irq)
		json_object_set_new(root, "interrupts", json_pack(
			"{s:s, s:o, s:o}", "source", "/proc/interrupts",
			"shadow", irq_json(b, r, SCF_SIDE_SHADOW),
			"client", irq_json(b, r, SCF_SIDE_CLIENT)));
}

/*
 * The variant's line with each {name} replaced by that counter's sum; a
 * name it does not declare prints as "?".  No line: every counter.
 */
static void bell_line(const struct scf_counters *c)
{
	const char *p = c->line;
	uint32_t i;

	if (!p) {
		for (i = 0; i < c->n; i++)
			printf("%s%s %llu", i ? ", " : "", c->names[i],
			       (unsigned long long)bell_value(c, i, -1));
		return;
	}
	while (*p) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;

		if (!end) {
			putchar(*p++);
			continue;
		}
		for (i = 0; i < c->n; i++)
			if (strlen(c->names[i]) == (size_t)(end - p - 1) &&
			    !strncmp(c->names[i], p + 1, (size_t)(end - p - 1)))
				break;
		if (i < c->n)
			printf("%llu", (unsigned long long)bell_value(c, i, -1));
		else
			fputs("?", stdout);
		p = end + 1;
	}
}

void doorbell_print(const struct measurement *r)
{
	const struct irq_pair *d = r->irq_delta;

	if (r->have_bell && !bell_value(&r->bell, 0, -1)) {
		printf("  doorbell: none rung\n");
	} else if (r->have_bell) {
		printf("  doorbell: ");
		bell_line(&r->bell);
		putchar('\n');
	}
	if (r->have_irq)
		printf("  interrupts: shadow CPU CAL +%llu RES +%llu, client "
		       "CPU CAL +%llu RES +%llu\n",
		       (unsigned long long)d[SCF_SIDE_SHADOW].cal,
		       (unsigned long long)d[SCF_SIDE_SHADOW].res,
		       (unsigned long long)d[SCF_SIDE_CLIENT].cal,
		       (unsigned long long)d[SCF_SIDE_CLIENT].res);
}
