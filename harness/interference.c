// SPDX-License-Identifier: MIT
/*
 * interference.c - scan /proc for tasks that ran on the benchmark CPUs.
 * A scan reads one small file per task (its run time), and the stat of
 * those that ran long enough; it runs between samples, never inside one.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interference.h"

struct intf_ent {
	int tid, tgid, ppid, cpu;
	uint64_t ran;		/* ns on a CPU, schedstat's first field */
	char comm[20];
};

struct intf_snap {
	struct intf_ent *e;
	size_t n, cap;
};

static int read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return -1;
	got = read(fd, buf, len - 1);
	close(fd);
	if (got <= 0)
		return -1;
	buf[got] = 0;
	return 0;
}

/* comm, ppid and processor of /proc/<pid>/task/<tid>/stat */
static int parse_stat(const char *buf, struct intf_ent *e)
{
	const char *l = strchr(buf, '('), *r = strrchr(buf, ')');
	char *p;
	int field;
	size_t n;

	if (!l || !r || r < l)
		return -1;
	n = (size_t)(r - l - 1);
	if (n >= sizeof(e->comm))
		n = sizeof(e->comm) - 1;
	memcpy(e->comm, l + 1, n);
	e->comm[n] = 0;
	/* r + 2 is field 3 (state); ppid is 4, processor is 39 */
	p = (char *)r + 2;
	for (field = 3; field < 39 && p; field++) {
		if (field == 4)
			e->ppid = atoi(p);
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p)
		return -1;
	e->cpu = atoi(p);
	return 0;
}

static void snap_add(struct intf_snap *s, const struct intf_ent *e)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 512;
		struct intf_ent *ne = realloc(s->e, cap * sizeof(*ne));

		if (!ne)
			return;
		s->e = ne;
		s->cap = cap;
	}
	s->e[s->n++] = *e;
}

static void snap_take(struct intf_snap *s)
{
	DIR *proc = opendir("/proc"), *task;
	struct dirent *pd, *td;
	char path[96], buf[1024];

	s->n = 0;
	if (!proc)
		return;
	while ((pd = readdir(proc))) {
		int tgid = atoi(pd->d_name);

		if (tgid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", tgid);
		task = opendir(path);
		if (!task)
			continue;
		while ((td = readdir(task))) {
			struct intf_ent e = { .tid = atoi(td->d_name), .tgid = tgid };

			if (e.tid <= 0)
				continue;
			/* Run time only: the rest is read for the few that ran. */
			snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat",
				 tgid, e.tid);
			if (read_small(path, buf, sizeof(buf)))
				continue;
			e.ran = strtoull(buf, NULL, 10);
			snap_add(s, &e);
		}
		closedir(task);
	}
	closedir(proc);
}

static const struct intf_ent *snap_find(const struct intf_snap *s, int tid)
{
	size_t i;

	/* Tasks come out of /proc in the same order both times. */
	for (i = 0; i < s->n; i++)
		if (s->e[i].tid == tid)
			return &s->e[i];
	return NULL;
}

static uint64_t nonvoluntary(const char *path)
{
	char buf[4096], *p;

	if (read_small(path, buf, sizeof(buf)))
		return 0;
	p = strstr(buf, "nonvoluntary_ctxt_switches:");
	return p ? strtoull(p + 27, NULL, 10) : 0;
}

static uint64_t pinned_nvcsw(pid_t shadow)
{
	char path[64];
	uint64_t n = nonvoluntary("/proc/thread-self/status");

	if (shadow > 0) {
		snprintf(path, sizeof(path), "/proc/%d/status", (int)shadow);
		n += nonvoluntary(path);
	}
	return n;
}

struct interference *interference_new(uint32_t samples)
{
	struct interference *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->samples = samples;
	f->hit = calloc(samples, sizeof(*f->hit));
	f->nvcsw = calloc(samples, sizeof(*f->nvcsw));
	f->before = calloc(1, sizeof(*f->before));
	if (!f->hit || !f->nvcsw || !f->before) {
		interference_free(f);
		return NULL;
	}
	return f;
}

void interference_free(struct interference *f)
{
	if (!f)
		return;
	if (f->before)
		free(f->before->e);
	free(f->before);
	free(f->hit);
	free(f->nvcsw);
	free(f);
}

void interference_begin(struct interference *f, pid_t shadow)
{
	if (!f)
		return;
	snap_take(f->before);
	f->nv_before = pinned_nvcsw(shadow);
}

/* Where a task that ran ran_ns goes: the list keeps the longest runners. */
static struct intf_task *keep_slot(struct interference *f, double ran_ns)
{
	struct intf_task *least;
	uint32_t i;

	if (f->ntask < INTF_MAX_TASKS)
		return &f->task[f->ntask++];
	f->dropped++;
	least = &f->task[0];
	for (i = 1; i < f->ntask; i++)
		if (f->task[i].ran_ns < least->ran_ns)
			least = &f->task[i];
	return least->ran_ns < ran_ns ? least : NULL;
}

static bool ours(const struct intf_ent *e, pid_t shadow)
{
	pid_t self = getpid();

	return e->tgid == self || e->ppid == self ||
	       (shadow > 0 && (e->tgid == shadow || e->ppid == shadow));
}

void interference_end(struct interference *f, uint32_t sample, int cpu_a,
		      int cpu_b, pid_t shadow, double wall_ns)
{
	struct intf_snap after = { 0 };
	double min = INTF_MIN_SHARE * wall_ns;
	size_t i;

	if (!f || sample >= f->samples)
		return;
	if (min < INTF_MIN_NS)
		min = INTF_MIN_NS;
	f->nvcsw[sample] = pinned_nvcsw(shadow) - f->nv_before;
	snap_take(&after);
	for (i = 0; i < after.n; i++) {
		struct intf_ent *e = &after.e[i];
		const struct intf_ent *b = snap_find(f->before, e->tid);
		double ran = (double)(e->ran - (b ? b->ran : 0));
		struct intf_task *slot;
		char path[96], buf[1024];

		if (ran < min || e->tgid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", e->tgid,
			 e->tid);
		if (read_small(path, buf, sizeof(buf)) || parse_stat(buf, e) ||
		    (e->cpu != cpu_a && e->cpu != cpu_b) || ours(e, shadow))
			continue;
		f->hit[sample] = true;
		slot = keep_slot(f, ran);
		if (!slot)
			continue;
		*slot = (struct intf_task){
			.sample = sample, .pid = e->tgid, .cpu = e->cpu,
			.ran_ns = ran,
		};
		memcpy(slot->comm, e->comm, sizeof(e->comm));
	}
	free(after.e);
}

uint32_t interference_hits(const struct interference *f, char *buf,
			   size_t len)
{
	uint32_t i, n = 0;
	size_t off = 0;

	if (len)
		buf[0] = 0;
	for (i = 0; f && i < f->samples; i++) {
		if (!f->hit[i])
			continue;
		n++;
		if (off < len)
			off += (size_t)snprintf(buf + off, len - off, "%s%u",
						n > 1 ? "," : "", i + 1);
	}
	return n;
}
