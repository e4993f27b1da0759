// SPDX-License-Identifier: MIT
/*
 * input_check.c - what scf-bench's options name, checked before anything
 * runs: the CPUs exist, --root is a directory, the shadow is a file this
 * user may execute.  Each failure is one line naming what was wrong; the
 * caller exits 2 before the INCOMPLETE mark, as nothing was measured.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "scf_sched.h"

static int check_cpus(const struct bench *b)
{
	int ncpu = scf_cpus_online();

	if (b->client_cpu < ncpu && b->shadow_cpu < ncpu)
		return 0;
	fprintf(stderr, "scf-bench: --cpus %d,%d: this machine has CPUs 0-%d\n",
		b->client_cpu, b->shadow_cpu, ncpu - 1);
	return -1;
}

/* The shadow opens it as its --root: an existing directory. */
static int check_root(const char *root)
{
	struct stat st;

	if (!*root) {
		fprintf(stderr, "scf-bench: --root is empty: name a directory\n");
		return -1;
	}
	if (stat(root, &st)) {
		fprintf(stderr, "scf-bench: --root %s: %s\n", root,
			strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "scf-bench: --root %s: not a directory\n", root);
		return -1;
	}
	return 0;
}

/* What execv() would refuse, said before the run instead of after. */
static int check_shadow(const char *path)
{
	struct stat st;

	if (!*path) {
		fprintf(stderr, "scf-bench: --shadow is empty: name scf-shadow\n");
		return -1;
	}
	if (stat(path, &st)) {
		fprintf(stderr, "scf-bench: --shadow %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "scf-bench: --shadow %s: not a file\n", path);
		return -1;
	}
	if (access(path, X_OK)) {
		fprintf(stderr, "scf-bench: --shadow %s: not executable: %s\n",
			path, strerror(errno));
		return -1;
	}
	return 0;
}

int input_check(const struct bench *b, const struct sel *sel)
{
	bool fwd = false;
	int i;

	for (i = 0; i < sel->n; i++)
		fwd |= sel->w[i]->kind == WL_FWD;
	if (check_cpus(b))
		return -1;
	if (b->root && check_root(b->root))
		return -1;
	/* Only a forwarded workload starts the shadow. */
	if (fwd && check_shadow(b->shadow_path))
		return -1;
	return 0;
}
