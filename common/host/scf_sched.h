/* SPDX-License-Identifier: MIT */
/*
 * scf_sched.h - pinning and real-time priority, rt-tests style.
 */
#ifndef SCF_SCHED_H
#define SCF_SCHED_H

/* Pin the calling thread to one CPU; -errno (-EINVAL if it is offline). */
int scf_pin_cpu(int cpu);
/* SCHED_FIFO at prio; -EPERM without privilege (callers warn, not fail). */
int scf_set_fifo(int prio);
/* Lock current and future memory so page faults stay out of the numbers. */
int scf_lock_memory(void);
/* Number of CPUs this process may run on. */
int scf_cpus_online(void);

#endif /* SCF_SCHED_H */
