// SPDX-License-Identifier: MIT
/*
 * results.c - statistics of a run, stored as scf-bench/2 JSON (jansson),
 * a cyclictest-format histogram, and the terminal table.  Every file is
 * written to a temporary name and renamed into place.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "results_truth.h"
#include "counters.h"
#include "envelope.h"
#include "interleave_group.h"
#include "trace.h"
#include "scf_wait.h"
#include "scf_file.h"
#include "scf_tsc.h"
#include "variant_decl.h"

#define HIST_BUCKETS	20000u

struct pstats {
	uint64_t count;
	double min, mean, p50, p90, p99, p999, max;
};

static double ns(const struct bench *b, double ticks)
{
	return ticks * 1e9 / (double)b->tsc_hz;
}

static void stats_of(const struct bench *b, const int64_t *v, uint64_t n,
		     int64_t *sorted, struct pstats *st)
{
	double sum = 0;
	uint64_t i;

	memset(st, 0, sizeof(*st));
	if (!n)
		return;
	ticks_sorted(sorted, v, n);
	for (i = 0; i < n; i++)
		sum += (double)sorted[i];
	st->count = n;
	st->min = ns(b, (double)sorted[0]);
	st->max = ns(b, (double)sorted[n - 1]);
	st->mean = ns(b, sum / (double)n);
	st->p50 = ns(b, (double)sorted_pct(sorted, n, 0.50));
	st->p90 = ns(b, (double)sorted_pct(sorted, n, 0.90));
	st->p99 = ns(b, (double)sorted_pct(sorted, n, 0.99));
	st->p999 = ns(b, (double)sorted_pct(sorted, n, 0.999));
}

static json_t *jnum(double v)
{
	return json_real(round(v * 10) / 10);
}

/* The region's pages as placement.c chose them: one probe per page. */
static json_t *placement_json(const struct placement *pl)
{
	json_t *pages = json_array(), *idx = json_array(), *o;
	uint32_t i;

	for (i = 0; i < pl->npages; i++) {
		json_array_append_new(idx, json_integer((json_int_t)pl->page[i]));
		json_array_append_new(pages, pl->page_ns[i] > 0 ?
				      jnum(pl->page_ns[i]) : json_null());
	}
	o = json_pack("{s:b, s:o, s:o, s:o, s:i, s:o, s:o}",
			 "controlled", pl->controlled,
			 "numa_node", pl->node ? json_integer(pl->node - 1) :
			 json_null(), "floor_ns", jnum(pl->floor_ns),
			 "limit_ns", jnum(pl->limit_ns),
			 "rejected", (int)pl->rejected, "pages", idx,
			 "page_ns", pages);
	/* a peer's: one mapping placed a sample, pages probed in all */
	if (pl->mappings) {
		json_object_set_new(o, "mappings", json_integer(pl->mappings));
		json_object_set_new(o, "probed", json_integer(pl->probed));
	}
	return o;
}

/* 1, 2, 5 x 10^k ns, at least 1. */
static double nice_bucket(double want)
{
	double base = 1;

	while (base * 10 <= want)
		base *= 10;
	if (want > base * 5)
		return base * 10;
	if (want > base * 2)
		return base * 5;
	if (want > base)
		return base * 2;
	return base;
}

struct hist {
	double bucket_ns;
	uint32_t *count[PH_NR];
	uint64_t under[PH_NR], over[PH_NR];
	uint32_t last;		/* highest non-empty bucket over all phases */
};

static void hist_fill(const struct bench *b, const struct measurement *r,
		      struct hist *h, double p999_total)
{
	int p;

	memset(h, 0, sizeof(*h));
	h->bucket_ns = nice_bucket(p999_total / 1000.0);
	for (p = 0; p < PH_NR; p++) {
		const struct series *s = &r->ph[p];
		uint64_t i;

		if (!s->n)
			continue;
		h->count[p] = calloc(HIST_BUCKETS, sizeof(uint32_t));
		for (i = 0; i < s->n; i++) {
			double v = ns(b, (double)s->v[i]);
			uint64_t k;

			if (v < 0) {
				h->under[p]++;
				continue;
			}
			k = (uint64_t)(v / h->bucket_ns);
			if (k >= HIST_BUCKETS) {
				h->over[p]++;
				continue;
			}
			h->count[p][k]++;
			if (k > h->last)
				h->last = (uint32_t)k;
		}
	}
}

static json_t *hist_json(const struct hist *h)
{
	json_t *o = json_object(), *phs = json_object();
	int p;

	json_object_set_new(o, "unit", json_string("ns"));
	json_object_set_new(o, "bucket_ns", json_real(h->bucket_ns));
	json_object_set_new(o, "buckets", json_integer(HIST_BUCKETS));
	for (p = 0; p < PH_NR; p++) {
		json_t *ph, *counts;
		uint32_t k;

		if (!h->count[p])
			continue;
		ph = json_object();
		counts = json_array();
		for (k = 0; k <= h->last; k++)
			if (h->count[p][k])
				json_array_append_new(counts, json_pack("[II]",
					(json_int_t)k, (json_int_t)h->count[p][k]));
		json_object_set_new(ph, "underflow", json_integer((json_int_t)h->under[p]));
		json_object_set_new(ph, "overflow", json_integer((json_int_t)h->over[p]));
		json_object_set_new(ph, "counts", counts);
		json_object_set_new(phs, scf_phase_names[p], ph);
	}
	json_object_set_new(o, "phases", phs);
	return o;
}

static char *hist_text(const struct bench *b, const struct measurement *r,
		       const struct hist *h, const struct pstats *st)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	uint32_t k;
	int p;

	if (!f)
		return NULL;
	fprintf(f, "# scf-bench histogram: %s/%s (%s), bucket %g ns\n",
		r->dir, r->workload, r->backend, h->bucket_ns);
	fprintf(f, "# tsc %llu Hz; columns: bucket_start_ns",
		(unsigned long long)b->tsc_hz);
	for (p = 0; p < PH_NR; p++)
		if (h->count[p])
			fprintf(f, " %s", scf_phase_names[p]);
	fputc('\n', f);
	for (k = 0; k <= h->last; k++) {
		fprintf(f, "%06.0f", k * h->bucket_ns);
		for (p = 0; p < PH_NR; p++)
			if (h->count[p])
				fprintf(f, " %06u", h->count[p][k]);
		fputc('\n', f);
	}
	/* cyclictest's trailer lines, one column per phase */
	fprintf(f, "# Total:");
	for (p = 0; p < PH_NR; p++)
		if (h->count[p])
			fprintf(f, " %09llu", (unsigned long long)st[p].count);
	fprintf(f, "\n# Min Latencies:");
	for (p = 0; p < PH_NR; p++)
		if (h->count[p])
			fprintf(f, " %05.0f", st[p].min);
	fprintf(f, "\n# Avg Latencies:");
	for (p = 0; p < PH_NR; p++)
		if (h->count[p])
			fprintf(f, " %05.0f", st[p].mean);
	fprintf(f, "\n# Max Latencies:");
	for (p = 0; p < PH_NR; p++)
		if (h->count[p])
			fprintf(f, " %05.0f", st[p].max);
	fprintf(f, "\n# Histogram Overflows:");
	for (p = 0; p < PH_NR; p++)
		if (h->count[p])
			fprintf(f, " %05llu", (unsigned long long)h->over[p]);
	fprintf(f, "\n# Histogram Underflows (negative deltas):");
	for (p = 0; p < PH_NR; p++)
		if (h->count[p])
			fprintf(f, " %05llu", (unsigned long long)h->under[p]);
	fputc('\n', f);
	fclose(f);
	return buf;
}

/* scf-bench's own context fields, beside the envelope's. */
static void context_fill(json_t *ctx, const struct bench *b,
			 const struct measurement *r)
{
	json_object_update_new(ctx, json_pack(
		"{s:s, s:b, s:b, s:f, s:i, s:i, s:s, s:s, s:s}",
		"commit", b->commit, "dirty", b->dirty,
		"tsc_invariant", b->tsc_invariant,
		"tsc_skew_ns", round(b->skew_ns * 10) / 10,
		"client_cpu", b->client_cpu, "shadow_cpu", b->shadow_cpu,
		"cmdline", b->cmdline, "start", r->start, "end", r->end));
}

static json_t *sample_array(const struct bench *b, const struct series *s,
			    uint32_t samples, int64_t *scratch, bool median)
{
	json_t *a = json_array();
	uint32_t i, from = 0;

	for (i = 0; i < samples; i++) {
		uint32_t to = s->sample_end[i];
		struct pstats st;

		if (to <= from) {
			from = to;
			continue;
		}
		stats_of(b, s->v + from, to - from, scratch, &st);
		json_array_append_new(a, jnum(median ? st.p50 : st.mean));
		from = to;
	}
	return a;
}

/*
 * The set-up a result records: a peer's own (never the forwarded
 * channel's, which it did not use), the channel's for a forwarded run.
 */
static const char *meas_detail(const struct bench *b, const struct measurement *r)
{
	if (r->detail[0] || !strcmp(r->dir, "peers"))
		return r->detail;
	return b->detail;
}

/* The policy a result records: the receivers' for SCF, the peer's own. */
static const char *result_wait(const struct bench *b, const char *dir,
			       const char *workload, char *buf, size_t len)
{
	const struct wl *w;
	struct scf_wait_policy p;

	if (strcmp(dir, "peers")) {
		snprintf(buf, len, "%s", b->wait_name);
		return buf;
	}
	w = wl_find(workload);
	if (!w || !w->wait)
		return NULL;
	p = w->wait(b);
	return scf_wait_format(&p, buf, len);
}

int results_write(const struct bench *b, const struct measurement *r)
{
	struct pstats st[PH_NR];
	struct hist h;
	json_t *root, *phases, *warn, *config, *cnt;
	bool peer = !strcmp(r->dir, "peers");
	char dir[2048], path[4096], wait[32], rep[16] = "";
	char *text;
	int64_t *scratch;
	uint32_t i;
	int p, err;

	scratch = malloc(sizeof(int64_t) * ((uint64_t)r->samples * r->cycles + 1));
	if (!scratch)
		return -ENOMEM;
	phases = json_object();
	for (p = 0; p < PH_NR; p++) {
		const struct series *s = &r->ph[p];
		json_t *o;

		stats_of(b, s->v, s->n, scratch, &st[p]);
		if (!s->n)
			continue;
		o = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}",
			"count", (json_int_t)st[p].count, "min_ns", jnum(st[p].min),
			"mean_ns", jnum(st[p].mean), "p50_ns", jnum(st[p].p50),
			"p90_ns", jnum(st[p].p90), "p99_ns", jnum(st[p].p99),
			"p999_ns", jnum(st[p].p999), "max_ns", jnum(st[p].max),
			"negative", (json_int_t)s->negative);
		json_object_set_new(o, "sample_means_ns",
			sample_array(b, s, r->samples, scratch, false));
		json_object_set_new(o, "sample_p50_ns",
			sample_array(b, s, r->samples, scratch, true));
		json_object_set_new(phases, scf_phase_names[p], o);
	}
	hist_fill(b, r, &h, st[PH_TOTAL].p999);

	warn = json_array();
	for (i = 0; i < r->nwarn; i++)
		json_array_append_new(warn, json_string(r->warnings[i]));
	/* NULL-tolerant: a root that could not be made fails the write. */
	root = envelope_new(SCF_BENCH_SCHEMA, b->tsc_hz);
	context_fill(envelope_context(root), b, r);
	config = json_pack(
		"{s:s, s:s, s:s, s:i, s:i, s:I, s:s, s:s, s:b, s:b}",
		"variant", peer ? "peers" : scf_notify_name(),
		"backend", r->backend, "workload", r->workload,
		"samples", (int)r->samples, "cycles", (int)r->cycles,
		"payload", (json_int_t)r->payload, "memsync", r->memsync,
		"ring", b->ring == SCF_RING_LOCKED ? "locked" :
		b->ring == SCF_RING_INLINE ? "inline" : "lockfree",
		"probes", r->probes, "emulated", r->emulated);
	if (!peer)
		variant_decl_json(config, r->backend);
	if (meas_detail(b, r)[0])
		json_object_set_new(config, "backend_detail",
				    json_string(meas_detail(b, r)));
	if (result_wait(b, r->dir, r->workload, wait, sizeof(wait)))
		json_object_set_new(config, "wait", json_string(wait));
	/* What makes a ratio between two results like with like: samples
	 * alternated within this process, or with others of one group. */
	json_object_set_new(config, "order_mode", json_string(b->sequential || r->sequential ?
			    "sequential" : "round-robin"));
	if (interleave_group())
		json_object_set_new(config, "interleave_group",
				    json_string(interleave_group()));
	if (b->replicas)
		json_object_set_new(config, "replica", json_pack("{s:i, s:i}",
				    "index", (int)b->replica,
				    "of", (int)b->replicas));
	json_object_set_new(root, "config", config);
	if (peer ? r->place && r->place->npages : b->place.npages > 0)
		json_object_set_new(root, "placement",
				    placement_json(peer ? r->place : &b->place));
	doorbell_json(b, r, root);
	json_object_set_new(root, "phases", phases);
	json_object_set(root, "samples_ns",
		json_object_get(json_object_get(phases, "total"),
				"sample_means_ns") ?: json_array());
	if (r->samples_done && r->wall_ns[0] > 0) {	/* not measured: absent */
		json_t *wall = json_array();

		for (i = 0; i < r->samples_done; i++)
			json_array_append_new(wall, jnum(r->wall_ns[i]));
		json_object_set_new(root, "sample_wall_ns", wall);
	}
	json_object_set_new(root, "histogram", hist_json(&h));
	json_object_set_new(root, "cpu", json_pack("{s:o, s:o}",
		"client_ns_per_req", r->client_cpu_ns < 0 ? json_null() :
			jnum(r->client_cpu_ns),
		"shadow_ns_per_req", r->shadow_cpu_ns < 0 ? json_null() :
			jnum(r->shadow_cpu_ns)));
	json_object_set_new(root, "identity", json_pack("{s:I, s:I}",
		"checked", (json_int_t)r->identity_checked,
		"violations", (json_int_t)r->identity_violations));
	truth_json(b, r, root, scratch);
	json_object_set_new(root, "warnings", warn);
	if ((cnt = counters_json(r->cnt)))
		json_object_set_new(root, "counters", cnt);
	if ((cnt = trace_json(r->trace)))
		json_object_set_new(root, "tail", cnt);
	if (r->nextra) {
		json_t *ex = json_object();

		for (i = 0; i < r->nextra; i++)
			json_object_set_new(ex, r->extra[i].key,
					    json_real(r->extra[i].val));
		json_object_set_new(root, "extra", ex);
	}

	snprintf(dir, sizeof(dir), "%s/%s", b->out_dir, r->dir);
	if (b->replicas)
		snprintf(rep, sizeof(rep), ".r%u", b->replica);
	snprintf(path, sizeof(path), "%s", dir);	/* what failed, if mkdirs */
	err = scf_mkdirs(dir);
	if (!err) {
		snprintf(path, sizeof(path), "%s/%s%s.json", dir, r->workload,
			 rep);
		err = envelope_write(path, root, JSON_INDENT(1) | JSON_COMPACT);
	}
	if (!err) {
		text = hist_text(b, r, &h, st);
		snprintf(path, sizeof(path), "%s/%s%s.hist", dir, r->workload,
			 rep);
		err = text ? scf_write_atomic(path, text, strlen(text)) : -ENOMEM;
		free(text);
	}
	if (err)
		fprintf(stderr, "scf-bench: cannot write %s: %s\n", path,
			strerror(-err));
	for (p = 0; p < PH_NR; p++)
		free(h.count[p]);
	json_decref(root);
	free(scratch);
	return err;
}

void results_print(const struct bench *b, const struct measurement *r)
{
	int64_t *scratch = malloc(sizeof(int64_t) *
				  ((uint64_t)r->samples * r->cycles + 1));
	const char *wait_name;
	struct pstats st;
	char wait[32];
	uint32_t i;
	int p;

	if (!scratch)
		return;
	wait_name = result_wait(b, r->dir, r->workload, wait, sizeof(wait));
	printf("\n%s/%s  backend %s%s%s%s%s%s%s  %llu calls", r->dir, r->workload,
	       r->backend, r->emulated ? " (emulated)" : "",
	       wait_name ? ", wait " : "", wait_name ? wait_name : "",
	       meas_detail(b, r)[0] ? " [" : "", meas_detail(b, r),
	       meas_detail(b, r)[0] ? "]" : "",
	       (unsigned long long)r->ph[PH_TOTAL].n);
	if (r->client_cpu_ns >= 0)
		printf("  cpu/req client %.0f ns", r->client_cpu_ns);
	if (r->shadow_cpu_ns >= 0)
		printf(" shadow %.0f ns", r->shadow_cpu_ns);
	printf("\n  %-16s %10s %10s %10s\n", "phase", "p50 ns", "p99 ns",
	       "max ns");
	for (p = 0; p < PH_NR; p++) {
		if (!r->ph[p].n)
			continue;
		stats_of(b, r->ph[p].v, r->ph[p].n, scratch, &st);
		printf("  %-16s %10.0f %10.0f %10.0f%s\n", scf_phase_names[p],
		       st.p50, st.p99, st.max,
		       r->ph[p].negative ? "  (negative deltas)" : "");
	}
	if (r->identity_checked)
		printf("  every stamp present and ordered: "
		       "%llu checked, %llu violations\n",
		       (unsigned long long)r->identity_checked,
		       (unsigned long long)r->identity_violations);
	for (i = 0; i < r->nextra; i++)
		printf("  %s: %.1f\n", r->extra[i].key, r->extra[i].val);
	truth_print(b, r, scratch);
	doorbell_print(r);
	counters_print(r->cnt);
	trace_print(r->trace);
	for (i = 0; i < r->nwarn; i++)
		printf("  warning: %s\n", r->warnings[i]);
	free(scratch);
}
