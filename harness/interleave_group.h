/* SPDX-License-Identifier: MIT */
/*
 * interleave_group.h - the id scf-interleave gives all the processes of
 * one run (SCF_INTERLEAVE_GROUP), recorded in every result as
 * config.interleave_group: the analysis tools take a ratio between two
 * processes' results only when they share it.
 */
#ifndef INTERLEAVE_GROUP_H
#define INTERLEAVE_GROUP_H

/* Read and check the environment; -1 after one line on stderr when bad. */
int interleave_group_init(void);
/* The id, or NULL outside scf-interleave. */
const char *interleave_group(void);

#endif /* INTERLEAVE_GROUP_H */
