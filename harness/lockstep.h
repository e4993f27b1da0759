/* SPDX-License-Identifier: MIT */
/*
 * lockstep.h - take turns with other scf-bench processes, sample by sample.
 *
 * Under scf-interleave, SCF_LOCKSTEP_FDS="R,W" names two pipe ends: a
 * byte read from R is the token (run now), a byte written to W hands it
 * back.  The process holds the token from before its calibration, hands
 * it back after every sample (its shadow parked, its client blocked in
 * read), and for good when it exits, so two builds or commits measured
 * together see the same machine state sample by sample.
 */
#ifndef LOCKSTEP_H
#define LOCKSTEP_H

#include <stdbool.h>

/* Parse the environment and wait for the first turn; -1: bad value. */
int lockstep_init(void);
bool lockstep_on(void);
/*
 * Hand the token back and wait for the next turn (no-op when off);
 * round_done: this was the last sample of a round (sample i of every
 * run), and the next turn comes once every process has ended its round.
 */
void lockstep_yield(bool round_done);

#endif /* LOCKSTEP_H */
