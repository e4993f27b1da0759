# tests/hardening: scf-shadow against shared memory that shrinks or lies
# about its size, a client that vanishes, and a bad command line; each
# binary plain and under ASan+UBSan (poll-asan).

SHM_TEST_SRCS	:= tests/hardening/shadow_shm.c $(CORE_SRCS) variants/poll/notify_poll.c
$(BUILD)/tests/shadow-shm: $(SHM_TEST_SRCS) $(wildcard common/scf/*.h) tests/tap.h | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -DSCF_PROBES=1 -o $@ $(SHM_TEST_SRCS)

HARDEN_ASAN	:= ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=99
TEST_DEPS	+= $(BUILD)/tests/shadow-shm poll poll-asan
TEST_CMDS	+= hardening/shm='$(BUILD)/tests/shadow-shm $(BUILD)/poll/scf-shadow'
TEST_CMDS	+= hardening/shm-asan='$(HARDEN_ASAN) $(BUILD)/tests/shadow-shm $(BUILD)/poll-asan/scf-shadow'
TEST_CMDS	+= hardening/cli='tests/hardening/shadow_cli.sh $(BUILD)/poll/scf-shadow'
TEST_CMDS	+= hardening/cli-asan='$(HARDEN_ASAN) tests/hardening/shadow_cli.sh $(BUILD)/poll-asan/scf-shadow'

# scf-bench's call deadline, per notify variant: a stopped shadow ends the
# run naming it, a slow running one does not.
TEST_DEPS	+= poll ipi uintr
TEST_CMDS	+= hardening/deadline-poll='tests/hardening/call_deadline.sh $(BUILD)/poll'
TEST_CMDS	+= hardening/deadline-ipi='tests/hardening/call_deadline.sh $(BUILD)/ipi'
TEST_CMDS	+= hardening/deadline-uintr='tests/hardening/call_deadline.sh $(BUILD)/uintr'

# A request the shadow drops (a garbled index on the live ring) ends the
# run within 3 s, naming it, on every backend that runs here; uintr's hw
# backend is covered under the fake UINTR kernel (tests/uintr,
# test_uintr_lost) and ipi's kmod in the VM (tests/kmod).
RBI_SRCS	:= tests/hardening/ring_bad_index.c common/scf/scf_region.c \
		   common/scf/scf_ring.c common/scf/scf_ring_locked.c \
		   common/scf/scf_err.c
$(BUILD)/tests/ring-bad-index: $(RBI_SRCS) $(wildcard common/scf/*.h) | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) $(LDFLAGS) -o $@ $(RBI_SRCS)
TEST_DEPS	+= $(BUILD)/tests/ring-bad-index
RBI		:= $(BUILD)/tests/ring-bad-index
TEST_CMDS	+= hardening/dropped-poll='tests/hardening/dropped_request.sh $(BUILD)/poll spin $(RBI)'
TEST_CMDS	+= hardening/dropped-ipi='tests/hardening/dropped_request.sh $(BUILD)/ipi futex $(RBI)'
TEST_CMDS	+= hardening/dropped-uintr='tests/hardening/dropped_request.sh $(BUILD)/uintr emul $(RBI)'
TEST_CMDS	+= hardening/signals='tests/hardening/bench_signals.sh $(BUILD)/poll'
TEST_CMDS	+= hardening/bench-cli-poll='tests/hardening/bench_cli.sh $(BUILD)/poll'
TEST_CMDS	+= hardening/bench-cli-ipi='tests/hardening/bench_cli.sh $(BUILD)/ipi'

COLLECT_TEST_SRCS := tests/hardening/client_collect.c $(CORE_SRCS) variants/poll/notify_poll.c
$(BUILD)/tests/client-collect: $(COLLECT_TEST_SRCS) $(wildcard common/scf/*.h) tests/tap.h | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -DSCF_PROBES=1 -pthread -o $@ $(COLLECT_TEST_SRCS)
$(BUILD)/tests/client-collect-asan: $(COLLECT_TEST_SRCS) $(wildcard common/scf/*.h) tests/tap.h | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) $(FLAVOUR_FLAGS_asan) -DSCF_PROBES=1 -pthread -o $@ $(COLLECT_TEST_SRCS)
TEST_DEPS	+= $(BUILD)/tests/client-collect $(BUILD)/tests/client-collect-asan
TEST_CMDS	+= hardening/collect='$(BUILD)/tests/client-collect'
TEST_CMDS	+= hardening/collect-asan='$(HARDEN_ASAN) $(BUILD)/tests/client-collect-asan'
SAN_BINS	+= $(BUILD)/tests/client-collect-asan
TEST_CMDS	+= hardening/incomplete='tests/hardening/incomplete.sh $(BUILD)/poll'
TEST_CMDS	+= hardening/stale-root='tests/hardening/stale_root.sh $(BUILD)/poll'
TEST_CMDS	+= hardening/report-truncated='SCF_TOOLS=$(BUILD)/analysis tests/hardening/report_truncated.sh'
TEST_CMDS	+= hardening/sidebyside-out='tests/hardening/sidebyside_out.sh $(BUILD)/analysis/scf-sidebyside'
