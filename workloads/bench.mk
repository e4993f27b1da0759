# workloads/: scf-bench, linked once per variant by the top-level rules,
# and `make bench`.
BENCH_SRCS	+= $(sort $(wildcard workloads/*.c))
BENCH_LDLIBS	+= -ljansson -lm

# ---- make bench ----------------------------------------------------------
#
#   make bench [VARIANT=ipi|uintr|poll|all] [WORKLOAD=name,…|all]
#              [SAMPLES=20] [CYCLES=10000] [CPUS=client,shadow]
#              [IPI_BACKEND=kmod|futex] [UINTR_BACKEND=hw|emul]
#              [BENCH_ARGS='--service-delay-ns 500 …'] [RUN_TAG=name]
VARIANT		?= all
WORKLOAD	?= all
SAMPLES		?= 20
CYCLES		?= 10000
CPUS		?= 1,0
IPI_BACKEND	?= auto
UINTR_BACKEND	?= auto
BENCH_ARGS	?=

GIT_COMMIT	:= $(shell git rev-parse --short HEAD 2>/dev/null || echo nogit)
GIT_DIRTY	:= $(shell test -z "$$(git status --porcelain 2>/dev/null)" && echo 0 || echo 1)
RUN_HOST	:= $(shell hostname -s 2>/dev/null || hostname)
# RUN_TAG keeps several runs of one commit apart (e.g. RUN_TAG=delay500).
RUN_TAG		?=
RUN_DIR		:= results/$(GIT_COMMIT)$(if $(filter 1,$(GIT_DIRTY)),-dirty)$(if $(RUN_TAG),-$(RUN_TAG))/$(RUN_HOST)
BENCH_VARIANTS	:= $(if $(filter all,$(VARIANT)),$(VARIANTS),$(subst $(comma), ,$(VARIANT)))
comma		:= ,
backend_of	= $(if $(filter ipi,$(1)),$(IPI_BACKEND),$(if $(filter uintr,$(1)),$(UINTR_BACKEND),auto))
# With every variant, the peers run once (with the first variant).
workloads_of	= $(if $(and $(filter all,$(VARIANT)),$(filter all,$(WORKLOAD)),$(filter-out $(firstword $(BENCH_VARIANTS)),$(1))),forwarded,$(WORKLOAD))

bench: all
	$(Q)for v in $(BENCH_VARIANTS); do \
		case " $(VARIANTS) " in *" $$v "*) ;; \
		*) echo "bench: unknown VARIANT '$$v' (have: $(VARIANTS) all)"; exit 2;; esac; \
	done
	$(Q)set -e; $(foreach v,$(BENCH_VARIANTS),\
		$(BUILD)/$(v)/scf-bench --out $(RUN_DIR) --commit $(GIT_COMMIT) \
		--dirty $(GIT_DIRTY) --samples $(SAMPLES) --cycles $(CYCLES) \
		--cpus $(CPUS) --workloads $(call workloads_of,$(v)) \
		--backend $(call backend_of,$(v)) $(BENCH_ARGS);)
	$(Q)if [ -x $(BUILD)/analysis/scf-report ]; then \
		$(BUILD)/analysis/scf-report $(RUN_DIR); fi
	$(Q)echo "bench: results in $(RUN_DIR)"
