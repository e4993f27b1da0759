// SPDX-License-Identifier: MIT
/*
 * fake_uintr_kernel.c - see fake_uintr_kernel.h.  Each handler below
 * follows its syscall in the kernel source, check by check:
 *   RFC v1:  arch/x86/kernel/uintr_fd.c, uintr_core.c (449..454)
 *   intel:   arch/x86/kernel/uintr.c of intel/uintr-linux-kernel (471..479)
 * Model: a receiver is a task (tid); RFC v1 frees its receiver state on
 * unregister (later senders get -ESHUTDOWN), intel keeps it; the UITT is
 * per task on RFC v1 and per mm (here: the process) on intel.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fake_uintr_kernel.h"

#define FK_TASKS	16
#define FK_FILES	64
#define FK_UITT_NR	256	/* UINTR_MAX_UITT_NR */
#define FK_UVEC_NR	64	/* UINTR_MAX_UVEC_NR */
#define FK_WAIT_MAX_USEC 1000000000ull	/* intel UINTR_WAIT_MAX_USEC */

struct fk_task {
	pid_t tid;
	bool receiver;		/* handler registered */
	bool active;		/* receiver_active: senders may connect */
	uint64_t uvec_mask;
	int upid;		/* identity of its UPID (never reused) */
	uint8_t uitt[FK_UITT_NR];	/* RFC v1: this task's UITT entries */
};

struct fk_file {
	bool used;
	dev_t dev;
	ino_t ino;
	int upid;
	pid_t owner;		/* receiver tid */
	uint64_t vec;
	pid_t senders[FK_TASKS];	/* RFC v1: sender_list (tasks) */
	long sidx[FK_TASKS];		/* and each one's UITT index */
};

static struct {
	pthread_mutex_t lock;
	struct fk_config cfg;
	struct fk_task task[FK_TASKS];
	struct fk_file file[FK_FILES];
	uint8_t uitt[FK_UITT_NR];	/* intel: the mm's UITT */
	bool uitt_ctx;			/* intel: mm->context.uitt_ctx */
	int next_upid;
	long fail_nr;
	int fail_err;
	struct fk_stats st;
	int listener;
} fk = { .lock = PTHREAD_MUTEX_INITIALIZER, .fail_nr = -1 };

struct uintr_hw_hooks fk_hooks;
static char fk_cpuinfo[64];

static struct fk_task *task_of(pid_t tid, bool create)
{
	struct fk_task *free_slot = NULL;
	int i;

	for (i = 0; i < FK_TASKS; i++) {
		if (fk.task[i].tid == tid)
			return &fk.task[i];
		if (!fk.task[i].tid && !free_slot)
			free_slot = &fk.task[i];
	}
	if (!create || !free_slot)
		return NULL;
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->tid = tid;
	return free_slot;
}

/* fdget() + the f_op check: -EBADF, or NULL for "not a uvec file". */
static struct fk_file *file_of(long fd, int *err)
{
	struct stat sb;
	int i;

	*err = 0;
	if (fd < 0 || fd > INT32_MAX || fstat((int)fd, &sb)) {
		*err = -EBADF;
		return NULL;
	}
	for (i = 0; i < FK_FILES; i++)
		if (fk.file[i].used && fk.file[i].dev == sb.st_dev &&
		    fk.file[i].ino == sb.st_ino)
			return &fk.file[i];
	return NULL;
}

static long new_uvec_file(struct fk_task *t, uint64_t vec)
{
	struct stat sb;
	int i, fd;

	for (i = 0; i < FK_FILES && fk.file[i].used; i++)
		;
	if (i == FK_FILES)
		return -ENFILE;
	fd = memfd_create("fake-uvecfd", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	fstat(fd, &sb);
	memset(&fk.file[i], 0, sizeof(fk.file[i]));
	fk.file[i] = (struct fk_file){ .used = true, .dev = sb.st_dev,
				       .ino = sb.st_ino, .upid = t->upid,
				       .owner = t->tid, .vec = vec };
	return fd;
}

static bool upid_active(int upid)
{
	int i;

	for (i = 0; i < FK_TASKS; i++)
		if (fk.task[i].tid && fk.task[i].upid == upid)
			return fk.task[i].active;
	return false;
}

static long uitt_alloc(uint8_t *uitt)
{
	long e;

	for (e = 0; e < FK_UITT_NR && uitt[e]; e++)
		;
	if (e == FK_UITT_NR)
		return -ENOSPC;
	uitt[e] = 1;
	return e;
}

static void register_receiver(struct fk_task *t)
{
	if (!t->upid)
		t->upid = ++fk.next_upid;
	t->receiver = true;
	t->active = true;
}

/* ---- intel/uintr-linux-kernel: 471..479 ---- */

static long intel_call(long nr, const uint64_t *a, pid_t tid)
{
	struct fk_task *t = task_of(tid, true);
	struct fk_file *f;
	unsigned int flags;
	int err;

	if (!t)
		return -ENOMEM;
	/* every syscall: if (!cpu_feature_enabled(X86_FEATURE_UINTR)) -ENOSYS */
	if (fk.cfg.disabled)
		return -ENOSYS;
	switch (nr) {
	case UINTR_INTEL_NR_REGISTER_HANDLER:
		flags = (unsigned int)a[1];
		if (flags & ~UINTR_HANDLER_FLAG_WAITING_ANY)
			return -EINVAL;
		if (flags && !fk.cfg.blocking)
			return -EINVAL;
		if (!a[0])
			return -EFAULT;
		if (t->receiver)
			return -EBUSY;
		register_receiver(t);
		fk.st.last_flags = flags;
		return 0;
	case UINTR_INTEL_NR_UNREGISTER_HANDLER:
		if ((unsigned int)a[0])
			return -EINVAL;
		if (!t->receiver)
			return -EINVAL;
		/* receiver_active stays set: the source leaves it commented out */
		t->receiver = false;
		return 0;
	case UINTR_INTEL_NR_VECTOR_FD:
		if ((unsigned int)a[1])
			return -EINVAL;
		if (!t->receiver)
			return -EINVAL;
		if (a[0] >= FK_UVEC_NR)
			return -ENOSPC;
		t->uvec_mask |= 1ull << a[0];	/* re-registering is fine */
		return new_uvec_file(t, a[0]);
	case UINTR_INTEL_NR_REGISTER_SENDER:
		if ((unsigned int)a[1])
			return -EINVAL;
		f = file_of((long)(int)a[0], &err);
		if (err)
			return err;
		if (!f)
			return -EOPNOTSUPP;
		if (!upid_active(f->upid))
			return -ESHUTDOWN;
		fk.uitt_ctx = true;
		return uitt_alloc(fk.uitt);
	case UINTR_INTEL_NR_UNREGISTER_SENDER:
		if ((unsigned int)a[1])
			return -EINVAL;
		if (!fk.uitt_ctx)
			return -EINVAL;
		if ((int)a[0] < 0 || (int)a[0] >= FK_UITT_NR ||
		    !fk.uitt[(int)a[0]])
			return -EINVAL;
		fk.uitt[(int)a[0]] = 0;
		return 0;
	case UINTR_INTEL_NR_WAIT:
		if (!fk.cfg.blocking)
			return -ENOSYS;
		if ((unsigned int)a[1])
			return -EINVAL;
		if (a[0] > FK_WAIT_MAX_USEC)
			return -EINVAL;
		if (!a[0])
			return 0;
		if (!t->receiver)
			return -EOPNOTSUPP;
		return 0;	/* the timer expired: nothing can interrupt here */
	case UINTR_INTEL_NR_REGISTER_SELF:
		if ((unsigned int)a[1])
			return -EINVAL;
		if (!t->receiver)
			return -EINVAL;
		if (a[0] >= FK_UVEC_NR)
			return -ENOSPC;
		t->uvec_mask |= 1ull << a[0];
		fk.uitt_ctx = true;
		return uitt_alloc(fk.uitt);
	case UINTR_INTEL_NR_ALT_STACK:
		if ((unsigned int)a[2])
			return -EINVAL;
		if (!t->receiver)
			return -EOPNOTSUPP;
		return 0;
	case UINTR_INTEL_NR_IPI_FD:
		if ((unsigned int)a[0])
			return -EINVAL;
		fk.uitt_ctx = true;
		err = memfd_create("fake-uipifd", MFD_CLOEXEC);
		return err < 0 ? -errno : err;
	}
	return -ENOSYS;
}

/* ---- RFC v1: 449..454 ---- */

static long rfc1_call(long nr, const uint64_t *a, pid_t tid)
{
	struct fk_task *t = task_of(tid, true);
	struct fk_file *f;
	int err, i;

	if (!t)
		return -ENOMEM;
	/* every syscall: if (!uintr_arch_enabled()) -EOPNOTSUPP */
	if (fk.cfg.disabled)
		return -EOPNOTSUPP;
	switch (nr) {
	case UINTR_RFC1_NR_REGISTER_HANDLER:
		if ((unsigned int)a[1])
			return -EINVAL;
		if (!a[0])
			return -EFAULT;
		if (t->receiver)
			return -EBUSY;
		t->upid = 0;		/* a fresh ui_recv and UPID each time */
		t->uvec_mask = 0;
		register_receiver(t);
		fk.st.last_flags = 0;
		return 0;
	case UINTR_RFC1_NR_UNREGISTER_HANDLER:
		if ((unsigned int)a[0])
			return -EINVAL;
		if (!t->receiver)
			return -EINVAL;
		t->receiver = false;
		t->active = false;	/* receiver_active = false */
		return 0;
	case UINTR_RFC1_NR_CREATE_FD:
		if ((unsigned int)a[1])
			return -EINVAL;
		if (!t->receiver)
			return -EINVAL;
		if (a[0] >= FK_UVEC_NR)
			return -ENOSPC;
		if (t->uvec_mask & (1ull << a[0]))
			return -EBUSY;
		t->uvec_mask |= 1ull << a[0];
		return new_uvec_file(t, a[0]);
	case UINTR_RFC1_NR_REGISTER_SENDER:
	case UINTR_RFC1_NR_UNREGISTER_SENDER:
		if ((unsigned int)a[1])
			return -EINVAL;
		f = file_of((long)(int)a[0], &err);
		if (err)
			return err;
		if (!f)
			return -EOPNOTSUPP;
		for (i = 0; i < FK_TASKS && f->senders[i] != tid; i++)
			;
		if (nr == UINTR_RFC1_NR_UNREGISTER_SENDER) {
			if (i == FK_TASKS)
				return -EINVAL;
			f->senders[i] = 0;
			/* the task work frees the entry on return to user space */
			t->uitt[f->sidx[i]] = 0;
			return 0;
		}
		if (i < FK_TASKS)
			return -EISCONN;
		if (!upid_active(f->upid))
			return -ESHUTDOWN;
		for (i = 0; i < FK_TASKS && f->senders[i]; i++)
			;
		if (i == FK_TASKS)
			return -ENOMEM;
		err = (int)uitt_alloc(t->uitt);
		if (err >= 0) {
			f->senders[i] = tid;
			f->sidx[i] = err;
		}
		return err;
	case UINTR_RFC1_NR_WAIT:
		if ((unsigned int)a[0])
			return -EINVAL;
		if (!t->receiver)
			return -EOPNOTSUPP;
		return 0;	/* the 100 us timer expired */
	}
	return -ENOSYS;
}

static long fk_call(long nr, const uint64_t *a, pid_t tid)
{
	fk.st.calls++;
	if (nr == fk.fail_nr) {
		fk.fail_nr = -1;
		return -fk.fail_err;
	}
	if (fk.cfg.abi == FK_INTEL && nr >= UINTR_INTEL_NR_REGISTER_HANDLER &&
	    nr <= UINTR_INTEL_NR_IPI_FD)
		return intel_call(nr, a, tid);
	if (fk.cfg.abi == FK_RFC1 && nr >= UINTR_RFC1_NR_REGISTER_HANDLER &&
	    nr <= UINTR_RFC1_NR_WAIT)
		return rfc1_call(nr, a, tid);
	return -ENOSYS;
}

static void *fk_supervisor(void *arg)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	uint64_t args[6];
	long r;
	int i;

	(void)arg;
	for (;;) {
		memset(&req, 0, sizeof(req));
		if (ioctl(fk.listener, SECCOMP_IOCTL_NOTIF_RECV, &req)) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			return NULL;
		}
		pthread_mutex_lock(&fk.lock);
		for (i = 0; i < 6; i++)
			args[i] = req.data.args[i];
		r = fk_call(req.data.nr, args, (pid_t)req.pid);
		pthread_mutex_unlock(&fk.lock);
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		if (r < 0)
			resp.error = (int32_t)r;
		else
			resp.val = r;
		/* ENOENT: the caller was interrupted meanwhile; nothing to do */
		ioctl(fk.listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

/* ---- the instructions ---- */

static bool fk_true(void)
{
	return true;
}

static void fk_stui(void)
{
	struct fk_task *t;

	pthread_mutex_lock(&fk.lock);
	t = task_of((pid_t)syscall(SYS_gettid), false);
	fk.st.stui++;
	if (!t || !t->receiver)
		fk.st.violations++;	/* STUI before the handler is set up */
	pthread_mutex_unlock(&fk.lock);
}

static void fk_clui(void)
{
	pthread_mutex_lock(&fk.lock);
	fk.st.clui++;
	pthread_mutex_unlock(&fk.lock);
}

static void fk_senduipi(uint64_t index)
{
	struct fk_task *t;
	const uint8_t *uitt;

	pthread_mutex_lock(&fk.lock);
	t = task_of((pid_t)syscall(SYS_gettid), false);
	uitt = fk.cfg.abi == FK_INTEL ? fk.uitt : t ? t->uitt : NULL;
	fk.st.senduipi++;
	fk.st.last_index = (long)index;
	/* the CPU raises #GP on an invalid or out-of-range UITT entry */
	if (!uitt || index >= FK_UITT_NR || !uitt[index])
		fk.st.violations++;
	pthread_mutex_unlock(&fk.lock);
}

/* ---- set-up ---- */

static void fk_cleanup(void)
{
	unlink(fk_cpuinfo);
}

int fk_start(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
			 UINTR_RFC1_NR_REGISTER_HANDLER, 0, 5),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, UINTR_RFC1_NR_WAIT, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
			 UINTR_INTEL_NR_REGISTER_HANDLER, 0, 2),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, UINTR_INTEL_NR_IPI_FD, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = sizeof(code) / sizeof(code[0]), .filter = code,
	};
	pthread_t th;
	FILE *f;
	int fd;

	snprintf(fk_cpuinfo, sizeof(fk_cpuinfo), "/tmp/fk-cpuinfo-XXXXXX");
	fd = mkstemp(fk_cpuinfo);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f)
		return -errno;
	fputs("processor\t: 0\nflags\t\t: fpu sse2 uintr\n", f);
	fclose(f);
	atexit(fk_cleanup);
	fk_hooks = (struct uintr_hw_hooks){
		.cpu_has_uintr = fk_true, .cpuinfo = fk_cpuinfo,
		.stui = fk_stui, .clui = fk_clui, .senduipi = fk_senduipi,
	};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	fk.listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				   SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (fk.listener < 0)
		return -errno;
	if (pthread_create(&th, NULL, fk_supervisor, NULL))
		return -EAGAIN;
	pthread_detach(th);
	return 0;
}

void fk_configure(const struct fk_config *c)
{
	pthread_mutex_lock(&fk.lock);
	fk.cfg = *c;
	memset(fk.task, 0, sizeof(fk.task));
	memset(fk.file, 0, sizeof(fk.file));
	memset(fk.uitt, 0, sizeof(fk.uitt));
	fk.uitt_ctx = false;
	fk.fail_nr = -1;
	memset(&fk.st, 0, sizeof(fk.st));
	fk.st.last_index = -1;
	pthread_mutex_unlock(&fk.lock);
}

void fk_fail_next(long nr, int err)
{
	pthread_mutex_lock(&fk.lock);
	fk.fail_nr = nr;
	fk.fail_err = err;
	pthread_mutex_unlock(&fk.lock);
}

void fk_get_stats(struct fk_stats *s)
{
	int i, e;

	pthread_mutex_lock(&fk.lock);
	*s = fk.st;
	s->receivers = s->senders = 0;
	for (i = 0; i < FK_TASKS; i++) {
		s->receivers += fk.task[i].tid && fk.task[i].receiver;
		for (e = 0; e < FK_UITT_NR; e++)
			s->senders += fk.task[i].tid && fk.task[i].uitt[e];
	}
	for (e = 0; e < FK_UITT_NR; e++)
		s->senders += fk.uitt[e];
	pthread_mutex_unlock(&fk.lock);
}
