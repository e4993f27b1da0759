/* SPDX-License-Identifier: MIT */
/*
 * envelope.h - what every result file of scf-bench and scf-run begins
 * with, written by one piece of code: the schema it follows, and the
 * machine it was taken on ("context": host, kernel, cpu_model, tsc_hz).
 * Each writer then adds its own context fields and body.
 */
#ifndef ENVELOPE_H
#define ENVELOPE_H

#include <jansson.h>
#include <stdint.h>

/* {"schema": schema, "context": {...}}; NULL when out of memory. */
json_t *envelope_new(const char *schema, uint64_t tsc_hz);

/* root's context object, for the writer's own fields (borrowed). */
json_t *envelope_context(json_t *root);

/*
 * root dumped with jansson's flags into path, atomically: the file is
 * whole or absent.  0 or -errno; the caller says what failed.
 */
int envelope_write(const char *path, const json_t *root, size_t flags);

#endif /* ENVELOPE_H */
