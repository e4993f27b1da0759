/* SPDX-License-Identifier: MIT */
/*
 * scf_abi.h - the shared region between the RTOS side and the Linux shadow.
 *
 * Freestanding: only <stdint.h>, <stddef.h>, <stdbool.h> and <stdatomic.h>.
 * Every field has an explicit width, every place is an offset (never a
 * pointer), and every size and offset is pinned with _Static_assert so that
 * a NuttX, NimbOS or Starry kernel compiled with another compiler lays the
 * region out exactly as the shadow does.
 *
 *   region (one memfd, or the mmap of /dev/scf)
 *   +--------------------------------------------------------------+ 0
 *   | struct scf_ctrl   control page: magic "\x7fSCF", version,    |
 *   |                   nr_slots, slot_off/slot_stride, slot table |
 *   +--------------------------------------------------------------+ slot_off
 *   | SCF slot 0  (one per RTOS process; the origin's slot_num)     |
 *   |  +----------------------------------------------------------+|
 *   |  | struct scf_qhdr  queue page: geometry (capacity, ring     ||
 *   |  |   discipline, offsets), then one 64-byte line each for    ||
 *   |  |   req head | req tail | rsp head | rsp tail | req lock |   ||
 *   |  |   rsp lock | late head | late tail, then the two          ||
 *   |  |   doorbells (shadow's, client's) with a backend area each ||
 *   |  +----------------------------------------------------------+| +req_off
 *   |  | request ring   u32 desc index [capacity]                 ||
 *   |  +----------------------------------------------------------+| +rsp_off
 *   |  | response ring  u32 desc index [capacity]                 ||
 *   |  +----------------------------------------------------------+| +desc_off
 *   |  | descriptors    struct scf_desc [capacity]                ||
 *   |  +----------------------------------------------------------+| +late_off
 *   |  | late log       struct scf_late [late_cap]  (S5 stamps)   ||
 *   |  +----------------------------------------------------------+| +pool_off
 *   |  | payload pool   capacity x pool_chunk bytes; desc i owns  ||
 *   |  |                chunk i (memsync=copy)                    ||
 *   |  +----------------------------------------------------------+|
 *   +--------------------------------------------------------------+ +stride
 *   | SCF slot 1 ...                                                |
 *
 * Ring indices are free-running u32 counters, masked by capacity - 1 on
 * use, so wrap-around across 2^32 needs no special case (head - tail is
 * the fill level modulo 2^32).  A ring slot holds a descriptor index; a
 * request holds its descriptor from push until its response is collected,
 * so a ring can never hold more than capacity entries.
 *
 * Ownership of the index lines (writer -> reader):
 *   req_head: client -> shadow     req_tail: shadow -> client
 *   rsp_head: shadow -> client     rsp_tail: client -> shadow
 *   late_head: shadow -> client    late_tail: client -> shadow
 * Producer and consumer indices live on separate 64-byte lines so the two
 * CPUs never write the same line.
 */
#ifndef SCF_ABI_H
#define SCF_ABI_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCF_MAGIC		0x4643537fu	/* "\x7fSCF", the origin driver's value */
#define SCF_QMAGIC		0x5143537fu	/* "\x7fSCQ": start of a slot's queue page */
#define SCF_ABI_VERSION		1u

#define SCF_CACHELINE		64u
#define SCF_PAGE_SIZE		4096u
#define SCF_CTRL_SIZE		SCF_PAGE_SIZE
#define SCF_QHDR_SIZE		SCF_PAGE_SIZE

#define SCF_CAP_MIN		1u
#define SCF_CAP_MAX		(1u << 16)
/* Where qhdr.recv starts, and how many entries its queue holds. */
#define SCF_QHDR_RECV_OFF	1280u
#define SCF_QHDR_RECV_CAP	256u
#define SCF_MAX_SLOTS		32u
#define SCF_LATE_CAP_MAX	(1u << 16)
#define SCF_POOL_CHUNK_MAX	(16u << 20)

/* errno values are the Linux ABI's; the core cannot include <errno.h>. */
#define SCF_EPERM		1
#define SCF_ENOENT		2
#define SCF_EINTR		4
#define SCF_EBADF		9
#define SCF_EAGAIN		11
#define SCF_ENOMEM		12
#define SCF_EFAULT		14
#define SCF_EBUSY		16
#define SCF_EINVAL		22
#define SCF_ENOSPC		28
#define SCF_ERANGE		34
#define SCF_ENOSYS		38
#define SCF_EOVERFLOW		75
#define SCF_EPROTO		71
#define SCF_ETIMEDOUT		110

/*
 * Attach errors: one code per way a region can be wrong, above the errno
 * range so they never collide with a forwarded call's -errno.
 */
#define SCF_ERR_BASE		4096
#define SCF_EBADMAGIC		(SCF_ERR_BASE + 1)	/* magic is not "\x7fSCF" */
#define SCF_EBADVERSION		(SCF_ERR_BASE + 2)	/* ABI version differs */
#define SCF_EBADCAP		(SCF_ERR_BASE + 3)	/* capacity not a power of two in range */
#define SCF_EBADOFF		(SCF_ERR_BASE + 4)	/* an offset is misaligned or overlaps */
#define SCF_ETOOSMALL		(SCF_ERR_BASE + 5)	/* region smaller than its header claims */
#define SCF_EBADSLOT		(SCF_ERR_BASE + 6)	/* slot count or slot number out of range */
#define SCF_EBADRING		(SCF_ERR_BASE + 7)	/* unknown ring discipline */
#define SCF_EBADQMAGIC		(SCF_ERR_BASE + 8)	/* slot's queue page not formatted */
#define SCF_ERR_LAST		SCF_EBADQMAGIC

enum scf_ring_discipline {
	SCF_RING_LOCKFREE = 0,	/* SPSC, acquire/release (default) */
	SCF_RING_LOCKED = 1,	/* spinlock around push and pop, as the origin */
	/*
	 * No index rings: the request lives in its descriptor's first line
	 * and the answer in its second, one cache line each way (as io_uring
	 * with IORING_SETUP_NO_SQARRAY).  Call number n (seq, from 1) uses
	 * descriptor (n - 1) & (capacity - 1); the client publishes it by the
	 * release store of desc.seq = n, the shadow answers by the release
	 * store of desc.done = (u32)n.  The shadow answers in order, so
	 * descriptors are reused in order.  One call in flight per client.
	 */
	SCF_RING_INLINE = 2,
};

/* Probe points; docs/design.md says when each is taken. */
enum scf_probe_point {
	SCF_C0_CALL = 0,
	SCF_C1_SLOT,
	SCF_C2_MARSHALLED,
	SCF_C3_SUBMITTED,
	SCF_C4_KICKED,
	SCF_S0_WOKEN,
	SCF_S1_POPPED,
	SCF_S2_VALIDATED,
	SCF_S3_SERVICED,
	SCF_S4_RESPONDED,
	SCF_S5_REPLY_KICKED,
	SCF_C5_WOKEN,
	SCF_C6_COLLECTED,
	SCF_C7_DONE,
	/* kernel-side stamps of the ipi/kmod backend, request direction */
	SCF_KQ_ENTRY,		/* client's kick ioctl entered the kernel */
	SCF_KQ_IPI_SENT,	/* IPI queued to the shadow's CPU */
	SCF_KQ_HANDLER,		/* IPI handler ran on the shadow's CPU */
	SCF_KQ_RESUMED,		/* shadow's wait resumed in the kernel */
	/* ... and response direction */
	SCF_KR_ENTRY,
	SCF_KR_IPI_SENT,
	SCF_KR_HANDLER,
	SCF_KR_RESUMED,
	SCF_PROBE_NR
};

/* Opcodes: the allowlist the shadow serves.  Anything else is -ENOSYS. */
enum scf_opcode {
	SCF_OP_NULL = 0,	/* answered at once: the origin's "no syscall" run */
	SCF_OP_OPENAT,
	SCF_OP_CLOSE,
	SCF_OP_READ,
	SCF_OP_WRITE,
	SCF_OP_PREAD64,
	SCF_OP_PWRITE64,
	SCF_OP_LSEEK,
	SCF_OP_FSTAT,
	SCF_OP_NEWFSTATAT,
	SCF_OP_WRITEV,
	SCF_OP_SYNCMAP,		/* map [addr, addr+len) of the shared memfd */
	SCF_OP_SYNCUNMAP,
	SCF_OP_SYNCFORK,	/* dual calls */
	SCF_OP_EXIT,
	SCF_OP_CLONE,
	SCF_OP_GETDENTS64,	/* what an unmodified program needs (scf-run) */
	SCF_OP_IOCTL,
	SCF_OP_DUP3,
	SCF_OP_MKDIRAT,
	SCF_OP_UNLINKAT,
	SCF_OP_SENDFILE,
	SCF_OP_FCNTL,
	SCF_OP_PIPE2,
	SCF_OP_PARK,		/* answered, then the shadow sleeps while qhdr.park */
	SCF_OP_FSYNC,		/* fd, datasync: a database's journal (scf-run) */
	SCF_OP_FTRUNCATE,	/* fd, length */
	SCF_OP_RENAMEAT2,	/* two paths beneath --root (scf-run) */
	SCF_OP_FCHOWNAT,	/* an owner change, by path or fd (scf-run) */
	SCF_OP_NR
};

/* scf_desc.flags */
#define SCF_DF_MAP		(1u << 0)	/* pointer args (memsync=map) */
#define SCF_DF_DONE		(1u << 1)	/* shadow answered */
#define SCF_DF_PROBE		(1u << 2)	/* stamp every probe point (sampled) */
/*
 * lat_write's configurations (the origin measured write with and without
 * its syscall): NOSERVICE checks and reads everything a write would,
 * payload included, and skips only the system call; NOMEM moves no
 * payload at all (the shadow checks the fd only) and skips the call too.
 * Only SCF_OP_WRITE honours them; the shadow answers the length asked.
 */
#define SCF_DF_NOSERVICE	(1u << 3)
#define SCF_DF_NOMEM		(1u << 4)
/* The flags a client may set on a request of its own choosing. */
#define SCF_DF_CLIENT_MASK	(SCF_DF_NOSERVICE | SCF_DF_NOMEM)

/* ---------------------------------------------------------------- */

/* One request/response descriptor: five 64-byte lines. */
struct scf_desc {
	uint32_t opcode;
	uint32_t flags;
	uint64_t seq;			/* client's request number */
	uint64_t args[6];
	int64_t ret;			/* result or -errno */
	uint32_t payload_off;		/* into the pool (copy mode) */
	uint32_t payload_len;		/* bytes valid at payload_off on request */
	uint32_t out_len;		/* bytes the shadow left in the payload */
	uint32_t done;			/* SCF_RING_INLINE: (u32)seq once answered */
	uint64_t pad1[6];
	uint64_t probe[SCF_PROBE_NR];	/* TSC stamps, see scf_probe.h */
	uint64_t pad2[1];
};

/* One record of the late log: stamps the shadow takes after publishing. */
struct scf_late {
	uint64_t seq;
	uint64_t s5;			/* SCF_S5_REPLY_KICKED */
	uint64_t kr_entry;		/* SCF_KR_ENTRY (kmod), else 0 */
	uint64_t kr_ipi_sent;		/* SCF_KR_IPI_SENT (kmod), else 0 */
};

/* A u32 alone on its cache line. */
struct scf_line {
	_Atomic uint32_t v;
	uint32_t pad[15];
};

/*
 * One side's doorbell.  The line the peer writes (seq) and the word the
 * owner writes (waiting) share a line on purpose: a kick must see the
 * waiter's flag with the same cache miss that delivers its increment.
 */
struct scf_doorbell {
	_Atomic uint32_t seq;		/* bumped by every kick to this side */
	_Atomic uint32_t waiting;	/* owner is (about to be) asleep */
	int32_t tid;			/* owner thread, for signal backends */
	int32_t pid;
	uint32_t cpu;			/* owner's CPU, for IPI backends */
	uint32_t pad0;
	uint64_t pad1[5];
	uint8_t backend[192];		/* variant-private (e.g. a UPID) */
};

enum scf_side {
	SCF_SIDE_SHADOW = 0,		/* doorbell the client kicks */
	SCF_SIDE_CLIENT = 1,		/* doorbell the shadow kicks */
	SCF_SIDE_NR
};

/* The first page of an SCF slot. */
struct scf_qhdr {
	/* line 0: geometry, written by the creator before anyone attaches */
	uint32_t qmagic;
	uint32_t capacity;		/* power of two, descriptors and ring size */
	uint32_t ring;			/* enum scf_ring_discipline */
	uint32_t desc_size;		/* sizeof(struct scf_desc) */
	uint32_t pool_chunk;		/* payload bytes per descriptor */
	uint32_t late_cap;		/* power of two */
	uint32_t req_off;		/* all offsets from the start of the slot */
	uint32_t rsp_off;
	uint32_t desc_off;
	uint32_t late_off;
	uint64_t pool_off;
	uint64_t queue_size;		/* bytes from qhdr to the pool's end */
	uint64_t reserved0;

	struct scf_line req_head;
	struct scf_line req_tail;
	struct scf_line rsp_head;
	struct scf_line rsp_tail;
	struct scf_line req_lock;	/* SCF_RING_LOCKED only */
	struct scf_line rsp_lock;
	struct scf_line late_head;
	struct scf_line late_tail;
	struct scf_doorbell bell[SCF_SIDE_NR];
	/*
	 * Non-zero while the client wants the shadow asleep (SCF_OP_PARK):
	 * a futex word, so a parked shadow sleeps instead of spinning while
	 * a baseline or another process's sample runs on its CPU.
	 */
	struct scf_line park;
	/*
	 * shadow -> client, statistics only: doorbells the shadow rang to
	 * the client.  It answers a batch with one, so a client counts
	 * doorbells per call without any probe.
	 */
	struct scf_line rsp_kicks;
	/*
	 * shadow -> client: the low 32 bits of the number (desc.seq) of the
	 * last request the shadow took up: popped, its descriptor index
	 * checked, about to be served.  Stored (relaxed) before the service;
	 * the client reads it only once a call's deadline has passed, to tell
	 * a request the shadow dropped (popped off the ring, never taken up)
	 * from one still in service (scf_deadline.h).
	 */
	struct scf_line taken;
	/*
	 * Topology "mpsc" (one syscall core, many clients): the receiver's
	 * one multi-producer request queue (scf_mpsc.h), in the queue page of
	 * the first slot it serves.  Unused by a single-client slot.
	 */
	uint8_t recv[SCF_QHDR_SIZE - SCF_QHDR_RECV_OFF];
};

enum scf_slot_state {
	SCF_SLOT_FREE = 0,
	SCF_SLOT_USED = 1,
};

/* One entry of the slot table in the control page. */
struct scf_slot_ent {
	_Atomic uint32_t state;		/* enum scf_slot_state */
	_Atomic uint32_t refs;		/* RTOS threads sharing the slot */
	int32_t client_pid;
	int32_t shadow_pid;
	uint64_t gen;			/* bumped on every allocation */
	uint64_t pad[5];
};

/* The control page at offset 0 of the region. */
struct scf_ctrl {
	/* line 0: identity, written once by the creator */
	uint32_t magic;
	uint32_t version;
	uint32_t ctrl_size;		/* SCF_CTRL_SIZE */
	uint32_t nr_slots;
	uint64_t region_size;
	uint64_t slot_off;		/* slot 0's queue page */
	uint64_t slot_stride;		/* bytes between slots, page multiple */
	uint32_t flags;
	uint32_t pad0;
	uint64_t reserved0[2];

	struct scf_line reserved1;	/* slot entries are claimed by CAS, no lock */
	struct scf_slot_ent slot[SCF_MAX_SLOTS];
	uint8_t reserved2[SCF_CTRL_SIZE - 128 - SCF_MAX_SLOTS * 64];
};

/* The layout is the ABI: pin every size and every offset. */
_Static_assert(sizeof(struct scf_desc) == 320, "scf_desc is five lines");
_Static_assert(offsetof(struct scf_desc, seq) == 8, "desc.seq");
_Static_assert(offsetof(struct scf_desc, args) == 16, "desc.args");
_Static_assert(offsetof(struct scf_desc, ret) == 64, "desc.ret");
_Static_assert(offsetof(struct scf_desc, payload_off) == 72, "desc.payload_off");
_Static_assert(offsetof(struct scf_desc, out_len) == 80, "desc.out_len");
_Static_assert(offsetof(struct scf_desc, done) == 84, "desc.done");
_Static_assert(offsetof(struct scf_desc, probe) == 136, "desc.probe");
_Static_assert(sizeof(struct scf_late) == 32, "scf_late");
_Static_assert(sizeof(struct scf_line) == SCF_CACHELINE, "scf_line");
_Static_assert(sizeof(struct scf_doorbell) == 256, "scf_doorbell");
_Static_assert(offsetof(struct scf_doorbell, backend) == 64, "doorbell.backend");
_Static_assert(offsetof(struct scf_qhdr, req_head) == 64, "qhdr.req_head");
_Static_assert(offsetof(struct scf_qhdr, req_tail) == 128, "qhdr.req_tail");
_Static_assert(offsetof(struct scf_qhdr, rsp_head) == 192, "qhdr.rsp_head");
_Static_assert(offsetof(struct scf_qhdr, rsp_tail) == 256, "qhdr.rsp_tail");
_Static_assert(offsetof(struct scf_qhdr, req_lock) == 320, "qhdr.req_lock");
_Static_assert(offsetof(struct scf_qhdr, rsp_lock) == 384, "qhdr.rsp_lock");
_Static_assert(offsetof(struct scf_qhdr, late_head) == 448, "qhdr.late_head");
_Static_assert(offsetof(struct scf_qhdr, late_tail) == 512, "qhdr.late_tail");
_Static_assert(offsetof(struct scf_qhdr, bell) == 576, "qhdr.bell");
_Static_assert(offsetof(struct scf_qhdr, park) == 1088, "qhdr.park");
_Static_assert(offsetof(struct scf_qhdr, rsp_kicks) == 1152, "qhdr.rsp_kicks");
_Static_assert(offsetof(struct scf_qhdr, taken) == 1216, "qhdr.taken");
_Static_assert(offsetof(struct scf_qhdr, recv) == SCF_QHDR_RECV_OFF, "qhdr.recv");
_Static_assert((SCF_DF_CLIENT_MASK & (SCF_DF_MAP | SCF_DF_DONE | SCF_DF_PROBE)) == 0,
	       "client-chosen descriptor flags are distinct bits");
_Static_assert(sizeof(struct scf_qhdr) == SCF_QHDR_SIZE, "qhdr is one page");
_Static_assert(sizeof(struct scf_slot_ent) == 64, "slot entry is one line");
_Static_assert(offsetof(struct scf_ctrl, slot) == 128, "ctrl.slot");
_Static_assert(sizeof(struct scf_ctrl) == SCF_CTRL_SIZE, "ctrl is one page");
_Static_assert(sizeof(_Atomic uint32_t) == 4, "lock-free u32 atomics");

#endif /* SCF_ABI_H */
