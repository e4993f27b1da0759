/* SPDX-License-Identifier: MIT */
/*
 * variant_decl.h - what variants/<v>/variant.mk declares about the variant
 * this scf-bench was built for (v_ORDER, v_RAW_PEERS and v_IDLE, passed
 * in by the top-level Makefile), as recorded in every result's config
 * block.
 */
#ifndef SCF_VARIANT_DECL_H
#define SCF_VARIANT_DECL_H

#include <jansson.h>

/*
 * Add "order" and "raw_peer" (the peer workload the backend in use is
 * compared with, or null when the variant declares none for it) to a
 * result's config.
 */
void variant_decl_json(json_t *config, const char *backend);

/* The idle the variant declares for backend ("poll", "halt"), or NULL. */
const char *variant_decl_idle(const char *backend);

#endif
