// SPDX-License-Identifier: MIT
/*
 * fuzz_result.c - libFuzzer target for the analysis tools' result-JSON
 * reader: any bytes, parsed as scf-report and scf-compare parse a result
 * file, must give a loaded result or one error line, never a crash, a
 * leak or undefined behaviour.
 */
#include <stdio.h>
#include <string.h>

#include "result.h"

/* The reader under test: the one line to change when it moves. */
#define READ_RESULT(path, root, r, e)	result_from_json(path, root, r, e)

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct result r;
	struct aerr e;
	json_error_t je;
	json_t *root;

	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
			  &je);
	if (!root)
		return 0;
	memset(&e, 0, sizeof(e));
	if (READ_RESULT("fuzz/poll/write.json", root, &r, &e) &&
	    !strchr(e.msg, ':')) {
		fprintf(stderr, "fuzz_result: error without a field: '%s'\n",
			e.msg);
		__builtin_trap();
	}
	result_free(&r);
	json_decref(root);
	return 0;
}
