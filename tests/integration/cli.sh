#!/bin/sh
# tests/integration/cli.sh VARIANT - bad input gives one clear line and a
# distinct exit code; Ctrl-C or a dead shadow leaves no process behind.
set -u
variant=$1
build=${BUILD:-build}
bench=$build/$variant/scf-bench
shadow=$build/$variant/scf-shadow
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/../lib.sh"

# expect_fail WANT_RC WANT_TEXT CMD...: exit code and a one-line message
expect_fail() {
	want=$1 text=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	grep -q -- "$text" "$tmp/err" && [ $rc -eq "$want" ] && [ "$lines" -le 2 ]
	tap $? "$(echo "$*" | sed "s|$build/||g") -> exit $rc, '$(head -1 "$tmp/err")'"
}

expect_fail 2 "bad value for --cycles" "$bench" --cycles abc
expect_fail 2 "bad value for --cycles" "$bench" --cycles 0
expect_fail 2 "bad value for --cpus" "$bench" --cpus 1,1
expect_fail 2 "at most" "$bench" --samples 100000 --cycles 10000000
expect_fail 2 "bad value for --memsync" "$bench" --memsync mmap
expect_fail 2 "unknown workload 'nope'" "$bench" --workloads null,nope
expect_fail 2 "unknown backend 'no-such-backend' for variant $1 (have: auto " "$bench" --backend no-such-backend --workloads null
expect_fail 2 "this machine has CPUs" "$bench" --cpus 1,4000 --workloads null --quiet
expect_fail 2 "need one of" "$shadow" --root /
expect_fail 2 "bad number for --slot" "$shadow" --region-fd 3 --region-size 4096 --root / --slot x

# A region that is not one: refused with the reason, exit 2.
head -c 65536 /dev/urandom >"$tmp/garbage"
expect_fail 2 "region refused: region magic" sh -c \
	"exec 3<>'$tmp/garbage'; exec '$shadow' --region-fd 3 --region-size 65536 --root '$tmp'"
expect_fail 2 "region refused: region is smaller" sh -c \
	"exec 3<>'$tmp/garbage'; exec '$shadow' --region-fd 3 --region-size 100 --root '$tmp'"

# Ctrl-C in the middle of a run: exit 130, no shadow left, no half file.
mkdir -p "$tmp/root" "$tmp/out2"
"$bench" --workloads write --samples 20 --cycles 100000 --root "$tmp/root" \
	--out "$tmp/out2" --quiet >/dev/null 2>&1 &
pid=$!
sleep 1.5
kill -INT $pid
wait $pid
rc=$?
sleep 0.2
left=$(pgrep -f -- "--root $tmp/root" | wc -l)
[ $rc -eq 130 ] && [ "$left" -eq 0 ]
tap $? "SIGINT mid-run: scf-bench exits $rc (want 130), $left shadow(s) left"
half=$(find "$tmp/out2" -name '*.tmp.*' | wc -l)
[ "$half" -eq 0 ]
tap $? "SIGINT mid-run: no temporary or half-written result file ($half)"

# The shadow killed under the client: the run fails cleanly, nothing hangs.
"$bench" --workloads write --samples 20 --cycles 100000 --root "$tmp/root" \
	--quiet >/dev/null 2>"$tmp/err" &
pid=$!
sleep 1.5
pkill -KILL -f -- "scf-shadow.*--root $tmp/root"
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 $pid 2>/dev/null && { kill -KILL $pid; hung=1; } || hung=0
wait $pid
rc=$?
[ $hung -eq 0 ] && [ $rc -eq 1 ] && grep -q "scf-shadow (pid [0-9]*) died" "$tmp/err"
tap $? "shadow killed mid-run: scf-bench reports it and exits $rc (want 1), hung=$hung"
tap_done
