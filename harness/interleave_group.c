// SPDX-License-Identifier: MIT
/*
 * interleave_group.c - SCF_INTERLEAVE_GROUP, checked once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interleave_group.h"

static char group[64];		/* "" when none */

int interleave_group_init(void)
{
	const char *g = getenv("SCF_INTERLEAVE_GROUP");
	size_t n;

	if (!g || !*g)
		return 0;
	/* It goes into JSON and file listings as is: a short plain word. */
	n = strlen(g);
	if (n >= sizeof(group) ||
	    strspn(g, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		   "0123456789-_.:") != n) {
		fprintf(stderr, "scf-bench: bad SCF_INTERLEAVE_GROUP '%s': want 1 "
			"to %zu of [A-Za-z0-9-_.:]\n", g, sizeof(group) - 1);
		return -1;
	}
	memcpy(group, g, n + 1);
	return 0;
}

const char *interleave_group(void)
{
	return group[0] ? group : NULL;
}
