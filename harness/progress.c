// SPDX-License-Identifier: MIT
/*
 * progress.c - what scf-bench says on stderr while it runs.  A terminal
 * gets one live line, redrawn per sample; a log or a pipe gets one line
 * per run instead of one per sample, which made a default run's log
 * hundreds of lines long.
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "harness.h"

static bool quiet, tty;

void progress_init(bool q)
{
	quiet = q;
	tty = isatty(2);
}

void progress_sample(int k, int nk, const char *dir, const char *name,
		     uint32_t sample, uint32_t samples)
{
	if (quiet)
		return;
	if (tty)
		fprintf(stderr, "\r\033[Kscf-bench: [%d/%d] %s/%s sample %u/%u",
			k, nk, dir, name, sample, samples);
	else if (sample == 1)
		fprintf(stderr, "scf-bench: [%d/%d] %s/%s, %u samples\n",
			k, nk, dir, name, samples);
}

void progress_clear(void)
{
	if (!quiet && tty)
		fputs("\r\033[K", stderr);
}

void progress_say(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	progress_clear();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
