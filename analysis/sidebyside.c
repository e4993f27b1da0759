// SPDX-License-Identifier: MIT
/*
 * sidebyside.c - the side-by-side table's data: which results stand next
 * to which (sidebyside.h), read with libjansson.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "sidebyside.h"

/* Variants in table order; poll-noprobes shows what the probes cost. */
static const char *const sbs_variants[] = { "poll", "poll-noprobes", "ipi", "uintr" };

static double num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

int sbs_load_cell(const char *run_dir, const char *sub, const char *name,
		  struct sbs_cell *c)
{
	char path[4096];
	json_error_t je;
	json_t *root, *total, *cpu, *cfg;
	const char *backend;
	double cc, cs;

	memset(c, 0, sizeof(*c));
	c->cpu_client = c->cpu_shadow = -1;
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(path, sizeof(path), "%s/%s/%s.json", run_dir, sub, name);
	if (access(path, F_OK))
		return -ENOENT;
	root = json_load_file(path, 0, &je);
	if (!root)
		return -EINVAL;
	total = json_object_get(json_object_get(root, "phases"), "total");
	cfg = json_object_get(root, "config");
	cpu = json_object_get(root, "cpu");
	backend = json_string_value(json_object_get(cfg, "backend"));
	c->p50 = num(total, "p50_ns");
	c->p99 = num(total, "p99_ns");
	c->max = num(total, "max_ns");
	if (!json_is_object(total) || isnan(c->p50) || isnan(c->p99) ||
	    isnan(c->max) || !backend) {
		json_decref(root);
		return -EINVAL;
	}
	snprintf(c->backend, sizeof(c->backend), "%s", backend);
	c->emulated = json_is_true(json_object_get(cfg, "emulated"));
	cc = num(cpu, "client_ns_per_req");
	cs = num(cpu, "shadow_ns_per_req");
	c->cpu_client = isnan(cc) ? -1 : cc;
	c->cpu_shadow = isnan(cs) ? -1 : cs;
	c->have = true;
	json_decref(root);
	return 0;
}

const char *sbs_raw_peer(const char *variant, const char *backend,
			 const char **why)
{
	*why = NULL;
	if (!strncmp(variant, "poll", 4) && !strcmp(backend, "spin"))
		return "pingpong";
	if (!strcmp(variant, "ipi") && !strcmp(backend, "futex"))
		return "futex";
	if (!strcmp(variant, "uintr") && !strcmp(backend, "emul"))
		return "signal";
	if (!strcmp(variant, "uintr") && !strcmp(backend, "hw"))
		return "uipi";
	if (!strcmp(variant, "ipi") && !strcmp(backend, "kmod"))
		*why = "no user-space raw IPI peer";
	else
		*why = "unknown backend";
	return NULL;
}

int sbs_build(const char *run_dir, const char *workload, struct sbs_table *t)
{
	bool null = !strcmp(workload, "null");
	char native[48];
	size_t v;

	memset(t, 0, sizeof(*t));
	t->workload = workload;
	snprintf(native, sizeof(native), "native-%s", workload);
	for (v = 0; v < sizeof(sbs_variants) / sizeof(sbs_variants[0]); v++) {
		struct sbs_row *r = &t->row[t->nrows];
		const char *raw;

		if (sbs_load_cell(run_dir, sbs_variants[v], workload, &r->scf))
			continue;
		snprintf(r->variant, sizeof(r->variant), "%s", sbs_variants[v]);
		/* The peers of null are the no-op ones: NOP, not a write. */
		sbs_load_cell(run_dir, "peers", native, &r->peer[SBS_NATIVE]);
		sbs_load_cell(run_dir, "peers", null ? "iouring-sqpoll-nop" :
			      "iouring-sqpoll", &r->peer[SBS_SQPOLL]);
		sbs_load_cell(run_dir, "peers", null ? "iouring-nop" : "iouring",
			      &r->peer[SBS_IOURING]);
		raw = sbs_raw_peer(r->variant, r->scf.backend, &r->raw_why);
		if (raw)
			sbs_load_cell(run_dir, "peers", raw, &r->peer[SBS_RAW]);
		t->nrows++;
	}
	return t->nrows;
}
