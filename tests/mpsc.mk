# tests/mpsc.mk - the MPSC stress test (tests/unit/test_mpsc.c) and the
# async client and executor test (test_async.c, a shadow thread on a real
# region) once more under ThreadSanitizer: the unit rules build them plain
# and under ASan; TSan cannot be combined with ASan, so they have their
# own rules.
MPSC_TSAN_BIN	:= $(BUILD)/tests/tsan/test_mpsc
MPSC_TSAN_SRCS	:= tests/unit/test_mpsc.c common/scf/scf_mpsc.c \
		   common/scf/scf_ring.c common/scf/scf_ring_locked.c \
		   common/scf/scf_desc.c
FLAVOUR_FLAGS_tsan := -fsanitize=thread -fno-omit-frame-pointer

$(MPSC_TSAN_BIN): $(MPSC_TSAN_SRCS) $(wildcard common/scf/*.h) | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(UNIT_CFLAGS) $(FLAVOUR_FLAGS_tsan) -o $@ $(MPSC_TSAN_SRCS) \
		$(UNIT_LIBS)

TEST_DEPS	+= $(MPSC_TSAN_BIN)
# halt_on_error: a race fails the step instead of only being printed.
TEST_CMDS	+= tsan/test_mpsc='env TSAN_OPTIONS=halt_on_error=1 $(MPSC_TSAN_BIN)'

# -Wno-tsan: TSan cannot check the shared-slot path's fences
# (scf_client_mt.c); it is linked, not run, by this test.
ASYNC_TSAN_BIN	:= $(BUILD)/tests/tsan/test_async
ASYNC_TSAN_SRCS	:= tests/unit/test_async.c $(CORE_SRCS) variants/poll/notify_poll.c

$(ASYNC_TSAN_BIN): $(ASYNC_TSAN_SRCS) $(wildcard common/scf/*.h) | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(UNIT_CFLAGS) $(FLAVOUR_FLAGS_tsan) -Wno-tsan -o $@ $(ASYNC_TSAN_SRCS) \
		$(UNIT_LIBS)

TEST_DEPS	+= $(ASYNC_TSAN_BIN)
TEST_CMDS	+= tsan/test_async='env TSAN_OPTIONS=halt_on_error=1 $(ASYNC_TSAN_BIN)'
