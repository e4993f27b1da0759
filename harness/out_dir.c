// SPDX-License-Identifier: MIT
/*
 * out_dir.c - --out checked before anything runs: an empty or too long
 * path, or a directory that cannot be created or written, is refused at
 * start with one line, not found after the whole run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "scf_file.h"

/*
 * Room left under --out for <variant>/<workload>.json and its temporary
 * twin; results.c builds them in buffers of 2048 and 4096 bytes.
 */
#define OUT_MAX		1024

int out_dir_check(const char *out)
{
	char probe[OUT_MAX + 32];
	int fd, err;

	if (!*out) {
		fprintf(stderr, "scf-bench: --out is empty: name a directory\n");
		return -1;
	}
	if (strlen(out) > OUT_MAX) {
		fprintf(stderr, "scf-bench: --out is %zu characters long; at "
			"most %d\n", strlen(out), OUT_MAX);
		return -1;
	}
	err = scf_mkdirs(out);
	if (err) {
		fprintf(stderr, "scf-bench: --out %s: cannot create: %s\n", out,
			strerror(-err));
		return -1;
	}
	snprintf(probe, sizeof(probe), "%s/.scf-write-XXXXXX", out);
	fd = mkstemp(probe);
	if (fd < 0) {
		fprintf(stderr, "scf-bench: --out %s: cannot write there: %s\n",
			out, strerror(errno));
		return -1;
	}
	close(fd);
	unlink(probe);
	return 0;
}
