/* SPDX-License-Identifier: MIT */
/*
 * peer.h - what the ping-pong peer baselines share: a peer process forked
 * and pinned to the shadow's CPU, shared memory, and the timed loop.
 *
 * Every ping-pong is between two processes, the client (the caller,
 * pinned to b->client_cpu by the harness) and a forked peer pinned to
 * b->shadow_cpu, like scf-bench and scf-shadow.  The peer's CPU time is
 * collected by the harness when peer_reap() waits for it
 * (getrusage(RUSAGE_CHILDREN)), so it counts as the shadow side.
 */
#ifndef PEER_H
#define PEER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "bench.h"

/*
 * Round trips made before the timed ones, on both sides: the first ones
 * carry the peer's start (fork, pinning, first faults), not the mechanism.
 */
#define PEER_WARMUP	64

/* One round trip number r (1-based, warm-up included); 0 or -errno. */
typedef int (*peer_rt_fn)(void *arg, uint64_t r);

/*
 * Fork the peer: pinned to b->shadow_cpu, it runs fn(arg, rounds) and
 * exits 0 when that returned 0.  Returns the pid, or -errno.
 */
pid_t peer_start(struct bench *b, int (*fn)(void *arg, uint64_t rounds),
		 void *arg, uint64_t rounds);
/*
 * True once the peer has exited (it stays waitable).  Waits that block
 * call it when interrupted (the peer's SIGCHLD) or timed out, so a dead
 * peer ends the measurement with -EPIPE instead of a hang.
 */
bool peer_dead(pid_t pid);
/* Wait for the peer (retrying EINTR); 0 when it exited 0, else -EIO. */
int peer_reap(pid_t pid);
/* End a peer that will not finish by itself (after a failure), then reap. */
void peer_kill(pid_t pid);
/*
 * Run PEER_WARMUP + n round trips rt(arg, r), timing each of the last n
 * with the TSC into ticks[]; 0 or the first error.
 */
int peer_loop(int64_t *ticks, uint64_t n, peer_rt_fn rt, void *arg);
/*
 * The whole ping-pong: start the peer running side(arg, rounds), store
 * its pid in *pid (for rt's peer_dead() checks), time n round trips with
 * peer_loop(), then reap the peer (or kill it after an error).
 */
int peer_pingpong(struct bench *b, int64_t *ticks, uint64_t n,
		  int (*side)(void *arg, uint64_t rounds), peer_rt_fn rt,
		  void *arg, pid_t *pid);
/*
 * Read or write exactly len bytes of a blocking fd, retrying EINTR; peer
 * > 0: give up with -EPIPE once it is dead.  0, or -errno.
 */
int peer_read(int fd, void *buf, size_t len, pid_t peer);
int peer_write(int fd, const void *buf, size_t len);
/* peer_threads.c */
#define PEER_THREADS_MAX	64
struct peer_threads_snap {
	int n;
	pid_t tid[PEER_THREADS_MAX];
	double ns[PEER_THREADS_MAX];
};
/* CPU time of this process's other threads between begin and end. */
void peer_threads_begin(struct peer_threads_snap *before);
double peer_threads_end(const struct peer_threads_snap *before);
/*
 * Zeroed memory shared with the peer (MAP_SHARED), or NULL.  Its pages
 * are probed and placed as the region's (placement.c), and recorded in
 * the running peer's result (b->peer_place).
 */
void *peer_shared(struct bench *b, size_t len);
void peer_unshare(void *p, size_t len);

#endif /* PEER_H */
