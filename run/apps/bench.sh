#!/bin/sh
# run/apps/bench.sh RUN_DIR VARIANT:BACKEND... - make bench WORKLOAD=apps.
#
# Per variant: the suite's own write workload (scf-bench), then each
# application under scf-run --compare-native (the same program natively
# in the same invocation, its stdout to /dev/null like scf-run's here):
# the origin's lat_write, dd of 16 MiB at bs=4K and bs=1M, cat and
# sha256sum of a 16 MiB file, tar c of a small tree, sqlite3 inserting
# 10,000 rows in 10 journaled transactions, python3 writing, listing,
# reading and removing files (tests/scfrun/files.py).  Results: per
# application RUN_DIR/<variant>/app-<name>.json in the suite's schema
# (its forwarded calls' phases), the per-call-number scf-run JSON in
# RUN_DIR/<variant>/apps/, and a table (RUN_DIR/apps.txt) of wall times
# and ratios.
#
# Environment: BUILD, SAMPLES, CYCLES, CPUS, COMMIT, DIRTY (from make).
set -u
out=${1:?usage: bench.sh RUN_DIR VARIANT:BACKEND...}
shift
B=${BUILD:-build}
SAMPLES=${SAMPLES:-20}
CYCLES=${CYCLES:-10000}
CPUS=${CPUS:-1,0}
top=$(pwd)
for vb in "$@"; do
	[ -x "$top/$B/${vb%%:*}/scf-run" ] || {
		echo "bench: unknown VARIANT '${vb%%:*}' (no $B/${vb%%:*}/scf-run)"
		exit 2
	}
done
work=$(mktemp -d /tmp/scf-apps.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
head -c 16777216 /dev/urandom > "$work/big" || exit 1
mkdir -p "$work/tree" && cp -r "$top/common" "$top/shadow" "$work/tree/" || exit 1
{
	echo "drop table if exists t;"
	echo "create table t(i integer primary key, s text not null);"
	seq 0 9999 | awk '$1 % 1000 == 0 { print "begin;" }
		{ printf "insert into t(s) values(\x27row %d\x27);\n", $1 }
		$1 % 1000 == 999 { print "commit;" }'
	echo "select count(*), sum(i), total(length(s)) from t;"
} > "$work/ins.sql" || exit 1
PY=$(readlink -f /usr/bin/python3)
mkdir -p "$out" || exit 1
table="$out/apps.txt"
tmp="$table.tmp.$$"

num() {	# num KEY FILE: a number from a JSON file, or "-"
	v=$(grep -o "\"$1\": *[0-9.e+-]*" "$2" 2>/dev/null | head -1 | sed 's/.*: *//')
	echo "${v:--}"
}

fails=0
printf '%-8s %-14s %12s %12s %8s %7s %7s %5s %9s\n' variant app native_ms \
	scf-run_ms ratio local remote dual rewritten > "$tmp"
for vb in "$@"; do
	v=${vb%%:*}
	be=${vb#*:}
	S="$top/$B/$v/scf-run"
	mkdir -p "$out/$v/apps" || exit 1
	# The suite's own write figure, same run.
	"$top/$B/$v/scf-bench" --out "$out" --commit "${COMMIT:-unknown}" \
		--dirty "${DIRTY:-0}" --samples "$SAMPLES" --cycles "$CYCLES" \
		--cpus "$CPUS" --workloads write --backend "$be" --quiet \
		> "$work/bench.log" 2>&1 || { cat "$work/bench.log"; exit 1; }
	# phases.total.mean_ns: the first "mean_ns" after the first "total"
	suite=$(sed -n '/"total":{/,/}/p' "$out/$v/write.json" | grep -m1 -o '"mean_ns":[0-9.e+-]*' | sed 's/.*://')
	for app in lat_write dd_4k dd_1m cat sha256sum tar sqlite3 python3; do
		in=/dev/null
		case $app in
		lat_write) set -- "$top/$B/apps/lat_write" "$work/lat.out" "$SAMPLES" "$CYCLES";;
		dd_4k) set -- /bin/dd if="$work/big" of=/dev/null bs=4K status=none;;
		dd_1m) set -- /bin/dd if="$work/big" of=/dev/null bs=1M status=none;;
		cat) set -- /bin/cat "$work/big";;
		sha256sum) set -- /usr/bin/sha256sum "$work/big";;
		tar) set -- /bin/tar cf - -C "$work" tree;;
		sqlite3) set -- /usr/bin/sqlite3 "$work/db"; in="$work/ins.sql";;
		python3) mkdir -p "$work/py"
			set -- "$PY" "$top/tests/scfrun/files.py" "$work/py";;
		esac
		j="$out/$v/apps/$app.json"
		"$S" --backend "$be" --cpus "$CPUS" --quiet --compare-native \
			--out "$j" --results "$out" --name "$app" \
			--commit "${COMMIT:-unknown}" --dirty "${DIRTY:-0}" \
			-- "$@" < "$in" > "$work/app.out" 2> "$work/app.err"
		st=$?
		if [ $st != 0 ]; then
			echo "bench: $v $app: scf-run status $st: $(head -c 300 "$work/app.err")"
			fails=$((fails + 1))
			continue
		fi
		w=$(num wall_ns "$j")
		n=$(num native_wall_ns "$j")
		mix=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
c = {"local": 0, "remote": 0, "dual": 0}
for s in d["syscalls"].values():
    if s["class"] in c:
        c[s["class"]] += s["calls"]
rw = d["rewrite"]["calls_rewritten"]
n = rw + d["rewrite"]["calls_trapped"]
print(c["local"], c["remote"], c["dual"], "%.1f%%" % (100.0 * rw / n if n else 0))' "$j")
		read -r ml mr md mrw <<-MIX
		$mix
		MIX
		awk -v v="$v" -v a="$app" -v w="$w" -v n="$n" -v l="$ml" -v r="$mr" \
		    -v d="$md" -v rw="$mrw" 'BEGIN {
			printf "%-8s %-14s %12.3f %12.3f %8.2f %7d %7d %5d %9s\n", v,
			       a, n / 1e6, w / 1e6, (n > 0 ? w / n : 0), l, r, d, rw }' >> "$tmp"
		if [ $app = lat_write ]; then
			lw=$(grep "Avg time delay" "$work/app.out" | grep -o '[0-9.]* usec')
			"$@" > "$work/native.out" 2>&1
			nlw=$(grep "Avg time delay" "$work/native.out" | grep -o '[0-9.]* usec')
			echo "$v lat_write: Avg time delay per syscall: scf-run $lw," \
			     "native $nlw; scf-bench write mean $(awk -v m="$suite" \
			     'BEGIN { printf "%.3f usec", m / 1e3 }') (same run)" \
			     >> "$work/lat.txt"
		fi
	done
done
cat "$work/lat.txt" >> "$tmp" 2>/dev/null
mv "$tmp" "$table"
cat "$table"
echo "bench: apps results in $out/apps.txt and $out/<variant>/apps/"
[ $fails = 0 ]
