// SPDX-License-Identifier: MIT
/*
 * counters.c - libpfm4 names turned into perf_event_attr, opened as one
 * group per benchmark thread, read per sample with the group's enabled
 * and running times so that a multiplexed group is scaled (and says so).
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "counters.h"

enum { SIDE_CLIENT, SIDE_SHADOW, SIDES };
static const char *const side_name[SIDES] = { "client", "shadow" };

struct side {
	int fd[CNT_MAX];		/* -1: not open */
	bool on[CNT_MAX];		/* counted on this side in this run */
	uint64_t id[CNT_MAX];
	int leader;			/* fd of the group leader, or -1 */
	bool counted;			/* the finished run had a group here */
	double sum[CNT_MAX];		/* scaled counts over the run */
	double scale_max;		/* enabled/running, worst sample */
	uint64_t last[CNT_MAX], last_en, last_run;
	double *per_sample[CNT_MAX];	/* per request, sample by sample */
};

/* The events chosen, once for every run. */
static struct {
	bool chosen, pfm_ready;
	int n;
	char name[CNT_MAX][CNT_NAME];
	bool sw_only;
} C;

/*
 * One run's groups and figures.  Runs take their samples in turn, so each
 * keeps its own; a group counts only while its run takes a sample.
 */
struct counters_meas {
	struct side side[SIDES];
	uint64_t requests;
	uint32_t nsamples, cap;
	bool have;			/* the finished run's figures */
	char warn[4][192];
	int nwarn;
};

static int pfm_ready(void)
{
	if (!C.pfm_ready && pfm_initialize() == PFM_SUCCESS)
		C.pfm_ready = true;
	return C.pfm_ready ? 0 : -ENODEV;
}

int counters_encode(const char *name, struct perf_event_attr *attr)
{
	pfm_perf_encode_arg_t arg;
	int err;

	if (pfm_ready())
		return PFM_ERR_NOINIT;
	memset(attr, 0, sizeof(*attr));
	memset(&arg, 0, sizeof(arg));
	arg.attr = attr;
	arg.size = sizeof(arg);
	err = pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3,
					PFM_OS_PERF_EVENT_EXT, &arg);
	attr->size = sizeof(*attr);
	return err;
}

int counters_select(const char *list)
{
	struct perf_event_attr a;
	char *dup = strdup(list), *save = NULL, *tok;
	int n = 0, err = 0;

	if (!dup)
		return -ENOMEM;
	for (tok = strtok_r(dup, ",", &save); tok && !err;
	     tok = strtok_r(NULL, ",", &save)) {
		int e = counters_encode(tok, &a);

		if (n == CNT_MAX || strlen(tok) >= CNT_NAME) {
			fprintf(stderr, "scf-bench: --events: at most %d names "
				"of under %d characters\n", CNT_MAX, CNT_NAME);
			err = -EINVAL;
		} else if (e != PFM_SUCCESS) {
			fprintf(stderr, "scf-bench: --events: '%s': %s "
				"(libpfm4)\n", tok, pfm_strerror(e));
			err = -EINVAL;
		} else {
			strcpy(C.name[n++], tok);
		}
	}
	free(dup);
	if (!err && !n) {
		fprintf(stderr, "scf-bench: --events: no event named\n");
		err = -EINVAL;
	}
	if (!err) {
		C.n = n;
		C.chosen = true;
	}
	return err;
}

/* SCF_PERF_DENY=1 stands in for a kernel whose perf_event_paranoid
 * refuses us, so that path can be tested by root on any machine. */
static int perf_open(struct perf_event_attr *a, pid_t pid, int group)
{
	const char *deny = getenv("SCF_PERF_DENY");
	long fd;

	if (deny && *deny && strcmp(deny, "0")) {
		errno = EACCES;
		return -1;
	}
	fd = syscall(SYS_perf_event_open, a, pid, -1, group, PERF_FLAG_FD_CLOEXEC);
	return (int)fd;
}

/* A hardware PMU answers when a cycles counter opens on this thread. */
static bool have_pmu(int *why)
{
	struct perf_event_attr a = {
		.type = PERF_TYPE_HARDWARE, .size = sizeof(a),
		.config = PERF_COUNT_HW_CPU_CYCLES, .disabled = 1,
	};
	int fd = perf_open(&a, 0, -1);

	*why = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

int counters_default(char names[][CNT_NAME], int max, int *sw_only)
{
	/* Cross-core transfers: a load served from another core's modified
	 * line (Intel HITM), or a fill from another CCX's cache (AMD); the
	 * first name this CPU's PMU encodes is taken. */
	static const char *const xcore[] = {
		"MEM_LOAD_L3_HIT_RETIRED:XSNP_HITM",
		"MEM_LOAD_UOPS_L3_HIT_RETIRED:XSNP_HITM",
		"MEM_LOAD_UOPS_LLC_HIT_RETIRED:XSNP_HITM",
		"MEM_LOAD_L3_HIT_RETIRED:XSNP_FWD",
		"DEMAND_DATA_CACHE_FILLS_FROM_SYSTEM:NEAR_CACHE_NEAR_FAR",
		"DATA_CACHE_REFILLS_FROM_SYSTEM:LS_MABRESP_RMT_CACHE",
		"DATA_CACHE_REFILLS_FROM_SYSTEM:LS_MABRESP_LCL_CACHE",
	};
	static const char *const hw[] = {
		"cycles", "instructions", "cache-misses", "context-switches",
	};
	static const char *const sw[] = {
		"task-clock", "context-switches", "cpu-migrations", "page-faults",
	};
	struct perf_event_attr a;
	int n = 0, why;
	size_t i;

	*sw_only = !have_pmu(&why);
	for (i = 0; i < 4 && n < max; i++)
		if (counters_encode(*sw_only ? sw[i] : hw[i], &a) == PFM_SUCCESS)
			strcpy(names[n++], *sw_only ? sw[i] : hw[i]);
	for (i = 0; !*sw_only && i < sizeof(xcore) / sizeof(*xcore) && n < max; i++)
		if (counters_encode(xcore[i], &a) == PFM_SUCCESS) {
			strcpy(names[n++], xcore[i]);
			break;
		}
	return n;
}

static void cwarn(struct counters_meas *cm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void cwarn(struct counters_meas *cm, const char *fmt, ...)
{
	va_list ap;
	int i;

	if (cm->nwarn == (int)(sizeof(cm->warn) / sizeof(cm->warn[0])))
		return;
	va_start(ap, fmt);
	vsnprintf(cm->warn[cm->nwarn], sizeof(cm->warn[0]), fmt, ap);
	va_end(ap);
	for (i = 0; i < cm->nwarn; i++)	/* each reason once per run */
		if (!strcmp(cm->warn[i], cm->warn[cm->nwarn]))
			return;
	cm->nwarn++;
}

static void side_open(struct counters_meas *cm, struct side *s,
		      const char *who, pid_t pid)
{
	int i;

	s->leader = -1;
	for (i = 0; i < CNT_MAX; i++)
		s->fd[i] = -1;
	for (i = 0; i < C.n; i++) {
		struct perf_event_attr a;

		if (counters_encode(C.name[i], &a) != PFM_SUCCESS)
			continue;
		a.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID |
				PERF_FORMAT_TOTAL_TIME_ENABLED |
				PERF_FORMAT_TOTAL_TIME_RUNNING;
		a.disabled = s->leader < 0;	/* the group starts as one */
		a.inherit = 0;
		s->fd[i] = perf_open(&a, pid, s->leader);
		if (s->fd[i] < 0) {
			if (errno == EACCES || errno == EPERM) {
				cwarn(cm, "counters: perf_event_open refused (%s): "
				      "kernel.perf_event_paranoid forbids counting; "
				      "lower it (sysctl kernel.perf_event_paranoid=1)"
				      " or run as root", strerror(errno));
				break;
			}
			cwarn(cm, "counters: %s not counted on the %s: %s",
			      C.name[i], who, strerror(errno));
			continue;
		}
		ioctl(s->fd[i], PERF_EVENT_IOC_ID, &s->id[i]);
		s->on[i] = true;
		if (s->leader < 0)
			s->leader = s->fd[i];
	}
}

struct counters_meas *counters_meas_start(pid_t shadow_tid)
{
	struct counters_meas *cm = calloc(1, sizeof(*cm));
	int k;

	if (!cm)
		return NULL;
	if (!C.chosen) {
		int sw_only;

		C.n = counters_default(C.name, CNT_MAX, &sw_only);
		C.sw_only = sw_only;
		C.chosen = true;
	}
	if (C.sw_only)
		cwarn(cm, "counters: no hardware PMU here (perf_event_open cycles "
		      "fails): software events only");
	side_open(cm, &cm->side[SIDE_CLIENT], "client", 0);
	if (shadow_tid > 0)
		side_open(cm, &cm->side[SIDE_SHADOW], "shadow", shadow_tid);
	else
		cm->side[SIDE_SHADOW].leader = -1;
	for (k = 0; k < SIDES; k++)
		cm->side[k].scale_max = 1.0;
	return cm;
}

/* The group's values by event index, and its times; -1 when unread. */
static int side_read(struct side *s, uint64_t *val, uint64_t *en, uint64_t *run)
{
	uint64_t buf[3 + 2 * CNT_MAX];
	ssize_t len;
	uint64_t j;
	int i;

	if (s->leader < 0)
		return -1;
	len = read(s->leader, buf, sizeof(buf));
	if (len < (ssize_t)(3 * sizeof(uint64_t)))
		return -1;
	*en = buf[1];
	*run = buf[2];
	for (j = 0; j < buf[0] && j < CNT_MAX; j++)
		for (i = 0; i < C.n; i++)
			if (s->fd[i] >= 0 && s->id[i] == buf[4 + 2 * j])
				val[i] = buf[3 + 2 * j];
	return 0;
}

void counters_sample_begin(struct counters_meas *cm)
{
	if (!cm)
		return;
	for (int k = 0; k < SIDES; k++) {
		struct side *s = &cm->side[k];

		side_read(s, s->last, &s->last_en, &s->last_run);
		/* Disabled between samples: other runs' samples and the
		 * baselines between them are not this run's to count. */
		if (s->leader >= 0)
			ioctl(s->leader, PERF_EVENT_IOC_ENABLE,
			      PERF_IOC_FLAG_GROUP);
	}
}

void counters_sample_end(struct counters_meas *cm, uint64_t requests)
{
	if (!cm)
		return;
	for (int k = 0; k < SIDES; k++)
		if (cm->side[k].leader >= 0)
			ioctl(cm->side[k].leader, PERF_EVENT_IOC_DISABLE,
			      PERF_IOC_FLAG_GROUP);
	if (!requests)
		return;
	if (cm->nsamples == cm->cap) {
		uint32_t cap = cm->cap ? 2 * cm->cap : 32;

		for (int k = 0; k < SIDES; k++)
			for (int i = 0; i < C.n; i++) {
				double *p = realloc(cm->side[k].per_sample[i],
						    cap * sizeof(double));

				if (!p)
					return;	/* this sample goes uncounted */
				cm->side[k].per_sample[i] = p;
			}
		cm->cap = cap;
	}
	for (int k = 0; k < SIDES; k++) {
		struct side *s = &cm->side[k];
		uint64_t v[CNT_MAX] = { 0 }, en, run;
		double scale;
		int i;

		if (side_read(s, v, &en, &run))
			continue;
		/* Multiplexed: the group ran only part of the time it was
		 * enabled, so its counts are extrapolated by that ratio. */
		scale = run > s->last_run ?
			(double)(en - s->last_en) / (double)(run - s->last_run) : 0;
		if (scale > s->scale_max)
			s->scale_max = scale;
		for (i = 0; i < C.n; i++) {
			double d = (double)(v[i] - s->last[i]) * scale;

			s->sum[i] += d;
			s->per_sample[i][cm->nsamples] = d / (double)requests;
		}
	}
	cm->nsamples++;
	cm->requests += requests;
}

void counters_meas_end(struct counters_meas *cm, struct measurement *r)
{
	int k, i;

	if (!cm)
		return;
	for (k = 0; k < SIDES; k++) {
		struct side *s = &cm->side[k];

		if (s->leader >= 0)
			ioctl(s->leader, PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
		for (i = 0; i < C.n; i++)
			if (s->fd[i] >= 0) {
				close(s->fd[i]);
				s->fd[i] = -1;
			}
	}
	for (i = 0; i < cm->nwarn; i++)
		meas_warn(r, "%s", cm->warn[i]);
	cm->have = cm->requests > 0 && cm->side[SIDE_CLIENT].leader >= 0;
	for (k = 0; k < SIDES; k++) {
		cm->side[k].counted = cm->side[k].leader >= 0;
		cm->side[k].leader = -1;
	}
}

json_t *counters_json(const struct counters_meas *cm)
{
	json_t *o, *scale, *samples;
	uint32_t j;
	int k, i;

	if (!cm || !cm->have)
		return NULL;
	o = json_object();
	scale = json_object();
	samples = json_object();
	for (k = 0; k < SIDES; k++) {
		const struct side *s = &cm->side[k];
		json_t *e = json_object(), *se = json_object();

		if (!s->counted) {
			json_decref(e);
			json_decref(se);
			continue;
		}
		for (i = 0; i < C.n; i++) {
			json_t *a;

			if (!s->on[i])
				continue;
			json_object_set_new(e, C.name[i],
				json_real(s->sum[i] / (double)cm->requests));
			a = json_array();
			for (j = 0; j < cm->nsamples; j++)
				json_array_append_new(a, json_real(s->per_sample[i][j]));
			json_object_set_new(se, C.name[i], a);
		}
		json_object_set_new(o, side_name[k], e);
		json_object_set_new(samples, side_name[k], se);
		json_object_set_new(scale, side_name[k], json_real(s->scale_max));
	}
	json_object_set_new(o, "scale", scale);
	json_object_set_new(o, "samples", samples);
	json_object_set_new(o, "source", json_string(C.sw_only ?
					"software" : "pmu"));
	return o;
}

void counters_print(const struct counters_meas *cm)
{
	int k, i;

	if (!cm || !cm->have)
		return;
	for (k = 0; k < SIDES; k++) {
		const struct side *s = &cm->side[k];

		if (!s->counted)
			continue;
		printf("  counters/req %s:", side_name[k]);
		for (i = 0; i < C.n; i++)
			if (s->on[i])
				printf("  %s %.*f", C.name[i],
				       s->sum[i] >= 100.0 * cm->requests ? 0 : 3,
				       s->sum[i] / (double)cm->requests);
		if (s->scale_max > 1.0)
			printf("  (multiplexed, scaled x%.2f)", s->scale_max);
		putchar('\n');
	}
}

void counters_free(struct counters_meas *cm)
{
	int k, i;

	if (!cm)
		return;
	for (k = 0; k < SIDES; k++)
		for (i = 0; i < CNT_MAX; i++)
			free(cm->side[k].per_sample[i]);
	free(cm);
}
