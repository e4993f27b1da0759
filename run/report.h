/* SPDX-License-Identifier: MIT */
/*
 * report.h - the end of a run (report.c): the per-call table on stderr
 * and the SCF_RUN_SCHEMA file (--out).
 */
#ifndef RUN_REPORT_H
#define RUN_REPORT_H

void run_report(int status, double wall_ns, double native_ns);
int run_write_json(const char *path, int status, double wall_ns,
		   double native_ns);

#endif /* RUN_REPORT_H */
