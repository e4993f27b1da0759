// SPDX-License-Identifier: GPL-2.0
/*
 * scf_main.c - the scf module: shared region, slots and IPI doorbells for
 * syscall forwarding between an RTOS client and a Linux shadow process.
 *
 * /dev/scf (a misc device) offers
 *   - mmap of the shared region, which the module allocates (vmalloc_user,
 *     zeroed) or takes from a reserved physical range (phys_base=,
 *     phys_size=, e.g. a memmap= reservation shared with an RTOS
 *     partition).  User space formats it; the module never reads it.
 *   - slots: one per RTOS process; a slot's owner is the file that
 *     allocated it, and releasing the file frees its slots.
 *   - two doorbells per slot.  BELL_WAIT registers the caller's CPU and
 *     sleeps until the doorbell's sequence moves; BELL_KICK bumps the
 *     sequence and, if a waiter sleeps, sends one IPI to the CPU it
 *     registered (smp_call_function_single_async()); the handler wakes
 *     it there.  Kernel-side TSC stamps go back to user space so the
 *     notify phase splits into syscall entry, IPI flight, wake-up and
 *     return to user.
 *   - the truth about each kick.  The kernel sends no IPI to a CPU that
 *     polls in idle: send_call_function_single_ipi() sets need-resched
 *     there instead (set_nr_if_polling()) and fires the tracepoint
 *     sched_wake_idle_without_ipi.  A probe on that tracepoint tells the
 *     kicker, with interrupts off around its one send, which happened;
 *     the handler tells the waiter whether an interrupt ran it.  Both
 *     are stamped per kick and counted per doorbell (STATS_GET).
 *     force_ipi=1 then sends the IPI the kernel skipped.
 *
 * The module holds no reference to any task: a waiter is only ever on a
 * wait queue inside its own ioctl, which pins the file and hence the
 * module (fops.owner), so rmmod is refused (-EBUSY) while anyone waits.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>
#include <asm/msr.h>
#include <asm/smp.h>

#include "uapi/scf_ioctl.h"

#define CREATE_TRACE_POINTS
#include "scf_trace.h"

#define SCF_MAX_SLOTS		32	/* as SCF_MAX_SLOTS in scf_abi.h */
#define SCF_NR_SIDES		2	/* enum scf_side in scf_abi.h */
#define SCF_SLOT_SIZE_MAX	(1UL << 30)

static unsigned int nr_slots = 4;
module_param(nr_slots, uint, 0444);
MODULE_PARM_DESC(nr_slots, "number of SCF slots (1-32, default 4)");

static unsigned long slot_size = 17UL << 20;
module_param(slot_size, ulong, 0444);
MODULE_PARM_DESC(slot_size, "bytes per slot, page multiple (default 17 MiB)");

/* x86 has a global phys_base of its own: keep the parameter name only. */
static unsigned long long scf_phys_base;
module_param_named(phys_base, scf_phys_base, ullong, 0444);
MODULE_PARM_DESC(phys_base, "reserved physical range for the region (0: vmalloc)");

static unsigned long long scf_phys_size;
module_param_named(phys_size, scf_phys_size, ullong, 0444);
MODULE_PARM_DESC(phys_size, "bytes at phys_base (0: just the region)");

static bool phys_clear = true;
module_param(phys_clear, bool, 0444);
MODULE_PARM_DESC(phys_clear, "zero the physical range at load (default Y)");

/*
 * Writable at run time (/sys/module/scf/parameters/force_ipi): each kick
 * reads it once, and INFO_GET reports it.
 */
static bool force_ipi;
module_param(force_ipi, bool, 0644);
MODULE_PARM_DESC(force_ipi, "send an IPI also where the kernel would skip it for a polling idle CPU (default N)");

/* What one doorbell's kicks did: struct scf_bell_counts, field by field. */
struct scf_bell_stats {
	atomic64_t kicks;
	atomic64_t ipi_sent;
	atomic64_t woken_without_ipi;
	atomic64_t same_cpu;
	atomic64_t not_waiting;
	atomic64_t pending;
	atomic64_t offline;
	atomic64_t forced;
	atomic64_t handler_irq;
	atomic64_t handler_idle;
};

struct scf_bell {
	atomic_t seq;			/* bumped by every kick */
	int cpu;			/* CPU of the last waiter, -1 none */
	u32 slot;
	u32 side;
	wait_queue_head_t wq;
	spinlock_t kick_lock;		/* one sender of csd at a time */
	call_single_data_t csd;
	u64 handler_tsc;		/* last handler entry from an IPI */
	u64 idle_tsc;			/* last handler entry from the idle loop */
	struct scf_bell_stats st;
};

struct scf_file;

struct scf_slot {
	struct scf_file *owner;		/* under scf.lock */
	u64 allocs;			/* under scf.lock */
	atomic_t frees;			/* waiters leave with -EPIPE on a bump */
	struct scf_bell bell[SCF_NR_SIDES];
};

struct scf_file {
	unsigned long slots;		/* bitmap of slots held, under scf.lock */
};

static struct {
	struct mutex lock;		/* slot ownership */
	void *vmem;			/* vmalloc_user region, or NULL */
	phys_addr_t phys;		/* phys_base mode */
	struct resource *res;
	u64 region_size;
	atomic_t ipi_inflight;		/* IPIs sent whose handler has not run */
	struct scf_slot slot[SCF_MAX_SLOTS];
} scf;

/*
 * An ordered TSC read, the kernel twin of scf_rdtsc_ordered(): the
 * leading fence of rdtsc_ordered() keeps the read after everything
 * before it; the trailing lfence keeps what follows from starting early.
 */
static __always_inline u64 scf_tsc(void)
{
	u64 t = rdtsc_ordered();

	asm volatile("lfence" : : : "memory");
	return t;
}

/* ---- IPI or not: sched_wake_idle_without_ipi ---------------------------- */

/*
 * The CPU the polling shortcut was last taken for, by a send made on this
 * CPU; -1 before each send.  Written by the probe, which runs on the CPU
 * that makes the send, inside it.
 */
static DEFINE_PER_CPU(int, scf_polled_cpu);
static struct tracepoint *scf_tp_polled;

static void scf_probe_polled(void *data, int cpu)
{
	__this_cpu_write(scf_polled_cpu, cpu);
}

static void scf_tp_match(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_wake_idle_without_ipi"))
		scf_tp_polled = tp;
}

static int scf_tp_init(void)
{
	int ret;

	for_each_kernel_tracepoint(scf_tp_match, NULL);
	if (!scf_tp_polled) {
		pr_err("no tracepoint sched_wake_idle_without_ipi (CONFIG_TRACEPOINTS=n?): cannot tell a kick's IPI from a polling wake-up\n");
		return -ENOENT;
	}
	ret = tracepoint_probe_register(scf_tp_polled, scf_probe_polled, NULL);
	if (ret)
		pr_err("cannot probe sched_wake_idle_without_ipi: %d\n", ret);
	return ret;
}

static void scf_tp_exit(void)
{
	tracepoint_probe_unregister(scf_tp_polled, scf_probe_polled, NULL);
	/* No CPU may still be inside the probe when the module goes. */
	tracepoint_synchronize_unregister();
}

/* ---- IPI doorbell ------------------------------------------------------ */

/*
 * Runs on the waiter's CPU with interrupts off: in hard-irq context when
 * the call-function IPI delivered it, or from the idle loop
 * (flush_smp_call_function_queue() in do_idle()) when that CPU polled and
 * saw need-resched without an interrupt.
 */
static void scf_bell_ipi(void *info)
{
	struct scf_bell *b = info;
	u64 now = scf_tsc();
	bool irq = in_hardirq();

	if (irq) {
		WRITE_ONCE(b->handler_tsc, now);
		atomic64_inc(&b->st.handler_irq);
	} else {
		WRITE_ONCE(b->idle_tsc, now);
		atomic64_inc(&b->st.handler_idle);
	}
	trace_scf_ipi(b->slot, b->side, atomic_read(&b->seq), irq, now);
	/*
	 * try_to_wake_up() orders the handler_tsc/idle_tsc store before the
	 * waiter runs again, so its READ_ONCE() after schedule sees it.
	 */
	wake_up(&b->wq);
	/* Last touch of module data: scf_exit() waits for zero, then RCU. */
	atomic_dec(&scf.ipi_inflight);
}

static long scf_ioc_info_get(void __user *uarg)
{
	struct scf_info_args a = {
		.version = SCF_UAPI_VERSION,
		.nr_slots = nr_slots,
		.slot_size = slot_size,
		.region_size = scf.region_size,
		.phys_base = scf.vmem ? 0 : scf.phys,
		.flags = (scf.vmem ? 0 : SCF_INFO_PHYS) |
			 (READ_ONCE(force_ipi) ? SCF_INFO_FORCE_IPI : 0),
		.nr_cpu_ids = nr_cpu_ids,
	};

	if (copy_to_user(uarg, &a, sizeof(a)))
		return -EFAULT;
	return 0;
}

/* Under scf.lock. */
static void scf_slot_release(struct scf_file *sf, u32 i)
{
	struct scf_slot *s = &scf.slot[i];
	int side;

	s->owner = NULL;
	clear_bit(i, &sf->slots);
	/*
	 * Fully ordered by wake_up_all()'s lock and the waiters' barrier in
	 * set_current_state(): a waiter either sees the bump or is woken.
	 */
	atomic_inc(&s->frees);
	for (side = 0; side < SCF_NR_SIDES; side++)
		wake_up_all(&s->bell[side].wq);
}

static long scf_ioc_slot_alloc(struct scf_file *sf, void __user *uarg)
{
	struct scf_slot_args a;
	struct scf_slot *s;
	long ret = 0;
	u32 i;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || (a.slot != SCF_SLOT_ANY && a.slot >= nr_slots))
		return -EINVAL;

	mutex_lock(&scf.lock);
	if (a.slot == SCF_SLOT_ANY) {
		for (i = 0; i < nr_slots; i++)
			if (!scf.slot[i].owner)
				break;
		if (i == nr_slots) {
			ret = -ENOSPC;
			goto out;
		}
	} else {
		i = a.slot;
		if (scf.slot[i].owner) {
			ret = -EBUSY;
			goto out;
		}
	}
	s = &scf.slot[i];
	s->owner = sf;
	s->allocs++;
	set_bit(i, &sf->slots);
	a.slot = i;
	a.allocs = s->allocs;
	if (copy_to_user(uarg, &a, sizeof(a))) {
		/* The caller cannot know the slot: give it back. */
		scf_slot_release(sf, i);
		ret = -EFAULT;
	}
out:
	mutex_unlock(&scf.lock);
	return ret;
}

static long scf_ioc_slot_free(struct scf_file *sf, void __user *uarg)
{
	struct scf_slot_args a;
	long ret = 0;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.slot >= nr_slots)
		return -EINVAL;

	mutex_lock(&scf.lock);
	if (scf.slot[a.slot].owner != sf)
		ret = -EINVAL;		/* not ours, or already free */
	else
		scf_slot_release(sf, a.slot);
	mutex_unlock(&scf.lock);
	return ret;
}

static bool scf_cpu_valid(s32 cpu)
{
	return cpu >= 0 && cpu < nr_cpu_ids && cpu_online(cpu);
}

/*
 * Queue the handler on target and find out whether an IPI went there.
 * Interrupts are off from before the probe's per-CPU word is reset until
 * it is read, so the only sched_wake_idle_without_ipi this CPU can fire
 * in between is the one of this send.  Returns SCF_KICK_*.
 */
static u32 scf_bell_send(struct scf_bell *b, int target, u64 *sent_tsc)
{
	int err;

	if (target == smp_processor_id())
		return SCF_KICK_SAME_CPU;
	if (target < 0 || !cpu_online(target))
		return SCF_KICK_OFFLINE;
	__this_cpu_write(scf_polled_cpu, -1);
	atomic_inc(&scf.ipi_inflight);
	/*
	 * Stamped before the send, so that ipi_sent <= handler holds by
	 * causality even when this CPU is held up right after the APIC
	 * write (a preempted vCPU): the write itself counts as flight.
	 */
	*sent_tsc = scf_tsc();
	err = smp_call_function_single_async(target, &b->csd);
	if (err) {
		atomic_dec(&scf.ipi_inflight);
		/* -EBUSY: still queued; its handler runs after our bump. */
		return err == -EBUSY ? SCF_KICK_PENDING : SCF_KICK_OFFLINE;
	}
	if (__this_cpu_read(scf_polled_cpu) != target)
		return SCF_KICK_IPI;
	if (!READ_ONCE(force_ipi))
		return SCF_KICK_POLLING;
	/*
	 * The kernel set need-resched on the polling CPU instead of an IPI;
	 * send the call-function IPI it skipped.  smp_ops is exported for
	 * modules (KVM kicks vCPUs through it).  Whichever comes first, the
	 * poll loop's flush or this interrupt, runs the handler once; the
	 * other finds the queue empty.
	 */
	arch_send_call_function_single_ipi(target);
	return SCF_KICK_IPI | SCF_KICK_FORCED;
}

static void scf_bell_count(struct scf_bell_stats *st, u32 kind)
{
	atomic64_inc(&st->kicks);
	if (kind & SCF_KICK_IPI)
		atomic64_inc(&st->ipi_sent);
	if (kind & SCF_KICK_FORCED)
		atomic64_inc(&st->forced);
	if (kind & SCF_KICK_POLLING)
		atomic64_inc(&st->woken_without_ipi);
	if (kind & SCF_KICK_SAME_CPU)
		atomic64_inc(&st->same_cpu);
	if (kind & SCF_KICK_LOCAL)
		atomic64_inc(&st->not_waiting);
	if (kind & SCF_KICK_PENDING)
		atomic64_inc(&st->pending);
	if (kind & SCF_KICK_OFFLINE)
		atomic64_inc(&st->offline);
}

static long scf_ioc_bell_kick(void __user *uarg, u64 entry)
{
	struct scf_kick_args a;
	struct scf_bell *b;
	unsigned long irqflags;
	u64 sent_tsc = 0;
	int target;
	u32 kind;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.slot >= nr_slots || a.side >= SCF_NR_SIDES || a.flags ||
	    (a.cpu != SCF_CPU_WAITER && !scf_cpu_valid(a.cpu)))
		return -EINVAL;
	b = &scf.slot[a.slot].bell[a.side];

	a.entry_tsc = entry;
	a.ipi_sent_tsc = 0;
	a.target_cpu = -1;
	/*
	 * A fully ordered RMW: everything the caller published before the
	 * ioctl (its ring push) is visible before the bump, and the bump is
	 * visible before waitqueue_active() looks at the queue.  Pairs with
	 * set_current_state() in prepare_to_wait() in scf_ioc_bell_wait():
	 * either we see the waiter queued, or it sees the new sequence.
	 */
	a.seq = atomic_inc_return(&b->seq);
	if (!waitqueue_active(&b->wq)) {
		kind = SCF_KICK_LOCAL;		/* nobody sleeps: no IPI */
		goto out;
	}

	target = a.cpu == SCF_CPU_WAITER ? READ_ONCE(b->cpu) : a.cpu;
	spin_lock_irqsave(&b->kick_lock, irqflags);
	kind = scf_bell_send(b, target, &sent_tsc);
	spin_unlock_irqrestore(&b->kick_lock, irqflags);
	if (kind & SCF_KICK_IPI) {
		a.ipi_sent_tsc = sent_tsc;
		a.target_cpu = target;
	}
	/* No handler will run for these: wake from here. */
	if (kind & (SCF_KICK_SAME_CPU | SCF_KICK_OFFLINE))
		wake_up(&b->wq);
out:
	a.flags = kind;
	scf_bell_count(&b->st, kind);
	trace_scf_kick(a.slot, a.side, a.seq, a.target_cpu, kind, entry);
	if (copy_to_user(uarg, &a, sizeof(a)))
		return -EFAULT;
	return 0;
}

static long scf_ioc_bell_wait(void __user *uarg, u64 entry)
{
	struct scf_wait_args a;
	struct scf_slot *s;
	struct scf_bell *b;
	ktime_t expires, *exp = NULL;
	u64 sleep_tsc = 0, handler, idle;
	bool slept = false, expired = false;
	DEFINE_WAIT(wait);
	int frees;
	long ret = 0;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.slot >= nr_slots || a.side >= SCF_NR_SIDES || a.flags)
		return -EINVAL;
	s = &scf.slot[a.slot];
	b = &s->bell[a.side];
	frees = atomic_read(&s->frees);
	if (a.timeout_ns != SCF_WAIT_FOREVER) {
		expires = ktime_add_safe(ktime_get(),
					 ns_to_ktime(min_t(u64, a.timeout_ns,
							   KTIME_MAX)));
		exp = &expires;
	}
	a.handler_tsc = 0;
	a.resumed_tsc = 0;

	for (;;) {
		/* Register first, so a kick that sees us queued aims right. */
		WRITE_ONCE(b->cpu, raw_smp_processor_id());
		/*
		 * set_current_state() in here is a full barrier after the
		 * enqueue; pairs with atomic_inc_return() in the kick.
		 */
		prepare_to_wait(&b->wq, &wait, TASK_INTERRUPTIBLE);
		/* acquire: the kicker's published data is visible to us. */
		if ((u32)atomic_read_acquire(&b->seq) != a.seq)
			break;
		if (atomic_read(&s->frees) != frees) {
			ret = -EPIPE;
			break;
		}
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (!a.timeout_ns || expired) {
			ret = -ETIMEDOUT;
			break;
		}
		sleep_tsc = scf_tsc();
		/* 0: the timer expired; -EINTR: woken (or a signal). */
		if (!schedule_hrtimeout_range(exp, current->timer_slack_ns,
					      HRTIMER_MODE_ABS))
			expired = true;
		a.resumed_tsc = scf_tsc();
		slept = true;
	}
	finish_wait(&b->wq, &wait);

	a.flags = 0;
	if (slept) {
		/* Only a handler that ran while we slept woke us. */
		a.flags = SCF_WAIT_SLEPT;
		handler = READ_ONCE(b->handler_tsc);
		idle = READ_ONCE(b->idle_tsc);
		if (handler > sleep_tsc && handler <= a.resumed_tsc) {
			a.handler_tsc = handler;
			a.flags |= SCF_WAIT_IRQ;
		} else if (idle > sleep_tsc && idle <= a.resumed_tsc) {
			a.flags |= SCF_WAIT_IDLE;
		}
	} else {
		a.resumed_tsc = 0;
	}
	a.seq = atomic_read(&b->seq);
	a.entry_tsc = entry;
	trace_scf_wake(a.slot, a.side, a.seq, ret, slept, a.resumed_tsc);
	if (copy_to_user(uarg, &a, sizeof(a)))
		return -EFAULT;
	return ret;
}

static void scf_stats_add(struct scf_bell_counts *c,
			  const struct scf_bell_stats *st)
{
	c->kicks += atomic64_read(&st->kicks);
	c->ipi_sent += atomic64_read(&st->ipi_sent);
	c->woken_without_ipi += atomic64_read(&st->woken_without_ipi);
	c->same_cpu += atomic64_read(&st->same_cpu);
	c->not_waiting += atomic64_read(&st->not_waiting);
	c->pending += atomic64_read(&st->pending);
	c->offline += atomic64_read(&st->offline);
	c->forced += atomic64_read(&st->forced);
	c->handler_irq += atomic64_read(&st->handler_irq);
	c->handler_idle += atomic64_read(&st->handler_idle);
}

/*
 * Counters are read one by one while kicks may go on: read them between
 * runs, when the doorbell is quiet, for kicks to equal the outcomes' sum.
 */
static long scf_ioc_stats_get(void __user *uarg)
{
	struct scf_stats_args a;
	u32 i, side;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || (a.slot != SCF_SLOT_ANY && a.slot >= nr_slots))
		return -EINVAL;
	memset(a.side, 0, sizeof(a.side));
	for (i = 0; i < nr_slots; i++) {
		if (a.slot != SCF_SLOT_ANY && a.slot != i)
			continue;
		for (side = 0; side < SCF_NR_SIDES; side++)
			scf_stats_add(&a.side[side], &scf.slot[i].bell[side].st);
	}
	if (copy_to_user(uarg, &a, sizeof(a)))
		return -EFAULT;
	return 0;
}

static long scf_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	u64 entry = scf_tsc();
	struct scf_file *sf = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case SCF_IOC_INFO_GET:
		return scf_ioc_info_get(uarg);
	case SCF_IOC_SLOT_ALLOC:
		return scf_ioc_slot_alloc(sf, uarg);
	case SCF_IOC_SLOT_FREE:
		return scf_ioc_slot_free(sf, uarg);
	case SCF_IOC_BELL_KICK:
		return scf_ioc_bell_kick(uarg, entry);
	case SCF_IOC_BELL_WAIT:
		return scf_ioc_bell_wait(uarg, entry);
	case SCF_IOC_STATS_GET:
		return scf_ioc_stats_get(uarg);
	default:
		return -ENOTTY;
	}
}

/* ---- region ----------------------------------------------------------- */

static int scf_mmap(struct file *file, struct vm_area_struct *vma)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	u64 off;

	/* A private mapping would copy on write: no longer shared. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (vma->vm_pgoff > (scf.region_size >> PAGE_SHIFT))
		return -EINVAL;
	off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	if (len > scf.region_size - off)
		return -EINVAL;
	if (scf.vmem)
		return remap_vmalloc_range(vma, scf.vmem, vma->vm_pgoff);
	vma->vm_flags |= VM_IO | VM_DONTEXPAND | VM_DONTDUMP;
	return remap_pfn_range(vma, vma->vm_start,
			       PHYS_PFN(scf.phys) + vma->vm_pgoff, len,
			       vma->vm_page_prot);
}

static int scf_open(struct inode *inode, struct file *file)
{
	struct scf_file *sf = kzalloc(sizeof(*sf), GFP_KERNEL);

	if (!sf)
		return -ENOMEM;
	file->private_data = sf;
	return 0;
}

static int scf_release(struct inode *inode, struct file *file)
{
	struct scf_file *sf = file->private_data;
	unsigned long i;

	mutex_lock(&scf.lock);
	for_each_set_bit(i, &sf->slots, SCF_MAX_SLOTS)
		scf_slot_release(sf, i);
	mutex_unlock(&scf.lock);
	kfree(sf);
	return 0;
}

static const struct file_operations scf_fops = {
	.owner		= THIS_MODULE,
	.open		= scf_open,
	.release	= scf_release,
	.mmap		= scf_mmap,
	.unlocked_ioctl	= scf_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice scf_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "scf",
	.fops	= &scf_fops,
	.mode	= 0666,
};

static int scf_region_init(void)
{
	void *p;

	if (!nr_slots || nr_slots > SCF_MAX_SLOTS) {
		pr_err("nr_slots=%u: must be 1..%u\n", nr_slots, SCF_MAX_SLOTS);
		return -EINVAL;
	}
	if (slot_size < 2 * PAGE_SIZE || !PAGE_ALIGNED(slot_size) ||
	    slot_size > SCF_SLOT_SIZE_MAX) {
		pr_err("slot_size=%lu: must be a page multiple, 8 KiB..1 GiB\n",
		       slot_size);
		return -EINVAL;
	}
	scf.region_size = PAGE_SIZE + (u64)nr_slots * slot_size;

	if (!scf_phys_base) {
		if (scf_phys_size) {
			pr_err("phys_size without phys_base\n");
			return -EINVAL;
		}
		scf.vmem = vmalloc_user(scf.region_size);
		return scf.vmem ? 0 : -ENOMEM;
	}

	if (!scf_phys_size)
		scf_phys_size = scf.region_size;
	if (!PAGE_ALIGNED(scf_phys_base) || !PAGE_ALIGNED(scf_phys_size) ||
	    scf_phys_size < scf.region_size ||
	    scf_phys_base + scf_phys_size < scf_phys_base) {
		pr_err("phys_base=%#llx phys_size=%#llx: need page-aligned, >= %#llx bytes\n",
		       scf_phys_base, scf_phys_size, scf.region_size);
		return -EINVAL;
	}
	scf.phys = scf_phys_base;
	scf.res = request_mem_region(scf_phys_base, scf_phys_size, "scf");
	if (!scf.res) {
		pr_err("%#llx-%#llx is busy\n", scf_phys_base,
		       scf_phys_base + scf_phys_size - 1);
		return -EBUSY;
	}
	if (phys_clear) {
		p = memremap(scf_phys_base, scf.region_size, MEMREMAP_WB);
		if (!p) {
			release_mem_region(scf_phys_base, scf_phys_size);
			return -ENOMEM;
		}
		memset(p, 0, scf.region_size);
		memunmap(p);
	}
	return 0;
}

static void scf_region_exit(void)
{
	if (scf.vmem)
		vfree(scf.vmem);
	else
		release_mem_region(scf_phys_base, scf_phys_size);
}

static int __init scf_init(void)
{
	u32 i, side;
	int ret;

	mutex_init(&scf.lock);
	atomic_set(&scf.ipi_inflight, 0);
	for (i = 0; i < SCF_MAX_SLOTS; i++) {
		atomic_set(&scf.slot[i].frees, 0);
		for (side = 0; side < SCF_NR_SIDES; side++) {
			struct scf_bell *b = &scf.slot[i].bell[side];

			atomic_set(&b->seq, 0);
			b->cpu = -1;
			b->slot = i;
			b->side = side;
			init_waitqueue_head(&b->wq);
			spin_lock_init(&b->kick_lock);
			INIT_CSD(&b->csd, scf_bell_ipi, b);
		}
	}
	ret = scf_tp_init();
	if (ret)
		return ret;
	ret = scf_region_init();
	if (ret) {
		scf_tp_exit();
		return ret;
	}
	ret = misc_register(&scf_misc);
	if (ret) {
		scf_region_exit();
		scf_tp_exit();
		return ret;
	}
	if (scf.vmem)
		pr_info("/dev/scf: %u slots of %lu bytes, region %llu bytes (vmalloc)\n",
			nr_slots, slot_size, scf.region_size);
	else
		pr_info("/dev/scf: %u slots of %lu bytes, region %llu bytes at phys %#llx\n",
			nr_slots, slot_size, scf.region_size, scf_phys_base);
	return 0;
}

static void __exit scf_exit(void)
{
	misc_deregister(&scf_misc);
	/*
	 * No file is open (we hold no module reference otherwise), but an
	 * IPI a last kick sent may not have run yet: wait for its handler
	 * to drop the count, then for it to leave its irq-disabled section.
	 */
	while (atomic_read(&scf.ipi_inflight))
		usleep_range(100, 200);
	synchronize_rcu();
	scf_region_exit();
	scf_tp_exit();
}

module_init(scf_init);
module_exit(scf_exit);

MODULE_DESCRIPTION("SCF: shared region, slots and IPI doorbells for syscall forwarding");
MODULE_AUTHOR("scf-bench");
MODULE_LICENSE("GPL");
