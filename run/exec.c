// SPDX-License-Identifier: MIT
/*
 * exec.c - execve, the dual way of the SCF seeds: the new image is read
 * through the shadow (remote stat, open, read, close, beneath --root),
 * and the runtime, the program's kernel, replaces the old image in this
 * same process: Syscall User Dispatch would not survive a host execve.
 * Until the point of no return nothing of the old image is touched, so a
 * failed exec returns its error to the program as execve does.  Then the
 * fds with FD_CLOEXEC are closed at the shadow, the old mappings go, the
 * new image is mapped, and the trapped context is pointed at its entry:
 * the handler's sigreturn starts it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include "calls.h"

#define PTR(x)		((void *)(uintptr_t)(x))
#define EXEC_MAX	(1ull << 30)	/* the largest image we read */
static struct run_call *cur;		/* the execve being served */

/* A whole file of the program's file system, through the shadow. */
static int remote_fetch(const char *path, uint8_t **buf, uint64_t *len)
{
	char tmp[SCF_PATH_MAX];
	int dirfd = SCF_AT_FDCWD;
	const char *p = run_path(path, &dirfd, tmp);
	struct scf_stat st;
	uint64_t done = 0, size;
	int64_t fd, r;
	uint8_t *b;

	if (!p)
		return -ENAMETOOLONG;
	r = run_forwarded(cur, scf_newfstatat(runtime.c, dirfd, p, &st, 0));
	/*
	 * An absolute symlink on the way (/lib64/ld-linux-x86-64.so.2 is
	 * one) is an escape to RESOLVE_BENEATH; with --root / it cannot
	 * leave anything, and the host's file is the shadow's.
	 */
	if (r == -EXDEV && runtime.root_is_host)
		return run_host_fetch(path, buf, len);
	if (r < 0)
		return (int)r;
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
		return -EACCES;
	size = (uint64_t)st.st_size;
	if (size > EXEC_MAX)
		return -E2BIG;
	b = malloc(size ? size : 1);
	if (!b)
		return -ENOMEM;
	fd = run_forwarded(cur, scf_openat(runtime.c, dirfd, p, O_RDONLY | O_CLOEXEC, 0));
	if (fd < 0) {
		free(b);
		return (int)fd;
	}
	while (done < size) {
		uint64_t n = size - done;

		if (n > scf_client_chunk(runtime.c))
			n = scf_client_chunk(runtime.c);
		r = run_forwarded(cur, scf_read(runtime.c, (int)fd, b + done, n));
		if (r <= 0)
			break;
		done += (uint64_t)r;
	}
	run_forwarded(cur, scf_close(runtime.c, (int)fd));
	if (done < size) {
		free(b);
		return r < 0 ? (int)r : -EIO;
	}
	*buf = b;
	*len = size;
	return 0;
}

/* A NULL-terminated vector of the old image's strings, copied out. */
static char **copy_vec(char *const *v)
{
	size_t n = 0, i;
	char **out;

	while (v && v[n])
		n++;
	out = calloc(n + 1, sizeof(*out));
	for (i = 0; out && i < n; i++)
		if (!(out[i] = strdup(v[i])))
			return NULL;
	return out;
}

static void free_vec(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

int64_t rd_execve(struct run_call *k)
{
	static char prog[PATH_MAX];
	bool at = k->nr == SYS_execveat;
	const char *path = PTR(k->a[at]);
	char **argv, **envp;
	struct run_image img;
	struct run_exe *x;
	greg_t *g;
	int err, i;

	if (at && ((int)k->a[0] != SCF_AT_FDCWD || k->a[4]))
		return -EINVAL;		/* only a path, as execve */
	/* The program's own image (busybox re-execs itself so), not ours. */
	if (!strcmp(path, "/proc/self/exe"))
		path = runtime.prog;
	if (strlen(path) >= sizeof(prog))
		return -ENAMETOOLONG;
	cur = k;
	err = run_exe_read(path, remote_fetch, false, &x);
	if (err)
		return err;
	argv = copy_vec(PTR(k->a[at + 1]));
	envp = copy_vec(PTR(k->a[at + 2]));
	if (!argv || !envp) {
		run_exe_free(x);
		return -ENOMEM;
	}
	strcpy(prog, path);

	/* The point of no return. */
	run_close_on_exec(k);
	run_track_unmap_all();
	err = run_exe_map(x, prog, argv, envp, &img);
	run_exe_free(x);
	free_vec(argv);
	free_vec(envp);
	if (err)
		run_stop("exec of %s failed after its old image was gone: %s",
			 prog, strerror(-err));
	runtime.prog = prog;
	runtime.brk_start = runtime.brk_cur = img.brk;
	/* Handlers do not survive exec; ignored signals stay ignored. */
	for (i = 1; i < 65; i++) {
		static const uint64_t dfl[4];

		if (runtime.prog_handled & (1ull << (i - 1)))
			run_sig_install(i, dfl);	/* the old image's code */
		if (runtime.sigact[i][0] != (uint64_t)(uintptr_t)SIG_IGN)
			memset(runtime.sigact[i], 0, sizeof(runtime.sigact[i]));
	}
	/* The new image starts where the handler returns: fresh registers. */
	g = cur_call.g;
	for (i = REG_R8; i <= REG_RCX; i++)
		g[i] = 0;
	g[REG_RSP] = (greg_t)img.sp;
	g[REG_RIP] = (greg_t)img.entry;
	*cur_call.prog_fs = 0;
	return 0;
}
