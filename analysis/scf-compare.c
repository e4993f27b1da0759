// SPDX-License-Identifier: MIT
/*
 * scf-compare BASE_DIR HEAD_DIR [--threshold PCT] [--alpha P] [--min-ns NS]
 *             [--normalize]
 *
 * BASE_DIR and HEAD_DIR are two results/<commit>[-dirty] directories (every
 * host present in both is compared) or two results/<commit>/<host>
 * directories.  Prints the comparison table, writes compare.json into each
 * HEAD host directory and BASE-vs-HEAD plots of the rows that moved into
 * its plots/.  Exit 1 when a row regressed significantly, 0 when none did,
 * 2 on bad input (usage, a missing directory, a bad result file).
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compare.h"

static void usage(FILE *f)
{
	fputs("usage: scf-compare BASE_DIR HEAD_DIR [--threshold PCT] [--alpha P] [--min-ns NS]\n"
	      "                   [--normalize] [--allow-incomplete]\n"
	      "  BASE_DIR, HEAD_DIR: results/<commit>[-dirty] (every common host)\n"
	      "                      or results/<commit>[-dirty]/<host>\n"
	      "  --allow-incomplete  give verdicts on runs marked INCOMPLETE\n"
	      "  --threshold PCT     p50 change that counts, in % of the phase and in %\n"
	      "                      of total (default 5)\n"
	      "  --alpha P           significance level of the U test (default 0.01)\n"
	      "  --min-ns NS         and in ns (default 0)\n"
	      "  --normalize         test per-sample phase/baseline ratios instead of ns\n"
	      "                      (scf-bench/2 baselines); without it, a baseline that\n"
	      "                      moved > threshold % marks its rows \"machine changed\"\n"
	      "writes compare.json (schema " SCF_COMPARE_SCHEMA ") and plots into each\n"
	      "HEAD host directory\n"
	      "exit 0: no significant regression, 1: at least one, 2: bad input\n", f);
}

static int parse_num(const char *opt, const char *s, double lo, double hi,
		     double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s ? s : "", &end);
	if (!s || !*s || *end || errno || !(*out >= lo && *out <= hi)) {
		fprintf(stderr, "scf-compare: %s: bad value '%s' (want %g..%g)\n",
			opt, s ? s : "", lo, hi);
		return -1;
	}
	return 0;
}

/* The commit part of a name: results/<commit>/<host> -> <commit>. */
static char *commit_name(const char *dir, int host_level)
{
	char *d = xstrdup(dir), *s, *b;

	while ((s = strrchr(d, '/')) && s[1] == '\0' && s != d)
		*s = '\0';
	if (host_level) {
		s = strrchr(d, '/');
		if (s)
			*s = '\0';
		else
			strcpy(d, ".");
	}
	b = path_base(d);
	free(d);
	return b;
}

struct pair {
	char *base, *head;
};

/* Pair host directories.  Number of pairs, or -1 after an error line. */
static int pair_dirs(const char *base, const char *head, struct pair **out)
{
	int rb = is_run_dir(base), rh = is_run_dir(head), n = 0, i, m;
	struct dirent **subs;

	*out = NULL;
	if (rb < 0 || rh < 0) {
		fprintf(stderr, "scf-compare: %s: cannot read: %s\n",
			rb < 0 ? base : head, strerror(-(rb < 0 ? rb : rh)));
		return -1;
	}
	if (rb && rh) {
		*out = xcalloc(1, sizeof(**out));
		(*out)[0].base = xstrdup(base);
		(*out)[0].head = xstrdup(head);
		return 1;
	}
	if (rb || rh) {
		fprintf(stderr, "scf-compare: %s is a host directory but %s is not: give two results/<commit> or two results/<commit>/<host> directories\n",
			rb ? base : head, rb ? head : base);
		return -1;
	}
	m = scandir(head, &subs, NULL, alphasort);
	if (m < 0) {
		fprintf(stderr, "scf-compare: %s: cannot read: %s\n", head, strerror(errno));
		return -1;
	}
	for (i = 0; i < m; i++) {
		char *h = xasprintf("%s/%s", head, subs[i]->d_name);
		char *b = xasprintf("%s/%s", base, subs[i]->d_name);

		if (subs[i]->d_name[0] != '.' && is_run_dir(h) == 1) {
			if (is_run_dir(b) == 1) {
				*out = xrealloc(*out, (size_t)(n + 1) * sizeof(**out));
				(*out)[n].base = b;
				(*out)[n++].head = h;
				b = h = NULL;
			} else {
				printf("only in HEAD: host %s\n", subs[i]->d_name);
			}
		}
		free(h);
		free(b);
		free(subs[i]);
	}
	free(subs);
	if (!n)
		fprintf(stderr, "scf-compare: %s, %s: no host directory with results on both sides\n",
			base, head);
	return n ? n : -1;
}

/*
 * A run marked INCOMPLETE gives no verdicts unless allowed: then it is
 * named on stdout before its rows.  Non-zero when refused.
 */
static int incomplete(const struct runset *rs, bool allow)
{
	if (!rs->incomplete)
		return 0;
	if (!allow) {
		fprintf(stderr, "scf-compare: %s is INCOMPLETE (%s): no verdicts "
			"on it without --allow-incomplete\n", rs->dir,
			rs->incomplete);
		return -1;
	}
	printf("note: %s is INCOMPLETE (%s)\n", rs->dir, rs->incomplete);
	return 0;
}

/* Do a and b name one directory (however spelled)? */
static bool same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

int main(int argc, char **argv)
{
	double threshold = 5, alpha = 0.01, min_ns = 0;
	const char *dirs[2] = { NULL, NULL };
	bool normalize = false, allow_incomplete = false;
	struct pair *pairs;
	int i, n, nd = 0, rc = 0, host_level;
	char *bname, *hname;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--normalize")) {
			normalize = true;
		} else if (!strcmp(argv[i], "--allow-incomplete")) {
			allow_incomplete = true;
		} else if (!strncmp(argv[i], "--threshold", 11) ||
			   !strncmp(argv[i], "--alpha", 7) ||
			   !strncmp(argv[i], "--min-ns", 8)) {
			int which = argv[i][2] == 't' ? 0 : argv[i][2] == 'a' ? 1 : 2;
			const char *opt = which == 0 ? "--threshold" :
					  which == 1 ? "--alpha" : "--min-ns";
			const char *eq = argv[i] + strlen(opt);
			const char *val = NULL;

			if (*eq == '=')
				val = eq + 1;
			else if (*eq == '\0' && i + 1 < argc)
				val = argv[++i];
			else if (*eq != '\0')
				goto unknown;
			if (which == 0 ? parse_num(opt, val, 0, 1e6, &threshold) :
			    which == 1 ? parse_num(opt, val, 1e-300, 1, &alpha) :
			    parse_num(opt, val, 0, 1e12, &min_ns))
				return 2;
		} else if (argv[i][0] == '-' && argv[i][1]) {
unknown:
			fprintf(stderr, "scf-compare: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		} else if (nd < 2) {
			dirs[nd++] = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (nd != 2) {
		usage(stderr);
		return 2;
	}
	if (same_dir(dirs[0], dirs[1])) {
		fprintf(stderr, "scf-compare: %s and %s are the same run: "
			"nothing to compare\n", dirs[0], dirs[1]);
		return 2;
	}
	n = pair_dirs(dirs[0], dirs[1], &pairs);
	if (n < 0)
		return 2;
	host_level = is_run_dir(dirs[0]) == 1;
	bname = commit_name(dirs[0], host_level);
	hname = commit_name(dirs[1], host_level);
	for (i = 0; i < n && rc != 2; i++) {
		struct runset base = { 0 }, head = { 0 };
		struct comparison c;
		struct aerr e;
		char *path, *plots;
		json_t *doc;
		int err;

		if (runset_load(pairs[i].base, &base, &e) ||
		    runset_load(pairs[i].head, &head, &e)) {
			fprintf(stderr, "scf-compare: %s\n", e.msg);
			rc = 2;
			runset_free(&base);
			runset_free(&head);
			break;
		}
		if (incomplete(&base, allow_incomplete) ||
		    incomplete(&head, allow_incomplete)) {
			rc = 2;
			runset_free(&base);
			runset_free(&head);
			break;
		}
		compare_runsets(&base, &head, threshold, alpha, min_ns, normalize,
				&c);
		compare_print(stdout, &c, bname, hname);
		fflush(stdout);
		doc = compare_json(&c, bname, hname);
		path = xasprintf("%s/compare.json", pairs[i].head);
		err = atomic_write_json(path, doc);
		if (err) {
			fprintf(stderr, "scf-compare: %s: %s\n", path, strerror(-err));
			rc = 2;
		} else {
			printf("wrote %s\n", path);
		}
		json_decref(doc);
		plots = xasprintf("%s/plots", pairs[i].head);
		compare_plots(&c, plots, bname, hname, stdout);
		if (c.regressions && rc == 0)
			rc = 1;
		free(plots);
		free(path);
		comparison_free(&c);
		runset_free(&base);
		runset_free(&head);
	}
	for (i = 0; i < n; i++) {
		free(pairs[i].base);
		free(pairs[i].head);
	}
	free(pairs);
	free(bname);
	free(hname);
	return rc;
}
