# variants/ipi: the doorbell is an ioctl into the scf module, which wakes
# the peer with a targeted IPI (backend kmod); where /dev/scf is absent a
# futex on the shared sequence word stands in (backend futex).
ipi_SRCS	:= variants/ipi/notify_ipi.c
ipi_CFLAGS	:= -Ikmod -Ivariants/ipi
ipi_LDLIBS	:=

# ---- host tests of the variant (selection, futex fallback) ---------------
#
# Built plain and under ASan+UBSan like tests/unit, from objects of their
# own so that the variant's sources are linked in.
IPI_TEST_SRCS	:= variants/ipi/tests/test_ipi_futex.c $(ipi_SRCS) \
		   $(CORE_SRCS)
IPI_TEST_CFLAGS	:= $(BASE_CFLAGS) -DSCF_PROBES=1 $(ipi_CFLAGS)

# $(1) flavour (plain|asan), $(2) extra flags
define ipi_test_rules
$(BUILD)/ipi-tests/$(1)/%.o: %.c | deps
	$$(quiet) CC "$$@"
	$(Q)mkdir -p $$(@D)
	$(Q)$(CC) $(IPI_TEST_CFLAGS) $(2) -c -o $$@ $$<

$(BUILD)/ipi-tests/$(1)/test_ipi_futex: \
		$(patsubst %.c,$(BUILD)/ipi-tests/$(1)/%.o,$(IPI_TEST_SRCS))
	$$(quiet) LD "$$@"
	$(Q)$(CC) $(2) -pthread -o $$@ $$^

-include $$(shell find $(BUILD)/ipi-tests/$(1) -name '*.d' 2>/dev/null)
endef

$(eval $(call ipi_test_rules,plain,))
$(eval $(call ipi_test_rules,asan,$(SAN_FLAGS)))

ipi-tests: $(BUILD)/ipi-tests/plain/test_ipi_futex \
	   $(BUILD)/ipi-tests/asan/test_ipi_futex
.PHONY: ipi-tests

TEST_DEPS	+= ipi-tests
TEST_CMDS	+= ipi/futex='$(BUILD)/ipi-tests/plain/test_ipi_futex 100000'
TEST_CMDS	+= asan/ipi/futex='$(BUILD)/ipi-tests/asan/test_ipi_futex 20000'

# End to end on this host: every forwarded workload with the futex
# fallback, its labels, and backend kmod refused (exit 2) without a device.
TEST_CMDS	+= ipi/e2e='variants/ipi/tests/e2e_host.sh $(BUILD) $(BUILD)/vm/check_kmod_result'
