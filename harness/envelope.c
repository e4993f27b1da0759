// SPDX-License-Identifier: MIT
/*
 * envelope.c - the shared head of every result file, and its writer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "envelope.h"
#include "scf_file.h"

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && c) {
			c += 2;
			c[strcspn(c, "\n")] = 0;
			snprintf(buf, len, "%s", c);
			break;
		}
	}
	fclose(f);
}

json_t *envelope_new(const char *schema, uint64_t tsc_hz)
{
	struct utsname u;
	char host[256] = "unknown", model[256];

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	gethostname(host, sizeof(host) - 1);
	host[strcspn(host, ".")] = 0;
	cpu_model(model, sizeof(model));
	return json_pack("{s:s, s:{s:s, s:s, s:s, s:I}}", "schema", schema,
			 "context", "host", host, "kernel", u.release,
			 "cpu_model", model, "tsc_hz", (json_int_t)tsc_hz);
}

json_t *envelope_context(json_t *root)
{
	return json_object_get(root, "context");
}

int envelope_write(const char *path, const json_t *root, size_t flags)
{
	char *text = json_dumps(root, flags);
	int err;

	if (!text)
		return -ENOMEM;
	err = scf_write_atomic(path, text, strlen(text));
	free(text);
	return err;
}
