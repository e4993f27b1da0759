# kmod/: scf.ko built out of tree, its tests in a QEMU-booted Debian
# kernel (make vmtest, a step of make test), and kernel traces.
#
#   make kmod      scf.ko for KMOD_KVER: the running kernel when it has a
#                  build directory, else the kernel the VM boots
#   make vmtest    scf.ko for VM_KVER, the static tests, an initramfs, a
#                  TCG boot with 2 CPUs; TAP on stdout
#
# Versions are looked up when a recipe runs (recursive variables), so a
# fresh machine that only gets the packages from deps-vm still works.

# The kernel the VM boots: the newest /boot/vmlinuz-* that has headers.
kdir_of		= $(firstword $(wildcard /lib/modules/$(1)/build \
			/usr/src/linux-headers-$(1)))
VM_KVER		= $(lastword $(foreach k,$(patsubst /boot/vmlinuz-%,%,\
			$(sort $(wildcard /boot/vmlinuz-*))),\
			$(if $(call kdir_of,$(k)),$(k))))
KMOD_KVER	= $(if $(call kdir_of,$(shell uname -r)),$(shell uname -r),$(VM_KVER))
VM_TIMEOUT	?= 300

KMOD_SRCS	:= kmod/Kbuild kmod/scf_main.c kmod/scf_trace.h \
		   kmod/uapi/scf_ioctl.h

# Kbuild writes its objects beside the sources: build a copy.
$(BUILD)/kmod/%/scf.ko: $(KMOD_SRCS)
	$(quiet) KBUILD "$@"
	$(Q)test -n "$(call kdir_of,$*)" || { \
		echo "kmod: no kernel headers for '$*'" \
		     "(apt-get install linux-headers-amd64)"; exit 1; }
	$(Q)rm -rf $(@D)/src && mkdir -p $(@D)/src/uapi
	$(Q)cp kmod/Kbuild kmod/scf_main.c kmod/scf_trace.h $(@D)/src/
	$(Q)cp kmod/uapi/scf_ioctl.h $(@D)/src/uapi/
	$(Q)$(MAKE) -C $(call kdir_of,$*) M=$(abspath $(@D)/src) modules \
		>$(@D)/kbuild.log 2>&1 || { cat $(@D)/kbuild.log; exit 1; }
	$(Q)if grep -E 'warning:' $(@D)/kbuild.log; then exit 1; fi
	$(Q)cp $(@D)/src/scf.ko $@

kmod: deps-vm
	$(Q)$(MAKE) --no-print-directory kmod-build

kmod-build:
	$(Q)$(MAKE) --no-print-directory $(BUILD)/kmod/$(KMOD_KVER)/scf.ko
	$(Q)echo "kmod: $(BUILD)/kmod/$(KMOD_KVER)/scf.ko (insmod it as root; see kmod/README.md)"

# ---- module tests in a VM -------------------------------------------------

VM_DIR		:= $(BUILD)/vm
VM_MODTEST	:= $(VM_DIR)/scf_modtest
VM_MODTEST_SRCS	:= kmod/tests/scf_modtest.c $(ipi_SRCS) $(CORE_SRCS)
VM_CFLAGS	:= $(filter-out -MMD -MP,$(BASE_CFLAGS)) -DSCF_PROBES=1 \
		   $(ipi_CFLAGS)

$(VM_MODTEST): $(VM_MODTEST_SRCS) $(wildcard common/scf/*.h) \
		variants/ipi/scf_ipi.h kmod/uapi/scf_ioctl.h | deps
	$(quiet) CCLD "$@ (static)"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(VM_CFLAGS) -static -o $@ $(VM_MODTEST_SRCS)

vmtest: deps-vm
	$(Q)$(MAKE) --no-print-directory vmtest-run

# The ipi variant end to end in the VM: scf-bench and scf-shadow linked
# -static (a second build tree), small counts, backend kmod.
VM_STATIC	:= $(VM_DIR)/static
VM_BENCH_DIR	:= $(VM_DIR)/bench
VM_SAMPLES	?= 2
VM_CYCLES	?= 300
VM_WORKLOADS	?= null,write
VM_CHECK	:= $(VM_DIR)/check_kmod_result

$(VM_CHECK): kmod/tests/check_kmod_result.c | deps
	$(quiet) CCLD "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(VM_CFLAGS) -o $@ $< -ljansson

# The host's ipi end-to-end test checks its futex results with it too.
TEST_DEPS	+= $(VM_CHECK)

vm-bench: | deps
	$(Q)$(MAKE) --no-print-directory BUILD=$(VM_STATIC) LDFLAGS=-static \
		$(VM_STATIC)/ipi/scf-bench $(VM_STATIC)/ipi/scf-shadow
	$(Q)rm -rf $(VM_BENCH_DIR) && mkdir -p $(VM_BENCH_DIR)
	$(Q)cp $(VM_STATIC)/ipi/scf-bench $(VM_STATIC)/ipi/scf-shadow \
		kmod/vm/bench.sh $(VM_BENCH_DIR)/
	$(Q)printf 'COMMIT=%s\nDIRTY=%s\nSAMPLES=%s\nCYCLES=%s\nWORKLOADS=%s\n' \
		'$(GIT_COMMIT)' '$(GIT_DIRTY)' '$(VM_SAMPLES)' '$(VM_CYCLES)' \
		'$(VM_WORKLOADS)' >$(VM_BENCH_DIR)/bench.env

vmtest-run: $(VM_MODTEST) $(VM_CHECK) vm-bench
	$(Q)test -n "$(VM_KVER)" || { \
		echo "not ok 1 - vm: no /boot/vmlinuz-* with headers" \
		     "(apt-get install linux-image-amd64 linux-headers-amd64)"; \
		exit 1; }
	$(Q)$(MAKE) --no-print-directory $(BUILD)/kmod/$(VM_KVER)/scf.ko
	$(Q)VM_KERNEL=/boot/vmlinuz-$(VM_KVER) \
		VM_MODULE=$(BUILD)/kmod/$(VM_KVER)/scf.ko \
		VM_MODTEST=$(VM_MODTEST) VM_OUT=$(VM_DIR) \
		VM_BENCH=$(VM_BENCH_DIR) VM_RESULTS=results \
		VM_CHECK=$(VM_CHECK) VM_TIMEOUT=$(VM_TIMEOUT) kmod/vm/vmtest.sh

.PHONY: kmod-build vmtest-run vm-bench

TEST_CMDS	+= vm='$(MAKE) --no-print-directory vmtest'

# ---- make trace VARIANT=ipi|uintr|poll ------------------------------------
#
# One short traced run per variant (TRACE_CYCLES calls of TRACE_WORKLOAD)
# into results/<commit>/<host>/trace/; see kmod/trace.sh.
TRACE_WORKLOAD	?= null
TRACE_CYCLES	?= 2000

trace: all
	$(Q)set -e; $(foreach v,$(BENCH_VARIANTS),\
		kmod/trace.sh $(RUN_DIR)/trace $(BUILD) $(v) $(TRACE_WORKLOAD) \
			$(TRACE_CYCLES) $(CPUS) $(call backend_of,$(v));)
