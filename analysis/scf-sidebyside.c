// SPDX-License-Identifier: MIT
/*
 * scf-sidebyside - print the side-by-side table of one run directory
 * (results/<commit>/<host>) in the terminal, or as markdown.
 *
 *   scf-sidebyside [--markdown] [--out FILE] RUN_DIR
 *
 * Exit 0, 1 when RUN_DIR holds no null or write result, 2 on bad usage
 * or when FILE cannot be written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scf_file.h"
#include "sidebyside.h"

int main(int argc, char **argv)
{
	enum sbs_format fmt = SBS_TERMINAL;
	const char *dir = NULL, *out = NULL;
	FILE *f = stdout;
	char *text = NULL;
	size_t len = 0;
	int i, err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--markdown"))
			fmt = SBS_MARKDOWN;
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else
			dir = NULL, i = argc;
	}
	if (!dir) {
		fprintf(stderr, "usage: scf-sidebyside [--markdown] [--out FILE] "
			"RUN_DIR\n");
		return 2;
	}
	/* --out: build the text in memory, then write it whole or not at all */
	if (out && !(f = open_memstream(&text, &len))) {
		fprintf(stderr, "scf-sidebyside: %s\n", strerror(errno));
		return 2;
	}
	err = sbs_print(f, dir, fmt);
	if (sbs_bad_result()) {
		/* Its row would be missing: nothing is written. */
		fprintf(stderr, "scf-sidebyside: %s\n", sbs_bad_result());
		if (out) {
			fclose(f);
			free(text);
		}
		return 2;
	}
	if (err)
		fprintf(stderr, "scf-sidebyside: %s: %s\n", dir, err == -ENOENT ?
			"no null or write result of any variant" : strerror(-err));
	if (out) {
		int werr = fclose(f) ? -errno : scf_write_atomic(out, text, len);

		free(text);
		if (werr) {
			fprintf(stderr, "scf-sidebyside: %s: %s\n", out,
				strerror(-werr));
			return 2;
		}
	}
	return err ? 1 : 0;
}
