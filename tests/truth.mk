# tests/truth: the fields that say how far a result can be trusted
# (scf-bench/2): net-phase and drift arithmetic, sampled probes, the
# wall-clock check, interference, the schema, scf-interleave.

TRUTH_UNIT_SRCS	:= tests/truth/test_truth.c harness/measurement.c harness/net.c \
		   harness/drift.c harness/interference.c harness/clock.c \
		   common/host/scf_phase.c
$(BUILD)/tests/truth-unit: $(TRUTH_UNIT_SRCS) $(wildcard harness/*.h) \
		tests/tap.h | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -DSCF_PROBES=1 -Iharness -o $@ \
		$(TRUTH_UNIT_SRCS) -lm

TEST_DEPS	+= $(BUILD)/tests/truth-unit $(INTERLEAVE)
TEST_CMDS	+= truth/unit=$(BUILD)/tests/truth-unit
TEST_CMDS	+= truth/poll='BUILD=$(BUILD) tests/truth/truth.sh poll'
