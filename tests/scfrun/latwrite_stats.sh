#!/bin/sh
# tests/scfrun/latwrite_stats.sh - the statistics of latwrite_ratio.sh on
# made-up replicas whose answers are known: the ratio of the medians over
# replicas (not the median of per-round ratios, not pooled samples), its
# interval, wall against wall only where every replica saved its wall
# series, the emulated label, and bad input refused with status 2; the
# like-for-like line (lat_write percall: median per call, net of the
# timer, over scf-bench p50), absent where a p50 line is missing or bad;
# lat_write's default output unchanged and its percall lines read; and
# that scf-bench saves the wall series (sample_wall_ns) it divides by.
set -u
. tests/lib.sh
B=${BUILD:-build}
T=$B/apps/latwrite-stats
d=$(mktemp -d /tmp/scf-lwstats.XXXXXX) || exit 1
trap 'rm -rf "$d"' EXIT

# bench replica: per-sample p50s, optional wall series, emulated flag
bench() {	# FILE P50S WALLS EMULATED
	w=""
	[ -n "$3" ] && w=", \"sample_wall_ns\": [$3]"
	printf '{"config": {"emulated": %s}, "phases": {"total": {"sample_p50_ns": [%s]}}%s}\n' \
		"$4" "$2" "$w" > "$1"
}
run() {		# FILE US...
	f=$1; shift
	: > "$f"
	for us; do echo "Avg time delay per syscall: $us usec" >> "$f"; done
}
# Replica medians: bench p50 1000, 1100, 900 (median 1000); wall 1200,
# 1300, 1100 (median 1200); scf-run 1.5, 1.3, 1.1 us (median 1300 ns).
bench "$d/b1.json" "1000, 990, 1010" "1200, 1200, 1190" false
bench "$d/b2.json" "1100, 1100, 5000" "1300, 1310, 1290" false
bench "$d/b3.json" "900, 910, 100" "1100, 1100, 1100" false
run "$d/r1.txt" 1.5 1.4 1.6
run "$d/r2.txt" 1.3 9.9 1.2
run "$d/r3.txt" 1.1 1.0 1.1
out=$("$T" poll:spin "$d/b1.json" "$d/b2.json" "$d/b3.json" -- \
	"$d/r1.txt" "$d/r2.txt" "$d/r3.txt" 2>/dev/null)
tap $? "latwrite-stats runs on three replicas" "$out"
set -- $out
[ "$2" = 3 ] && [ "$3" = 9 ]
tap $? "three replicas, nine scf-run samples counted" "$out"
[ "$4" = 1300.0 ] && [ "$5" = 1000.0 ] && [ "$6" = 1200.0 ]
tap $? "per-replica medians, then the median over replicas" "$out"
[ "$7" = 1.300 ]
tap $? "the headline: median scf-run over median scf-bench p50 (1.300)" "$out"
lo=${8#[} hi=${9%]}
awk -v lo="$lo" -v hi="$hi" 'BEGIN { exit !(lo <= 1.3 && 1.3 <= hi && lo < hi) }'
tap $? "its bootstrap interval holds it and has width ($8 $9)" "$out"
[ "${10}" = 1.083 ]
tap $? "wall against wall: 1300 / 1200 = 1.083" "$out"
out2=$("$T" poll:spin "$d/b1.json" "$d/b2.json" "$d/b3.json" -- \
	"$d/r1.txt" "$d/r2.txt" "$d/r3.txt" 2>/dev/null)
[ "$out" = "$out2" ]
tap $? "the same input gives the same interval (fixed seed)" "$out2"

# The like-for-like line: lat_write's percall mode adds, per sample, its
# median per call (raw, timer, net).  Net p50s per series 1200, 1100,
# 1150 (median 1150) over scf-bench p50 1000: 1.150; timer 20.0 ns.
runp() {	# FILE "US RAW TIMER NET"...
	f=$1; shift
	: > "$f"
	i=0
	for s; do
		set -- $s
		echo "Live: latency = $1 usec $i" >> "$f"
		echo "Per call p50: raw $2 ns, timer $3 ns, net $4 ns, tsc 2994000000 Hz $i" >> "$f"
		i=$((i + 1))
	done
}
runp "$d/p1.txt" "1.5 1230.0 20.0 1210.0" "1.4 1220.0 20.0 1200.0" "1.6 1210.0 20.0 1190.0"
runp "$d/p2.txt" "1.3 1120.0 20.0 1100.0" "9.9 1140.0 20.0 1120.0" "1.2 1110.0 20.0 1090.0"
runp "$d/p3.txt" "1.1 1170.0 20.0 1150.0" "1.0 1160.0 20.0 1140.0" "1.1 1180.0 20.0 1160.0"
lfl() {		# the like-for-like line of a run on series $@
	"$T" poll:spin "$d/b1.json" "$d/b2.json" "$d/b3.json" -- "$@" \
		2>&1 >/dev/null | grep 'like for like'
}
out=$("$T" poll:spin "$d/b1.json" "$d/b2.json" "$d/b3.json" -- \
	"$d/p1.txt" "$d/p2.txt" "$d/p3.txt" 2>/dev/null)
[ "$out" = "$out2" ]
tap $? "per-call p50 lines leave the mean lines' table as it was" "$out"
l=$(lfl "$d/p1.txt" "$d/p2.txt" "$d/p3.txt")
case $l in *"over scf-bench write p50: 1.150 ["*"scf-run p50 1150.0 ns net, timer 20.0 ns taken out") r=0;; *) r=1;; esac
tap $r "like for like: median net per-call p50 over scf-bench p50 (1.150), timer shown" "$l"
l=$(lfl "$d/r1.txt" "$d/r2.txt" "$d/r3.txt")
case $l in *": absent (scf-run series 1: a sample without its per-call p50 line)") r=0;; *) r=1;; esac
tap $r "no per-call p50 lines: the like-for-like ratio is absent" "$l"
grep -v 'raw 1140.0' "$d/p2.txt" > "$d/q2.txt"
l=$(lfl "$d/p1.txt" "$d/q2.txt" "$d/p3.txt")
case $l in *": absent (scf-run series 2: a sample without its per-call p50 line)"*) r=0;; *) r=1;; esac
tap $r "one sample's p50 line missing: absent, the series named" "$l"
sed 's/net 1140.0 ns/net 1040.0 ns/' "$d/p3.txt" > "$d/q3.txt"
l=$(lfl "$d/p1.txt" "$d/p2.txt" "$d/q3.txt")
case $l in *": absent (scf-run series 3: a malformed per-call p50 line)"*) r=0;; *) r=1;; esac
tap $r "net not raw - timer: malformed, absent" "$l"
sed 's/raw 1230.0 ns, timer 20.0 ns/raw x ns, timer 20.0 ns/' "$d/p1.txt" > "$d/q1.txt"
l=$(lfl "$d/q1.txt" "$d/p2.txt" "$d/p3.txt")
case $l in *": absent (scf-run series 1: a malformed per-call p50 line)"*) r=0;; *) r=1;; esac
tap $r "an unparsable p50 line: absent" "$l"
sed 's/raw 1230.0 ns, timer 20.0 ns, net 1210.0/raw 20.0 ns, timer 20.0 ns, net 0.0/' "$d/p1.txt" > "$d/q1.txt"
l=$(lfl "$d/q1.txt" "$d/p2.txt" "$d/p3.txt")
case $l in *"absent"*) r=0;; *) r=1;; esac
case $l in *" 0.000 "*) r=1;; esac
tap $r "a zero net p50: absent, never a ratio of zero" "$l"

# lat_write itself: the default output as before, percall adds one line
# per sample that latwrite-stats reads.
"$B/apps/lat_write" "$d/lw.out" 2 200 > "$d/lw.txt"
r=$?
[ $r -eq 0 ] && [ "$(grep -c '^Live: latency = [0-9.]* usec [01]$' "$d/lw.txt")" -eq 2 ] &&
	[ "$(wc -l < "$d/lw.txt")" -eq 4 ] && ! grep -q 'Per call' "$d/lw.txt"
tap $? "lat_write's default output is unchanged (two Live lines, avg, total)" "$(cat "$d/lw.txt")"
"$B/apps/lat_write" "$d/lw.out" 2 200 percall > "$d/lw.txt"
r=$?
[ $r -eq 0 ] && [ "$(grep -c '^Per call p50: raw [0-9.]* ns, timer [0-9.]* ns, net [0-9.]* ns, tsc [0-9]* Hz [01]$' "$d/lw.txt")" -eq 2 ] &&
	[ "$(grep -c '^Live: latency' "$d/lw.txt")" -eq 2 ] && [ "$(wc -c < "$d/lw.out")" -eq 400 ]
tap $? "lat_write percall: a per-call p50 line per sample, every write made" "$(cat "$d/lw.txt")"
bench "$d/b1.json" "1000" "1200" false
grep -e '^Live' -e '^Per call' "$d/lw.txt" > "$d/lw2.txt"	# as latwrite_ratio.sh
l=$("$T" poll:spin "$d/b1.json" -- "$d/lw2.txt" 2>&1 >/dev/null | grep 'like for like')
case $l in *"over scf-bench write p50: "[0-9]*" ["*"timer "*" ns taken out") r=0;; *) r=1;; esac
tap $r "latwrite-stats reads lat_write's own percall lines" "$l"
"$B/apps/lat_write" "$d/lw.out" 2 200 perxall >/dev/null 2>"$d/err"
[ $? -eq 2 ] && [ "$(wc -l < "$d/err")" -eq 1 ]
tap $? "lat_write with an unknown mode: one line, status 2" "$(cat "$d/err")"

bench "$d/b1.json" "1000, 990, 1010" "1200, 1200, 1190" false
bench "$d/b3.json" "900, 910, 100" "" false
out=$("$T" poll:spin "$d/b1.json" "$d/b2.json" "$d/b3.json" -- \
	"$d/r1.txt" "$d/r2.txt" "$d/r3.txt" 2>/dev/null)
case $out in *" absent") r=0;; *) r=1;; esac
tap $r "a replica without sample_wall_ns: wall ratio absent, never zero" "$out"

bench "$d/b1.json" "1000" "1200" true
out=$("$T" uintr:emul "$d/b1.json" -- "$d/r1.txt" 2>/dev/null)
case $out in "uintr:emul (emulated) "*) r=0;; *) r=1;; esac
tap $r "an emulated backend says so" "$out"

"$T" poll:spin "$d/b1.json" "$d/b2.json" -- "$d/r1.txt" >/dev/null 2>"$d/err"
[ $? -eq 2 ] && [ "$(wc -l < "$d/err")" -eq 1 ]
tap $? "unequal replica counts: one line, status 2" "$(cat "$d/err")"
"$T" poll:spin "$d/b1.json" "$d/r1.txt" >/dev/null 2>"$d/err"
[ $? -eq 2 ]
tap $? "no --: status 2" "$(cat "$d/err")"
: > "$d/r2.txt"
"$T" poll:spin "$d/b1.json" -- "$d/r2.txt" >/dev/null 2>"$d/err"
r=$?
[ $r -ne 0 ] && grep -q 'no lat_write result line' "$d/err"
tap $? "an scf-run series without a result line fails, saying so" "$(cat "$d/err")"
echo '{"phases": {}}' > "$d/b2.json"
"$T" poll:spin "$d/b2.json" -- "$d/r1.txt" >/dev/null 2>"$d/err"
r=$?
[ $r -ne 0 ] && grep -q 'sample_p50_ns' "$d/err"
tap $? "a bench result without per-sample p50s fails, saying so" "$(cat "$d/err")"
BUILD=$B REPLICAS=0 run/apps/latwrite_ratio.sh poll:spin >/dev/null 2>"$d/err"
[ $? -eq 2 ] && [ "$(wc -l < "$d/err")" -eq 1 ]
tap $? "latwrite_ratio.sh REPLICAS=0: one line, status 2" "$(cat "$d/err")"
# scf-bench saves each sample's wall per call, beside (and never below
# most of) the calls' own mean total, which the wall time contains.
if "$B/poll/scf-bench" --workloads write --samples 2 --cycles 200 \
	--backend spin --out "$d/res" --quiet >"$d/bench.log" 2>&1; then
	python3 - "$d/res/poll/write.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
w = d.get("sample_wall_ns")
m = d["phases"]["total"]["sample_means_ns"]
sys.exit(0 if w and len(w) == 2 == len(m) and
         all(wi > 0 and wi >= 0.9 * mi for wi, mi in zip(w, m)) else 1)
PY
	tap $? "scf-bench write: sample_wall_ns, one per sample, not below the calls' mean" \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("sample_wall_ns"), d["samples_ns"])' "$d/res/poll/write.json" 2>&1)"
else
	tap 1 "scf-bench write ran for the wall series" "$(tail -3 "$d/bench.log")"
fi
tap_done
