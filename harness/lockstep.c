// SPDX-License-Identifier: MIT
/*
 * lockstep.c - the scf-bench side of scf-interleave's token.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "interleave_group.h"
#include "lockstep.h"

static int tok_r = -1, tok_w = -1;

static void take(void)
{
	char c;

	while (read(tok_r, &c, 1) < 0 && errno == EINTR && !bench_interrupted)
		;
}

int lockstep_init(void)
{
	const char *v = getenv("SCF_LOCKSTEP_FDS");

	if (interleave_group_init())
		return -1;
	if (!v || !*v)
		return 0;
	if (sscanf(v, "%d,%d", &tok_r, &tok_w) != 2 || tok_r < 0 ||
	    tok_w < 0 || fcntl(tok_r, F_GETFD) < 0 || fcntl(tok_w, F_GETFD) < 0) {
		fprintf(stderr, "scf-bench: bad SCF_LOCKSTEP_FDS '%s': want "
			"two open fds R,W\n", v);
		return -1;
	}
	/* Ours alone: the shadow and the peers must not hold the pipes open. */
	fcntl(tok_r, F_SETFD, FD_CLOEXEC);
	fcntl(tok_w, F_SETFD, FD_CLOEXEC);
	take();
	return 0;
}

bool lockstep_on(void)
{
	return tok_r >= 0;
}

void lockstep_yield(bool round_done)
{
	if (tok_r < 0)
		return;
	fflush(stdout);
	while (write(tok_w, round_done ? "r" : "t", 1) < 0 && errno == EINTR)
		;
	take();
}
