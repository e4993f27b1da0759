// SPDX-License-Identifier: MIT
/*
 * result.c - load one scf-bench/1 file with jansson and check it.
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
	case JSON_INTEGER:	/* an integer, or a real with no fraction */
		if (json_is_integer(v) ||
		    (json_is_real(v) && json_real_value(v) ==
		     floor(json_real_value(v))))
			return v;
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

static int load_phase(struct ctx *c, const char *name, const json_t *o,
		      struct phase *p)
{
	static const char *const keys[] = {
		"min_ns", "mean_ns", "p50_ns", "p90_ns", "p99_ns", "p999_ns",
		"max_ns",
	};
	double *dst[] = {
		&p->min_ns, &p->mean_ns, &p->p50_ns, &p->p90_ns, &p->p99_ns,
		&p->p999_ns, &p->max_ns,
	};
	char pfx[160];
	int err = 0;
	size_t i;

	snprintf(pfx, sizeof(pfx), "phases.%s", name);
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
		if (p->count == 0 && (!v || json_is_null(v))) {
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
	}
	return 0;
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
	if (!err)
		cfg->cycles = get_int(c, o, "config", "cycles", &err);
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
	return err;
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
	if (strcmp(schema, RESULT_SCHEMA) && strcmp(schema, RESULT_SCHEMA_2))
		return aerr_set(e, "%s: schema: \"%s\", expected \"%s\"", path,
				schema, RESULT_SCHEMA);
	r->context = get(&c, root, "", "context", JSON_OBJECT, false, &err);
	if (err)
		return err;
	o = get(&c, root, "", "config", JSON_OBJECT, false, &err);
	if (err || load_config(&c, o, &r->cfg))
		return -1;
	o = get(&c, root, "", "phases", JSON_OBJECT, false, &err);
	if (err)
		return err;
	if (!json_object_get(o, "total"))
		return bad(&c, "phases.total", "missing");
	r->phases = xcalloc(json_object_size(o), sizeof(*r->phases));
	json_object_foreach((json_t *)o, name, v) {
		if (load_phase(&c, name, v, &r->phases[r->nphases]))
			return -1;
		r->nphases++;
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
	r->cpu_client_ns = opt_num(&c, o, "cpu", "client_ns_per_req", &err);
	r->cpu_shadow_ns = opt_num(&c, o, "cpu", "shadow_ns_per_req", &err);
	o = get(&c, root, "", "identity", JSON_OBJECT, true, &err);
	r->identity_checked = opt_num(&c, o, "identity", "checked", &err);
	r->identity_violations = opt_num(&c, o, "identity", "violations", &err);
	return err;
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

void result_free(struct result *r)
{
	size_t i;

	for (i = 0; i < r->nphases; i++) {
		struct phase *p = &r->phases[i];

		free(p->sample_means.v);
		free(p->sample_p50.v);
		if (p->hist) {
			free(p->hist->bucket);
			free(p->hist->count);
			free(p->hist);
		}
	}
	free(r->phases);
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

const char *result_ctx_str(const struct result *r, const char *key)
{
	return json_string_value(json_object_get(r->context, key));
}
