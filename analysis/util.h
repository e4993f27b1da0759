/* SPDX-License-Identifier: MIT */
/*
 * util.h - errors, strings and atomic file output for the analysis tools.
 *
 * Errors are carried in a struct aerr as one line "FILE: FIELD: problem"
 * so that every tool prints the same kind of message for bad input.
 */
#ifndef ANALYSIS_UTIL_H
#define ANALYSIS_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

#include "scf_file.h"

struct aerr {
	char msg[1024];
};

__attribute__((format(printf, 2, 3)))
int aerr_set(struct aerr *e, const char *fmt, ...);

/* malloc'd printf; aborts on out-of-memory (a tool, not a library). */
__attribute__((format(printf, 1, 2)))
char *xasprintf(const char *fmt, ...);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

/*
 * Write a JSON document (jansson, indented, trailing newline) atomically
 * with scf_write_atomic() (common/host/scf_file.h), as every file is.
 */
int atomic_write_json(const char *path, const json_t *doc);

/* Last path component without trailing slashes, malloc'd. */
char *path_base(const char *path);

#endif /* ANALYSIS_UTIL_H */
