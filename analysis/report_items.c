// SPDX-License-Identifier: MIT
/*
 * report_items.c - the plots drawn and the notes on those not drawn
 * (report_items.h).
 */
#include <stdarg.h>
#include <stdlib.h>

#include "report_items.h"
#include "util.h"

void report_item_add(struct report_items *items, enum report_section sec,
		     const char *name, const char *fmt, ...)
{
	struct report_item *it;
	va_list ap;

	items->v = xrealloc(items->v, (items->n + 1) * sizeof(*items->v));
	it = &items->v[items->n++];
	it->sec = sec;
	it->name = name ? xstrdup(name) : NULL;
	va_start(ap, fmt);
	if (vasprintf(&it->text, fmt, ap) < 0)
		abort();
	va_end(ap);
}

void report_note(struct report_items *items, enum report_section sec,
		 const char *text)
{
	report_item_add(items, sec, NULL, "%s", text);
}

void report_draw(struct report_items *items, struct plotter *p,
		 enum report_section sec, const char *script, const char *name,
		 const char *caption, const char *params)
{
	if (plot_draw(p, script, name, "%s", params))
		report_item_add(items, sec, NULL, "%s: not drawn: %s", caption,
				p->last_error);
	else
		report_item_add(items, sec, name, "%s", caption);
}

void report_embed(FILE *f, const struct report_items *items,
		  enum report_section sec)
{
	size_t i;

	for (i = 0; i < items->n; i++) {
		const struct report_item *it = &items->v[i];

		if (it->sec != sec)
			continue;
		if (it->name)
			fprintf(f, "![%s](plots/%s.png)\n\n*%s* ([svg](plots/%s.svg))\n\n",
				it->text, it->name, it->text, it->name);
		else
			fprintf(f, "> note: %s\n\n", it->text);
	}
}

void report_items_free(struct report_items *items)
{
	size_t i;

	for (i = 0; i < items->n; i++) {
		free(items->v[i].name);
		free(items->v[i].text);
	}
	free(items->v);
	items->v = NULL;
	items->n = 0;
}
