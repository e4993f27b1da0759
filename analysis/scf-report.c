// SPDX-License-Identifier: MIT
/*
 * scf-report RUN_DIR - plots and report.md for one stored run,
 * results/<commit>[-dirty]/<host>.
 *
 * Reads every <variant>/<workload>.json (results/README.md), draws
 * RUN_DIR/plots/ (PNG and SVG) with gnuplot, and writes RUN_DIR/report.md;
 * every file is written to a temporary name and renamed into place.
 * Exit 0; 1 when a plot or the report could not be written; 2 on bad
 * input (one line naming the file and the field).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static void usage(FILE *f)
{
	fputs("usage: scf-report RUN_DIR\n"
	      "  RUN_DIR is results/<commit>[-dirty]/<host>; writes RUN_DIR/plots/\n"
	      "  and RUN_DIR/report.md from RUN_DIR/<variant>/<workload>.json\n", f);
}

int main(int argc, char **argv)
{
	struct report_items items = { 0 };
	struct plotter p;
	struct runset rs;
	struct aerr e = { "" };
	char *plots, *md_path, *buf = NULL;
	size_t len = 0, i, drawn = 0, notes = 0;
	FILE *md;
	int err, rc = 0;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc != 2) {
		usage(stderr);
		return 2;
	}
	if (runset_load(argv[1], &rs, &e)) {
		fprintf(stderr, "scf-report: %s\n", e.msg);
		runset_free(&rs);
		return 2;
	}
	if (rs.incomplete)
		fprintf(stderr, "scf-report: %s is INCOMPLETE: %s\n", argv[1],
			rs.incomplete);
	plots = xasprintf("%s/plots", argv[1]);
	if (plotter_open(&p, plots, &e)) {
		fprintf(stderr, "scf-report: %s\n", e.msg);
		free(plots);
		runset_free(&rs);
		return 1;
	}
	report_plots(&rs, &p, &items);
	plotter_close(&p);

	md = open_memstream(&buf, &len);
	if (!md) {
		perror("scf-report: open_memstream");
		return 1;
	}
	report_md(md, &rs, &items);
	fclose(md);
	md_path = xasprintf("%s/report.md", argv[1]);
	err = scf_write_atomic(md_path, buf, len);
	if (err) {
		fprintf(stderr, "scf-report: %s: %s\n", md_path, strerror(-err));
		rc = 1;
	}
	for (i = 0; i < items.n; i++) {
		if (items.v[i].name) {
			drawn++;
		} else {
			notes++;
			fprintf(stderr, "scf-report: note: %s\n", items.v[i].text);
			if (strstr(items.v[i].text, "not drawn"))
				rc = 1;
		}
	}
	report_quality_terminal(stdout, &rs);
	if (!err)
		printf("scf-report: %s: %zu results, %zu plots, %zu notes\n",
		       md_path, rs.n, drawn, notes);
	report_items_free(&items);
	free(buf);
	free(md_path);
	free(plots);
	runset_free(&rs);
	return rc;
}
