# workloads/: scf-bench, linked once per variant by the top-level rules,
# and `make bench`.
BENCH_SRCS	+= $(sort $(wildcard workloads/*.c))
BENCH_LDLIBS	+= -ljansson -lm
