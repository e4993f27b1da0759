// SPDX-License-Identifier: MIT
/*
 * scf-sidebyside - print the side-by-side table of one run directory
 * (results/<commit>/<host>) in the terminal, or as markdown.
 *
 *   scf-sidebyside [--markdown] [--out FILE] RUN_DIR
 *
 * Exit 0, 1 when RUN_DIR holds no null or write result, 2 on bad usage,
 * a RUN_DIR that is not a directory, a bad result, or when FILE cannot be
 * written.  FILE is written whole (a temporary file renamed) or not at
 * all: a run with no table leaves no FILE.  A run marked INCOMPLETE is
 * named in one line at the top of the table, as scf-compare names it
 * (and, with --out, on stderr too).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scf_file.h"
#include "sidebyside.h"

/* The first line of dir/INCOMPLETE into line; false where there is none. */
static bool incomplete_mark(const char *dir, char *line, size_t size)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/INCOMPLETE", dir);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(line, (int)size, f) || !line[0] || line[0] == '\n')
		snprintf(line, size, "no reason given");
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	return true;
}

int main(int argc, char **argv)
{
	enum sbs_format fmt = SBS_TERMINAL;
	const char *dir = NULL, *out = NULL;
	char mark[512];
	struct stat st;
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
	if (stat(dir, &st)) {
		fprintf(stderr, "scf-sidebyside: %s: %s\n", dir, strerror(errno));
		return 2;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "scf-sidebyside: %s: not a directory\n", dir);
		return 2;
	}
	/* --out: build the text in memory, then write it whole or not at all */
	if (out && !(f = open_memstream(&text, &len))) {
		fprintf(stderr, "scf-sidebyside: %s\n", strerror(errno));
		return 2;
	}
	if (incomplete_mark(dir, mark, sizeof(mark))) {
		fprintf(f, "note: %s is INCOMPLETE (%s)\n%s", dir, mark,
			fmt == SBS_MARKDOWN ? "\n" : "");
		if (out)
			fprintf(stderr, "scf-sidebyside: note: %s is INCOMPLETE "
				"(%s)\n", dir, mark);
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
	if (out && err) {
		/* No table: FILE is not made, nor an old one emptied. */
		fclose(f);
		free(text);
	} else if (out) {
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
