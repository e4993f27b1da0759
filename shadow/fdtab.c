// SPDX-License-Identifier: MIT
/*
 * fdtab.c - the fds the shadow opened for its client.  A forwarded call
 * may only name one of these: never the region, the socket or stdio.
 */
#include <errno.h>
#include <unistd.h>

#include "shadow.h"

static bool fd_in(const struct fdtab *t, int64_t fd)
{
	return fd >= 0 && fd < SHADOW_FD_MAX &&
	       (t->open[fd / 64] >> (fd % 64) & 1);
}

int fdtab_add(struct fdtab *t, int fd)
{
	if (fd < 0 || fd >= SHADOW_FD_MAX) {
		close(fd);
		return -EMFILE;
	}
	t->open[fd / 64] |= 1ull << (fd % 64);
	t->count++;
	return fd;
}

int fdtab_check(const struct fdtab *t, int64_t fd)
{
	return fd_in(t, fd) ? (int)fd : -EBADF;
}

int fdtab_del(struct fdtab *t, int64_t fd)
{
	if (!fd_in(t, fd))
		return -EBADF;
	t->open[fd / 64] &= ~(1ull << (fd % 64));
	t->count--;
	return (int)fd;
}

void fdtab_close_all(struct fdtab *t)
{
	int fd;

	for (fd = 0; fd < SHADOW_FD_MAX; fd++)
		if (fd_in(t, fd)) {
			fdtab_del(t, fd);
			close(fd);
		}
}
