# tests/ipi: the ipi variant on this host (selection, futex fallback).
#
# Built plain and under ASan+UBSan like tests/unit, from objects of their
# own so that the variant's sources are linked in.
IPI_TEST_SRCS	:= tests/ipi/test_ipi_futex.c $(ipi_SRCS) \
		   $(CORE_SRCS) common/host/scf_wait.c
IPI_TEST_CFLAGS	:= $(BASE_CFLAGS) -DSCF_PROBES=1 $(ipi_CFLAGS)

# $(1) flavour (plain|asan), $(2) its flags
define ipi_test_rules
$(BUILD)/tests/ipi-$(1)/%.o: %.c | deps
	$$(quiet) CC "$$@"
	$(Q)mkdir -p $$(@D)
	$(Q)$(CC) $(IPI_TEST_CFLAGS) $(2) -c -o $$@ $$<

$(BUILD)/tests/ipi-$(1)/test_ipi_futex: \
		$(patsubst %.c,$(BUILD)/tests/ipi-$(1)/%.o,$(IPI_TEST_SRCS))
	$$(quiet) LD "$$@"
	$(Q)$(CC) $(2) -pthread -o $$@ $$^

-include $$(shell find $(BUILD)/tests/ipi-$(1) -name '*.d' 2>/dev/null)
endef

$(call for_each_flavour,ipi_test_rules)

ipi-tests: $(BUILD)/tests/ipi-plain/test_ipi_futex \
	   $(BUILD)/tests/ipi-asan/test_ipi_futex
.PHONY: ipi-tests
SAN_BINS	+= $(BUILD)/tests/ipi-asan/test_ipi_futex

TEST_DEPS	+= ipi-tests
TEST_CMDS	+= ipi/futex='$(BUILD)/tests/ipi-plain/test_ipi_futex 100000'
TEST_CMDS	+= asan/ipi/futex='$(BUILD)/tests/ipi-asan/test_ipi_futex 20000'

# End to end on this host: every forwarded workload with the futex
# fallback, its labels, and backend kmod refused (exit 2) without a device.
TEST_CMDS	+= ipi/e2e='tests/ipi/e2e_host.sh $(BUILD) $(BUILD)/vm/check_kmod_result'
