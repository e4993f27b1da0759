// SPDX-License-Identifier: MIT
/*
 * turns.c - scf-run under scf-interleave: one scf-run process is one
 * sample.  With SCF_LOCKSTEP_FDS="R,W" (harness/lockstep.h) it waits
 * for its turn (a byte on R) before it calibrates and starts the shadow,
 * and ends its round (the byte 'r' on W) as it exits, so a loop of
 * scf-run processes takes turns with scf-bench's samples, round by
 * round, on the same machine state.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "run.h"

static int tok_r = -1, tok_w = -1;

int run_turn_take(void)
{
	const char *v = getenv("SCF_LOCKSTEP_FDS");
	char c;

	if (!v || !*v)
		return 0;
	if (sscanf(v, "%d,%d", &tok_r, &tok_w) != 2 || tok_r < 0 ||
	    tok_w < 0 || fcntl(tok_r, F_GETFD) < 0 || fcntl(tok_w, F_GETFD) < 0) {
		fprintf(stderr, "scf-run: bad SCF_LOCKSTEP_FDS '%s': want two "
			"open fds R,W\n", v);
		return -1;
	}
	/* Ours alone: the shadow and the program never hold them. */
	fcntl(tok_r, F_SETFD, FD_CLOEXEC);
	fcntl(tok_w, F_SETFD, FD_CLOEXEC);
	while (read(tok_r, &c, 1) < 0 && errno == EINTR)
		;
	return 0;
}

void run_turn_end(void)
{
	if (tok_w < 0 || runtime.child)
		return;
	while (write(tok_w, "r", 1) < 0 && errno == EINTR)
		;
	tok_w = -1;
}
