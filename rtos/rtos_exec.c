// SPDX-License-Identifier: MIT
/*
 * rtos_exec.c - exec, the RTOS side (the origin's SCF Doc: "RTOS gets the
 * ELF's size with a remote stat, allocates elf_data, opens the ELF
 * remotely, reads it remotely into elf_data, execs elf_data, frees it").
 *
 * On a Linux host the "kernel function that execs elf_data" is fexecve()
 * of a memfd holding exactly the bytes the forwarded reads returned: the
 * executable is loaded only through the shadow.  (Its dynamic loader and
 * libraries come from the local file system, as an RTOS kernel's own ELF
 * loader would not need them.)
 *
 * Before the exec, EXIT(exec) tells the shadow that the image goes and
 * the process stays: it detaches its side of the doorbell and waits for
 * 'X' from the new image.  The new image finds its slot, region and lines
 * in SCF_EXEC (fds inherited across the exec), sends 'X', waits for 'R'
 * and attaches its doorbell: the slot, the shadow and the fds the shadow
 * holds for the process are the same before and after.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rtos_dual.h"
#include "scf_arch.h"
#include "scf_calls.h"
#include "scf_dual_link.h"

#define EXEC_MAX	(256ull << 20)	/* the largest image we read */
#define EXEC_ENV	"SCF_EXEC"

static int write_full(int fd, const void *p, size_t len)
{
	const uint8_t *b = p;
	ssize_t n;

	while (len) {
		n = write(fd, b, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

static int set_cloexec(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFD);

	if (fl < 0)
		return -errno;
	return fcntl(fd, F_SETFD, on ? fl | FD_CLOEXEC : fl & ~FD_CLOEXEC) ?
	       -errno : 0;
}

/* Forwarded part of exec: the image, read through the shadow, in a memfd. */
static int64_t load_image(struct scf_session *s, const char *path,
			  struct dual_rec *d, int *mfd)
{
	struct scf_stat st;
	uint8_t *img = NULL;
	uint64_t size, got = 0;
	int64_t ret, fd = -1;

	s->c.rec = rtos_part(d);
	ret = scf_newfstatat(&s->c, SCF_AT_FDCWD, path, &st, 0);
	if (ret)
		goto out;
	if ((st.st_mode & S_IFMT) != S_IFREG || st.st_size <= 0 ||
	    (uint64_t)st.st_size > EXEC_MAX) {
		ret = -ENOEXEC;
		goto out;
	}
	size = (uint64_t)st.st_size;
	img = malloc(size);
	if (!img) {
		ret = -ENOMEM;
		goto out;
	}
	s->c.rec = rtos_part(d);
	fd = scf_openat(&s->c, SCF_AT_FDCWD, path, O_RDONLY, 0);
	if (fd < 0) {
		ret = fd;
		goto out;
	}
	while (got < size) {
		s->c.rec = rtos_part(d);
		ret = scf_read(&s->c, (int)fd, img + got, size - got);
		if (ret <= 0) {
			ret = ret ? ret : -ENOEXEC;	/* shorter than stat said */
			goto out;
		}
		got += (uint64_t)ret;
	}
	s->c.rec = rtos_part(d);
	ret = scf_close(&s->c, (int)fd);
	fd = -1;
	if (ret)
		goto out;
	if (memcmp(img, "\x7f" "ELF", 4)) {
		ret = -ENOEXEC;
		goto out;
	}
	*mfd = memfd_create("scf-exec", MFD_CLOEXEC);
	ret = *mfd < 0 ? -errno : write_full(*mfd, img, size);
out:
	if (fd >= 0) {
		s->c.rec = NULL;
		scf_close(&s->c, (int)fd);
	}
	s->c.rec = NULL;
	free(img);
	return ret;
}

struct exec_args {
	int mfd;
	char *const *argv;
	int pdeathsig;		/* the calling thread's, for the new image */
	int err;
};

static void *exec_thread(void *arg)
{
	struct exec_args *a = arg;

	/* A new thread starts without it; an exec keeps it. */
	if (a->pdeathsig)
		prctl(PR_SET_PDEATHSIG, a->pdeathsig);
	fexecve(a->mfd, a->argv, environ);
	a->err = -errno;	/* only on failure: success never returns */
	return NULL;
}

/*
 * fexecve(), from a fresh thread where the doorbell is UINTR hw.  The
 * intel UINTR kernel keeps a task's sender state (thread.uitt_activated)
 * across execve, while the exec resets the task's UINTR state registers:
 * the new image's uintr_register_sender() then sees a sender already
 * set up and leaves UINTR_TT unprogrammed, and its first SENDUIPI raises
 * #UD (SIGILL; arch/x86/kernel/uintr.c, do_uintr_register_sender()).
 * A thread that never sent is a task without that state; the exec'ing
 * thread becomes the process's only one, and its new image a fresh
 * sender.  Elsewhere the calling thread execs, as before.
 */
static int exec_image(const struct scf_session *s, int mfd, char *const argv[])
{
	struct exec_args a = { .mfd = mfd, .argv = argv, .err = -EIO };
	pthread_t th;
	int err;

	if (strcmp(scf_notify_name(), "uintr") || !s->backend ||
	    strcmp(s->backend, "hw")) {
		fexecve(mfd, argv, environ);
		return -errno;
	}
	if (prctl(PR_GET_PDEATHSIG, &a.pdeathsig))
		a.pdeathsig = 0;
	err = pthread_create(&th, NULL, exec_thread, &a);
	if (err)
		return -err;
	pthread_join(th, NULL);
	return a.err;
}

/* Bind again to our slot, as the new image does: 'X', then 'R'. */
static int come_back(struct scf_session *s, int ctl, int nsock, int32_t shadow_pid)
{
	if (write(ctl, &(char){ DUAL_EXECED }, 1) != 1)
		return -errno;
	return rtos_attach(s, s->slot, shadow_pid, ctl, nsock);
}

int rtos_exec(struct scf_session *s, const char *path, char *const argv[],
	      int report, struct dual_rec *d)
{
	uint32_t memsync = s->c.memsync;
	int ctl, nsock, mfd = -1, fds[4] = { -1, -1, -1, -1 }, i, err;
	bool cleared = false;
	char env[256];
	int32_t spid;
	int64_t ret;

	ret = rtos_self(&ctl, &nsock, &spid);
	if (ret)
		return (int)ret;
	if (d) {
		d->n = d->dropped = 0;
		d->t0 = scf_rdtsc_ordered();
	}
	/* Into this process's private memory: copy mode, whatever the run's. */
	s->c.memsync = SCF_MEMSYNC_COPY;
	ret = load_image(s, path, d, &mfd);
	if (ret)
		goto out;
	fds[0] = s->region_fd;
	fds[1] = ctl;
	fds[2] = nsock;
	fds[3] = report;
	cleared = true;
	for (i = 0; i < 4 && !ret; i++)
		if (fds[i] >= 0)
			ret = set_cloexec(fds[i], false);
	snprintf(env, sizeof(env), "%d:%llu:%u:%d:%d:%d:%d:%d:%u:%s",
		 s->region_fd, (unsigned long long)s->region_size, s->slot,
		 ctl, nsock, (int)spid, s->client_cpu, report,
		 SCF_MEMSYNC_COPY, s->backend);
	if (!ret && setenv(EXEC_ENV, env, 1))
		ret = -errno;
	if (ret)
		goto out;

	s->c.rec = rtos_part(d);
	ret = scf_exit(&s->c, 0, SCF_EXIT_EXEC);
	s->c.rec = NULL;
	if (ret)
		goto out;
	/* The shadow waits for 'X': from here the doorbell is the new image's. */
	scf_notify_detach(s->c.n);
	s->c.n = NULL;
	if (report >= 0 && d)
		write_full(report, d, sizeof(*d));
	ret = exec_image(s, mfd, argv);
	err = come_back(s, ctl, nsock, spid);
	if (err)
		ret = err;
out:
	unsetenv(EXEC_ENV);
	for (i = 0; cleared && i < 4; i++)
		if (fds[i] >= 0)
			set_cloexec(fds[i], true);
	if (mfd >= 0)
		close(mfd);
	s->c.memsync = memsync;
	return (int)ret;
}

/* The new image: everything from SCF_EXEC, checked, then re-attach. */
int rtos_exec_child(int argc, char **argv)
{
	static struct scf_session ns;
	struct scf_session *s = &ns;
	struct scf_queue probe_q;
	unsigned long long size;
	unsigned slot, memsync;
	int rfd, ctl, nsock, spid, cpu, report, err;
	char backend[32];
	const char *e = getenv(EXEC_ENV);
	uint64_t t_end;
	int64_t ret;

	(void)argc;
	(void)argv;
	if (!e || sscanf(e, "%d:%llu:%u:%d:%d:%d:%d:%d:%u:%31s", &rfd, &size,
			 &slot, &ctl, &nsock, &spid, &cpu, &report, &memsync,
			 backend) != 10 || rfd < 0 || ctl < 0 || spid <= 0 ||
	    !size || memsync > SCF_MEMSYNC_MAP) {
		fprintf(stderr, "scf-bench --exec-child: no valid %s\n",
			EXEC_ENV);
		return 2;
	}
	unsetenv(EXEC_ENV);
	s->region_fd = rfd;
	s->region_size = size;
	s->region = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, rfd,
			 0);
	if (s->region == MAP_FAILED)
		return 2;
	s->client_cpu = cpu;
	s->backend = backend;
	s->c.memsync = memsync;
	err = scf_queue_attach(&probe_q, s->region, size, slot);
	if (err)
		return 2;
	s->alloc_stack = calloc(probe_q.capacity, sizeof(uint32_t));
	s->alloc_used = calloc(probe_q.capacity, 1);
	if (!s->alloc_stack || !s->alloc_used)
		return 2;
	s->slot = slot;
	if (write(ctl, &(char){ DUAL_EXECED }, 1) != 1)
		return 2;
	err = rtos_attach(s, slot, spid, ctl, nsock);
	if (err) {
		fprintf(stderr, "scf-bench --exec-child: re-attach: %s\n",
			scf_strerror(err));
		return 2;
	}
	t_end = scf_rdtsc_ordered();
	if (report >= 0) {
		write_full(report, &t_end, sizeof(t_end));
		close(report);
	}
	/* One call through the slot, as proof that it carries again. */
	ret = scf_null(&s->c);
	rtos_exit(s, ret ? 4 : 0);
}
