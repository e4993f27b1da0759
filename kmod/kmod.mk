# kmod/: scf.ko built out of tree, and kernel traces.  Its tests in a
# QEMU-booted Debian kernel (make vmtest) are in tests/kmod.mk.
#
#   make kmod      scf.ko for KMOD_KVER: the running kernel when it has a
#                  build directory, else the kernel the VM boots
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

.PHONY: kmod-build

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
