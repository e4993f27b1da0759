// SPDX-License-Identifier: MIT
/*
 * wl_write_cfg.c - lat_write's other two configurations beside `write`:
 * the origin measured the real write (~1346) and the call without its
 * syscall (~1076), and named a third it never measured, the call without
 * its memory operations.
 *
 *   write            the real 1-byte write (wl_syscalls.c)
 *   write-noservice  everything of write, the byte's memory sync included,
 *                    but the shadow skips the system call
 *   write-nomem      no byte moved and no system call: the descriptor's
 *                    own round trip with write's arguments
 *
 * write - write-noservice is the service; write-noservice - write-nomem
 * is what moving the payload costs.
 */
#include <fcntl.h>
#include <stdio.h>

#include "bench.h"

static uint8_t copy_byte;

static int cfg_setup(struct bench *b, struct wl_ctx *x)
{
	static char copy_path[32];
	/* map: the path must lie in the synced arena (its end, as elsewhere) */
	char *path = b->c.memsync == SCF_MEMSYNC_MAP ?
		     (char *)b->arena + b->arena_size - 4096 : copy_path;
	int64_t fd;

	snprintf(path, 32, "%s", "write-cfg.dat");
	/* Setup calls are not measured: the client's scratch record. */
	b->c.rec = NULL;
	fd = scf_openat(&b->c, SCF_AT_FDCWD, path,
			O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fprintf(stderr, "scf-bench: forwarded open %s: %s\n", path,
			scf_strerror((int)fd));
		return (int)fd;
	}
	x->fd = (int)fd;
	x->buf = b->c.memsync == SCF_MEMSYNC_MAP ? b->arena : &copy_byte;
	x->buf[0] = 'w';
	return 0;
}

static void cfg_teardown(struct bench *b, struct wl_ctx *x)
{
	b->c.rec = NULL;
	if (x->fd >= 0)
		scf_close(&b->c, x->fd);
	x->fd = -1;
}

static int cfg_call(struct bench *b, struct wl_ctx *x, uint32_t flags)
{
	bool map = b->c.memsync == SCF_MEMSYNC_MAP;
	bool mem = !(flags & SCF_DF_NOMEM);
	struct scf_req r = {
		.opcode = SCF_OP_WRITE,
		.args = { (uint64_t)x->fd, map ? (uint64_t)(uintptr_t)x->buf : 0,
			  1 },
		.in = mem && !map ? x->buf : NULL,
		.in_len = mem && !map ? 1 : 0,
		.flags = flags,
	};

	return scf_call(&b->c, &r) == 1 ? 0 : -1;
}

static int noservice_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	(void)i;
	return cfg_call(b, x, SCF_DF_NOSERVICE);
}

static int nomem_op(struct bench *b, struct wl_ctx *x, uint64_t i)
{
	(void)i;
	return cfg_call(b, x, SCF_DF_NOMEM);
}

static const struct wl wl_write_noservice = {
	.name = "write-noservice",
	.kind = WL_FWD,
	.about = "1-byte write, payload synced, syscall skipped",
	.group = "latwrite",
	.setup = cfg_setup,
	.op = noservice_op,
	.teardown = cfg_teardown,
};
static const struct wl wl_write_nomem = {
	.name = "write-nomem",
	.kind = WL_FWD,
	.about = "write's call with no payload moved and no syscall",
	.group = "latwrite",
	.setup = cfg_setup,
	.op = nomem_op,
	.teardown = cfg_teardown,
};
SCF_WORKLOAD(wl_write_noservice);
SCF_WORKLOAD(wl_write_nomem);
