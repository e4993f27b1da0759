// SPDX-License-Identifier: MIT
/*
 * variant_decl.c - the variant's own declarations (variant_decl.h), from
 * the strings variants/<v>/variant.mk hands to the compiler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "variant_decl.h"

/* Builds outside the top-level rules (tests) declare nothing. */
#ifndef SCF_VARIANT_ORDER
#define SCF_VARIANT_ORDER	99
#endif
#ifndef SCF_RAW_PEERS
#define SCF_RAW_PEERS		""
#endif

/* "backend=peer …": the peer of backend, or NULL. */
static json_t *raw_peer(const char *backend)
{
	char *list = strdup(SCF_RAW_PEERS), *tok, *save, *eq;
	json_t *peer = NULL;

	for (tok = list ? strtok_r(list, " ", &save) : NULL; tok && !peer;
	     tok = strtok_r(NULL, " ", &save)) {
		eq = strchr(tok, '=');
		if (eq && *(eq + 1) && (size_t)(eq - tok) == strlen(backend) &&
		    !strncmp(tok, backend, (size_t)(eq - tok)))
			peer = json_string(eq + 1);
	}
	free(list);
	return peer ? peer : json_null();
}

void variant_decl_json(json_t *config, const char *backend)
{
	json_object_set_new(config, "order", json_integer(SCF_VARIANT_ORDER));
	json_object_set_new(config, "raw_peer", raw_peer(backend));
}
