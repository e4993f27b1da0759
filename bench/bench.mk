# bench/: scf-bench (its main(), the harness and the workloads), linked
# once per variant by the top-level rules, and `make bench`.
BENCH_SRCS	+= bench/main.c $(HARNESS_SRCS) $(WORKLOAD_SRCS)
# libtracefs/libtraceevent (--trace): their Debian include directories
# when pkg-config cannot say yet (a fresh machine, before make deps).
BENCH_LDLIBS	+= -ljansson -lm -luring -lpfm -ltracefs -ltraceevent
BASE_CFLAGS	+= $(or $(shell pkg-config --cflags libtracefs libtraceevent \
		   2>/dev/null),-I/usr/include/tracefs -I/usr/include/traceevent)

# scf-interleave: scf-bench processes taking turns sample by sample.
INTERLEAVE	:= $(BUILD)/scf-interleave
TOOLS		+= $(INTERLEAVE)
$(INTERLEAVE): tools/interleave/scf-interleave.c | deps
	$(quiet) CC "$@"
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

# ---- make bench ----------------------------------------------------------
#
#   make bench [VARIANT=ipi|uintr|poll|all] [WORKLOAD=name,…|group|default|all]
#              [SAMPLES=20] [CYCLES=10000] [CPUS=client,shadow]
#              [REPLICAS=3]
#              [<V>_BACKEND=…, as variants/<v>/variant.mk offers]
#              [PAYLOAD_IN=<variant>,…|all]
#              [BENCH_ARGS='--service-delay-ns 500 …'] [RUN_TAG=name]
VARIANT		?= all
# default: every workload but the extended sweeps (scf-bench --list marks
# them "not in default"); all: every one; a group name (async, latwrite)
# runs its members; scale: the clients × depth × topology sweep
# (bench/scale.sh, SCALE_CLIENTS), only when asked for.
WORKLOAD	?= default
SAMPLES		?= 20
CYCLES		?= 10000
CPUS		?= 1,0
BENCH_ARGS	?=
# Every configuration runs in REPLICAS identical processes (own region,
# shadow and client), all taking turns: one process carries a level of
# its own (where its pages landed), so a ratio or a comparison takes the
# median over replicas, never one process.  SAMPLES are spread over the
# replicas (each takes ceil(SAMPLES/REPLICAS)), so a run lasts about as
# long as with one process.  REPLICAS=1: one process, files named
# <workload>.json as before replicas.
REPLICAS	?= 3
rep_samples	= $(shell [ "$(REPLICAS)" -ge 1 ] 2>/dev/null && \
		  [ "$(REPLICAS)" -le 16 ] && [ "$(SAMPLES)" -ge 1 ] 2>/dev/null && \
		  expr \( $(SAMPLES) + $(REPLICAS) - 1 \) / $(REPLICAS) || echo bad)
rep_list	= $(shell seq 1 $(REPLICAS) 2>/dev/null)

GIT_COMMIT	:= $(shell git rev-parse --short HEAD 2>/dev/null || echo nogit)
GIT_DIRTY	:= $(shell test -z "$$(git status --porcelain 2>/dev/null)" && echo 0 || echo 1)
RUN_HOST	:= $(shell hostname -s 2>/dev/null || hostname)
comma		:= ,
# RUN_TAG keeps several runs of one commit apart (e.g. RUN_TAG=delay500).
RUN_TAG		?=
RUN_DIR		:= results/$(GIT_COMMIT)$(if $(filter 1,$(GIT_DIRTY)),-dirty)$(if $(RUN_TAG),-$(RUN_TAG))/$(RUN_HOST)
BENCH_VARIANTS	:= $(if $(filter all,$(VARIANT)),$(VARIANTS),$(subst $(comma), ,$(VARIANT)))
# The backend a variant's variant.mk selects (v_BACKEND), else auto.
backend_of	= $(or $($(1)_BACKEND),auto)
# Recipe lines that stop a run of the variants $(2) with one line, said
# by $(1), when one is unknown or its backend is not one it has.
bad_backends	= $(strip $(foreach v,$(1),$(if $(filter auto \
		  $($(v)_BACKENDS),$(call backend_of,$(v))),,$(v))))
define check_variants
	$(Q)for v in $(2); do \
		case " $(VARIANTS) " in *" $$v "*) ;; \
		*) echo "$(1): unknown VARIANT '$$v' (have: $(VARIANTS) all)"; exit 2;; esac; \
	done
	$(Q)$(foreach v,$(call bad_backends,$(2)),echo "$(1): $(v) has no backend \
		'$(call backend_of,$(v))' (have: $($(v)_BACKENDS) auto)";) \
		$(if $(call bad_backends,$(2)),exit 2,true)
endef
# With every variant, the shared peers run once (with the first variant),
# each variant's own peers (v_PEER_SRCS: scf-bench's 'own', such as
# uintr's uipi) with it, and the payload sweep (memsync against size, the
# same SCF core in every variant) once: with the sleeping doorbells it is
# most of a default run's time.  PAYLOAD_IN=all sweeps in every variant.
PAYLOAD_IN	?= $(firstword $(BENCH_VARIANTS))
sweep_of	= $(if $(or $(filter all,$(PAYLOAD_IN)),$(filter $(1),$(PAYLOAD_IN))),,$(comma)-payload)
workloads_of	= $(if $(and $(filter all,$(VARIANT)),$(filter all default,$(WORKLOAD)),$(filter-out $(firstword $(BENCH_VARIANTS)),$(1))),forwarded$(comma)own$(if $(filter all,$(WORKLOAD)),$(comma)async)$(call sweep_of,$(1)),$(WORKLOAD))

# Probe overhead: the poll null and write workloads again, built with
# PROBES=0 (build/poll-noprobes), into results/…/poll-noprobes/.
space		:= $(empty) $(empty)
NOPROBE_WL	:= $(if $(filter all default,$(WORKLOAD)),null$(comma)write,$(subst $(space),$(comma),$(filter null write,$(subst $(comma), ,$(WORKLOAD)))))

# Every process of a run takes turns under scf-interleave, sample by
# sample and round by round, so every printed ratio (variant against
# peer, probes against PROBES=0) divides numbers measured on the same
# machine state.  null and write, the compared rows, go first in every
# process, so their sample i is taken side by side in all of them.
lead_of		= $(if $(filter all forwarded,$(firstword $(subst $(comma), ,$(1)))),null$(comma)write$(comma))$(1)
bench_cmd	= $(foreach k,$(rep_list),'$(BUILD)/$(1)/scf-bench --out $(RUN_DIR) \
		--commit $(GIT_COMMIT) --dirty $(GIT_DIRTY) $(if $(filter-out 1,$(REPLICAS)),--replica $(k)/$(REPLICAS)) \
		--samples $(rep_samples) --cycles $(CYCLES) \
		--cpus $(CPUS) --workloads $(call lead_of,$(2)) $(3) $(BENCH_ARGS)')

ifeq ($(WORKLOAD),apps)
# Unmodified programs under scf-run against native: run/run.mk.
bench: bench-apps
else ifneq ($(filter $(GUEST_VARIANTS),$(VARIANT)),)
# A guest variant's own run (variants/<v>/variant.mk: bench-<v>).
bench: bench-$(VARIANT)
else ifeq ($(WORKLOAD),scale)
# One syscall core, many clients: clients × depth × topology (scale.sh).
bench: all
	$(Q)BUILD=$(BUILD) SAMPLES=$(SAMPLES) CYCLES=$(CYCLES) CPUS=$(CPUS) \
		COMMIT=$(GIT_COMMIT) DIRTY=$(GIT_DIRTY) bench/scale.sh \
		$(RUN_DIR) $(foreach v,$(BENCH_VARIANTS),$(v):$(call backend_of,$(v)))
	$(Q)$(BUILD)/analysis/scf-report $(RUN_DIR)
	$(Q)echo "bench: results in $(RUN_DIR)"
else
bench: all
	$(call check_variants,bench,$(BENCH_VARIANTS))
	$(Q)[ "$(rep_samples)" != bad ] || { printf '%s\n' "bench: REPLICAS='$(REPLICAS)'" \
		"SAMPLES='$(SAMPLES)': want REPLICAS 1 to 16 and SAMPLES a number" | paste -sd' '; exit 2; }
	$(Q)mkdir -p $(RUN_DIR) && printf 'make bench started %s and has not finished\n' \
		"$$(date)" >$(RUN_DIR)/INCOMPLETE
	@# A rerun with fewer REPLICAS must not leave the last run's extra
	@# replicas beside the new ones.
	$(Q)rm -f $(foreach d,$(BENCH_VARIANTS) poll-noprobes,\
		$(RUN_DIR)/$(d)/*.r[0-9]*.json $(RUN_DIR)/$(d)/*.r[0-9]*.hist)
	$(Q)$(INTERLEAVE) $(foreach v,$(BENCH_VARIANTS),\
		$(call bench_cmd,$(v),$(call workloads_of,$(v)),\
		--backend $(call backend_of,$(v)))) \
		$(if $(and $(filter poll,$(BENCH_VARIANTS)),$(NOPROBE_WL)),\
		$(call bench_cmd,poll-noprobes,$(NOPROBE_WL))) || { rc=$$?; \
		printf 'make bench: scf-interleave exited %d\n' $$rc \
		>>$(RUN_DIR)/INCOMPLETE; exit $$rc; }
	$(Q)rm -f $(RUN_DIR)/INCOMPLETE
	$(Q)if [ -x $(BUILD)/analysis/scf-report ]; then \
		$(BUILD)/analysis/scf-report $(RUN_DIR); fi
	$(Q)$(BUILD)/analysis/scf-sidebyside --markdown \
		--out $(RUN_DIR)/sidebyside.md $(RUN_DIR) 2>/dev/null || true
	$(Q)$(BUILD)/analysis/scf-sidebyside $(RUN_DIR) || true
	$(Q)echo "bench: results in $(RUN_DIR)"
endif
