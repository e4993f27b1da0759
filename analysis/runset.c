// SPDX-License-Identifier: MIT
/* runset.c - load every result of one run directory, in a fixed order. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "replicas.h"
#include "runset.h"

/*
 * Variants in the order their variant.mk declares (config.order), those
 * without one (older files) after them, the peers last.
 */
static int64_t rank_variant(const struct result *r)
{
	if (result_is_peer(r))
		return INT64_MAX;
	return r->cfg.order >= 0 ? r->cfg.order : INT64_MAX - 1;
}

int result_is_payload(const struct result *r)
{
	return !strncmp(r->name, "payload-", 8);
}

int result_is_peer(const struct result *r)
{
	return !strcmp(r->dir, "peers") || !strcmp(r->cfg.variant, "peers");
}

static int rank_workload(const struct result *r)
{
	if (!strcmp(r->name, "null"))
		return 0;
	if (!strcmp(r->name, "write"))
		return 1;
	return result_is_payload(r) ? 3 : 2;
}

static int cmp_result(const void *a, const void *b)
{
	const struct result *x = a, *y = b;
	int d;

	if (rank_variant(x) != rank_variant(y))
		return rank_variant(x) < rank_variant(y) ? -1 : 1;
	d = strcmp(x->dir, y->dir);
	if (d)
		return d;
	d = rank_workload(x) - rank_workload(y);
	if (d)
		return d;
	if (result_is_payload(x) && result_is_payload(y)) {
		d = strcmp(x->cfg.memsync, y->cfg.memsync);
		if (d)
			return d;
		if (x->cfg.payload != y->cfg.payload)
			return x->cfg.payload < y->cfg.payload ? -1 : 1;
	}
	d = strcmp(x->name, y->name);
	if (d)
		return d;
	return x->replica - y->replica;
}

/*
 * The replicas of one configuration (same directory and name, each with
 * config.replica) pooled into one result (replicas.h), in place: rs->r
 * is sorted, so they are neighbours.
 */
static int pool_replicas(struct runset *rs, struct aerr *e)
{
	size_t i = 0, j, out = 0;

	while (i < rs->n) {
		struct result *r = &rs->r[i], *reps;

		for (j = i + 1; r->replicas && j < rs->n && rs->r[j].replicas &&
		     !strcmp(rs->r[j].dir, r->dir) &&
		     !strcmp(rs->r[j].name, r->name); j++)
			;
		if (!r->replicas) {
			rs->r[out++] = *r;
			i++;
			continue;
		}
		reps = xcalloc(j - i, sizeof(*reps));
		memcpy(reps, r, (j - i) * sizeof(*reps));
		if (result_pool(reps, j - i, &rs->r[out], e)) {
			/* The caller frees rs->r[0..n): those pooled so far. */
			result_free(&rs->r[out]);
			for (size_t k = 0; k < j - i; k++)
				result_free(&reps[k]);
			free(reps);
			for (i = j; i < rs->n; i++)
				result_free(&rs->r[i]);
			rs->n = out;
			return -1;
		}
		out++;
		i = j;
	}
	rs->n = out;
	return 0;
}

static int wanted(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	/* compare.json sits in a run directory, never in a variant one */
	return d->d_name[0] != '.' && n > 5 && !strcmp(d->d_name + n - 5, ".json") &&
	       strcmp(d->d_name, "compare.json");
}

static int subdir(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;
	int ok = name[0] != '.' && strcmp(name, "plots") &&
		 !stat(p, &st) && S_ISDIR(st.st_mode);

	free(p);
	return ok;
}

int is_run_dir(const char *dir)
{
	struct dirent **subs;
	int n, i, found = 0;

	n = scandir(dir, &subs, NULL, alphasort);
	if (n < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		if (!found && subdir(dir, subs[i]->d_name)) {
			char *p = xasprintf("%s/%s", dir, subs[i]->d_name);
			struct dirent **f;
			int m = scandir(p, &f, wanted, alphasort), k;

			found = m > 0;
			for (k = 0; k < m; k++)
				free(f[k]);
			if (m >= 0)
				free(f);
			free(p);
		}
		free(subs[i]);
	}
	free(subs);
	return found;
}

/* The first line of dir/INCOMPLETE, or NULL where there is none. */
static char *read_mark(const char *dir)
{
	char *path = xasprintf("%s/INCOMPLETE", dir), line[512] = "";
	FILE *f = fopen(path, "r");

	free(path);
	if (!f)
		return NULL;
	if (!fgets(line, sizeof(line), f) || !line[0])
		snprintf(line, sizeof(line), "no reason given");
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	return xstrdup(line);
}

int runset_load(const char *dir, struct runset *rs, struct aerr *e)
{
	struct dirent **subs;
	int n, i, failed = 0;

	memset(rs, 0, sizeof(*rs));
	rs->dir = xstrdup(dir);
	rs->host = path_base(dir);
	n = scandir(dir, &subs, NULL, alphasort);
	if (n < 0)
		return aerr_set(e, "%s: cannot read: %s", dir, strerror(errno));
	for (i = 0; i < n; i++) {
		const char *name = subs[i]->d_name;
		struct dirent **files;
		char *p;
		int m, j;

		if (!subdir(dir, name))
			continue;
		p = xasprintf("%s/%s", dir, name);
		m = scandir(p, &files, wanted, alphasort);
		for (j = 0; j < m; j++) {
			char *f = xasprintf("%s/%s", p, files[j]->d_name);

			if (!failed) {
				rs->r = xrealloc(rs->r, (rs->n + 1) * sizeof(*rs->r));
				failed = result_load(f, &rs->r[rs->n], e);
				if (failed)
					result_free(&rs->r[rs->n]);
				else
					rs->n++;
			}
			free(f);
			free(files[j]);
		}
		if (m >= 0)
			free(files);
		free(p);
	}
	for (i = 0; i < n; i++)
		free(subs[i]);
	free(subs);
	if (failed)
		return -1;
	if (!rs->n)
		return aerr_set(e, "%s: no results (no <variant>/<workload>.json files)",
				dir);
	qsort(rs->r, rs->n, sizeof(*rs->r), cmp_result);
	if (pool_replicas(rs, e))
		return -1;
	rs->incomplete = read_mark(dir);
	return 0;
}

void runset_free(struct runset *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		result_free(&rs->r[i]);
	free(rs->r);
	free(rs->dir);
	free(rs->host);
	free(rs->incomplete);
	memset(rs, 0, sizeof(*rs));
}

const struct result *runset_find(const struct runset *rs, const char *vdir,
				 const char *name)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (!strcmp(rs->r[i].dir, vdir) && !strcmp(rs->r[i].name, name))
			return &rs->r[i];
	return NULL;
}
