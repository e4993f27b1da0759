# rtos/: the RTOS side's half of the dual calls (fork, exit_group, exec,
# clone), the mirror of shadow/dual*.c.  Linked into scf-bench by the
# top-level rules and into tests/dual's scf-dualtest (tests/dual.mk).
RTOS_SRCS	:= $(sort $(wildcard rtos/*.c))
BENCH_SRCS	+= $(RTOS_SRCS)
