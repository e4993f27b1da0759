# tests/kmod: scf.ko's tests in a QEMU-booted Debian kernel (kmod/kmod.mk
# builds the module and names the kernel, VM_KVER).
#
#   make vmtest    scf.ko for VM_KVER, the static tests, an initramfs, a
#                  TCG boot with 2 CPUs; TAP on stdout

VM_DIR		:= $(BUILD)/vm
VM_TIMEOUT	?= 600
VM_MODTEST	:= $(VM_DIR)/scf_modtest
VM_MODTEST_SRCS	:= tests/kmod/scf_modtest.c $(ipi_SRCS) $(CORE_SRCS) \
		   common/host/scf_wait.c
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

$(VM_CHECK): tests/kmod/check_kmod_result.c tests/tap.h \
		$(RESULT_READER_SRCS) $(RESULT_READER_HDRS) | deps
	$(quiet) CCLD "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(VM_CFLAGS) -Ianalysis -Itests -o $@ $< \
		$(RESULT_READER_SRCS) -ljansson -lm

# The host's ipi end-to-end test checks its futex results with it too.
TEST_DEPS	+= $(VM_CHECK)

vm-bench: | deps
	$(Q)$(MAKE) --no-print-directory BUILD=$(VM_STATIC) LDFLAGS=-static \
		$(VM_STATIC)/ipi/scf-bench $(VM_STATIC)/ipi/scf-shadow \
		$(VM_STATIC)/tests/ring-bad-index
	$(Q)rm -rf $(VM_BENCH_DIR) && mkdir -p $(VM_BENCH_DIR)
	$(Q)cp $(VM_STATIC)/ipi/scf-bench $(VM_STATIC)/ipi/scf-shadow \
		tests/kmod/vm/bench.sh $(VM_STATIC)/tests/ring-bad-index \
		tests/hardening/dropped_request.sh tests/lib.sh $(VM_BENCH_DIR)/
	$(Q)printf 'COMMIT=%s\nDIRTY=%s\nSAMPLES=%s\nCYCLES=%s\nWORKLOADS=%s\n' \
		'$(GIT_COMMIT)' '$(GIT_DIRTY)' '$(VM_SAMPLES)' '$(VM_CYCLES)' \
		'$(VM_WORKLOADS)' >$(VM_BENCH_DIR)/bench.env

vmtest-run: $(VM_MODTEST) $(VM_CHECK) vm-bench $(SBS_BIN) $(AN_DIR)/scf-report
	$(Q)test -n "$(VM_KVER)" || { \
		echo "not ok 1 - vm: no /boot/vmlinuz-* with headers" \
		     "(apt-get install linux-image-amd64 linux-headers-amd64)"; \
		exit 1; }
	$(Q)$(MAKE) --no-print-directory $(BUILD)/kmod/$(VM_KVER)/scf.ko
	$(Q)VM_KERNEL=/boot/vmlinuz-$(VM_KVER) \
		VM_MODULE=$(BUILD)/kmod/$(VM_KVER)/scf.ko \
		VM_MODTEST=$(VM_MODTEST) VM_OUT=$(VM_DIR) \
		VM_BENCH=$(VM_BENCH_DIR) VM_RESULTS=results \
		VM_CHECK=$(VM_CHECK) VM_TIMEOUT=$(VM_TIMEOUT) \
		VM_SBS=$(SBS_BIN) VM_REPORT=$(AN_DIR)/scf-report \
		tests/kmod/vm/vmtest.sh

.PHONY: vmtest vmtest-run vm-bench

# Builds the module and a static tree, then boots twice under TCG, each
# for up to VM_TIMEOUT seconds: more than tests/steps.sh's default limit.
TEST_CMDS	+= vm@1800='$(MAKE) --no-print-directory vmtest'
