#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/interleave/compare-run.sh - `make compare-run`: BASE and HEAD
# measured in one scf-interleave run, sample i of BASE then sample i of
# HEAD on the same CPUs, so the machine's drift hits both alike; then
# scf-compare on the two result sets.
#
# bench/compare_run.mk sets the environment:
#   CR_BASE, CR_HEAD      git revisions (CR_HEAD empty: the working tree)
#   CR_RUNS               variant:backend:workloads, one per variant
#   CR_SAMPLES            samples of each replica ("bad": bad REPLICAS/SAMPLES)
#   CR_REPLICAS           processes a side for each variant (1: no --replica)
#   CR_CYCLES, CR_CPUS, CR_BENCH_ARGS   as in make bench
#   CR_AA                 1: BASE may be HEAD (an A/A run of one build, for
#                         the detector); both sides then run the working
#                         tree's binaries, into <commit>-aa-base and -aa-head
#   CR_BASE_ARGS, CR_HEAD_ARGS   scf-bench options for one side only
#   CR_COMPARE_FLAGS      scf-compare's options
#   CR_RESULTS, CR_HOST   results/ and this host's name
#   CR_DIR                where the other commits' worktrees live
#   CR_TOOLS              the working tree's build directory
#   CR_MAKE               make
# Exit status: scf-compare's (0 no regression, 1 a regression), 2 for bad
# input or a commit too old to take turns, 1 when a build or the run fails.
set -u

die() { echo "compare-run: $*" >&2; exit 2; }
fail() { echo "compare-run: $*" >&2; exit 1; }

[ -n "$CR_BASE" ] || die "usage: make compare-run BASE=<commit> [HEAD=<commit>]"
[ "$CR_SAMPLES" != bad ] || die "want REPLICAS 1 to 16 and SAMPLES a positive number"
CR_REPLICAS=${CR_REPLICAS:-1}
CR_AA=${CR_AA:-0}
commit_of() {
	git rev-parse -q --verify "$1^{commit}" 2>/dev/null
}
base=$(commit_of "$CR_BASE") || die "BASE '$CR_BASE' is not a commit of this repository"
top=$(commit_of HEAD) || die "the working tree has no commit"
test -z "$(git status --porcelain 2>/dev/null)" && top_dirty=0 || top_dirty=1
if [ -z "$CR_HEAD" ]; then
	head=$top
	head_dirty=$top_dirty
else
	head=$(commit_of "$CR_HEAD") || die "HEAD '$CR_HEAD' is not a commit of this repository"
	head_dirty=0
fi
head_tree=0
[ "$head" = "$top" ] && [ "$head_dirty" = "$top_dirty" ] && head_tree=1
[ "$base" = "$head" ] && [ "$head_dirty" = 0 ] && [ "$CR_AA" != 1 ] &&
	die "BASE and HEAD are both $(git rev-parse --short "$base"): give two commits (for an A/A run, two commits of the same code)"

# An scf-bench that never reads SCF_LOCKSTEP_FDS would run all its samples
# in one turn: nothing would alternate.
for c in "$base" $([ $head_tree = 1 ] || echo "$head"); do
	git grep -q -F SCF_LOCKSTEP_FDS "$c" -- '*.c' ||
		die "$(git rev-parse --short "$c") is too old for an interleaved run (its scf-bench cannot take turns under scf-interleave): run make bench on each commit and make compare"
done

variants=""
for r in $CR_RUNS; do
	variants="$variants ${r%%:*}"
done

# The make flags of this run (-j, -s, PROBES=…), without the parent's
# jobserver: the sub-make is not started as a recursive make.
sub_makeflags=$(printf '%s' "${MAKEFLAGS:-}" | sed 's/--jobserver-[a-z]*=[^ ]*//g')

# worktree COMMIT: check COMMIT out under CR_DIR (once) and build it there.
# Prints the build directory of its binaries.
worktree() {
	short=$(git rev-parse --short "$1")
	wt=$CR_DIR/$short
	mkdir -p "$CR_DIR" && : >"$wt.log" || fail "cannot write $wt.log"
	if ! [ -f "$wt/.git" ] || [ "$(git -C "$wt" rev-parse HEAD 2>/dev/null)" != "$1" ]; then
		rm -rf "$wt"
		git worktree add -f --detach "$wt" "$1" >>"$wt.log" 2>&1 ||
			fail "git worktree add $wt failed: $(tail -n 1 "$wt.log")"
	fi
	echo "compare-run: building $short in $wt/build (log: $wt.log)" >&2
	# BUILD=build: its own build/, whatever this make was given.
	MAKEFLAGS=$sub_makeflags $CR_MAKE -C "$wt" BUILD=build $variants \
		>>"$wt.log" 2>&1 || fail "building $short failed: see $wt.log"
	for v in $variants; do
		[ -x "$wt/build/$v/scf-bench" ] ||
			fail "building $short left no $wt/build/$v/scf-bench: see $wt.log"
	done
	echo "$wt/build"
}

base_short=$(git rev-parse --short "$base")
head_short=$(git rev-parse --short "$head")
aa=0
[ "$CR_AA" = 1 ] && [ "$base" = "$head" ] && [ $head_tree = 1 ] && aa=1
if [ $aa = 1 ]; then
	base_bin=$CR_TOOLS
else
	base_bin=$(worktree "$base") || exit $?
fi
if [ $head_tree = 1 ]; then
	head_bin=$CR_TOOLS
	head_where="the working tree"
else
	head_bin=$(worktree "$head") || exit $?
	head_where=${head_bin%/build}
fi
head_id=$head_short$([ "$head_dirty" = 1 ] && echo -dirty)
base_run=$CR_RESULTS/$base_short-cr-$head_short/$CR_HOST
head_run=$CR_RESULTS/$head_id-cr-$base_short/$CR_HOST
if [ $aa = 1 ]; then
	base_run=$CR_RESULTS/$head_id-aa-base/$CR_HOST
	head_run=$CR_RESULTS/$head_id-aa-head/$CR_HOST
fi

# cmd BIN VARIANT BACKEND WORKLOADS RUN COMMIT DIRTY SIDE_ARGS REPLICA
cmd() {
	echo "$1/$2/scf-bench --out $5 --commit $6 --dirty $7 --samples $CR_SAMPLES" \
	     "--cycles $CR_CYCLES --cpus $CR_CPUS --workloads $4 --backend $3" \
	     "$([ "$CR_REPLICAS" -gt 1 ] && echo "--replica $9/$CR_REPLICAS")" \
	     "$CR_BENCH_ARGS $8"
}
# Each side's replicas, BASE and HEAD alternating: every process takes
# its turn in every round.
set --
for r in $CR_RUNS; do
	v=${r%%:*} rest=${r#*:}
	b=${rest%%:*} w=${rest#*:}
	for k in $(seq 1 "$CR_REPLICAS"); do
		set -- "$@" "$(cmd "$base_bin" "$v" "$b" "$w" "$base_run" "$base_short" 0 "$CR_BASE_ARGS" "$k")" \
			"$(cmd "$head_bin" "$v" "$b" "$w" "$head_run" "$head_short" "$head_dirty" "$CR_HEAD_ARGS" "$k")"
	done
done

echo "compare-run: BASE $base_short ($CR_DIR/$base_short), HEAD $head_id ($head_where), sample by sample in turn"
mkdir -p "$base_run" "$head_run" || fail "cannot create $base_run and $head_run"
# A rerun must not pool the last run's replicas with its own.
for d in "$base_run" "$head_run"; do
	find "$d" -mindepth 2 -maxdepth 2 \( -name '*.json' -o -name '*.hist' \) -delete
done
for d in "$base_run" "$head_run"; do
	printf 'make compare-run started %s and has not finished\n' "$(date)" >"$d/INCOMPLETE"
done
"$CR_TOOLS/scf-interleave" "$@"
rc=$?
if [ $rc != 0 ]; then
	for d in "$base_run" "$head_run"; do
		printf 'make compare-run: scf-interleave exited %d\n' $rc >>"$d/INCOMPLETE"
	done
	fail "scf-interleave exited $rc: nothing compared"
fi
rm -f "$base_run/INCOMPLETE" "$head_run/INCOMPLETE"
echo "compare-run: BASE results in $base_run, HEAD results in $head_run"

# shellcheck disable=SC2086 # the flags are words
"$CR_TOOLS/analysis/scf-compare" "${base_run%/*}" "${head_run%/*}" $CR_COMPARE_FLAGS
rc=$?
[ $rc = 1 ] && echo "make compare-run: significant regression (scf-compare exit 1)"
exit $rc
