/* SPDX-License-Identifier: MIT */
/*
 * scf_ipi.h - what the ipi variant offers beyond the notify contract.
 *
 * The region of the kmod backend is the mmap of /dev/scf, whose slots have
 * a fixed size chosen when the module was loaded; the harness asks the
 * device for its geometry and fits its own into it before formatting
 * (scf_notify_region_fit() of the notify contract calls scf_ipi_geom()).
 */
#ifndef SCF_IPI_H
#define SCF_IPI_H

#include "scf_region.h"
#include "uapi/scf_ioctl.h"

/* SCF_IOC_INFO_GET on an open /dev/scf; 0 or -errno. */
int scf_ipi_info(int dev_fd, struct scf_info_args *info);

/*
 * Fit g to the device: nr_slots and slot_stride become the device's, and
 * pool_chunk (then late_cap) is halved until one slot's queue fits in
 * slot_size.  *region_size gets the bytes to mmap.  0, -errno from the
 * device, or -SCF_ETOOSMALL when not even the smallest queue fits.
 */
int scf_ipi_geom(int dev_fd, struct scf_geom *g, uint64_t *region_size);

#endif /* SCF_IPI_H */
