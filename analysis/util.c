// SPDX-License-Identifier: MIT
/* util.c - errors, strings and atomic file output for the analysis tools. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scf_file.h"
#include "util.h"

int aerr_set(struct aerr *e, const char *fmt, ...)
{
	va_list ap;

	if (e) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void oom(void)
{
	fputs("out of memory\n", stderr);
	abort();
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	return s;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		oom();
	return d;
}

int atomic_write_json(const char *path, const json_t *doc)
{
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
			     JSON_REAL_PRECISION(10));
	size_t len;
	int err;

	if (!s)
		return -ENOMEM;
	len = strlen(s);
	s = xrealloc(s, len + 2);
	s[len++] = '\n';
	s[len] = '\0';
	err = scf_write_atomic(path, s, len);
	free(s);
	return err;
}

char *path_base(const char *path)
{
	const char *end = path + strlen(path);
	const char *p;

	while (end > path + 1 && end[-1] == '/')
		end--;
	for (p = end; p > path && p[-1] != '/'; p--)
		;
	return strndup(p, (size_t)(end - p)) ?: (abort(), NULL);
}
