// SPDX-License-Identifier: MIT
/*
 * incomplete.c - the INCOMPLETE mark of a results directory: written
 * when a run starts, given the reason when it fails or is interrupted,
 * removed only when it succeeds.  A run killed outright (SIGKILL, a
 * power cut) leaves the first version, which says it never finished.
 *
 * A mark already there belongs to whoever wrote it (`make bench`, which
 * runs several scf-bench into one directory and removes its own mark
 * after the last): scf-bench then only adds its reason on failure.
 *
 * The mark is begun once the CPUs are pinned and calibrated: a run that
 * stops before (bad input, exit 2) never started.  One whose shadow
 * exits before it is ready withdraws it, as no sample ran.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "scf_file.h"

#define MARK	"INCOMPLETE"

static char mark_path[1100];
static bool owned;

static void write_mark(const char *text)
{
	scf_write_atomic(mark_path, text, strlen(text));
}

void incomplete_begin(const char *out_dir)
{
	char text[256];
	time_t now = time(NULL);

	snprintf(mark_path, sizeof(mark_path), "%s/" MARK, out_dir);
	if (!access(mark_path, F_OK))
		return;
	snprintf(text, sizeof(text), "scf-bench (pid %d) started %.24s and "
		 "has not finished\n", (int)getpid(), ctime(&now));
	write_mark(text);
	owned = true;
}

void incomplete_end(int rc, const char *reason)
{
	char text[512];

	if (!mark_path[0])
		return;
	if (!rc) {
		if (owned)
			unlink(mark_path);
		return;
	}
	snprintf(text, sizeof(text), "scf-bench (pid %d): %s (exit %d)\n",
		 (int)getpid(), reason, rc);
	write_mark(text);
}

void incomplete_withdraw(void)
{
	if (mark_path[0] && owned)
		unlink(mark_path);
	mark_path[0] = 0;
	owned = false;
}
