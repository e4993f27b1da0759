# variants/ivshmem: the RTOS side is not a Linux process but a bare-metal
# guest (variants/ivshmem/guest) in QEMU; calls reach the host's
# scf-shadow through an ivshmem-doorbell device whose shared memory is
# the region.  Backend "doorbell": the guest writes ivshmem's Doorbell
# register (the shadow's eventfd), the shadow signals the guest's MSI-X
# vector; "poll": both spin on the rings.
#
# A guest variant: it has no Linux scf-bench, so it stays out of
# VARIANTS (and the per-variant tests); GUEST_VARIANTS builds its
# scf-shadow, and `make bench VARIANT=ivshmem` runs the guest
# (variants/ivshmem/scf-ivshmem-run).
IVS_DIR		:= variants/ivshmem
GUEST_VARIANTS	+= ivshmem
ivshmem_ORDER	:= 40
ivshmem_BACKENDS := doorbell poll
IVSHMEM_BACKEND	?= doorbell
ivshmem_BACKEND	= $(IVSHMEM_BACKEND)
ivshmem_RAW_PEERS :=
ivshmem_SRCS	:= $(IVS_DIR)/notify_ivshmem.c
ivshmem_CFLAGS	:= -I$(IVS_DIR)
ivshmem_LDLIBS	:=

# ---- the guest image: the freestanding core on bare metal ---------------
IVS_B		:= $(BUILD)/ivshmem
IVS_GUEST	:= $(IVS_B)/scf-guest.elf
IVS_GUEST_SRCS	:= $(CORE_SRCS) $(addprefix $(IVS_DIR)/guest/,console.c pci.c \
		   irq.c lib.c notify_guest.c main.c)
IVS_GUEST_ASM	:= $(addprefix $(IVS_DIR)/guest/,boot.S isr.S)
IVS_GUEST_OBJS	:= $(patsubst %,$(IVS_B)/guest/%.o,$(IVS_GUEST_SRCS) $(IVS_GUEST_ASM))
IVS_GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding \
		   -fno-builtin -nostdlib -nostdinc \
		   -isystem $(shell $(CC) -print-file-name=include) \
		   -mno-red-zone -mgeneral-regs-only -fno-pic -fno-pie \
		   -fno-stack-protector -fno-asynchronous-unwind-tables \
		   -mcmodel=small -DSCF_PROBES=$(PROBES) \
		   -Icommon/scf -I$(IVS_DIR) -I$(IVS_DIR)/guest

$(IVS_B)/guest/%.c.o: %.c
	$(quiet) GUESTCC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(IVS_GUEST_CFLAGS) -MMD -MP -c -o $@ $<

$(IVS_B)/guest/%.S.o: %.S
	$(quiet) GUESTAS "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(IVS_GUEST_CFLAGS) -c -o $@ $<

# QEMU's multiboot loader takes ELF32 only: link for x86-64, then carry
# the same bytes in an ELF32 container (the entry is 32-bit code).
$(IVS_GUEST): $(IVS_GUEST_OBJS) $(IVS_DIR)/guest/link.ld
	$(quiet) LD "$@"
	$(Q)$(CC) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
		-Wl,-T,$(IVS_DIR)/guest/link.ld -o $(IVS_B)/scf-guest64.elf \
		$(IVS_GUEST_OBJS)
	$(Q)objcopy -O elf32-i386 $(IVS_B)/scf-guest64.elf $@

-include $(wildcard $(IVS_B)/guest/*/*/*.d $(IVS_B)/guest/*/*/*/*.d)

# The host side: the ivshmem server that QEMU's chardev connects to.
# It checks the guest's region with the core's own checks.
IVS_SERVER	:= $(IVS_B)/scf-ivshmem-server
IVS_SERVER_CORE	:= $(patsubst %,$(IVS_B)/common/scf/%.o,scf_region scf_ring scf_err) \
		   $(IVS_B)/common/host/scf_sched.o
$(IVS_SERVER): $(IVS_DIR)/ivshmem_server.c $(IVS_DIR)/ivshmem_abi.h \
		$(IVS_SERVER_CORE) | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -I$(IVS_DIR) $(CFLAGS) $(LDFLAGS) -o $@ \
		$(IVS_DIR)/ivshmem_server.c $(IVS_SERVER_CORE)

ivshmem-all: $(IVS_GUEST) $(IVS_SERVER) $(IVS_B)/scf-shadow
.PHONY: ivshmem-all
TOOLS		+= $(IVS_GUEST) $(IVS_SERVER) $(IVS_B)/scf-shadow

# ---- make bench VARIANT=ivshmem ------------------------------------------
#
# TCG runs a call in ~100 us, not ~1 us: unless SAMPLES or CYCLES are
# given, the guest runs 10 samples of 200 calls per workload (about a
# minute under TCG), not the suite's 20 x 10000.
IVS_SAMPLES	= $(if $(filter command line environment%,$(origin SAMPLES)),$(SAMPLES),10)
IVS_CYCLES	= $(if $(filter command line environment%,$(origin CYCLES)),$(CYCLES),200)
IVS_WORKLOADS	= $(if $(filter all default,$(WORKLOAD)),null$(comma)write$(comma)write-noservice$(comma)write-nomem$(comma)openclose$(comma)read,$(WORKLOAD))
# make bench VARIANT=ivshmem ACCEL=kvm|tcg (auto: KVM where it runs the
# guest at hardware speed, else TCG, labelled emulated)
ACCEL		?= auto

bench-ivshmem: ivshmem-all $(BUILD)/analysis/scf-report
	$(Q)mkdir -p $(RUN_DIR) && printf 'make bench started %s and has not finished\n' \
		"$$(date)" >$(RUN_DIR)/INCOMPLETE
	$(Q)BUILD=$(BUILD) SAMPLES=$(IVS_SAMPLES) CYCLES=$(IVS_CYCLES) \
		WORKLOADS='$(IVS_WORKLOADS)' IVSHMEM_BACKEND=$(ivshmem_BACKEND) \
		ACCEL=$(ACCEL) CPUS=$(CPUS) COMMIT=$(GIT_COMMIT) DIRTY=$(GIT_DIRTY) \
		$(IVS_DIR)/run.sh $(RUN_DIR)
	$(Q)rm -f $(RUN_DIR)/INCOMPLETE
	$(Q)$(BUILD)/analysis/scf-report $(RUN_DIR)
	$(Q)echo "bench: results in $(RUN_DIR)"
.PHONY: bench-ivshmem
