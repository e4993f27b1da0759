# tests/mpsc.mk - the MPSC stress test (tests/unit/test_mpsc.c) once more
# under ThreadSanitizer: the unit rules build it plain and under ASan;
# TSan cannot be combined with ASan, so it has its own rule, linking only
# the core files the test uses.
MPSC_TSAN_BIN	:= $(BUILD)/tests/tsan/test_mpsc
MPSC_TSAN_SRCS	:= tests/unit/test_mpsc.c common/scf/scf_mpsc.c \
		   common/scf/scf_ring.c common/scf/scf_desc.c
FLAVOUR_FLAGS_tsan := -fsanitize=thread -fno-omit-frame-pointer

$(MPSC_TSAN_BIN): $(MPSC_TSAN_SRCS) $(wildcard common/scf/*.h) | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(UNIT_CFLAGS) $(FLAVOUR_FLAGS_tsan) -o $@ $(MPSC_TSAN_SRCS) \
		$(UNIT_LIBS)

TEST_DEPS	+= $(MPSC_TSAN_BIN)
# halt_on_error: a race fails the step instead of only being printed.
TEST_CMDS	+= tsan/test_mpsc='env TSAN_OPTIONS=halt_on_error=1 $(MPSC_TSAN_BIN)'
