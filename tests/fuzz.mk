# tests/fuzz: coverage-guided fuzzing with libFuzzer (clang), under ASan
# and UBSan.  `make test` is deterministic: it replays every committed
# crash input and seed, then fuzzes each target FUZZ_RUNS times with the
# fixed seed FUZZ_SEED.  `make fuzz` is the open-ended search: each target
# for FUZZ_SECONDS (`make -j2 fuzz` runs both at once); README.md,
# "Fuzzing".
#
#   serve   scf-shadow's request validation and dispatch (tests/fuzz/fuzz_serve.c)
#   result  the analysis tools' result-JSON reader (tests/fuzz/fuzz_result.c)

DEPS_PKGS	+= clang libclang-rt-14-dev
FUZZ_CC		:= clang
FUZZ_SECONDS	?= 600
FUZZ_RUNS	?= 40000
FUZZ_SEED	?= 1
FUZZ_TARGETS	:= serve result
FUZZ_DIR	:= $(BUILD)/fuzz
FUZZ_FLAGS	:= -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer -g -O1
FUZZ_CFLAGS	:= $(filter-out -O2 -MMD -MP,$(BASE_CFLAGS)) -DSCF_PROBES=1 \
		   -DSCF_VARIANT=\"poll\" $(FUZZ_FLAGS)

FUZZ_SERVE_SRCS	:= tests/fuzz/fuzz_serve.c $(filter-out shadow/main.c,$(SHADOW_SRCS)) \
		   $(CORE_SRCS) common/host/scf_sched.c $(poll_SRCS)
FUZZ_RESULT_SRCS := tests/fuzz/fuzz_result.c analysis/result.c analysis/util.c \
		   common/host/scf_file.c

$(FUZZ_DIR)/serve: $(FUZZ_SERVE_SRCS) $(wildcard shadow/*.h common/scf/*.h \
		common/host/*.h) | deps
	$(quiet) FUZZCC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Ishadow -o $@ $(FUZZ_SERVE_SRCS) $(poll_LDLIBS)

$(FUZZ_DIR)/result: $(FUZZ_RESULT_SRCS) $(wildcard analysis/*.h) | deps
	$(quiet) FUZZCC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Ianalysis -o $@ $(FUZZ_RESULT_SRCS) -ljansson -lm

fuzz-build: $(addprefix $(FUZZ_DIR)/,$(FUZZ_TARGETS))
fuzz: $(addprefix fuzz-,$(FUZZ_TARGETS))
$(foreach t,$(FUZZ_TARGETS),$(eval fuzz-$(t): $(FUZZ_DIR)/$(t) ; \
	$$(Q)tests/fuzz/explore.sh $$< $(t) $$(FUZZ_SECONDS)))
.PHONY: fuzz fuzz-build $(addprefix fuzz-,$(FUZZ_TARGETS))

TEST_DEPS	+= fuzz-build
TEST_CMDS	+= $(foreach t,$(FUZZ_TARGETS),fuzz/$(t)='tests/fuzz/run.sh $(FUZZ_DIR)/$(t) $(t) $(FUZZ_RUNS) $(FUZZ_SEED)')
