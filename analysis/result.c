// SPDX-License-Identifier: MIT
/*
 * result.c - load one scf-bench/1 or /2 file with jansson and check it.
 *
 * Every accessor names the field it was looking for, so that a bad file
 * produces exactly one line: "FILE: FIELD: problem".
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "result.h"

struct ctx {
	const char *path;
	struct aerr *e;
};

static int bad(struct ctx *c, const char *field, const char *what)
{
	return aerr_set(c->e, "%s: %s: %s", c->path, field, what);
}

static const json_t *get(struct ctx *c, const json_t *obj, const char *pfx,
			 const char *key, json_type type, bool optional,
			 int *err)
{
	const json_t *v = json_object_get(obj, key);
	char field[256];

	snprintf(field, sizeof(field), "%s%s%s", pfx, *pfx ? "." : "", key);
	if (!v) {
		if (!optional)
			*err = bad(c, field, "missing");
		return NULL;
	}
	switch (type) {
	case JSON_REAL:		/* any number */
		if (json_is_number(v))
			return v;
		break;
	case JSON_INTEGER:
		/*
		 * An integer, or a real with no fraction that a double holds
		 * exactly (|v| <= 2^53): 1e300 would overflow int64_t.
		 */
		if (json_is_integer(v) ||
		    (json_is_real(v) && json_real_value(v) ==
		     floor(json_real_value(v)) &&
		     fabs(json_real_value(v)) <= 9007199254740992.0))
			return v;
		if (json_is_real(v) && json_real_value(v) ==
		    floor(json_real_value(v))) {
			*err = bad(c, field, "integer out of range");
			return NULL;
		}
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		if (json_is_boolean(v))
			return v;
		break;
	default:
		if (json_typeof(v) == type)
			return v;
	}
	*err = bad(c, field, type == JSON_REAL ? "not a number" :
		   type == JSON_INTEGER ? "not an integer" :
		   type == JSON_STRING ? "not a string" :
		   type == JSON_OBJECT ? "not an object" :
		   type == JSON_ARRAY ? "not an array" :
		   type == JSON_TRUE ? "not true or false" : "wrong type");
	return NULL;
}

static const char *get_str(struct ctx *c, const json_t *o, const char *pfx,
			   const char *key, int *err)
{
	const json_t *v = get(c, o, pfx, key, JSON_STRING, false, err);

	return v ? json_string_value(v) : NULL;
}

static int64_t get_int(struct ctx *c, const json_t *o, const char *pfx,
		       const char *key, int *err)
{
	const json_t *v = get(c, o, pfx, key, JSON_INTEGER, false, err);

	return v ? (int64_t)json_number_value(v) : 0;
}

static bool get_bool(struct ctx *c, const json_t *o, const char *pfx,
		     const char *key, bool optional, int *err)
{
	const json_t *v = get(c, o, pfx, key, JSON_TRUE, optional, err);

	return v ? json_is_true(v) : false;
}

static int get_series(struct ctx *c, const json_t *o, const char *pfx,
		      const char *key, struct series *s)
{
	int err = 0;
	const json_t *a = get(c, o, pfx, key, JSON_ARRAY, true, &err);
	const json_t *v;
	size_t i;
	char field[256];

	s->n = 0;
	s->v = NULL;
	if (!a)
		return err;
	s->v = xcalloc(json_array_size(a), sizeof(double));
	json_array_foreach(a, i, v) {
		if (!json_is_number(v)) {
			snprintf(field, sizeof(field), "%s%s%s[%zu]", pfx,
				 *pfx ? "." : "", key, i);
			return bad(c, field, "not a number");
		}
		s->v[s->n++] = json_number_value(v);
	}
	return 0;
}

static int load_phase(struct ctx *c, const char *section, const char *name,
		      const json_t *o, struct phase *p)
{
	static const char *const keys[] = {
		"min_ns", "mean_ns", "p50_ns", "p90_ns", "p99_ns", "p999_ns",
		"max_ns",
	};
	double *dst[] = {
		&p->min_ns, &p->mean_ns, &p->p50_ns, &p->p90_ns, &p->p99_ns,
		&p->p999_ns, &p->max_ns,
	};
	/* A net phase (stamp cost taken out) carries count and p50 only. */
	bool net = !strcmp(section, "phases_net");
	char pfx[160];
	int err = 0;
	size_t i;

	snprintf(pfx, sizeof(pfx), "%s.%s", section, name);
	p->name = name;
	if (!json_is_object(o))
		return bad(c, pfx, "not an object");
	p->count = (double)get_int(c, o, pfx, "count", &err);
	if (err)
		return err;
	if (p->count < 0)
		return bad(c, pfx, "count: negative");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const json_t *v = json_object_get(o, keys[i]);

		/* An empty phase may have no statistics at all. */
		if ((p->count == 0 || (net && dst[i] != &p->p50_ns)) &&
		    (!v || json_is_null(v))) {
			*dst[i] = NAN;
			continue;
		}
		v = get(c, o, pfx, keys[i], JSON_REAL, false, &err);
		if (err)
			return err;
		*dst[i] = json_number_value(v);
	}
	if (json_object_get(o, "negative")) {
		p->negative = (double)get_int(c, o, pfx, "negative", &err);
		if (err)
			return err;
	}
	if (get_series(c, o, pfx, "sample_means_ns", &p->sample_means) ||
	    get_series(c, o, pfx, "sample_p50_ns", &p->sample_p50))
		return -1;
	return 0;
}

static int cmp_pair(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static int load_hist(struct ctx *c, const json_t *o, const char *name,
		     double bucket_ns, uint64_t buckets, struct hist *h)
{
	char pfx[160], field[200];
	const json_t *counts, *pair;
	uint64_t *pairs;
	size_t i, n;
	int err = 0;

	snprintf(pfx, sizeof(pfx), "histogram.phases.%s", name);
	if (!json_is_object(o))
		return bad(c, pfx, "not an object");
	h->bucket_ns = bucket_ns;
	h->buckets = buckets;
	h->underflow = (uint64_t)get_int(c, o, pfx, "underflow", &err);
	if (!err)
		h->overflow = (uint64_t)get_int(c, o, pfx, "overflow", &err);
	if (!err)
		counts = get(c, o, pfx, "counts", JSON_ARRAY, false, &err);
	if (err)
		return err;
	n = json_array_size(counts);
	pairs = xcalloc(n, 2 * sizeof(uint64_t));
	json_array_foreach(counts, i, pair) {
		const json_t *b = json_array_get(pair, 0);
		const json_t *k = json_array_get(pair, 1);

		snprintf(field, sizeof(field), "%s.counts[%zu]", pfx, i);
		if (!json_is_array(pair) || json_array_size(pair) != 2 ||
		    !json_is_integer(b) || !json_is_integer(k)) {
			free(pairs);
			return bad(c, field, "not a [bucket, count] pair of integers");
		}
		if (json_integer_value(b) < 0 ||
		    (uint64_t)json_integer_value(b) >= buckets) {
			free(pairs);
			return bad(c, field, "bucket outside [0, histogram.buckets)");
		}
		if (json_integer_value(k) < 0) {
			free(pairs);
			return bad(c, field, "negative count");
		}
		pairs[2 * i] = (uint64_t)json_integer_value(b);
		pairs[2 * i + 1] = (uint64_t)json_integer_value(k);
	}
	qsort(pairs, n, 2 * sizeof(uint64_t), cmp_pair);
	h->bucket = xcalloc(n, sizeof(uint64_t));
	h->count = xcalloc(n, sizeof(uint64_t));
	h->total = h->underflow + h->overflow;
	for (i = 0; i < n; i++) {
		if (pairs[2 * i + 1] == 0)
			continue;
		if (h->n && h->bucket[h->n - 1] == pairs[2 * i]) {
			free(pairs);
			snprintf(field, sizeof(field), "%s.counts", pfx);
			return bad(c, field, "bucket listed twice");
		}
		h->bucket[h->n] = pairs[2 * i];
		h->count[h->n++] = pairs[2 * i + 1];
		h->total += pairs[2 * i + 1];
	}
	free(pairs);
	return 0;
}

static int load_histogram(struct ctx *c, const json_t *hj, struct result *r)
{
	const json_t *phases, *v;
	const char *unit, *name;
	double bucket_ns;
	int64_t buckets;
	int err = 0;

	if (!json_is_object(hj))
		return bad(c, "histogram", "not an object");
	unit = get_str(c, hj, "histogram", "unit", &err);
	if (err)
		return err;
	if (strcmp(unit, "ns"))
		return bad(c, "histogram.unit", "not \"ns\"");
	v = get(c, hj, "histogram", "bucket_ns", JSON_REAL, false, &err);
	if (err)
		return err;
	bucket_ns = json_number_value(v);
	if (!(bucket_ns > 0))
		return bad(c, "histogram.bucket_ns", "not positive");
	buckets = get_int(c, hj, "histogram", "buckets", &err);
	if (err)
		return err;
	if (buckets <= 0)
		return bad(c, "histogram.buckets", "not positive");
	phases = get(c, hj, "histogram", "phases", JSON_OBJECT, false, &err);
	if (err)
		return err;
	json_object_foreach((json_t *)phases, name, v) {
		struct phase *p = (struct phase *)result_phase(r, name);
		char field[160];

		if (!p) {
			snprintf(field, sizeof(field), "histogram.phases.%s", name);
			return bad(c, field, "no such phase in phases");
		}
		p->hist = xcalloc(1, sizeof(*p->hist));
		if (load_hist(c, v, name, bucket_ns, (uint64_t)buckets, p->hist))
			return -1;
		/* The histogram holds every request of its phase, no more. */
		if ((double)p->hist->total != p->count) {
			char why[128];

			snprintf(field, sizeof(field), "histogram.phases.%s", name);
			snprintf(why, sizeof(why), "sums to %llu, phases.%s.count "
				 "is %.0f", (unsigned long long)p->hist->total,
				 name, p->count);
			return bad(c, field, why);
		}
	}
	return 0;
}

/* An optional string copied into dst ("" when absent). */
static int copy_opt_str(struct ctx *c, const json_t *o, const char *pfx,
			const char *key, char *dst, size_t len)
{
	int err = 0;
	const json_t *v = get(c, o, pfx, key, JSON_STRING, true, &err);

	dst[0] = '\0';
	if (v)
		snprintf(dst, len, "%s", json_string_value(v));
	return err;
}

/* "sleep", "spin" or "hybrid:N" with N a positive decimal. */
static bool wait_valid(const char *w)
{
	size_t digits;

	if (!strcmp(w, "sleep") || !strcmp(w, "spin"))
		return true;
	if (strncmp(w, "hybrid:", 7))
		return false;
	digits = strspn(w + 7, "0123456789");
	return digits && !w[7 + digits] && strtoull(w + 7, NULL, 10) > 0;
}

/* The variant's declarations (variant.mk) and the ordering, all optional. */
static int load_decl(struct ctx *c, const json_t *o, struct config *cfg)
{
	struct run_order *ord = &cfg->ordering;
	const json_t *v;
	int err = 0;

	cfg->order = -1;
	if (json_object_get(o, "order"))
		cfg->order = get_int(c, o, "config", "order", &err);
	v = json_object_get(o, "raw_peer");
	if (!err && v) {
		cfg->has_raw_peer = true;
		if (!json_is_null(v))
			cfg->raw_peer = get_str(c, o, "config", "raw_peer", &err);
	}
	if (!err)
		err = copy_opt_str(c, o, "config", "order_mode", ord->mode,
				   sizeof(ord->mode));
	if (!err && ord->mode[0] && strcmp(ord->mode, "round-robin") &&
	    strcmp(ord->mode, "sequential"))
		err = bad(c, "config.order_mode",
			  "not \"round-robin\" or \"sequential\"");
	if (!err)
		err = copy_opt_str(c, o, "config", "interleave_group", ord->group,
				   sizeof(ord->group));
	if (!err)
		err = copy_opt_str(c, o, "config", "wait", cfg->wait,
				   sizeof(cfg->wait));
	if (!err && cfg->wait[0] && !wait_valid(cfg->wait))
		err = bad(c, "config.wait",
			  "not \"sleep\", \"spin\" or \"hybrid:N\"");
	return err;
}

/* config.replica {index, of}, optional: 1 <= index <= of <= 64. */
static int load_replica(struct ctx *c, const json_t *o, struct result *r)
{
	const json_t *rep = json_object_get(o, "replica");
	int err = 0;

	if (!rep)
		return 0;
	if (!json_is_object(rep))
		return bad(c, "config.replica", "not an object");
	r->replica = (int)get_int(c, rep, "config.replica", "index", &err);
	if (!err)
		r->replicas = (int)get_int(c, rep, "config.replica", "of", &err);
	if (!err && (r->replica < 1 || r->replica > r->replicas ||
		     r->replicas > 64))
		return bad(c, "config.replica", "want 1 <= index <= of <= 64");
	return err;
}

/* The file of replica K is <workload>.rK.json: the name is <workload>. */
static void strip_replica(struct result *r)
{
	char suffix[16];
	size_t n = strlen(r->name), k;

	snprintf(suffix, sizeof(suffix), ".r%d", r->replica);
	k = strlen(suffix);
	if (r->replicas && n > k && !strcmp(r->name + n - k, suffix))
		r->name[n - k] = '\0';
}

static int load_config(struct ctx *c, const json_t *o, struct config *cfg)
{
	int err = 0;

	cfg->variant = get_str(c, o, "config", "variant", &err);
	if (!err)
		cfg->backend = get_str(c, o, "config", "backend", &err);
	if (!err)
		cfg->workload = get_str(c, o, "config", "workload", &err);
	if (!err)
		cfg->samples = get_int(c, o, "config", "samples", &err);
	if (!err && cfg->samples < 1)
		return bad(c, "config.samples", "not positive");
	if (!err)
		cfg->cycles = get_int(c, o, "config", "cycles", &err);
	if (!err && cfg->cycles < 1)
		return bad(c, "config.cycles", "not positive");
	if (!err)
		cfg->payload = get_int(c, o, "config", "payload", &err);
	if (!err)
		cfg->memsync = get_str(c, o, "config", "memsync", &err);
	if (!err)
		cfg->ring = get_str(c, o, "config", "ring", &err);
	if (!err)
		cfg->probes = get_bool(c, o, "config", "probes", false, &err);
	if (!err)
		cfg->emulated = get_bool(c, o, "config", "emulated", true, &err);
	return err ? err : load_decl(c, o, cfg);
}

static double opt_num(struct ctx *c, const json_t *o, const char *pfx,
		      const char *key, int *err)
{
	const json_t *v;

	if (!o || json_is_null(json_object_get(o, key)))
		return NAN;	/* absent or null: not measured (peers have no shadow) */
	v = get(c, o, pfx, key, JSON_REAL, true, err);
	return v ? json_number_value(v) : NAN;
}

static int load_counters(struct ctx *c, const json_t *root, struct result *r);
static int load_tail(struct ctx *c, const json_t *root, struct tail *t);

/*
 * probes: required in scf-bench/2.  every is 0 where nothing was probed
 * (a peer, a PROBES=0 build: config.probes false).
 */
static int load_probes(struct ctx *c, const json_t *root, bool on,
		       struct probes *p)
{
	const json_t *o, *st;
	int err = 0;

	o = get(c, root, "", "probes", JSON_OBJECT, false, &err);
	if (err)
		return err;
	p->has = true;
	p->every = get_int(c, o, "probes", "every", &err);
	if (!err && (p->every < 0 || (on && p->every < 1)))
		return bad(c, "probes.every", "not positive");
	if (!err)
		p->probed = get_int(c, o, "probes", "probed", &err);
	if (!err && p->probed < 0)
		return bad(c, "probes.probed", "negative");
	st = err ? NULL : get(c, o, "probes", "stamp_ns", JSON_OBJECT, false, &err);
	p->stamp_client_ns = opt_num(c, st, "probes.stamp_ns", "client", &err);
	p->stamp_shadow_ns = opt_num(c, st, "probes.stamp_ns", "shadow", &err);
	p->residual_pct = opt_num(c, o, "probes", "residual_pct", &err);
	return err;
}

/* baseline: optional; checked when there. */
static int load_baseline(struct ctx *c, const json_t *root, struct baseline *b)
{
	const json_t *o;
	int err = 0;

	o = get(c, root, "", "baseline", JSON_OBJECT, false, &err);
	if (err)
		return err;
	b->has = true;
	if (!json_object_get(o, "p50_ns"))
		return bad(c, "baseline.p50_ns", "missing");
	if (get_series(c, o, "baseline", "p50_ns", &b->p50_ns))
		return -1;
	b->spread = opt_num(c, o, "baseline", "spread", &err);
	return err;
}

static int load_interference(struct ctx *c, const json_t *root,
			     struct interference *in)
{
	static const char *const num_keys[] = { "pid", "cpu", "ns" };
	const json_t *o, *a, *v;
	char field[96];
	size_t i, k;
	int err = 0;

	o = get(c, root, "", "interference", JSON_OBJECT, true, &err);
	if (!o)
		return err;
	in->has = true;
	a = get(c, o, "interference", "samples", JSON_ARRAY, true, &err);
	in->samples = xcalloc(json_array_size(a) + 1, sizeof(*in->samples));
	json_array_foreach(a, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			snprintf(field, sizeof(field), "interference.samples[%zu]", i);
			return bad(c, field, "not a sample index");
		}
		in->samples[in->nsamples++] = json_integer_value(v);
	}
	in->tasks = err ? NULL : get(c, o, "interference", "tasks", JSON_ARRAY,
				     true, &err);
	json_array_foreach(in->tasks, i, v) {
		snprintf(field, sizeof(field), "interference.tasks[%zu]", i);
		if (!json_is_object(v))
			return bad(c, field, "not an object");
		if (json_object_get(v, "comm"))
			get_str(c, v, field, "comm", &err);
		for (k = 0; k < 3 && !err; k++)
			opt_num(c, v, field, num_keys[k], &err);
		if (err)
			return err;
	}
	return err;
}

/* The fields scf-bench/2 adds; optional in /1 files, checked when there. */
static int load_v2(struct ctx *c, const json_t *root, struct result *r)
{
	const json_t *o, *v;
	const char *name;
	int err = 0;

	if ((r->schema == 2 || json_object_get(root, "probes")) &&
	    load_probes(c, root, r->cfg.probes, &r->probes))
		return -1;
	/* Absent where the run did not measure it (MPSC async runs). */
	if (json_object_get(root, "baseline") &&
	    load_baseline(c, root, &r->baseline))
		return -1;
	o = get(c, root, "", "phases_net", JSON_OBJECT, true, &err);
	if (err)
		return err;
	r->net = xcalloc(json_object_size(o) + 1, sizeof(*r->net));
	json_object_foreach((json_t *)o, name, v) {
		/* Counted first: result_free() frees a half-loaded one. */
		if (load_phase(c, "phases_net", name, v, &r->net[r->nnet++]))
			return -1;
	}
	if (get_series(c, root, "", "wall_gap_pct", &r->wall_gap_pct))
		return -1;
	return load_interference(c, root, &r->intf);
}

int result_from_json(const char *path, json_t *root, struct result *r,
		     struct aerr *e)
{
	struct ctx c = { .path = path, .e = e };
	const json_t *v, *o;
	const char *name, *schema, *slash;
	char *base;
	size_t i;
	int err = 0;

	memset(r, 0, sizeof(*r));
	r->path = xstrdup(path);
	r->root = json_incref(root);
	base = path_base(path);
	i = strlen(base);
	if (i > 5 && !strcmp(base + i - 5, ".json"))
		base[i - 5] = '\0';
	r->name = base;
	slash = strrchr(path, '/');
	if (slash) {
		char *d = strndup(path, (size_t)(slash - path));

		r->dir = path_base(d ? d : "");
		free(d);
	} else {
		r->dir = xstrdup(".");
	}

	if (!json_is_object(root))
		return bad(&c, "(top level)", "not an object");
	schema = get_str(&c, root, "", "schema", &err);
	if (err)
		return err;
	if (!strcmp(schema, RESULT_SCHEMA_1))
		r->schema = 1;
	else if (!strcmp(schema, RESULT_SCHEMA_2))
		r->schema = 2;
	else
		return aerr_set(e, "%s: schema: \"%s\", expected \"%s\" or \"%s\"",
				path, schema, RESULT_SCHEMA_1, RESULT_SCHEMA_2);
	r->context = get(&c, root, "", "context", JSON_OBJECT, false, &err);
	if (err)
		return err;
	o = get(&c, root, "", "config", JSON_OBJECT, false, &err);
	if (err || load_config(&c, o, &r->cfg) || load_replica(&c, o, r))
		return -1;
	strip_replica(r);
	if (copy_opt_str(&c, r->context, "context", "cmdline",
			 r->cfg.ordering.run, sizeof(r->cfg.ordering.run)))
		return -1;
	o = get(&c, root, "", "phases", JSON_OBJECT, false, &err);
	if (err)
		return err;
	if (!json_object_get(o, "total"))
		return bad(&c, "phases.total", "missing");
	r->phases = xcalloc(json_object_size(o), sizeof(*r->phases));
	json_object_foreach((json_t *)o, name, v) {
		/* Counted first: result_free() frees a half-loaded one. */
		if (load_phase(&c, "phases", name, v, &r->phases[r->nphases++]))
			return -1;
	}
	if (get_series(&c, root, "", "samples_ns", &r->samples_ns))
		return -1;
	v = json_object_get(root, "histogram");
	if (v && load_histogram(&c, v, r))
		return -1;
	r->warnings = get(&c, root, "", "warnings", JSON_ARRAY, true, &err);
	if (err)
		return err;
	json_array_foreach(r->warnings, i, v) {
		if (!json_is_string(v)) {
			char field[64];

			snprintf(field, sizeof(field), "warnings[%zu]", i);
			return bad(&c, field, "not a string");
		}
	}
	o = get(&c, root, "", "cpu", JSON_OBJECT, true, &err);
	r->has_cpu = o != NULL;
	r->cpu_client_ns = opt_num(&c, o, "cpu", "client_ns_per_req", &err);
	r->cpu_shadow_ns = opt_num(&c, o, "cpu", "shadow_ns_per_req", &err);
	o = get(&c, root, "", "identity", JSON_OBJECT, true, &err);
	r->identity_checked = opt_num(&c, o, "identity", "checked", &err);
	r->identity_violations = opt_num(&c, o, "identity", "violations", &err);
	if (!err)
		err = load_v2(&c, root, r);
	if (!err)
		err = load_counters(&c, root, r);
	if (!err)
		err = load_tail(&c, root, &r->tail);
	return err;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of the per-sample values. */
static double series_pct(const struct series *s, double p)
{
	double *v, out;
	size_t k;

	if (!s->n)
		return NAN;
	v = xcalloc(s->n, sizeof(double));
	memcpy(v, s->v, s->n * sizeof(double));
	qsort(v, s->n, sizeof(double), cmp_dbl);
	k = (size_t)ceil(p * (double)s->n);
	out = v[k ? k - 1 : 0];
	free(v);
	return out;
}

/*
 * counters: { client: {event: per_request}, shadow: {…}, scale: {side: x},
 * samples: {side: {event: [per-sample per_request]}}, source }.  Optional;
 * each counted event also becomes a phase-like row for scf-compare.
 */
static int load_counters(struct ctx *c, const json_t *root, struct result *r)
{
	static const char *const sides[] = { "client", "shadow" };
	const json_t *o, *scale, *samples, *src;
	int err = 0;
	size_t k;

	o = get(c, root, "", "counters", JSON_OBJECT, true, &err);
	if (!o)
		return err;
	scale = get(c, o, "counters", "scale", JSON_OBJECT, true, &err);
	samples = get(c, o, "counters", "samples", JSON_OBJECT, true, &err);
	src = get(c, o, "counters", "source", JSON_STRING, true, &err);
	if (err)
		return err;
	r->counters_source = src ? json_string_value(src) : NULL;
	for (k = 0; k < 2; k++) {
		const json_t *evs, *v, *ss;
		const char *ev;
		char pfx[64];

		snprintf(pfx, sizeof(pfx), "counters");
		evs = get(c, o, pfx, sides[k], JSON_OBJECT, true, &err);
		if (err)
			return err;
		snprintf(pfx, sizeof(pfx), "counters.samples");
		ss = samples ? get(c, samples, pfx, sides[k], JSON_OBJECT, true,
				   &err) : NULL;
		if (err)
			return err;
		json_object_foreach((json_t *)evs, ev, v) {
			struct counter *ct;
			const json_t *sc;
			char field[256];

			snprintf(field, sizeof(field), "counters.%s.%s", sides[k], ev);
			if (!json_is_number(v))
				return bad(c, field, "not a number");
			r->counters = xrealloc(r->counters, (r->ncounters + 1) *
					       sizeof(*r->counters));
			ct = &r->counters[r->ncounters++];
			memset(ct, 0, sizeof(*ct));
			ct->side = sides[k];
			ct->event = ev;
			ct->per_req = json_number_value(v);
			sc = scale ? json_object_get(scale, sides[k]) : NULL;
			ct->scale = json_is_number(sc) ? json_number_value(sc) : 1.0;
			ct->ph.name = xasprintf("%s %s/req", sides[k], ev);
			snprintf(field, sizeof(field), "counters.samples.%s", sides[k]);
			if (ss && get_series(c, ss, field, ev, &ct->ph.sample_p50))
				return -1;
			ct->ph.count = (double)ct->ph.sample_p50.n;
			ct->ph.mean_ns = ct->per_req;
			ct->ph.p50_ns = ct->ph.sample_p50.n ?
				series_pct(&ct->ph.sample_p50, 0.5) : ct->per_req;
			ct->ph.p99_ns = ct->ph.sample_p50.n ?
				series_pct(&ct->ph.sample_p50, 0.99) : ct->per_req;
			ct->ph.p999_ns = ct->ph.max_ns = ct->ph.p99_ns;
			ct->ph.min_ns = ct->ph.p90_ns = NAN;
			ct->ph.counter = true;
		}
	}
	return 0;
}

static int load_tail(struct ctx *c, const json_t *root, struct tail *t)
{
	const json_t *o, *v;
	int err = 0;
	size_t i;

	o = get(c, root, "", "tail", JSON_OBJECT, true, &err);
	if (!o)
		return err;
	t->p999_ns = json_number_value(get(c, o, "tail", "p999_ns", JSON_REAL, false, &err));
	t->explained = json_number_value(get(c, o, "tail", "explained", JSON_REAL, false, &err));
	t->requests = json_number_value(get(c, o, "tail", "p999_requests", JSON_INTEGER, false, &err));
	t->events = json_number_value(get(c, o, "tail", "events", JSON_INTEGER, false, &err));
	t->joined = json_number_value(get(c, o, "tail", "joined", JSON_INTEGER, false, &err));
	t->share = get(c, o, "tail", "share", JSON_OBJECT, false, &err);
	t->slowest = get(c, o, "tail", "slowest", JSON_ARRAY, false, &err);
	if (err)
		return err;
	json_array_foreach(t->slowest, i, v) {
		char field[64];

		snprintf(field, sizeof(field), "tail.slowest[%zu]", i);
		if (!json_is_object(v) ||
		    !json_is_number(json_object_get(v, "total_ns")) ||
		    !json_is_object(json_object_get(v, "phases_ns")) ||
		    !json_is_array(json_object_get(v, "events")))
			return bad(c, field, "not {total_ns, phases_ns, events}");
	}
	t->present = true;
	return 0;
}

const struct counter *result_counter(const struct result *r, const char *side,
				     const char *event)
{
	size_t i;

	for (i = 0; i < r->ncounters; i++)
		if (!strcmp(r->counters[i].side, side) &&
		    !strcmp(r->counters[i].event, event))
			return &r->counters[i];
	return NULL;
}

int result_load(const char *path, struct result *r, struct aerr *e)
{
	json_error_t je;
	json_t *root;
	struct stat st;
	int ret;

	memset(r, 0, sizeof(*r));
	if (stat(path, &st))
		return aerr_set(e, "%s: cannot read: %s", path, strerror(errno));
	if (st.st_size == 0)
		return aerr_set(e, "%s: empty file (truncated?)", path);
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		if (je.position >= st.st_size)
			return aerr_set(e, "%s: truncated JSON (line %d, column %d): %s",
					path, je.line, je.column, je.text);
		return aerr_set(e, "%s: invalid JSON (line %d, column %d): %s",
				path, je.line, je.column, je.text);
	}
	ret = result_from_json(path, root, r, e);
	json_decref(root);
	return ret;
}

static void free_phases(struct phase *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct phase *p = &v[i];

		free(p->sample_means.v);
		free(p->sample_p50.v);
		if (p->hist) {
			free(p->hist->bucket);
			free(p->hist->count);
			free(p->hist);
		}
	}
	free(v);
}

void result_free(struct result *r)
{
	size_t i;

	for (i = 0; i < r->nrep; i++)
		result_free(&r->rep[i]);
	free(r->rep);
	json_decref(r->own_warnings);

	free_phases(r->phases, r->nphases);
	free_phases(r->net, r->nnet);
	free(r->baseline.p50_ns.v);
	free(r->wall_gap_pct.v);
	free(r->intf.samples);
	for (i = 0; i < r->ncounters; i++) {
		free((char *)r->counters[i].ph.name);
		free(r->counters[i].ph.sample_p50.v);
	}
	free(r->counters);
	free(r->samples_ns.v);
	free(r->path);
	free(r->dir);
	free(r->name);
	json_decref(r->root);
	memset(r, 0, sizeof(*r));
}

const struct phase *result_phase(const struct result *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nphases; i++)
		if (!strcmp(r->phases[i].name, name))
			return &r->phases[i];
	return NULL;
}

const struct phase *result_net_phase(const struct result *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nnet; i++)
		if (!strcmp(r->net[i].name, name))
			return &r->net[i];
	return NULL;
}

const char *result_ctx_str(const struct result *r, const char *key)
{
	return json_string_value(json_object_get(r->context, key));
}

bool result_interleaved(const struct run_order *a, const struct run_order *b)
{
	if (a->group[0] && !strcmp(a->group, b->group))
		return true;
	return !strcmp(a->mode, "round-robin") && !strcmp(b->mode, "round-robin") &&
	       a->run[0] && !strcmp(a->run, b->run);
}
