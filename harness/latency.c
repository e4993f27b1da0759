// SPDX-License-Identifier: MIT
/*
 * latency.c - what the two CPUs do when idle, as --idle asks, or by
 * default as the variant declares for the backend in use (v_IDLE in
 * variants/<v>/variant.mk: ipi's kmod says halt, so that a kick to a
 * sleeping peer is a real IPI), poll where it declares nothing:
 *
 *   poll  /dev/cpu_dma_latency held open at 0 us, as
 *       rt-tests' cyclictest does: cpuidle picks its polling state, so an
 *       idle CPU spins on need-resched.  A kick then wakes a sleeping
 *       peer without an IPI (the kernel sets need-resched instead), and
 *       the kmod doorbell reports it as woken_without_ipi.  In a guest
 *       with the haltpoll driver a halting vCPU otherwise pays a VM exit
 *       and a host wake-up per doorbell (measured on the 2-vCPU
 *       development VM: futex ping-pong p50 45 us halting, 14 us held).
 *   halt  no latency request, and the cpuidle states named POLL of both
 *       CPUs disabled for the run (restored at exit): an idle CPU halts
 *       and only an interrupt wakes it, so a kick to a sleeping peer is
 *       a real IPI.  Needs root; what could not be done is a warning.
 *
 * A kernel booted with idle=poll polls whatever --idle says: said too.
 * The latency request lasts while the fd is open: until the process exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "variant_decl.h"

#define LATENCY_DEV	"/dev/cpu_dma_latency"
#define CPUIDLE_DIR	"/sys/devices/system/cpu/cpu%d/cpuidle/state%d/%s"
#define MAX_STATES	16

static char note[320];

/* The POLL states we disabled, to enable again at exit. */
static struct { int cpu, state; } disabled[2 * MAX_STATES];
static int ndisabled;
static pid_t owner;		/* forked children exit without restoring */

static void note_add(const char *fmt, const char *a, const char *b)
{
	size_t len = strlen(note);

	snprintf(note + len, sizeof(note) - len, fmt, a, b);
}

static int sysfs_rw(int cpu, int state, const char *file, char *buf,
		    size_t len, const char *write_val)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), CPUIDLE_DIR, cpu, state, file);
	fd = open(path, (write_val ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write_val ? write(fd, write_val, strlen(write_val))
		      : read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	if (!write_val)
		buf[n] = 0;
	return 0;
}

static void poll_states_restore(void)
{
	if (getpid() != owner)
		return;
	while (ndisabled-- > 0)
		sysfs_rw(disabled[ndisabled].cpu, disabled[ndisabled].state,
			 "disable", NULL, 0, "0");
}

/*
 * Disable cpu's POLL states; -errno of the first that would not go.
 * *found counts the POLL states there (none without a cpuidle driver:
 * the idle loop then halts in default_idle()).
 */
static int poll_states_off(int cpu, int *found)
{
	char name[64], dis[8];
	int state, err;

	for (state = 0; state < MAX_STATES; state++) {
		if (sysfs_rw(cpu, state, "name", name, sizeof(name), NULL))
			break;
		if (strncmp(name, "POLL", 4))
			continue;
		++*found;
		if (sysfs_rw(cpu, state, "disable", dis, sizeof(dis), NULL) ||
		    dis[0] == '1')
			continue;
		err = sysfs_rw(cpu, state, "disable", NULL, 0, "1");
		if (err)
			return err;
		disabled[ndisabled].cpu = cpu;
		disabled[ndisabled++].state = state;
	}
	return 0;
}

static bool booted_idle_poll(void)
{
	char line[4096] = "";
	FILE *f = fopen("/proc/cmdline", "re");
	char *p;

	if (!f)
		return false;
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	for (p = strstr(line, "idle=poll"); p; p = strstr(p + 1, "idle=poll"))
		if (p == line || p[-1] == ' ')
			return true;
	return false;
}

static void idle_poll(struct bench *b)
{
	int32_t zero = 0;
	int fd = open(LATENCY_DEV, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, &zero, sizeof(zero)) != sizeof(zero)) {
		note_add("--idle poll: CPUs may enter idle states: %s: %s "
			 "(not held at 0 us)", LATENCY_DEV, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	b->latency_fd = fd;	/* closed by exit: the request ends */
	note_add("--idle poll: %s held at 0 us for the run%s", LATENCY_DEV,
		 " (rt-tests practice): idle CPUs poll, a kick to a polling "
		 "CPU sends no IPI");
}

static void idle_halt(struct bench *b)
{
	int cpus[2] = { b->client_cpu, b->shadow_cpu }, i, err = 0, found = 0;

	owner = getpid();
	atexit(poll_states_restore);
	for (i = 0; i < 2 && !err; i++)
		err = poll_states_off(cpus[i], &found);
	if (err)
		note_add("--idle halt: cannot disable the cpuidle POLL state: "
			 "%s%s; idle CPUs may poll", strerror(-err), "");
	else if (found)
		note_add("--idle halt: %s not held, cpuidle POLL states of "
			 "both CPUs off for the run: idle CPUs halt%s",
			 LATENCY_DEV, "");
	else
		note_add("--idle halt: %s not held, no cpuidle POLL state "
			 "(no cpuidle driver%s): idle CPUs halt", LATENCY_DEV,
			 ", default_idle()");
}

void bench_idle_setup(struct bench *b)
{
	const char *decl;

	if (b->latency_note)
		return;
	if (!b->idle_asked) {
		decl = variant_decl_idle(b->backend);
		b->idle = decl && !strcmp(decl, "halt") ? IDLE_HALT : IDLE_POLL;
	}
	if (b->idle == IDLE_POLL)
		idle_poll(b);
	else
		idle_halt(b);
	if (booted_idle_poll())
		note_add("%s%s", "; the kernel was booted with idle=poll: idle "
			 "CPUs poll whatever --idle says", "");
	note_add("%s%s", b->idle_asked ? " (asked by --idle)" :
		 " (the default for this backend)", "");
	b->latency_note = note;
}

const char *bench_idle_source(const struct bench *b)
{
	return b->idle_asked ? "option" : "default";
}

const char *bench_idle_name(const struct bench *b)
{
	return b->idle == IDLE_POLL ? "poll" : "halt";
}

int bench_idle_parse(struct bench *b, const char *val)
{
	if (!strcmp(val, "poll"))
		b->idle = IDLE_POLL;
	else if (!strcmp(val, "halt"))
		b->idle = IDLE_HALT;
	else
		return -1;
	return 0;
}
