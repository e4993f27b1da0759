/* SPDX-License-Identifier: MIT */
/*
 * scf_fdpass.h - one file descriptor over a unix socket (SCM_RIGHTS).
 */
#ifndef SCF_FDPASS_H
#define SCF_FDPASS_H

/* Send fd (the peer gets its own descriptor); 0 or -errno. */
int scf_fd_send(int sock, int fd);
/*
 * Receive one fd, close-on-exec; the fd, or -errno (-EPROTO for a message
 * that is not exactly one scf_fd_send()).
 */
int scf_fd_recv(int sock);

#endif /* SCF_FDPASS_H */
