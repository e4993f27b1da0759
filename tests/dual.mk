# tests/dual: the dual calls (fork, exit, exec, clone) end to end through
# each variant's scf-shadow; build/<v>/scf-dualtest prints TAP.
DUAL_TEST_SRCS	:= tests/dual/test_dual.c harness/spawn.c harness/wait.c \
		   harness/placement.c \
		   $(RTOS_SRCS)

# $(1) variant
define dual_test_rules
$(BUILD)/$(1)/scf-dualtest: $(patsubst %.c,$(BUILD)/$(1)/%.o,$(DUAL_TEST_SRCS) \
		$(CORE_SRCS) $(HOST_SRCS) $($(1)_SRCS)) | $(BUILD)/$(1)/scf-shadow
	$$(quiet) LD "$$@"
	$(Q)$(CC) $(LDFLAGS) -pthread -o $$@ $$(filter %.o,$$^) $$($(1)_LDLIBS)

TEST_DEPS	+= $(BUILD)/$(1)/scf-dualtest
TEST_CMDS	+= dual/$(1)=$(BUILD)/$(1)/scf-dualtest
endef
$(foreach v,$(VARIANTS),$(eval $(call dual_test_rules,$(v))))

# scf-bench's fork, exec and clone workloads, results checked.
TEST_DEPS	+= $(BUILD)/tests/check-result
TEST_CMDS	+= $(foreach v,$(VARIANTS),dual-bench/$(v)='BUILD=$(BUILD) tests/dual/bench.sh $(v)')
