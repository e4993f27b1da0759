// SPDX-License-Identifier: MIT
/*
 * report_design.c - the design-space section of report.md: lat_write's
 * three configurations side by side, "sync or async?" from the async
 * depth sweep, "SPSC or MPSC?" from the queue-topology peers and from
 * the sweep of clients × depth × topology through the real shadow, and
 * syncmap page by page against by range.  Each question is answered
 * with the numbers of this run; a table whose results are missing says
 * so instead of guessing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "runset.h"

static double p50(const struct result *r, const char *phase)
{
	const struct phase *p = r ? result_phase(r, phase) : NULL;

	return p ? p->p50_ns : NAN;
}

static double p99(const struct result *r, const char *phase)
{
	const struct phase *p = r ? result_phase(r, phase) : NULL;

	return p ? p->p99_ns : NAN;
}

static double extra(const struct result *r, const char *key)
{
	const json_t *x = r ? json_object_get(json_object_get(r->root, "extra"),
					      key) : NULL;

	return x && json_is_number(x) ? json_number_value(x) : NAN;
}

static void cell(FILE *f, double v, const char *fmt)
{
	if (isfinite(v))
		fprintf(f, fmt, v);
	else
		fputs(" — |", f);
}

/* Every variant directory of the run, in the runset's order, once. */
static size_t variants(const struct runset *rs, const char **out, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < rs->n && n < max; i++) {
		if (result_is_peer(&rs->r[i]))
			continue;
		for (j = 0; j < n && strcmp(out[j], rs->r[i].dir); j++)
			;
		if (j == n)
			out[n++] = rs->r[i].dir;
	}
	return n;
}

/* "variant/backend", with "(emulated)" where the backend stands in. */
static const char *vlabel(const struct runset *rs, const char *dir)
{
	static char buf[128];
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (!strcmp(rs->r[i].dir, dir)) {
			snprintf(buf, sizeof(buf), "%s/%s%s", dir,
				 rs->r[i].cfg.backend ? rs->r[i].cfg.backend : "?",
				 rs->r[i].cfg.emulated ? " (emulated)" : "");
			return buf;
		}
	return dir;
}

static void latwrite(FILE *f, const struct runset *rs, const char **v,
		     size_t nv)
{
	size_t i;

	fputs("### lat_write, three ways\n\n"
	      "The origin measured `write` (~1346) and `write-noservice` "
	      "(~1076); `write-nomem` is its third configuration.  p50 ns of "
	      "total; the differences say where a write's time goes.\n\n"
	      "| variant | write | write-noservice | write-nomem | syscall "
	      "(write − noservice) | payload (noservice − nomem) |\n"
	      "|---|---|---|---|---|---|\n", f);
	for (i = 0; i < nv; i++) {
		double w = p50(runset_find(rs, v[i], "write"), "total");
		double s = p50(runset_find(rs, v[i], "write-noservice"), "total");
		double m = p50(runset_find(rs, v[i], "write-nomem"), "total");

		fprintf(f, "| %s |", vlabel(rs, v[i]));
		cell(f, w, " %.0f |");
		cell(f, s, " %.0f |");
		cell(f, m, " %.0f |");
		cell(f, w - s, " %.0f |");
		cell(f, s - m, " %.0f |");
		fputs("\n", f);
	}
	fputs("\n", f);
}

static const unsigned depths[] = { 1, 4, 16, 64 };

static void async(FILE *f, const struct runset *rs, const char **v, size_t nv)
{
	size_t i, k;

	fputs("### Sync or async?\n\n"
	      "`async-<d>`: d executor tasks, d calls in flight, one doorbell "
	      "per batch.  calls/s is completed calls over the samples' wall "
	      "time.\n\n"
	      "| variant | depth | p50 ns | p99 ns | wait_in_ring p50 | "
	      "calls/s (wall) | doorbells/call |\n"
	      "|---|---|---|---|---|---|---|\n", f);
	for (i = 0; i < nv; i++) {
		for (k = 0; k < sizeof(depths) / sizeof(depths[0]); k++) {
			char name[32];
			const struct result *r;

			snprintf(name, sizeof(name), "async-%u", depths[k]);
			r = runset_find(rs, v[i], name);
			if (!r)
				continue;
			fprintf(f, "| %s | %u |", vlabel(rs, v[i]), depths[k]);
			cell(f, p50(r, "total"), " %.0f |");
			cell(f, p99(r, "total"), " %.0f |");
			cell(f, p50(r, "wait_in_ring"), " %.0f |");
			cell(f, extra(r, "calls_per_s"), " %.0f |");
			cell(f, extra(r, "doorbells_per_call"), " %.3f |");
			fputs("\n", f);
		}
	}
	fputs("\n", f);
	for (i = 0; i < nv; i++) {
		const struct result *a1 = runset_find(rs, v[i], "async-1");
		const struct result *a16 = runset_find(rs, v[i], "async-16");
		double tw, lat;

		if (!a1 || !a16) {
			fprintf(f, "- %s: no answer (async-1 and async-16 are "
				"not both in this run; `WORKLOAD=async`).\n",
				vlabel(rs, v[i]));
			continue;
		}
		tw = extra(a16, "calls_per_s") / extra(a1, "calls_per_s");
		lat = p50(a16, "total") / p50(a1, "total");
		fprintf(f, "- %s: 16 calls in flight give %.1f× the calls/s of "
			"one (completed calls over wall time), each call "
			"taking %.1f× as long (p50); doorbells per call %.3f → "
			"%.3f.  %s\n",
			vlabel(rs, v[i]), tw, lat,
			extra(a1, "doorbells_per_call"),
			extra(a16, "doorbells_per_call"),
			tw > 1.5 ? "Async where throughput counts, sync "
			"where one call's latency does." :
			"Async gains little here: sync.");
	}
	fputs("\n", f);
}

static void topology(FILE *f, const struct runset *rs)
{
	static const unsigned clients[] = { 1, 2, 4 };
	size_t k;
	int any = 0;

	fputs("### SPSC or MPSC?\n\n"
	      "One syscall core, N clients as N tasks on the client CPU, "
	      "both sides polling, no syscall (`peers/ring-*`): a ring pair "
	      "per client scanned by the server, or one shared MPSC receive "
	      "queue with answers routed back.\n\n"
	      "| clients | SPSC p50 | SPSC p99 | SPSC calls/s | MPSC p50 | "
	      "MPSC p99 | MPSC calls/s | MPSC/SPSC calls/s |\n"
	      "|---|---|---|---|---|---|---|---|\n", f);
	for (k = 0; k < 3; k++) {
		char sn[32], mn[32];
		const struct result *s, *m;

		snprintf(sn, sizeof(sn), "ring-spsc-%u", clients[k]);
		snprintf(mn, sizeof(mn), "ring-mpsc-%u", clients[k]);
		s = runset_find(rs, "peers", sn);
		m = runset_find(rs, "peers", mn);
		if (!s && !m)
			continue;
		any = 1;
		fprintf(f, "| %u |", clients[k]);
		cell(f, p50(s, "total"), " %.0f |");
		cell(f, p99(s, "total"), " %.0f |");
		cell(f, extra(s, "calls_per_s"), " %.0f |");
		cell(f, p50(m, "total"), " %.0f |");
		cell(f, p99(m, "total"), " %.0f |");
		cell(f, extra(m, "calls_per_s"), " %.0f |");
		cell(f, extra(m, "calls_per_s") / extra(s, "calls_per_s"),
		     " %.2f |");
		fputs("\n", f);
	}
	fputs(any ? "\n" : "\n> no topology results in this run "
	      "(`WORKLOAD=topology`).\n\n", f);
	if (!any)
		return;
	for (k = 0; k < 3; k++) {
		char sn[32], mn[32];
		double r;

		snprintf(sn, sizeof(sn), "ring-spsc-%u", clients[k]);
		snprintf(mn, sizeof(mn), "ring-mpsc-%u", clients[k]);
		r = extra(runset_find(rs, "peers", mn), "calls_per_s") /
		    extra(runset_find(rs, "peers", sn), "calls_per_s");
		if (isfinite(r))
			fprintf(f, "- %u client%s: MPSC moves %.2f× the calls "
				"of SPSC (%s).\n", clients[k],
				clients[k] > 1 ? "s" : "", r,
				r > 1.05 ? "MPSC" : r < 0.95 ? "SPSC" :
				"no difference beyond 5 %");
	}
	fputs("\n", f);
}

static const unsigned scale_clients[] = { 1, 2, 4, 8 };
#define NSCALE	(sizeof(scale_clients) / sizeof(scale_clients[0]))

static const struct result *scale(const struct runset *rs, const char *dir,
				  const char *topo, unsigned c, unsigned d)
{
	char name[48];

	snprintf(name, sizeof(name), "scale-%s-%uc-%u", topo, c, d);
	return runset_find(rs, dir, name);
}

static double cpu_per_call(const struct result *r)
{
	return r && r->has_cpu ? r->cpu_client_ns + r->cpu_shadow_ns : NAN;
}

/* The answers of one variant's sweep, from its numbers. */
static void scale_answers(FILE *f, const struct runset *rs, const char *v)
{
	size_t k;

	for (k = 0; k < NSCALE; k++) {
		unsigned c = scale_clients[k];
		double r1 = extra(scale(rs, v, "mpsc", c, 1), "calls_per_s") /
			    extra(scale(rs, v, "spsc", c, 1), "calls_per_s");
		double r16 = extra(scale(rs, v, "mpsc", c, 16), "calls_per_s") /
			     extra(scale(rs, v, "spsc", c, 16), "calls_per_s");

		if (!isfinite(r1) && !isfinite(r16))
			continue;
		fprintf(f, "- %s, %u client%s: MPSC/SPSC calls/s (completed over wall time) %.2f at depth "
			"1, %.2f at depth 16: %s.\n", vlabel(rs, v), c,
			c > 1 ? "s" : "", r1, r16,
			!isfinite(r16) ? "no depth-16 answer" :
			r16 > 1.05 ? "MPSC" : r16 < 0.95 ? "SPSC" :
			"no difference beyond 5 %");
	}
	for (k = 0; k < NSCALE; k++) {
		unsigned c = scale_clients[k];
		const struct result *a1 = scale(rs, v, "spsc", c, 1);
		const struct result *a16 = scale(rs, v, "spsc", c, 16);
		double t;

		if (!a1 || !a16)
			continue;
		t = extra(a16, "calls_per_s") / extra(a1, "calls_per_s");
		fprintf(f, "- %s, %u client%s (SPSC): depth 16 moves %.1f× the "
			"calls/s of depth 1, each call %.1f× as long (p50), "
			"doorbells/call %.3f → %.3f: %s.\n", vlabel(rs, v), c,
			c > 1 ? "s" : "", t,
			p50(a16, "total") / p50(a1, "total"),
			extra(a1, "doorbells_per_call"),
			extra(a16, "doorbells_per_call"),
			t > 1.5 ? "async for throughput, sync for one call's "
			"latency" : "sync (async gains little)");
	}
}

static void scale_section(FILE *f, const struct runset *rs, const char **v,
			  size_t nv)
{
	static const char *const topos[] = { "spsc", "mpsc" };
	size_t i, k, t, j;
	int any = 0;

	fputs("### One syscall core, many clients (through scf-shadow)\n\n"
	      "`make bench WORKLOAD=scale`: N clients (slots) served by the "
	      "one shadow CPU, their calls made by executor tasks of one "
	      "client thread, depth calls in flight per client; `spsc`: the "
	      "shadow scans a ring pair per client, `mpsc`: one shared "
	      "request queue, answers routed to each client's ring.  All "
	      "clients share one doorbell pair.  CPU/call is client + "
	      "shadow CPU time per call.\n\n"
	      "calls/s (wall) is completed calls over the samples' wall time, "
	      "and the answers below use it.\n\n"
	      "| variant | topology | clients | depth | p50 ns | p99 ns | "
	      "calls/s (wall) | doorbells/call | CPU ns/call |\n"
	      "|---|---|---|---|---|---|---|---|---|\n", f);
	for (i = 0; i < nv; i++)
		for (t = 0; t < 2; t++)
			for (k = 0; k < NSCALE; k++)
				for (j = 0; j < 4; j++) {
					const struct result *r =
						scale(rs, v[i], topos[t],
						      scale_clients[k],
						      depths[j]);

					if (!r)
						continue;
					any = 1;
					fprintf(f, "| %s | %s | %u | %u |",
						vlabel(rs, v[i]), topos[t],
						scale_clients[k], depths[j]);
					cell(f, p50(r, "total"), " %.0f |");
					cell(f, p99(r, "total"), " %.0f |");
					cell(f, extra(r, "calls_per_s"),
					     " %.0f |");
					cell(f, extra(r, "doorbells_per_call"),
					     " %.3f |");
					cell(f, cpu_per_call(r), " %.0f |");
					fputs("\n", f);
				}
	if (!any) {
		fputs("\n> no scale results in this run "
		      "(`make bench WORKLOAD=scale`).\n\n", f);
		return;
	}
	fputs("\n", f);
	for (i = 0; i < nv; i++)
		scale_answers(f, rs, v[i]);
	fputs("\n", f);
}

static void grain(FILE *f, const struct runset *rs, const char **v,
		  size_t nv)
{
	size_t i;

	fputs("### syncmap: page by page or by range?\n\n"
	      "64 KiB synced and unsynced per cycle; p50 ns of a cycle.\n\n"
	      "| variant | pages (16 calls) | range (1 call) | pages/range |\n"
	      "|---|---|---|---|\n", f);
	for (i = 0; i < nv; i++) {
		double p = p50(runset_find(rs, v[i], "syncmap-pages"), "total");
		double r = p50(runset_find(rs, v[i], "syncmap-range"), "total");

		if (!isfinite(p) && !isfinite(r))
			continue;
		fprintf(f, "| %s |", vlabel(rs, v[i]));
		cell(f, p, " %.0f |");
		cell(f, r, " %.0f |");
		cell(f, p / r, " %.1f |");
		fputs("\n", f);
	}
	fputs("\n", f);
}

void report_design_md(FILE *f, const struct runset *rs,
		      const struct report_items *items)
{
	const char *v[16];
	size_t nv = variants(rs, v, 16);

	fputs("## Design space\n\n", f);
	latwrite(f, rs, v, nv);
	async(f, rs, v, nv);
	topology(f, rs);
	scale_section(f, rs, v, nv);
	grain(f, rs, v, nv);
	report_embed(f, items, SEC_DESIGN);
}

/* One gnuplot block: rows "<x> <p50> <p99>" of one series. */
static int tput_block(FILE *d, const struct runset *rs, const char *dir,
		      const char *fmt, const unsigned *xs, size_t nx,
		      const char *tput_key)
{
	size_t k;
	int rows = 0;

	for (k = 0; k < nx; k++) {
		char name[32];
		const struct result *r;
		double x;

		snprintf(name, sizeof(name), fmt, xs[k]);
		r = runset_find(rs, dir, name);
		x = extra(r, tput_key);
		if (!r || !isfinite(x))
			continue;
		fprintf(d, "%.17g %.17g %.17g %u\n", x, p50(r, "total"),
			p99(r, "total"), xs[k]);
		rows++;
	}
	if (rows)
		fputs("\n\n", d);
	return rows;
}

static void draw_series(struct plotter *p, struct report_items *items,
			const char *script, const char *name,
			const char *caption, const char *data,
			const char *series)
{
	char *qd = gp_quote(data), *params;

	params = xasprintf("datafile='%s'; series='%s'; title='%s'", qd,
			   series, caption);
	report_draw(items, p, SEC_DESIGN, script, name, caption, params);
	free(params);
	free(qd);
}

static char *append(char *list, const char *word)
{
	char *s = xasprintf("%s%s%s", list, *list ? " " : "", word);

	free(list);
	return s;
}

/* A series label: variant, what, and (emulated) where it stands in. */
static char *label_of(const struct runset *rs, const char *v, const char *what)
{
	return xasprintf("%s/%s%s", v, what,
			 strstr(vlabel(rs, v), "(emulated)") ? "(emulated)" : "");
}

/* Latency against throughput of the sweep: a series per topology and
 * client count, its points the depths. */
static char *scale_tput(FILE *d, const struct runset *rs, const char *v,
			char *series)
{
	static const char *const topos[] = { "spsc", "mpsc" };
	size_t t, k;

	for (t = 0; t < 2; t++)
		for (k = 0; k < NSCALE; k++) {
			char fmt[48], *label;

			snprintf(fmt, sizeof(fmt), "scale-%s-%uc-%%u", topos[t],
				 scale_clients[k]);
			if (!tput_block(d, rs, v, fmt, depths, 4,
					"calls_per_s"))
				continue;
			snprintf(fmt, sizeof(fmt), "%s-%uc", topos[t],
				 scale_clients[k]);
			label = label_of(rs, v, fmt);
			series = append(series, label);
			free(label);
		}
	return series;
}

/* Doorbells per call against depth, a series per topology and clients. */
static char *scale_doorbells(FILE *d, const struct runset *rs, const char *v,
			     char *series)
{
	static const char *const topos[] = { "spsc", "mpsc" };
	size_t t, k, j;

	for (t = 0; t < 2; t++)
		for (k = 0; k < NSCALE; k++) {
			char what[32], *label;
			int rows = 0;

			for (j = 0; j < 4; j++) {
				double db = extra(scale(rs, v, topos[t],
							scale_clients[k],
							depths[j]),
						  "doorbells_per_call");

				if (!isfinite(db))
					continue;
				fprintf(d, "%u %.17g\n", depths[j], db);
				rows++;
			}
			if (!rows)
				continue;
			fputs("\n\n", d);
			snprintf(what, sizeof(what), "%s-%uc", topos[t],
				 scale_clients[k]);
			label = label_of(rs, v, what);
			series = append(series, label);
			free(label);
		}
	return series;
}

void report_design_plots(const struct runset *rs, struct plotter *p,
			 struct report_items *items)
{
	static const unsigned clients[] = { 1, 2, 4 };
	const char *caption1 = "latency against throughput: queue topology "
			       "(1, 2, 4 clients) and async depth (1..64)";
	const char *caption2 = "doorbells per call against depth";
	const char *v[16];
	size_t nv = variants(rs, v, 16), i, k;
	char *data = NULL, *series = xstrdup(""), *label;
	FILE *d = plot_data(p, &data);

	if (!d) {
		report_note(items, SEC_DESIGN, "design plots: cannot write data");
		goto out;
	}
	if (tput_block(d, rs, "peers", "ring-spsc-%u", clients, 3,
		       "calls_per_s"))
		series = append(series, "spsc");
	if (tput_block(d, rs, "peers", "ring-mpsc-%u", clients, 3,
		       "calls_per_s"))
		series = append(series, "mpsc");
	for (i = 0; i < nv; i++) {
		if (!tput_block(d, rs, v[i], "async-%u", depths, 4,
				"calls_per_s"))
			continue;
		label = xasprintf("%s/async%s", v[i],
				  strstr(vlabel(rs, v[i]), "(emulated)") ?
				  "(emulated)" : "");
		series = append(series, label);
		free(label);
	}
	for (i = 0; i < nv; i++)
		series = scale_tput(d, rs, v[i], series);
	fclose(d);
	/* A run without these workloads has nothing to draw: no note. */
	if (*series)
		draw_series(p, items, "tput", "design-latency-throughput",
			    caption1, data, series);
	free(data);
	free(series);
	series = xstrdup("");
	d = plot_data(p, &data);
	if (!d)
		goto out;
	for (i = 0; i < nv; i++) {
		int rows = 0;

		for (k = 0; k < 4; k++) {
			char name[32];
			double db;

			snprintf(name, sizeof(name), "async-%u", depths[k]);
			db = extra(runset_find(rs, v[i], name),
				   "doorbells_per_call");
			if (!isfinite(db))
				continue;
			fprintf(d, "%u %.17g\n", depths[k], db);
			rows++;
		}
		if (rows) {
			fputs("\n\n", d);
			label = xasprintf("%s%s", v[i],
					  strstr(vlabel(rs, v[i]), "(emulated)") ?
					  "(emulated)" : "");
			series = append(series, label);
			free(label);
		}
	}
	for (i = 0; i < nv; i++)
		series = scale_doorbells(d, rs, v[i], series);
	fclose(d);
	if (*series)
		draw_series(p, items, "doorbells", "design-doorbells",
			    caption2, data, series);
out:
	free(data);
	free(series);
}
