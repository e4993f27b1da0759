# tests/counters.mk: counters, the trace join, and both in the report.  test_encode links
# harness/counters.c (libpfm4), test_join harness/trace_join.c on a
# synthetic trace; ctrcheck reads a result's counters with the result
# reader for tests/counters/run.sh.

CTR_DIR		:= $(BUILD)/tests

$(CTR_DIR)/ctr_encode: tests/counters/test_encode.c harness/counters.c \
		harness/counters.h tests/tap.h | deps
	$(quiet) CCLD "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -Iharness -Itests $(CFLAGS) $(LDFLAGS) -o $@ \
		$< harness/counters.c -ljansson -lpfm

$(CTR_DIR)/trace_join: tests/counters/test_join.c harness/trace_join.c \
		harness/trace_join.h common/host/scf_phase.c common/host/scf_phase.h \
		tests/tap.h | deps
	$(quiet) CCLD "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -Iharness -Itests $(CFLAGS) $(LDFLAGS) -o $@ \
		$< harness/trace_join.c common/host/scf_phase.c

$(CTR_DIR)/ctrcheck: tests/counters/ctrcheck.c tests/tap.h $(RESULT_READER_SRCS) \
		$(RESULT_READER_HDRS) | deps
	$(quiet) CCLD "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -Ianalysis -Itests $(CFLAGS) $(LDFLAGS) -o $@ $< \
		$(RESULT_READER_SRCS) -ljansson -lm

TEST_DEPS	+= $(CTR_DIR)/ctr_encode $(CTR_DIR)/trace_join $(CTR_DIR)/ctrcheck
TEST_CMDS	+= counters/encode=$(CTR_DIR)/ctr_encode
TEST_CMDS	+= trace/join=$(CTR_DIR)/trace_join
TEST_CMDS	+= $(foreach c,futex poll denied,counters/$(c)='tests/counters/run.sh $(BUILD) $(c)')
TEST_CMDS	+= counters/report='tests/counters/report.sh $(BUILD)'
TEST_CMDS	+= counters/compare='tests/counters/compare.sh $(BUILD)'
