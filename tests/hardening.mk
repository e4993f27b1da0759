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
