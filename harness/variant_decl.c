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
#ifndef SCF_IDLE_DEFAULTS
#define SCF_IDLE_DEFAULTS	""
#endif

/* "backend=value …": backend's value, malloc'd, or NULL. */
static char *lookup(const char *pairs, const char *backend)
{
	char *list = strdup(pairs), *tok, *save, *eq, *val = NULL;

	for (tok = list ? strtok_r(list, " ", &save) : NULL; tok && !val;
	     tok = strtok_r(NULL, " ", &save)) {
		eq = strchr(tok, '=');
		if (eq && *(eq + 1) && (size_t)(eq - tok) == strlen(backend) &&
		    !strncmp(tok, backend, (size_t)(eq - tok)))
			val = strdup(eq + 1);
	}
	free(list);
	return val;
}

static json_t *raw_peer(const char *backend)
{
	char *peer = lookup(SCF_RAW_PEERS, backend);
	json_t *j = peer ? json_string(peer) : json_null();

	free(peer);
	return j;
}

const char *variant_decl_idle(const char *backend)
{
	char *v = backend ? lookup(SCF_IDLE_DEFAULTS, backend) : NULL;
	const char *idle = NULL;

	if (v && !strcmp(v, "halt"))
		idle = "halt";
	else if (v && !strcmp(v, "poll"))
		idle = "poll";
	free(v);
	return idle;
}

void variant_decl_json(json_t *config, const char *backend)
{
	json_object_set_new(config, "order", json_integer(SCF_VARIANT_ORDER));
	json_object_set_new(config, "raw_peer", raw_peer(backend));
}
