# bench/compare_run.mk: `make compare-run`, two commits measured in one
# run that alternates between them sample by sample, then compared.
#
#   make compare-run BASE=<commit> [HEAD=<commit>] [VARIANT=poll]
#                    [WORKLOAD=null,write] [SAMPLES=32] [REPLICAS=16]
#                    [CYCLES=20000] [CPUS=…]
#                    [BENCH_ARGS=…] [BASE_ARGS=…] [HEAD_ARGS=…]
#                    [THRESHOLD=…] [ALPHA=…] [NORMALIZE=1]
#   make compare-run-clean
#
# A commit other than the working tree's is checked out with
# `git worktree add --detach` under build/compare-run/<commit>/ and built
# there with its own build/ (kept for the next run); HEAD defaults to the
# working tree as it is, uncommitted changes included.  Both result sets
# go to results/<commit>[-dirty]-cr-<other commit>/<host>/, so a plain
# make bench of either commit is never overwritten.  The work is done by
# tools/interleave/compare-run.sh; make's status is non-zero when
# scf-compare finds a regression (exit 1) or the input is bad (exit 2).
CR_DIR		:= $(BUILD)/compare-run
# Its own defaults, where the command line does not say: each side runs
# in REPLICAS processes, SAMPLES spread over them, and scf-compare tests
# one value per process (its p50).  Measured with make
# compare-run-detector on a quiet AMD EPYC VM (K=20, KSLOW=10): 6 a side,
# 2 samples each: no false alarm in 20 A/A runs, a 10 % slowdown of write
# flagged in 4 of 10; 8 a side, 2 samples each: 0 of 20 and 8 of 10; 16
# a side: 0 of 20 and 8 of 10 (all with 5000 cycles a sample, ~6 ms of
# write calls, which one scheduling hiccup can move); 16 a side with 20000
# cycles: 0 of 20 and 9 of 10, ~19 s a run, 557 s for the 30.
cr_given	= $(filter command line environment%,$(origin $(1)))
CR_REPLICAS	:= $(if $(call cr_given,REPLICAS),$(REPLICAS),16)
CR_SAMPLES_ALL	:= $(if $(call cr_given,SAMPLES),$(SAMPLES),32)
CR_CYCLES	:= $(if $(call cr_given,CYCLES),$(CYCLES),20000)
CR_WORKLOAD	:= $(if $(call cr_given,WORKLOAD),$(WORKLOAD),null$(comma)write)
CR_SCRIPT	:= tools/interleave/compare-run.sh
# Only poll unless VARIANT is given: one variant is a short run, and a
# code change shows in every variant's service and queue phases alike.
CR_VARIANTS	:= $(if $(filter command line environment%,$(origin VARIANT)),$(BENCH_VARIANTS),poll)
# As in make bench: with every workload, the peers and the payload sweep
# run with the first variant only.
cr_workloads_of	= $(if $(and $(filter all,$(WORKLOAD)),$(filter-out \
		  $(firstword $(CR_VARIANTS)),$(1))),forwarded$(call sweep_of,$(1)),$(CR_WORKLOAD))

compare-run: export CR_BASE := $(BASE)
compare-run: export CR_HEAD := $(HEAD)
compare-run: export CR_RUNS := $(foreach v,$(CR_VARIANTS),$(v):$(call backend_of,$(v)):$(call cr_workloads_of,$(v)))
compare-run: export CR_SAMPLES := $(shell [ "$(CR_REPLICAS)" -ge 1 ] 2>/dev/null && \
		[ "$(CR_REPLICAS)" -le 16 ] && [ "$(CR_SAMPLES_ALL)" -ge 1 ] 2>/dev/null && \
		expr \( $(CR_SAMPLES_ALL) + $(CR_REPLICAS) - 1 \) / $(CR_REPLICAS) || echo bad)
compare-run: export CR_REPLICAS := $(CR_REPLICAS)
compare-run: export CR_AA := $(CR_AA)
compare-run: export CR_CYCLES := $(CR_CYCLES)
compare-run: export CR_CPUS := $(CPUS)
compare-run: export CR_BENCH_ARGS := $(BENCH_ARGS)
compare-run: export CR_BASE_ARGS := $(BASE_ARGS)
compare-run: export CR_HEAD_ARGS := $(HEAD_ARGS)
compare-run: export CR_COMPARE_FLAGS = $(COMPARE_FLAGS)
compare-run: export CR_RESULTS := $(RESULTS)
compare-run: export CR_HOST := $(RUN_HOST)
compare-run: export CR_DIR := $(CR_DIR)
compare-run: export CR_TOOLS := $(BUILD)
compare-run: export CR_MAKE := $(MAKE)

compare-run: $(filter $(VARIANTS),$(CR_VARIANTS)) $(INTERLEAVE) $(AN_DIR)/scf-compare
	$(call check_variants,compare-run,$(CR_VARIANTS))
	$(Q)$(CR_SCRIPT)

# Unregisters the worktrees from git, then removes their files.  After a
# plain `make clean` git still lists them (their directories gone): this
# drops those registrations too.
compare-run-clean:
	$(quiet) CLEAN "$(CR_DIR)"
	$(Q)git worktree list --porcelain | sed -n 's|^worktree ||p' | \
		while IFS= read -r d; do case $$d in "$(abspath $(CR_DIR))"/*) \
			git worktree remove --force "$$d" || exit 1;; esac; done
	$(Q)rm -rf $(CR_DIR)

# ---- make compare-run-detector ---------------------------------------------
#
#   make compare-run-detector [K=20] [KSLOW=10] [compare-run's options]
#
# The detector measured: K A/A compare-runs of the working tree against
# itself (every flag is a false alarm), then KSLOW with HEAD's shadow
# slowed by --service-delay-ns = 10 % of write's total p50 (measured by the
# first A/A run); prints the false-alarm and detection rates.  Each run
# goes to a scratch results directory, removed at the end.
K		?= 20
KSLOW		?= 10
compare-run-detector: $(filter $(VARIANTS),$(CR_VARIANTS)) $(INTERLEAVE) $(AN_DIR)/scf-compare
	$(Q)K=$(K) KSLOW=$(KSLOW) MAKE="$(MAKE)" \
		DET_ARGS="$(foreach v,VARIANT WORKLOAD SAMPLES REPLICAS CYCLES CPUS THRESHOLD ALPHA,$(if $(call cr_given,$(v)),$(v)=$($(v))))" \
		tools/interleave/detector.sh

.PHONY: compare-run compare-run-clean compare-run-detector
