// SPDX-License-Identifier: MIT
/*
 * fake_uintr_kernel.c - see fake_uintr_kernel.h.  Each handler below
 * follows its syscall in the kernel source, check by check:
 *   RFC v1:  arch/x86/kernel/uintr_fd.c, uintr_core.c (449..454)
 *   intel:   arch/x86/kernel/uintr.c of intel/uintr-linux-kernel (471..479)
 * Model: a receiver is a task (tid); RFC v1 frees its receiver state on
 * unregister (later senders get -ESHUTDOWN), intel keeps it; the UITT is
 * per task on RFC v1 and per mm (here: the process) on intel.  A task is
 * known by its tid and its start time (/proc/TID/stat), so a tid the
 * system reuses is a new task with no registration, as a new task_struct
 * is (copy_thread() clears upid_ctx and upid_activated); a process likewise
 * by its tgid.  Every process of the filter's tree (threads, forked
 * children, exec'd programs) is answered here: fds are installed into the
 * caller with SECCOMP_IOCTL_NOTIF_ADDFD and its fds read through
 * /proc/TID/fd, and the fake instructions are syscalls (FK_NR_*) this
 * supervisor answers, so its state is the one state of the machine.
 * The intel UITT follows the mm: a forked process has its parent's
 * (arch_dup_mmap(): uitt_dup_context(); here a copy taken when the child
 * first needs it), an exec'd one starts empty (execve is notified too,
 * and continued).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fake_uintr_kernel.h"

#define FK_TASKS	64
#define FK_MMS		16
#define FK_FILES	256
#define FK_UITT_NR	256	/* UINTR_MAX_UITT_NR */
#define FK_UVEC_NR	64	/* UINTR_MAX_UVEC_NR */
#define FK_WAIT_MAX_USEC 1000000000ull	/* intel UINTR_WAIT_MAX_USEC */

/* A UITT entry: the target UPID and the vector it posts. */
struct fk_uitte {
	bool valid;
	int upid;
	uint64_t vec;
};

struct fk_task {
	pid_t tid;
	pid_t tgid;
	unsigned long long start;	/* start time: tid reuse is a new task */
	bool receiver;		/* handler registered */
	bool active;		/* receiver_active: senders may connect */
	unsigned int flags;	/* of its registration */
	uint64_t uvec_mask;
	int upid;		/* identity of its UPID (never reused) */
	bool uif;		/* fake STUI ran, no CLUI since */
	bool sender;		/* intel: thread.uitt_activated */
	bool tt;		/* intel: UINTR_TT programmed in its state */
	uint64_t rx;		/* its struct uintr_rx, named by the fake STUI */
	uint64_t pir;		/* posted, not yet delivered */
	struct fk_uitte uitt[FK_UITT_NR];	/* RFC v1: this task's UITT */
};

/* intel: the UITT of one mm (process). */
struct fk_mm {
	pid_t tgid;
	unsigned long long start;
	bool uitt_ctx;		/* mm->context.uitt_ctx */
	struct fk_uitte uitt[FK_UITT_NR];
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
	struct fk_mm mm[FK_MMS];
	struct fk_file file[FK_FILES];
	int next_upid;
	long fail_nr;
	int fail_err;
	struct fk_stats st;
	int listener;
	uint64_t req_id;	/* the notification being answered */
} fk = { .lock = PTHREAD_MUTEX_INITIALIZER, .fail_nr = -1 };

struct uintr_hw_hooks fk_hooks;
static char fk_cpuinfo[64];

/* The tgid and start time of a live task, from /proc; -1 when it is gone. */
static int task_ident(pid_t tid, pid_t *tgid, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	unsigned long long v = 0;
	FILE *f;
	int i, got = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* after "pid (comm)": state is field 3, starttime field 22 */
	for (i = 3; p && i <= 22; i++) {
		p = strchr(p + 1, ' ');
		if (p && i == 22)
			got = sscanf(p + 1, "%llu", &v) == 1;
	}
	if (!got)
		return -1;
	*start = v;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	got = 0;
	while (!got && fgets(buf, sizeof(buf), f))
		got = sscanf(buf, "Tgid: %d", tgid) == 1;
	fclose(f);
	return got ? 0 : -1;
}

/* The slot still names the live task it was made for. */
static bool task_alive(const struct fk_task *t)
{
	unsigned long long start;
	pid_t tgid;

	return t->tid && !task_ident(t->tid, &tgid, &start) &&
	       start == t->start;
}

static struct fk_task *task_of(pid_t tid, bool create)
{
	struct fk_task *slot = NULL;
	unsigned long long start;
	pid_t tgid;
	int i;

	if (task_ident(tid, &tgid, &start))
		return NULL;
	for (i = 0; i < FK_TASKS; i++)
		if (fk.task[i].tid == tid) {
			if (fk.task[i].start == start)
				return &fk.task[i];
			slot = &fk.task[i];	/* the tid of a task gone */
			break;
		}
	if (!create)
		return NULL;
	/* A free slot, or one whose task has exited (its state went too). */
	for (i = 0; !slot && i < FK_TASKS; i++)
		if (!fk.task[i].tid || !task_alive(&fk.task[i]))
			slot = &fk.task[i];
	if (!slot)
		return NULL;
	memset(slot, 0, sizeof(*slot));
	slot->tid = tid;
	slot->tgid = tgid;
	slot->start = start;
	return slot;
}

static bool mm_alive(const struct fk_mm *m)
{
	unsigned long long start;
	pid_t tgid;

	return m->tgid && !task_ident(m->tgid, &tgid, &start) &&
	       start == m->start;
}

/* The parent process of tgid, from /proc; -1 when it cannot be read. */
static pid_t parent_of(pid_t tgid)
{
	char path[64], buf[256];
	pid_t pp = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tgid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "PPid: %d", &pp) == 1)
			break;
	fclose(f);
	return pp;
}

static struct fk_mm *mm_find(pid_t tgid)
{
	int i;

	for (i = 0; i < FK_MMS; i++)
		if (fk.mm[i].tgid == tgid && mm_alive(&fk.mm[i]))
			return &fk.mm[i];
	return NULL;
}

/*
 * intel: the UITT of process tgid.  A process seen for the first time
 * that was forked from one with a UITT starts with a copy of it;
 * inherit false (at its execve) gives an empty one.
 */
static struct fk_mm *mm_new(pid_t tgid, bool inherit)
{
	struct fk_mm *slot = NULL, *parent;
	unsigned long long start;
	pid_t id;
	int i;

	if (task_ident(tgid, &id, &start))
		return NULL;
	for (i = 0; !slot && i < FK_MMS; i++)
		if (fk.mm[i].tgid == tgid || !mm_alive(&fk.mm[i]))
			slot = &fk.mm[i];
	if (!slot)
		return NULL;
	parent = inherit ? mm_find(parent_of(tgid)) : NULL;
	if (parent && parent != slot)
		*slot = *parent;
	else
		memset(slot, 0, sizeof(*slot));
	slot->tgid = tgid;
	slot->start = start;
	return slot;
}

static struct fk_mm *mm_of(const struct fk_task *t, bool create)
{
	struct fk_mm *m = mm_find(t->tgid);

	return m || !create ? m : mm_new(t->tgid, true);
}

/*
 * The caller of execve: its process gets a new mm, with no UITT.  The
 * calling thread's task goes on as the process's only one (de_thread():
 * the leader's pid and start time), with its UINTR state registers reset
 * but, as in the intel tree, its thread flags kept: a sender stays
 * "activated" with UINTR_TT unprogrammed, a receiver stays registered.
 * (An execve that then fails is taken as done.)
 */
static void mm_exec(pid_t tid)
{
	struct fk_task *t = task_of(tid, true), *l, keep;
	unsigned long long start;
	pid_t tgid;

	if (task_ident(tid, &tgid, &start))
		return;
	mm_new(tgid, false);
	if (!t)
		return;
	keep = *t;
	memset(t, 0, sizeof(*t));
	l = task_of(tgid, true);	/* the leader's slot (this one if tid == tgid) */
	if (!l)
		return;
	keep.tid = l->tid;
	keep.start = l->start;
	keep.tgid = tgid;
	keep.tt = false;
	keep.uif = false;
	keep.rx = 0;
	*l = keep;
}

/* fdget() + the f_op check: -EBADF, or NULL for "not a uvec file". */
static struct fk_file *file_of(pid_t tid, long fd, int *err)
{
	char path[64];
	struct stat sb;
	int i;

	*err = 0;
	snprintf(path, sizeof(path), "/proc/%d/fd/%ld", (int)tid, fd);
	if (fd < 0 || fd > INT32_MAX || stat(path, &sb)) {
		*err = -EBADF;
		return NULL;
	}
	for (i = 0; i < FK_FILES; i++)
		if (fk.file[i].used && fk.file[i].dev == sb.st_dev &&
		    fk.file[i].ino == sb.st_ino)
			return &fk.file[i];
	return NULL;
}

/* A new fd of ours in the caller's table (O_CLOEXEC); its number. */
static long install_fd(int fd)
{
	struct seccomp_notif_addfd a = {
		.id = fk.req_id, .srcfd = (uint32_t)fd, .newfd_flags = O_CLOEXEC,
	};
	long r = ioctl(fk.listener, SECCOMP_IOCTL_NOTIF_ADDFD, &a);

	r = r < 0 ? -errno : r;
	close(fd);
	return r;
}

static struct fk_task *upid_task(int upid);

static long new_uvec_file(struct fk_task *t, uint64_t vec)
{
	struct stat sb;
	int i, fd;

	/* A free entry, or one whose receiver has exited. */
	for (i = 0; i < FK_FILES && fk.file[i].used &&
		    upid_task(fk.file[i].upid); i++)
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
	return install_fd(fd);
}

/* The live task whose UPID this is, or NULL. */
static struct fk_task *upid_task(int upid)
{
	int i;

	for (i = 0; i < FK_TASKS; i++)
		if (fk.task[i].tid && fk.task[i].upid == upid &&
		    task_alive(&fk.task[i]))
			return &fk.task[i];
	return NULL;
}

static bool upid_active(int upid)
{
	struct fk_task *t = upid_task(upid);

	return t && t->active;
}

static long uitt_alloc(struct fk_uitte *uitt, const struct fk_file *f)
{
	long e;

	for (e = 0; e < FK_UITT_NR && uitt[e].valid; e++)
		;
	if (e == FK_UITT_NR)
		return -ENOSPC;
	uitt[e] = (struct fk_uitte){ .valid = true, .upid = f ? f->upid : 0,
				     .vec = f ? f->vec : 0 };
	return e;
}

static void register_receiver(struct fk_task *t, unsigned int flags)
{
	if (!t->upid)
		t->upid = ++fk.next_upid;
	t->receiver = true;
	t->active = true;
	t->flags = flags;
}

/* ---- delivery (fk_config.deliver) ---- */

/*
 * What the handler (variants/uintr/uintr_hw_handler.c) does once per
 * delivered vector, done to the receiver's struct uintr_rx from here:
 * only the fields the handler writes, each as it would.
 */
static int run_handler(const struct fk_task *t, uint64_t vec)
{
	struct uintr_rx rx;
	struct iovec l = { &rx, sizeof(rx) }, r = { (void *)(uintptr_t)t->rx,
						     sizeof(rx) };
	struct iovec lw[4], rw[4];
	int i;

	if (process_vm_readv(t->tid, &l, 1, &r, 1, 0) != (ssize_t)sizeof(rx))
		return -errno;
	rx.interrupts++;
	rx.vectors++;
	rx.vector_mask |= 1ull << (vec & 63);
	rx.irqs++;
#define FK_FIELD(n, f) do {						\
		lw[n] = (struct iovec){ &rx.f, sizeof(rx.f) };		\
		rw[n] = (struct iovec){ (char *)(uintptr_t)t->rx +	\
					offsetof(struct uintr_rx, f),	\
					sizeof(rx.f) };			\
	} while (0)
	FK_FIELD(0, interrupts);
	FK_FIELD(1, vectors);
	FK_FIELD(2, vector_mask);
	FK_FIELD(3, irqs);	/* last: the futex word a sleeper re-checks */
#undef FK_FIELD
	for (i = 0; i < 4; i++)
		if (process_vm_writev(t->tid, &lw[i], 1, &rw[i], 1, 0) !=
		    (ssize_t)lw[i].iov_len)
			return -errno;
	return 0;
}

/*
 * A WAITING receiver asleep in FUTEX_WAIT on its handler's counter (the
 * hw backend's sleep, variants/uintr/uintr_wait.c) is woken: the kernel
 * sets TIF_NOTIFY_SIGNAL and wakes it (uintr_wake_up_process()); the
 * futex, restarted, finds the counter changed.  Here FK_WAKE_SIG ends
 * the sleep (EINTR; its handler does nothing).  Any other blocking
 * syscall the kernel restarts unseen, so it is left alone here: a signal
 * would end a poll() the kernel would have restarted.  The counter was
 * written first, so a receiver not yet asleep sees it at the compare; one
 * between the compare and the sleep shows "running" for that moment.
 */
static void wake_if_asleep(const struct fk_task *t)
{
	uint64_t word = t->rx + offsetof(struct uintr_rx, irqs);
	unsigned long long nr, a0;
	char path[64], buf[256];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)t->tid);
	for (i = 0; i < 8; i++) {
		f = fopen(path, "r");
		if (!f)
			return;
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
		if (sscanf(buf, "%llu 0x%llx", &nr, &a0) == 2) {
			if (nr == SYS_futex && a0 == word)
				syscall(SYS_tgkill, t->tgid, t->tid, FK_WAKE_SIG);
			return;
		}
		if (strncmp(buf, "running", 7))
			return;
		sched_yield();
	}
}

/*
 * Deliver what is pending to a receiver that can take it (registered,
 * UIF set): one handler run per vector, highest first; then a WAITING
 * receiver asleep on it is woken (wake_if_asleep).
 */
static void deliver(struct fk_task *t)
{
	int v;

	if (!fk.cfg.deliver || !t->receiver || !t->uif || !t->rx || !t->pir)
		return;
	for (v = 63; v >= 0; v--) {
		if (!(t->pir & (1ull << v)))
			continue;
		if (run_handler(t, (uint64_t)v))
			fk.st.violations++;	/* the handler's memory is gone */
		else
			fk.st.delivered++;
	}
	t->pir = 0;
	if (t->flags & UINTR_HANDLER_FLAG_WAITING_ANY)
		wake_if_asleep(t);
}

/* ---- intel/uintr-linux-kernel: 471..479 ---- */

static long intel_call(long nr, const uint64_t *a, pid_t tid)
{
	struct fk_task *t = task_of(tid, true);
	struct fk_file *f, self;
	struct fk_mm *mm;
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
		register_receiver(t, flags);
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
		f = file_of(tid, (long)(int)a[0], &err);
		if (err)
			return err;
		if (!f)
			return -EOPNOTSUPP;
		if (!upid_active(f->upid))
			return -ESHUTDOWN;
		if (!(mm = mm_of(t, true)))
			return -ENOMEM;
		mm->uitt_ctx = true;
		err = (int)uitt_alloc(mm->uitt, f);
		/* if (!is_uintr_sender(t)) uintr_set_sender_msrs(t); */
		if (err >= 0 && !t->sender)
			t->sender = t->tt = true;
		return err;
	case UINTR_INTEL_NR_UNREGISTER_SENDER:
		if ((unsigned int)a[1])
			return -EINVAL;
		mm = mm_of(t, false);
		if (!mm || !mm->uitt_ctx)
			return -EINVAL;
		if ((int)a[0] < 0 || (int)a[0] >= FK_UITT_NR ||
		    !mm->uitt[(int)a[0]].valid)
			return -EINVAL;
		mm->uitt[(int)a[0]].valid = false;
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
		if (!(mm = mm_of(t, true)))
			return -ENOMEM;
		mm->uitt_ctx = true;
		self = (struct fk_file){ .upid = t->upid, .vec = a[0] };
		err = (int)uitt_alloc(mm->uitt, &self);
		if (err >= 0 && !t->sender)
			t->sender = t->tt = true;
		return err;
	case UINTR_INTEL_NR_ALT_STACK:
		if ((unsigned int)a[2])
			return -EINVAL;
		if (!t->receiver)
			return -EOPNOTSUPP;
		return 0;
	case UINTR_INTEL_NR_IPI_FD:
		if ((unsigned int)a[0])
			return -EINVAL;
		if (!(mm = mm_of(t, true)))
			return -ENOMEM;
		mm->uitt_ctx = true;
		err = memfd_create("fake-uipifd", MFD_CLOEXEC);
		return err < 0 ? -errno : install_fd(err);
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
		register_receiver(t, 0);
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
		f = file_of(tid, (long)(int)a[0], &err);
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
			t->uitt[f->sidx[i]].valid = false;
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
		err = (int)uitt_alloc(t->uitt, f);
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

/* ---- the instructions, answered as syscalls FK_NR_* ---- */

static long insn_call(long nr, const uint64_t *a, pid_t tid)
{
	struct fk_task *t = task_of(tid, nr == FK_NR_SENDUIPI), *r;
	struct fk_uitte *uitt = NULL;
	struct fk_mm *mm;
	uint64_t index = a[0];

	switch (nr) {
	case FK_NR_STUI:
		fk.st.stui++;
		if (!t || !t->receiver) {
			fk.st.violations++;	/* STUI before the handler is set up */
			return 0;
		}
		t->uif = true;
		t->rx = a[0];
		deliver(t);	/* what was posted while UIF was clear */
		return 0;
	case FK_NR_CLUI:
		fk.st.clui++;
		if (t)
			t->uif = false;
		return 0;
	case FK_NR_SENDUIPI:
		fk.st.senduipi++;
		fk.st.last_index = (long)index;
		if (fk.cfg.abi == FK_INTEL)
			uitt = t && (mm = mm_of(t, true)) ? mm->uitt : NULL;
		else if (t)
			uitt = t->uitt;
		/* the CPU raises #GP on an invalid or out-of-range UITT entry */
		/*
		 * intel: UINTR_TT not programmed is #UD; the kernel's fixup
		 * programs it for a task not yet a sender whose mm has a
		 * UITT (a forked child), else the task gets SIGILL.
		 */
		if (fk.cfg.abi == FK_INTEL && t && !t->tt) {
			if (!t->sender && uitt) {
				t->sender = t->tt = true;
			} else {
				fk.st.violations++;
				if (fk.cfg.deliver)	/* as the real one ends */
					syscall(SYS_tgkill, t->tgid, t->tid, SIGILL);
				return 0;
			}
		}
		if (!uitt || index >= FK_UITT_NR || !uitt[index].valid) {
			fk.st.violations++;
			return 0;
		}
		/* Post to the UPID; a receiver gone or unregistered takes nothing. */
		r = upid_task(uitt[index].upid);
		if (r && r->receiver) {
			r->pir |= 1ull << (uitt[index].vec & 63);
			deliver(r);
		}
		return 0;
	}
	return -ENOSYS;
}

static long fk_call(long nr, const uint64_t *a, pid_t tid)
{
	if (nr >= FK_NR_STUI && nr <= FK_NR_SENDUIPI)
		return insn_call(nr, a, tid);
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
		fk.req_id = req.id;
		for (i = 0; i < 6; i++)
			args[i] = req.data.args[i];
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		if (req.data.nr == SYS_execve || req.data.nr == SYS_execveat) {
			/* Not ours to answer: the kernel runs it as asked. */
			mm_exec((pid_t)req.pid);
			pthread_mutex_unlock(&fk.lock);
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
			ioctl(fk.listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
			continue;
		}
		r = fk_call(req.data.nr, args, (pid_t)req.pid);
		pthread_mutex_unlock(&fk.lock);
		if (r < 0)
			resp.error = (int32_t)r;
		else
			resp.val = r;
		/* ENOENT: the caller was interrupted meanwhile; nothing to do */
		ioctl(fk.listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

/* ---- the instructions: each a syscall to the supervisor ---- */

static bool fk_true(void)
{
	return true;
}

static void fk_stui(void)
{
	/* The handler's counters, for delivery: what the real one reads. */
	syscall(FK_NR_STUI, (long)(uintptr_t)uintr_tls_rx);
}

static void fk_clui(void)
{
	syscall(FK_NR_CLUI);
}

static void fk_senduipi(uint64_t index)
{
	syscall(FK_NR_SENDUIPI, (long)index);
}

/* ---- set-up ---- */

static void fk_cleanup(void)
{
	unlink(fk_cpuinfo);
}

static void fk_wake(int sig)
{
	(void)sig;	/* only ends a blocking syscall, as a UIPI would */
}

int fk_hooks_init(void)
{
	struct sigaction sa;
	FILE *f;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fk_wake;
	sa.sa_flags = SA_RESTART;
	if (sigaction(FK_WAKE_SIG, &sa, NULL))
		return -errno;
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
	return 0;
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
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, FK_NR_STUI, 0, 2),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, FK_NR_SENDUIPI, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		/* execve: the UITT goes with the old mm (continued at once) */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_execve, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_execveat, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	};
	struct sock_fprog prog = {
		.len = sizeof(code) / sizeof(code[0]), .filter = code,
	};
	sigset_t all, old;
	pthread_t th;
	int err = fk_hooks_init();

	if (err)
		return err;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	fk.listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				   SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (fk.listener < 0)
		return -errno;
	/*
	 * The supervisor takes none of the process's signals (a SIGCHLD
	 * handler run there would reap behind a thread that blocked it):
	 * it starts with every signal blocked.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&th, NULL, fk_supervisor, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return -err;
	pthread_detach(th);
	return 0;
}

void fk_configure(const struct fk_config *c)
{
	pthread_mutex_lock(&fk.lock);
	fk.cfg = *c;
	memset(fk.task, 0, sizeof(fk.task));
	memset(fk.mm, 0, sizeof(fk.mm));
	memset(fk.file, 0, sizeof(fk.file));
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
	/* A task that exited took its registration and UITT with it. */
	for (i = 0; i < FK_TASKS; i++) {
		if (!task_alive(&fk.task[i]))
			continue;
		s->receivers += fk.task[i].receiver;
		for (e = 0; e < FK_UITT_NR; e++)
			s->senders += fk.task[i].uitt[e].valid;
	}
	for (i = 0; i < FK_MMS; i++)
		for (e = 0; fk.mm[i].tgid && e < FK_UITT_NR; e++)
			s->senders += fk.mm[i].uitt[e].valid;
	pthread_mutex_unlock(&fk.lock);
}
