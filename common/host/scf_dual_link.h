/* SPDX-License-Identifier: MIT */
/*
 * scf_dual_link.h - the few bytes a forked RTOS process and its forked
 * shadow exchange outside the queue, only to set the queue up.
 *
 * The RTOS child connects twice to the abstract unix socket
 * "\0scf-fork-<shadow pid>": a control line (first byte 'C') and the
 * socket its notify backend gets (first byte 'N'); each side checks the
 * other with SO_PEERCRED.  Then, on the control line:
 *
 *   shadow -> RTOS  'R'  my side of the doorbell is attached: attach yours
 *   RTOS -> shadow  'X'  (after EXIT(exec)) the new image is up; the
 *                        shadow re-attaches and answers 'R'
 */
#ifndef SCF_DUAL_LINK_H
#define SCF_DUAL_LINK_H

#define DUAL_SOCK_FMT		"scf-fork-%d"	/* abstract name, shadow pid */
#define DUAL_TAG_CTL		'C'
#define DUAL_TAG_NOTIFY		'N'
#define DUAL_READY		'R'
#define DUAL_EXECED		'X'
#define DUAL_BIND_MS		5000	/* the RTOS child binds within this */
#define DUAL_EXEC_MS		10000	/* the new image comes up within this */
#define DUAL_REPORT_MS		5000	/* a forked shadow reports its slot */
#define DUAL_EXIT_MS		5000	/* a shadow exits after EXIT within this */

#endif /* SCF_DUAL_LINK_H */
