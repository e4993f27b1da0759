/* SPDX-License-Identifier: MIT */
/*
 * variant_decl.h - what variants/<v>/variant.mk declares about the variant
 * this scf-bench was built for (v_ORDER and v_RAW_PEERS, passed in
 * by the top-level Makefile), as recorded in every result's config block.
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

#endif
