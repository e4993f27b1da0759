#!/bin/sh
# tests/truth/truth.sh VARIANT - the trust fields of scf-bench/2 end to end:
# exactly one call in N probed (and the shadow stamps only those), every
# result valid against docs/scf-bench-2.schema.json, the wall-clock
# check failing when --test-drop-ns takes time from the calls' totals,
# interference named when a busy loop is pinned to the shadow's CPU,
# and scf-interleave handing the turn sample by sample.  TAP.
set -u
. "$(dirname "$0")/../lib.sh"
variant=$1
build=${BUILD:-build}
bench=$build/$variant/scf-bench
schema=docs/scf-bench-2.schema.json
tmp=$(mktemp -d)
busy=
trap '[ -n "$busy" ] && kill $busy 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

# jq-free JSON reads: python3 is in the deps for the schema check.
jget() {	# jget FILE EXPR  (EXPR over d, the parsed file)
	/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

run() {	# run NAME ARGS...: scf-bench into $tmp/NAME, its log beside
	name=$1; shift
	mkdir -p "$tmp/root-$name"
	"$bench" --out "$tmp/$name" --root "$tmp/root-$name" --quiet \
		--commit test "$@" >"$tmp/$name.log" 2>&1
}

# ---- one call in N stamps every point, on both sides ----
S=2 N=640 E=64
run sampled --workloads null --samples $S --cycles $N --probe-every $E
tap $? "$variant: --probe-every $E run exits 0"
f=$tmp/sampled/$variant/null.json
want=$((S * N / E))
probed=$(jget "$f" 'd["probes"]["probed"]')
[ "$probed" = "$want" ]
tap $? "probes.probed = $probed (want exactly $want of $((S * N)))"
[ "$(jget "$f" 'd["phases"]["queue"]["count"]')" = "$want" ] &&
[ "$(jget "$f" 'd["phases"]["total"]["count"]')" = "$((S * N))" ] &&
[ "$(jget "$f" 'd["phases"]["total_unprobed"]["count"]')" = "$((S * N - want))" ]
tap $? "total from every call, queue from the probed, total_unprobed from the rest"
stamped=$(sed -n 's/.*stamped \([0-9]*\),.*/\1/p' "$tmp/sampled.log")
[ "$stamped" = "$want" ]
tap $? "the shadow stamped $stamped requests (want $want: the flagged ones only)"
[ "$(jget "$f" 'd["identity"]["checked"]')" = "$want" ] &&
[ "$(jget "$f" 'd["identity"]["violations"]')" = 0 ]
tap $? "every stamp present and ordered on the $want probed calls"
rschema=$(jget "$f" 'd["schema"]')
"$bench" --help | grep -qF "schema $rschema"
tap $? "scf-bench --help names the schema its result carries ($rschema)"

# A probed call counts once its late S5 stamp has come, within 50 ms of
# the sample's end: a loaded machine can hold the shadow past that, so a
# short count is tried again (up to three runs); a build that does not
# probe every call falls short every time.
for attempt in 1 2 3; do
	rm -rf "$tmp/all"
	run all --workloads null --samples 2 --cycles 100 --probe-every 1
	f=$tmp/all/$variant/null.json
	probed=$(jget "$f" 'd["probes"]["probed"]')
	[ "$probed" = 200 ] && break
done
[ "$probed" = 200 ] &&
[ "$(jget "$f" 'd["probes"]["residual_pct"]')" = None ]
tap $? "--probe-every 1: every call probed ($probed of 200, attempt $attempt), no unprobed calls for a residual"

# ---- every result validates against the schema file ----
run small --workloads null,write,pingpong,native-null,async-4 --samples 2 --cycles 200
tap $? "$variant: small run with peers exits 0"
# One line per file: "0 NAME" valid, "1 NAME (why)" not.
/usr/bin/python3 - "$schema" "$tmp"/sampled "$tmp"/all "$tmp"/small \
	>"$tmp/schema.out" 2>&1 <<'PY'
import glob, json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
v = jsonschema.Draft7Validator(schema)
for d in sys.argv[2:]:
    for f in sorted(glob.glob(d + "/*/*.json")):
        errs = list(v.iter_errors(json.load(open(f))))
        name = f.split("/")[-3] + "/" + f.split("/")[-2] + "/" + f.split("/")[-1]
        print("%d %s%s" % (bool(errs), name, "" if not errs else
              " (%s at %s)" % (errs[0].message[:120], list(errs[0].path))))
PY
tap $? "the schema file is a valid JSON Schema (draft 7)"
while read -r st what; do
	tap "$st" "schema scf-bench/2: $what"
done <"$tmp/schema.out"
n=$(wc -l <"$tmp/schema.out")
[ "$n" -ge 6 ]
tap $? "$n result files checked against $schema"
f=$tmp/small/$variant/write.json
[ "$(jget "$f" 'len(d["baseline"]["p50_ns"])')" = 2 ] &&
[ "$(jget "$f" 'len(d["wall_gap_pct"])')" = 2 ] &&
[ "$(jget "$tmp/small/peers/pingpong.json" 'len(d["baseline"]["p50_ns"])')" = 2 ]
tap $? "a baseline p50 per sample beside forwarded and peer runs, a wall gap per forwarded sample"
f=$tmp/small/$variant/async-4.json
[ "$(jget "$f" 'len(d["baseline"]["p50_ns"])')" = 2 ] &&
[ "$(jget "$f" 'len(d["wall_gap_pct"])')" = 2 ] &&
[ "$(jget "$f" 'len(d["interference"]["nonvoluntary_switches"])')" = 2 ] &&
[ "$(jget "$f" '"calls_per_s_p50" in d["extra"]')" = False ]
tap $? "async-4: baseline, wall gap and interference measured per sample; calls/s counted, not derived"
[ "$(jget "$tmp/small/peers/pingpong.json" '"wall_gap_pct" in d')" = False ]
tap $? "a peer's wall gap, never measured, is absent (not empty, not zero)"
f=$tmp/small/$variant/null.json
[ "$(jget "$f" 'len(d["placement"]["pages"]) == len(d["placement"]["page_ns"]) > 1 and d["placement"]["pages"][0] == 0')" = True ] &&
[ "$(jget "$f" 'd["placement"]["controlled"] and d["placement"]["floor_ns"] > 0 and d["placement"]["limit_ns"] > d["placement"]["floor_ns"]')" = True ] &&
[ "$(jget "$f" '"mappings" in d["placement"]')" = False ]
tap $? "placement: the hot pages, each one's probe, floor and limit recorded in a forwarded result"
f=$tmp/small/peers/pingpong.json
[ "$(jget "$f" 'd["placement"]["mappings"] == 2 and d["placement"]["probed"] == len(d["placement"]["page_ns"]) >= 2')" = True ] &&
[ "$(jget "$f" 'd["placement"]["controlled"] and 0 < d["placement"]["floor_ns"] < d["placement"]["limit_ns"]')" = True ] &&
[ "$(jget "$f" 'all(v is None or v > 0 for v in d["placement"]["page_ns"])')" = True ]
tap $? "placement: a peer's shared lines placed every sample, its pages' probes, floor and limit in its result"
run noplace --workloads null,pingpong --samples 1 --cycles 100 --placement off
[ "$(jget "$tmp/noplace/$variant/null.json" 'd["placement"]["controlled"] is False and d["placement"]["rejected"] == 0')" = True ] &&
[ "$(jget "$tmp/noplace/peers/pingpong.json" 'd["placement"]["controlled"] is False and d["placement"]["rejected"] == 0')" = True ]
tap $? "--placement off: pages probed, none replaced, controlled false (region and peer)"
# A limit below any floor: every page probed takes the replacing path
# (the page held, punched out, its bytes written into a fresh one), and
# the calls over those pages still complete, every one counted.
run forced --workloads null,pingpong,futex --samples 2 --cycles 300 --test-place-limit-ns 1
rc=$?
for w in $variant/null peers/pingpong peers/futex; do
	f=$tmp/forced/$w.json
	[ $rc = 0 ] &&
	[ "$(jget "$f" 'd["placement"]["limit_ns"] == 1 and d["placement"]["controlled"]')" = True ] &&
	[ "$(jget "$f" 'd["placement"]["rejected"] >= d["placement"].get("probed", len(d["placement"]["pages"])) > 0')" = True ] &&
	[ "$(jget "$f" 'd["phases"]["total"]["count"] == 600 and d["phases"]["total"]["p50_ns"] > 0')" = True ]
	tap $? "--test-place-limit-ns 1: $w's pages replaced (rejected >= probed), its 600 calls measured"
done

# ---- the wall-clock identity can fail ----
run drop --workloads null --samples 2 --cycles 500 --test-drop-ns 100000
f=$tmp/drop/$variant/null.json
low=$(jget "$f" 'min(d["wall_gap_pct"])')
/usr/bin/python3 -c "import sys; sys.exit(0 if $low > 5 else 1)" &&
grep -q "wall clock differs from the calls' totals" "$f"
tap $? "--test-drop-ns 100000: every sample's wall gap past 5 % (lowest $low %), warned"
# Near the limit: 6 % of every call's total taken out.  The wall gap of
# an undisturbed run is not zero: what the calibrated loop cost leaves of
# the time between one call's C7 and the next call's C0 is wall time
# outside every call (0-3 % of a null call on an AMD EPYC VM, once the
# calibration ran the client's own steps around the window; 10-12 %
# before).  So the check is differential: an undisturbed run and
# a 6 % run back to back.  The gap is a share of wall time, so taking 6 %
# out of every total raises it by 6 % of the calls' share of the wall,
# 6 * (1 - g), less the loop's share: want that within 2.5 points.  A
# gap that is not measured, or that does not follow the calls, rises by
# nothing; each process keeps a level of its own and load can push one
# run off, so up to three pairs are tried.
for attempt in 1 2 3; do
	rm -rf "$tmp/drop0" "$tmp/drop6"
	run drop0 --workloads null --samples 5 --cycles 2000
	run drop6 --workloads null --samples 5 --cycles 2000 --test-drop-ns 6%
	g0=$(jget "$tmp/drop0/$variant/null.json" 'sorted(d["wall_gap_pct"])[2]')
	g6=$(jget "$tmp/drop6/$variant/null.json" 'sorted(d["wall_gap_pct"])[2]')
	want=$(/usr/bin/python3 -c "print(round(6 * (1 - $g0 / 100), 1))" 2>/dev/null)
	/usr/bin/python3 -c "import sys; sys.exit(0 if abs(($g6 - $g0) - $want) <= 2.5 else 1)" 2>/dev/null &&
		break
done
f=$tmp/drop6/$variant/null.json
/usr/bin/python3 -c "import sys; sys.exit(0 if abs(($g6 - $g0) - $want) <= 2.5 else 1)" 2>/dev/null &&
grep -q "wall clock differs from the calls' totals" "$f"
tap $? "--test-drop-ns 6%: the gap rose from $g0 % to $g6 % (want +$want, within 2.5 points; attempt $attempt), warned"

# ---- interference: a busy loop on the shadow's CPU ----
shadow_cpu=0
ln -s "$(command -v sh)" "$tmp/scf-busyloop"
taskset -c $shadow_cpu "$tmp/scf-busyloop" -c 'while :; do :; done' &
busy=$!
# Samples long enough to span the scheduler's slices on that CPU (a few
# ms each), so the loop must run inside one; 200 calls fit in a slice.
run busy --workloads null,pingpong --samples 3 --cycles 20000 --cpus 1,$shadow_cpu
kill $busy 2>/dev/null
wait $busy 2>/dev/null
busy=
f=$tmp/busy/$variant/null.json
[ "$(jget "$f" 'd["interference"]["detected"]')" = True ] &&
jget "$f" '[t["comm"] for t in d["interference"]["tasks"]]' | grep -q scf-busyloop &&
grep -q "interference: another task ran on CPU" "$f"
tap $? "busy loop pinned to CPU $shadow_cpu: interference detected and named"
jget "$tmp/busy/peers/pingpong.json" '[t["comm"] for t in d["interference"]["tasks"]]' |
	grep -q scf-busyloop
tap $? "... in the peer's samples too"

# ---- scf-interleave: turns sample by sample ----
"$build/scf-interleave" \
	"$bench --workloads null --samples 3 --cycles 100 --out $tmp/il --root $tmp/root-sampled --quiet --commit a" \
	"$build/poll-noprobes/scf-bench --workloads null --samples 3 --cycles 100 --out $tmp/il --root $tmp/root-all --quiet --commit b" \
	>"$tmp/il.log" 2>&1
tap $? "scf-interleave: both command lines exit 0"
[ -e "$tmp/il/$variant/null.json" ] && [ -e "$tmp/il/poll-noprobes/null.json" ]
tap $? "scf-interleave: both results stored"
# Run one after the other, the first's table would precede the second's
# first line; taking turns, the second starts while the first samples.
b_line=$(grep -n "probes off" "$tmp/il.log" | head -1 | cut -d: -f1)
a_table=$(grep -n "^$variant/null " "$tmp/il.log" | head -1 | cut -d: -f1)
[ -n "$b_line" ] && [ -n "$a_table" ] && [ "$b_line" -lt "$a_table" ]
tap $? "scf-interleave: the second started before the first finished (lines ${b_line:-?} < ${a_table:-?})"
# Rounds: A takes three samples a round, B one; neither starts round 2
# before the other ended round 1.
m=$(dirname "$0")/member.sh
"$build/scf-interleave" "$m A $tmp/turns t t r t t r" "$m B $tmp/turns r r" \
	>/dev/null 2>&1
order=$(tr -d '\n' <"$tmp/turns")
a_before_b2=$(echo "$order" | sed 's/B[^B]*$//' | tr -cd A | wc -c)
b_before_a4=$(echo "$order" | sed 's/^\(\([^A]*A\)\{3\}[^A]*\).*/\1/' | tr -cd B | wc -c)
[ ${#order} -eq 8 ] && [ "$a_before_b2" -ge 3 ] && [ "$b_before_a4" -ge 1 ]
tap $? "scf-interleave: turns $order keep rounds together (A before B's 2nd: $a_before_b2 >= 3, B before A's 4th: $b_before_a4 >= 1)"
# A member that leaves mid-round (a timed-out or interrupted scf-bench
# exits) drops out: the others' rounds go on without it.
timeout 30 "$build/scf-interleave" "$m A $tmp/left t; exit 1" \
	"$m B $tmp/left r r r" >/dev/null 2>&1
rc=$?
left=$(tr -d '\n' <"$tmp/left")
[ "$rc" -eq 1 ] && [ "$(echo "$left" | tr -cd B | wc -c)" -eq 3 ]
tap $? "scf-interleave: a member leaving mid-round leaves the others going (exit $rc, turns $left)"
"$build/scf-interleave" "exit 3" "true" >/dev/null 2>&1
[ $? -eq 3 ]
tap $? "scf-interleave: a failing command's status comes back"
"$build/scf-interleave" >/dev/null 2>&1
[ $? -eq 2 ]
tap $? "scf-interleave: no command is bad usage (exit 2)"
SCF_LOCKSTEP_FDS=x "$bench" --workloads null >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "bad SCF_LOCKSTEP_FDS" "$tmp/err"
tap $? "scf-bench: a bad SCF_LOCKSTEP_FDS is one line and exit 2"
tap_done
