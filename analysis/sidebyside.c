// SPDX-License-Identifier: MIT
/*
 * sidebyside.c - the side-by-side table's data: which results stand next
 * to which (sidebyside.h), read with the result reader (result.h).
 */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replicas.h"
#include "result.h"
#include "sidebyside.h"

/* The first bad result met, as the reader worded it ("" while none). */
static char first_bad[1024];

const char *sbs_bad_result(void)
{
	return first_bad[0] ? first_bad : NULL;
}

static void note_bad(const struct aerr *e)
{
	/* A row left out must not go unsaid: the caller reports it. */
	if (!first_bad[0])
		snprintf(first_bad, sizeof(first_bad), "%s", e->msg);
}

/*
 * The replicas run_dir/sub/name.r<K>.json pooled into r (replicas.h): 0,
 * -ENOENT when there are none, -EINVAL when one is bad.
 */
static int load_replicas(const char *run_dir, const char *sub,
			 const char *name, struct result *r)
{
	struct result *reps;
	struct aerr e;
	glob_t g;
	size_t i, n = 0;
	char pat[4096];
	int err = 0;

	snprintf(pat, sizeof(pat), "%s/%s/%s.r[0-9]*.json", run_dir, sub, name);
	if (glob(pat, 0, NULL, &g))
		return -ENOENT;
	reps = xcalloc(g.gl_pathc, sizeof(*reps));
	for (i = 0; i < g.gl_pathc && !err && n < REPLICAS_MAX; i++) {
		if (result_load(g.gl_pathv[i], &reps[n], &e)) {
			result_free(&reps[n]);
			err = -EINVAL;
		} else if (!reps[n].replicas || strcmp(reps[n].name, name)) {
			result_free(&reps[n]);	/* name.r1x.json: not ours */
		} else {
			n++;
		}
	}
	globfree(&g);
	if (!err && !n)
		err = -ENOENT;
	if (!err && result_pool(reps, n, r, &e)) {
		result_free(r);
		err = -EINVAL;
	}
	if (err) {
		if (err == -EINVAL)
			note_bad(&e);
		for (i = 0; i < n; i++)
			result_free(&reps[i]);
		free(reps);
	}
	return err;
}

/*
 * Read run_dir/sub/name.json into r, or its replicas pooled: 0, -ENOENT,
 * or -EINVAL when bad.
 */
static int load(const char *run_dir, const char *sub, const char *name,
		struct result *r)
{
	char path[4096];
	struct aerr e;

	snprintf(path, sizeof(path), "%s/%s/%s.json", run_dir, sub, name);
	if (access(path, F_OK))
		return load_replicas(run_dir, sub, name, r);
	if (result_load(path, r, &e)) {
		note_bad(&e);
		result_free(r);
		return -EINVAL;
	}
	return 0;
}

static void fill_cell(const struct result *r, const char *name,
		      struct sbs_cell *c)
{
	const struct phase *total = result_phase(r, "total");
	const struct phase *unp = result_phase(r, "total_unprobed");

	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->backend, sizeof(c->backend), "%s", r->cfg.backend);
	snprintf(c->wait, sizeof(c->wait), "%s", r->cfg.wait);
	c->emulated = r->cfg.emulated;
	c->p50 = total->p50_ns;
	c->p99 = total->p99_ns;
	c->max = total->max_ns;
	/* With sampled probes, the calls that stamped C0 and C7 only. */
	c->p50_unprobed = unp && unp->count > 0 ? unp->p50_ns : c->p50;
	c->cpu_client = isnan(r->cpu_client_ns) ? -1 : r->cpu_client_ns;
	c->cpu_shadow = isnan(r->cpu_shadow_ns) ? -1 : r->cpu_shadow_ns;
	c->ordering = r->cfg.ordering;
	ipi_split_of(r, &c->ipi);
	c->nrep = (int)replica_values(r, "total", c->rep_p50, 16);
	if ((int)replica_values(r, "total_unprobed", c->rep_p50_unprobed, 16) !=
	    c->nrep)
		memcpy(c->rep_p50_unprobed, c->rep_p50, sizeof(c->rep_p50));
	replica_spread(r, "total", &c->spread_between, &c->spread_within);
	c->baseline = r->baseline.has && r->baseline.p50_ns.n ?
		      median_of(r->baseline.p50_ns.v, r->baseline.p50_ns.n) : NAN;
	c->have = !isnan(c->p50) && !isnan(c->p99) && !isnan(c->max);
}

int sbs_load_cell(const char *run_dir, const char *sub, const char *name,
		  struct sbs_cell *c)
{
	struct result r;
	int err;

	memset(c, 0, sizeof(*c));
	c->cpu_client = c->cpu_shadow = -1;
	c->baseline = NAN;
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->sub, sizeof(c->sub), "%s", sub);
	err = load(run_dir, sub, name, &r);
	if (err)
		return err;
	fill_cell(&r, name, c);
	result_free(&r);
	return c->have ? 0 : -EINVAL;
}

int sbs_paired(const char *run_dir, const struct sbs_cell *a, const char *pa,
	       const struct sbs_cell *b, const char *pb, double state_limit,
	       struct paired *out)
{
	struct result ra, rb;
	int err;

	if (!a->sub[0] || !b->sub[0])
		return -ENOENT;
	err = load(run_dir, a->sub, a->name, &ra);
	if (err)
		return err;
	err = load(run_dir, b->sub, b->name, &rb);
	if (!err) {
		err = paired_ratio(&ra, pa, &rb, pb, state_limit, out);
		result_free(&rb);
	}
	result_free(&ra);
	return err;
}

/* The row's identity and raw peer, as its result records them. */
static void fill_row(const struct result *r, const char *sub,
		     const char *workload, struct sbs_row *row)
{
	snprintf(row->variant, sizeof(row->variant), "%.*s",
		 (int)sizeof(row->variant) - 1, sub);
	snprintf(row->scf.sub, sizeof(row->scf.sub), "%.*s",
		 (int)sizeof(row->scf.sub) - 1, sub);
	snprintf(row->name, sizeof(row->name), "%s", r->cfg.variant);
	row->probes = r->cfg.probes;
	row->order = r->cfg.order;
	fill_cell(r, workload, &row->scf);
	if (!r->cfg.has_raw_peer)
		snprintf(row->raw_why, sizeof(row->raw_why), "no raw peer recorded");
	else if (!r->cfg.raw_peer)
		snprintf(row->raw_why, sizeof(row->raw_why),
			 "no raw peer declared for %s", r->cfg.backend);
}

/* Declared order, then probes before no probes, then directory name. */
static int cmp_row(const void *a, const void *b)
{
	const struct sbs_row *x = a, *y = b;
	long long ox = x->order < 0 ? 1LL << 62 : x->order;
	long long oy = y->order < 0 ? 1LL << 62 : y->order;

	if (ox != oy)
		return ox < oy ? -1 : 1;
	if (x->probes != y->probes)
		return x->probes ? -1 : 1;
	return strcmp(x->variant, y->variant);
}

static void load_peers(const char *run_dir, const char *workload,
		       const struct result *r, struct sbs_row *row)
{
	bool null = !strcmp(workload, "null");
	char native[48];

	snprintf(native, sizeof(native), "native-%s", workload);
	/* The peers of null are the no-op ones: NOP, not a write. */
	sbs_load_cell(run_dir, "peers", native, &row->peer[SBS_NATIVE]);
	sbs_load_cell(run_dir, "peers", null ? "iouring-sqpoll-nop" :
		      "iouring-sqpoll", &row->peer[SBS_SQPOLL]);
	sbs_load_cell(run_dir, "peers", null ? "iouring-nop" : "iouring",
		      &row->peer[SBS_IOURING]);
	if (r->cfg.raw_peer)
		sbs_load_cell(run_dir, "peers", r->cfg.raw_peer,
			      &row->peer[SBS_RAW]);
}

int sbs_build(const char *run_dir, const char *workload, struct sbs_table *t)
{
	struct dirent **subs;
	int n, i;

	memset(t, 0, sizeof(*t));
	t->run_dir = run_dir;
	t->workload = workload;
	n = scandir(run_dir, &subs, NULL, alphasort);
	for (i = 0; i < n; i++) {
		const char *sub = subs[i]->d_name;
		struct sbs_row *row = &t->row[t->nrows];
		struct result r;

		if (sub[0] != '.' && strcmp(sub, "peers") && strcmp(sub, "plots") &&
		    t->nrows < SBS_MAX_ROWS && !load(run_dir, sub, workload, &r)) {
			fill_row(&r, sub, workload, row);
			if (row->scf.have) {
				load_peers(run_dir, workload, &r, row);
				t->nrows++;
			} else {
				memset(row, 0, sizeof(*row));
			}
			result_free(&r);
		}
		free(subs[i]);
	}
	if (n >= 0)
		free(subs);
	qsort(t->row, (size_t)t->nrows, sizeof(t->row[0]), cmp_row);
	return t->nrows;
}
