/* SPDX-License-Identifier: MIT */
/*
 * ivshmem_abi.h - what the guest, the ivshmem server and the shadow's
 * notify backend agree on (QEMU's docs/specs/ivshmem-spec.rst gives the
 * device; the peer numbering is this project's).
 *
 * Two peers: the shadow is peer 0 and the guest (QEMU) peer 1, each with
 * one vector.  The guest rings the shadow by writing (0 << 16) | 0 to
 * the Doorbell register; QEMU signals peer 0's vector-0 eventfd, which
 * the shadow waits on.  The shadow rings the guest by signalling peer
 * 1's vector-0 eventfd; QEMU turns it into MSI-X vector 0.
 */
#ifndef IVSHMEM_ABI_H
#define IVSHMEM_ABI_H

#define IVSHMEM_VENDOR		0x1af4
#define IVSHMEM_DEVICE		0x1110

/* BAR0 registers (32-bit) */
#define IVSHMEM_REG_INTRMASK	0x00
#define IVSHMEM_REG_INTRSTATUS	0x04
#define IVSHMEM_REG_IVPOSITION	0x08
#define IVSHMEM_REG_DOORBELL	0x0c

#define IVSHMEM_PEER_SHADOW	0
#define IVSHMEM_PEER_GUEST	1
#define IVSHMEM_VECTORS		1

/* The server protocol's version (the first message). */
#define IVSHMEM_PROTOCOL_VERSION	0

/* The region fills the shared memory's start; the memory is a power of 2. */
#define IVSHMEM_SHM_SIZE	(4u << 20)

#endif /* IVSHMEM_ABI_H */
