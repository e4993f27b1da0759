#!/bin/bash
# SPDX-License-Identifier: MIT
#
# tests/variant/toy.sh - a variant is its folder.
#
# Copies the tracked tree to a scratch directory, adds a fourth variant
# there from tests/fixtures/toy-variant/ as variants/toy/ and nothing
# else, builds it, runs it at small counts with its raw peer, and finds
# it in report.md and in the side-by-side table, with its own backend,
# raw peer and doorbell counters, compares two runs of it with make
# compare, and runs a program through its scf-run;
# then checks that no file outside variants/toy/
# changed.  TAP on stdout.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
. "$src/tests/lib.sh"

tmp=$(mktemp -d /tmp/scf-toy.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
tree=$tmp/tree run=$tmp/run/host log=$tmp/log
mkdir -p "$tree"

# The pristine copy: exactly what git tracks, committed in a scratch repo
# so that `git status` shows every change made to it afterwards.
(cd "$src" && git ls-files -z | tar --null -T - --ignore-failed-read -cf -) |
	tar -xf - -C "$tree"
(cd "$tree" && git init -q && git add -A &&
	git -c user.name=toy -c user.email=toy@localhost commit -qm pristine) \
	>"$log" 2>&1
tap $? "pristine copy of the tracked tree"

mkdir -p "$tree/variants/toy"
cp "$src/tests/fixtures/toy-variant/variant.mk" \
   "$src/tests/fixtures/toy-variant/notify_toy.c" \
   "$src/tests/fixtures/toy-variant/peer_toy.c" "$tree/variants/toy/"

make -C "$tree" -j2 --no-print-directory toy build/analysis/scf-report \
	build/analysis/scf-sidebyside build/poll/scf-run >"$log" 2>&1
rc=$?
[ $rc = 0 ] || sed 's/^/# /' "$log" | tail -20
tap $rc "the toy variant builds (build/toy/scf-bench, scf-shadow)"

# make bench knows it by its folder, with the backend its variant.mk picks.
make -C "$tree" -n --no-print-directory bench VARIANT=toy >"$log" 2>&1
grep -q "build/toy/scf-bench .*--backend bell" "$log"
tap $? "make bench VARIANT=toy runs build/toy/scf-bench --backend bell"

"$tree/build/toy/scf-bench" --out "$run" --commit toy --samples 2 \
	--cycles 200 --workloads null,write,toy-bell >"$tmp/bench.log" 2>&1
rc=$?
[ $rc = 0 ] || sed 's/^/# /' "$tmp/bench.log" | tail -20
tap $rc "scf-bench of the toy variant: null, write and its own raw peer toy-bell"

for w in null write; do
	grep -q '"variant":"toy"' "$run/toy/$w.json" 2>/dev/null &&
		grep -q '"raw_peer":"toy-bell"' "$run/toy/$w.json"
	tap $? "toy/$w.json records variant toy and raw peer toy-bell"
done

# Its raw peer is its own: built from its folder, measured as a peer.
grep -q '"workload":"toy-bell"' "$run/peers/toy-bell.json" 2>/dev/null
tap $? "peers/toy-bell.json: the toy's own raw peer, built from variants/toy/"

# Its own doorbell counters, by its own names, in the result and the
# table's doorbell line: the harness knows none of them.  Each call kicks
# the shadow, so 2 samples x 200 calls ring its side at least 400 times;
# the shadow's reply kick is left out when the next request is queued
# already (one doorbell per batch), which a preempted shadow can see even
# from a synchronous client, so that side only has to have rung.
for w in null write; do
	python3 - "$run/toy/$w.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])).get("doorbell", {})
ok = (d.get("counted_by") == "toy kicker and waiter" and
      d["to_shadow"]["kicks"] >= 400 and d["to_client"]["kicks"] >= 1 and
      "waits_spun" in d and
      d["to_shadow"]["kicks"] + d["to_client"]["kicks"] == d["kicks"] and
      "ipi_sent" not in d)
print("# doorbell:", json.dumps(d))
sys.exit(0 if ok else 1)
PY
	tap $? "toy/$w.json: the toy's own counters kicks and waits_spun, no other variant's"
done
grep -Eq '^  doorbell: [0-9]+ toy kicks, [0-9]+ waits spun$' "$tmp/bench.log"
tap $? "the table prints the toy's own doorbell line"

"$tree/build/analysis/scf-report" "$run" >"$log" 2>&1
rc=$?
[ $rc = 0 ] || sed 's/^/# /' "$log" | tail -20
tap $rc "scf-report of the run: exit 0"
grep -Eq '^\| toy/bell +\|' "$run/report.md" 2>/dev/null
tap $? "report.md's side-by-side table has the row toy/bell"
grep -A1 -E '^\| toy/bell +\|' "$run/report.md" 2>/dev/null |
	grep -q '| raw = toy-bell '
tap $? "report.md pairs toy/bell with its own raw peer toy-bell"

"$tree/build/analysis/scf-sidebyside" "$run" >"$log" 2>&1
tap $? "scf-sidebyside of the run: exit 0"
# One run: a ratio where its workloads were taken round-robin, else n/i.
if grep -q '"order_mode":"round-robin"' "$run/toy/null.json"; then
	ratio='\([0-9.]+x( \[[0-9.]+-[0-9.]+\])?( paired)?\)' how="ratio (round-robin run)"
else
	ratio='\(n/i\)' how="n/i (not interleaved)"
fi
grep -Eq '^\| toy/bell +\| p50 ns +\| +[0-9]+ \|.*\| +[0-9]+ '"$ratio"' \|$' "$log"
tap $? "scf-sidebyside: toy/bell p50 with the raw peer's p50 and $how"
! grep -q 'target' "$log"
tap $? "scf-sidebyside: no target lines"

# make compare knows it too: two stored runs of the toy, compared row by
# row (two samples a side can flag nothing: only the rows are checked).
for c in aaa1111 bbb2222; do
	"$tree/build/toy/scf-bench" --out "$tmp/results/$c/host" --commit $c \
		--samples 2 --cycles 200 --workloads null,toy-bell --quiet \
		>"$log" 2>&1 || sed 's/^/# /' "$log" | tail -5
done
make -C "$tree" -s --no-print-directory compare RESULTS="$tmp/results" \
	BASE=aaa1111 HEAD=bbb2222 >"$log" 2>&1
rc=$?
{ [ $rc = 0 ] || [ $rc = 1 ]; } &&
	grep -Eq '^toy +bell +null +total ' "$log"
tap $? "make compare of two toy runs: a toy/bell null total row (exit $rc)"
[ $rc -le 1 ] || sed 's/^/# /' "$log" | tail -5

# scf-run knows it by its folder too: its own build, and poll's scf-run
# handing over to it with --variant toy, run a program through the toy.
printf 'toy\n' >"$tmp/want"
"$tree/build/toy/scf-run" --root / --quiet --out "$tmp/run.json" -- \
	/bin/echo toy >"$tmp/got" 2>"$log"
rc=$?
[ $rc = 0 ] && cmp -s "$tmp/want" "$tmp/got" &&
	grep -q '"variant": "toy"' "$tmp/run.json" &&
	grep -q '"backend": "bell"' "$tmp/run.json"
tap $? "build/toy/scf-run runs echo through the toy (exit $rc, variant toy, backend bell)"
[ $rc = 0 ] || sed 's/^/# /' "$log" | tail -5
"$tree/build/poll/scf-run" --variant toy --root / --quiet \
	--out "$tmp/run2.json" -- /bin/echo toy >"$tmp/got" 2>"$log"
rc=$?
[ $rc = 0 ] && cmp -s "$tmp/want" "$tmp/got" &&
	grep -q '"variant": "toy"' "$tmp/run2.json"
tap $? "scf-run --variant toy hands over to the toy's scf-run (exit $rc)"
[ $rc = 0 ] || sed 's/^/# /' "$log" | tail -5

changed=$(cd "$tree" && git status --porcelain --untracked-files=all)
want=$(printf '?? variants/toy/notify_toy.c\n?? variants/toy/peer_toy.c\n?? variants/toy/variant.mk')
[ "$changed" = "$want" ]
tap $? "nothing changed outside variants/toy/"
[ "$changed" = "$want" ] || printf '%s\n' "$changed" | sed 's/^/# /'

tap_done
