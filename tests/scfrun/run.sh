#!/bin/sh
# tests/scfrun/run.sh VARIANT - scf-run end to end (TAP): programs run
# under scf-run give the bytes they give natively; what must be denied,
# refused or stopped is, with a clear message and never a hang.
. "$(dirname "$0")/../lib.sh"
v=${1:?usage: run.sh VARIANT}
B=${BUILD:-build}
TOP=$(pwd)
S=$TOP/$B/$v/scf-run
P=$(pwd)/$B/tests/scfrun/probe
BB=/bin/busybox
T=$(mktemp -d /tmp/scfrun-test.XXXXXX)
LW=$TOP/$B/apps/lat_write
trap 'rm -rf "$T"' EXIT
# jv FILE EXPR: a value of a JSON file (d is the document)
jv() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@" 2>/dev/null; }
cd "$T" || exit 1
mkdir root
head -c 300000 /dev/urandom > root/data
printf 'one two\nthree\n' > root/text
mkdir root/dir && touch root/dir/a root/dir/b root/dir/c
cd root || exit 1
# A run never hangs: 60 s is far beyond any of these on a loaded machine.
# A dynamic program's libraries are the shadow's: those runs use --root /.
ROOT=$T/root
run() { timeout 60 "$S" -q --root "$ROOT" "$@"; }

# Same stdout, same status: the program under scf-run and natively.
same() {
	desc=$1; shift
	"$@" > "$T/native.out" 2> "$T/native.err"; nst=$?
	run -- "$@" > "$T/run.out" 2> "$T/run.err"; rst=$?
	cmp -s "$T/native.out" "$T/run.out" && [ "$nst" = "$rst" ]
	st=$?
	[ $st = 0 ] || tap_diag "$desc: status $nst native, $rst scf-run; $(head -c 300 "$T/run.err")"
	tap $st "$v: $desc: same output as native"
}

if [ ! -x "$BB" ]; then
	tap_skip "no $BB (package busybox-static)" "$v: busybox applets"
else
	same "busybox cat" $BB cat data text
	same "busybox sha256sum" $BB sha256sum data text
	same "busybox wc" $BB wc data text
	if [ "$v" = poll ]; then
		same "busybox dd bs=4K" $BB dd if=data bs=4K status=none
		same "busybox dd bs=1M" $BB dd if=data bs=1M status=none
		same "busybox ls" $BB ls -a dir
			$BB wc < text > "$T/native.out"
		run -- $BB wc < text > "$T/run.out" 2> "$T/run.err"
		cmp -s "$T/native.out" "$T/run.out"
		tap $? "$v: busybox wc of stdin: same output as native"
		run --compare-native --out "$T/cn.json" -- $BB wc < text > "$T/run.out" 2> "$T/run.err"
		cmp -s "$T/native.out" "$T/run.out" && grep -q '"native_wall_ns": [0-9]' "$T/cn.json"
		tap $? "$v: --compare-native: the native run leaves stdin to scf-run, both walls recorded"
		run -- $BB mkdir -p /made/deep; st=$?
		[ $st = 0 ] && [ -d "$T/root/made/deep" ]
		tap $? "$v: busybox mkdir -p under --root creates it there"
		run -- $BB rm -r made; st=$?
		[ $st = 0 ] && [ ! -e "$T/root/made" ]
		tap $? "$v: busybox rm -r under --root removes it there"
	fi
fi
ROOT=/
same "dynamic /usr/bin/sha256sum" /usr/bin/sha256sum data

# Trap-free forwarding: a site traps once, then runs through the trampoline.
# It needs a trampoline at address 0: vm.mmap_min_addr 0, or CAP_SYS_RAWIO.
rewrite_checks() {
	run --out "$T/rg.json" -- $P regs > "$T/out" 2> "$T/err"; st=$?
	REWRITE=0
	[ "$(jv "$T/rg.json" "d['rewrite']['on']")" = True ] && REWRITE=1
	if [ $REWRITE = 1 ]; then
		[ $st = 0 ] && grep -q "regs kept 4 of 4" "$T/out" &&
			[ "$(jv "$T/rg.json" "(lambda g: g['trapped'] <= 2 and g['rewritten'] >= 3 and g['trapped'] + g['rewritten'] == g['calls'])(d['syscalls']['getpid'])")" = True ]
		tap $? "$v: registers, xmm and ymm kept across the first (trapped) and the later (rewritten) calls of a site"
	else
		[ $st = 0 ] && grep -q "regs kept 4 of 4" "$T/out" &&
			[ "$(jv "$T/rg.json" "d['rewrite']['on'], d['syscalls']['getpid']['rewritten']")" = "(False, 0)" ] &&
			jv "$T/rg.json" "d['rewrite']['why_not']" | grep -q mmap_min_addr
		tap $? "$v: no trampoline (vm.mmap_min_addr $(cat /proc/sys/vm/mmap_min_addr), no CAP_SYS_RAWIO): every call traps, said in the JSON, registers kept"
	fi
	# Without the capability and with a floor above 0: the fallback, said.
	if [ $REWRITE = 1 ] && [ "$(cat /proc/sys/vm/mmap_min_addr)" != 0 ] &&
		command -v setpriv > /dev/null; then
		setpriv --inh-caps=-sys_rawio --bounding-set=-sys_rawio \
			timeout 60 "$S" --root "$ROOT" --out "$T/rg.json" -- $P regs > "$T/out" 2> "$T/err"; st=$?
		[ $st = 0 ] && grep -q "regs kept 4 of 4" "$T/out" &&
			grep -q "note: no trampoline at address 0" "$T/err" &&
			[ "$(jv "$T/rg.json" "d['rewrite']['on'], d['syscalls']['getpid']['rewritten']")" = "(False, 0)" ]
		tap $? "$v: no CAP_SYS_RAWIO, vm.mmap_min_addr above 0: every call traps, said on stderr and in the JSON"
	fi
	run --no-rewrite --out "$T/rg.json" -- $P regs > "$T/out" 2> "$T/err"; st=$?
	[ $st = 0 ] && grep -q "regs kept 4 of 4" "$T/out" &&
		[ "$(jv "$T/rg.json" "d['rewrite']['calls_rewritten'], d['syscalls']['getpid']['trapped'] >= 4")" = "(0, True)" ]
	tap $? "$v: --no-rewrite: every call traps, registers kept"
	rm -f "$T/lw.out" "$T/lw.native"
	run --out "$T/lw.json" -- "$LW" "$T/lw.out" 2 300 > /dev/null 2> "$T/err"; st=$?
	"$LW" "$T/lw.native" 2 300 > /dev/null
	if [ $REWRITE = 1 ]; then
		[ $st = 0 ] && cmp -s "$T/lw.out" "$T/lw.native" &&
			jv "$T/lw.json" "d['syscalls']['write']['trapped'] <= 3 and d['syscalls']['write']['rewritten'] >= 597 and d['rewrite']['sites']['rewritten'] > 0" | grep -q True
		tap $? "$v: lat_write's 600 writes: the site traps once, then rewritten; same file as native"
	else
		[ $st = 0 ] && cmp -s "$T/lw.out" "$T/lw.native"
		tap $? "$v: lat_write's 600 writes, all trapped: same file as native"
	fi
	# Stamping: one forwarded call in 64 by default (as scf-bench), every
	# call with --probe-every 1; total counts every call either way.
	jv "$T/lw.json" "d['syscalls']['write']['forwarded'] >= 600 and 8 <= d['syscalls']['write']['probed'] <= 10" | grep -q True
	tap $? "$v: lat_write's 600 writes: one in 64 stamped at every point by default"
	run --probe-every 1 --out "$T/lw1.json" -- "$LW" "$T/lw.out" 1 100 > /dev/null 2>&1 &&
		jv "$T/lw1.json" "d['syscalls']['write']['probed'] == d['syscalls']['write']['forwarded'] >= 100 and d['identity_violations'] == 0" | grep -q True
	tap $? "$v: --probe-every 1: every one of 100 writes stamped at every point, none out of identity"
}
rewrite_checks

# Threads: one shared slot; each thread's TLS, futex (mutex, join), exit.
thread_checks() {
	TH=$TOP/$B/tests/scfrun/threads
	"$TH" "$T/th.native" > "$T/th.native.out" 2>&1; nst=$?
	run --out "$T/th.json" -- "$TH" "$T/th.run" > "$T/th.run.out" 2> "$T/th.err"; rst=$?
	[ $nst = 0 ] && [ $rst = 0 ] && cmp -s "$T/th.native" "$T/th.run" &&
		[ "$(sort "$T/th.native.out" | sha256sum)" = "$(sort "$T/th.run.out" | sha256sum)" ] &&
		[ "$(jv "$T/th.json" "d['threads']['started'], d['threads']['exited']")" = "(4, 4)" ]
	st=$?
	[ $st = 0 ] || tap_diag "threads: status $nst native, $rst scf-run; $(head -c 300 "$T/th.err")"
	tap $st "$v: 4 pthreads write through one shared slot (TLS, mutex, join): same file and lines as native"
	if command -v xz > /dev/null; then
		i=0
		while [ $i -lt 40 ]; do cat "$T/root/text" "$T/root/data"; i=$((i + 1)); done | head -c 2000000 > "$T/xz.in"
		xz -T2 --block-size=262144 -c "$T/xz.in" > "$T/xz.native"; nst=$?
		run --out "$T/xz.json" -- /usr/bin/xz -T2 --block-size=262144 -c "$T/xz.in" > "$T/xz.run" 2> "$T/xz.err"; rst=$?
		[ $nst = 0 ] && [ $rst = 0 ] && cmp -s "$T/xz.native" "$T/xz.run" &&
			jv "$T/xz.json" "d['threads']['started'] >= 2" | grep -q True
		st=$?
		[ $st = 0 ] || tap_diag "xz: status $nst native, $rst scf-run; $(head -c 300 "$T/xz.err")"
		tap $st "$v: xz -T2 (two compressing threads): byte-identical to native"
	else
		tap_skip "no xz (package xz-utils)" "$v: xz -T2"
	fi
}
thread_checks

# rename and chown: forwarded, beneath --root, the same answers as native.
GP=$TOP/$B/tests/scfrun/gaps
gaps_files() {
	mkdir -p "$T/gn"
	(cd "$T/gn" && "$GP" files) > "$T/gaps.native" 2>&1; nst=$?
	timeout 60 "$S" -q --root "$T/root" -- "$GP" files > "$T/gaps.run" 2> "$T/gaps.err"; rst=$?
	[ $nst = 0 ] && [ $rst = 0 ] && cmp -s "$T/gaps.native" "$T/gaps.run" &&
		grep -q "^owner is caller: 1" "$T/gaps.run" && grep -q "^rename ga gc 0 " "$T/gaps.run"
	st=$?
	[ $st = 0 ] || tap_diag "gaps files: status $nst native, $rst scf-run; $(diff "$T/gaps.native" "$T/gaps.run" | head -c 400) $(head -c 200 "$T/gaps.err")"
	tap $st "$v: rename, renameat, renameat2, chown, lchown, fchown, fchownat: same answers as native"
	[ -x "$BB" ] || return
	echo moved > "$T/root/mv1"
	timeout 60 "$S" -q --root "$T/root" -- $BB mv mv1 mv2 > /dev/null 2> "$T/err"; st=$?
	[ $st = 0 ] && [ ! -e "$T/root/mv1" ] && [ "$(cat "$T/root/mv2")" = moved ]
	tap $? "$v: busybox mv renames beneath --root"
	timeout 60 "$S" -q --root "$T/root" -- $BB mv mv2 ../mv3 > /dev/null 2> "$T/err"; st=$?
	[ $st != 0 ] && grep -q "cross-device" "$T/err" && [ -e "$T/root/mv2" ] && [ ! -e "$T/mv3" ]
	tap $? "$v: busybox mv above --root fails with EXDEV, moves nothing"
	rm -f "$T/root/mv2"
}
gaps_files
# gaps MODE WHAT: tests/scfrun/gaps MODE gives the same lines as natively.
gaps_same() {
	(cd "$T/gn" && "$GP" "$1") > "$T/gaps.native" 2> "$T/gaps.nerr"; nst=$?
	timeout 60 "$S" -q --root "$T/root" -- "$GP" "$1" > "$T/gaps.run" 2> "$T/gaps.err"; rst=$?
	[ $nst = 0 ] && [ $rst = 0 ] && cmp -s "$T/gaps.native" "$T/gaps.run" && grep -q "$3" "$T/gaps.run"
	st=$?
	[ $st = 0 ] || tap_diag "gaps $1: status $nst native, $rst scf-run; $(diff "$T/gaps.native" "$T/gaps.run" | head -c 400) $(head -c 200 "$T/gaps.err")"
	tap $st "$v: $2: same as native"
}
gaps_same eintr "alarm during a forwarded read of an empty pipe, no SA_RESTART: -1 EINTR, the handler ran (trapped and rewritten site)" \
	"^round 2: read -1 errno 4 '', handler ran 1"
gaps_same restart "alarm during a forwarded read, SA_RESTART: the handler runs while it waits, the read goes on and gets a later write" \
	"^round 2: read 4 errno 0 'late', handler ran 1, while the read waited 1"
gaps_same altstack "an SA_ONSTACK handler runs on the program's sigaltstack, another on its own stack" \
	"^SA_ONSTACK: handler on the alternate stack 1, sigaltstack there says 1"
gaps_same threads "2000 threads created and joined in turn: the runtime's stacks freed, scf-run's peak RSS grows < 16 MiB after the 200th" \
	"^peak rss bounded 1"
gaps_same forkthr "a thread forks while another waits, then while another forwards writes: the child has that thread alone, makes one of its own, exits 5" \
	"^forker beside a writing thread joined 1, writes made 1"
# A lock another thread held at the fork (the runtime's accounting) left
# the child waiting for ever, about one run in ten of this before.
[ "$v" = poll ] && gaps_same forkmany "200 forks beside a thread that forwards writes without a pause: every child runs" \
	"^forks beside a writing thread: 200 of 200 children ran"

# Signals: the program's own handlers, in its context, as natively.
SG=$TOP/$B/tests/scfrun/signals
for m in raise timer sigchld sigpipe; do
	"$SG" $m > "$T/sg.native" 2>&1; nst=$?
	run -- "$SG" $m > "$T/sg.run" 2> "$T/sg.err"; rst=$?
	[ $nst = 0 ] && [ $rst = 0 ] && cmp -s "$T/sg.native" "$T/sg.run" &&
		grep -q "handler ran [1-9]" "$T/sg.run"
	st=$?
	[ $st = 0 ] || tap_diag "signals $m: status $nst native, $rst scf-run; $(head -c 300 "$T/sg.run") $(head -c 300 "$T/sg.err")"
	tap $st "$v: signals $m: the program's handler delivered, same output as native"
done
# The shadow dies while the program waits in a forwarded read.
shadow_death() {
	rm -f "$T/fifo"
	mkfifo "$T/fifo"
	timeout -k 2 60 "$S" -q --root "$T/root" -- $BB cat < "$T/fifo" > /dev/null 2> "$T/err" &
	rp=$!
	exec 3> "$T/fifo"
	sh_pid=
	for i in 1 2 3 4 5 6 7 8 9 10; do
		sleep 0.5
		sh_pid=$(pgrep -f "$B/$v/scf-shadow" -P "$(pgrep -P $rp)" | head -1)
		[ -n "$sh_pid" ] && break
	done
	[ -n "$sh_pid" ] && sleep 0.5 && kill -9 "$sh_pid"
	wait $rp; st=$?
	exec 3>&-
	[ "$st" = 125 ] && grep -q "scf-shadow exited" "$T/err"
	tap $? "$v: scf-shadow dying mid-call stops the run with a message (status $st), no hang"
}
fork_check() {
	run -- $P fork > "$T/out" 2> "$T/err"; st=$?
	[ $st = 0 ] && grep -q "^child writes, socket -38" "$T/out" &&
		grep -q "fork ok, child status 7" "$T/out"
	tap $? "$v: fork through SYNCFORK: the child is dispatched too, writes, exits 7; the parent waits"
}
[ "$v" = poll ] || { ROOT=$T/root; fork_check; shadow_death; tap_done; exit; }
same "dynamic /bin/cat" /bin/cat text data
same "dynamic /bin/ls" /bin/ls -a dir
ROOT=$T/root

# A root that holds a dynamic program and its libraries: its absolute
# symlinks (/lib64/ld-linux-x86-64.so.2 -> /lib/...) resolve beneath it.
D=$T/droot
mkdir -p "$D/usr/bin" "$D/usr/lib64" "$D/usr/lib/x86_64-linux-gnu"
ln -s usr/lib "$D/lib"
ln -s usr/lib64 "$D/lib64"
interp=$(readlink -f /lib64/ld-linux-x86-64.so.2)
cp "$interp" "$(readlink -f /lib/x86_64-linux-gnu/libc.so.6)" "$D/usr/lib/x86_64-linux-gnu/"
ln -s "/lib/x86_64-linux-gnu/${interp##*/}" "$D/usr/lib64/ld-linux-x86-64.so.2"
cp /usr/bin/sha256sum "$D/usr/bin/"
cp "$T/root/data" "$D/data"
ln -s /data "$D/abs-link"
(cd "$D" && /usr/bin/sha256sum data) > "$T/native.out"
(cd "$D" && timeout 60 "$S" -q --root "$D" -- "$D/usr/bin/sha256sum" data abs-link) > "$T/run.out" 2> "$T/err"; st=$?
(cd "$D" && /usr/bin/sha256sum data | sed 's/data$/abs-link/') >> "$T/native.out"
[ $st = 0 ] && cmp -s "$T/native.out" "$T/run.out"
tap $? "$v: --root holding a dynamic program's libraries: its interpreter and an absolute symlink resolve beneath it"
(cd "$D" && timeout 60 "$S" -q --root "$D" -- $BB sh -c 'exec /usr/bin/sha256sum data') > "$T/run.out" 2> "$T/err"; st=$?
[ $st = 0 ] && head -1 "$T/native.out" | cmp -s - "$T/run.out"
tap $? "$v: exec of a dynamic program beneath --root: its libraries from --root"

run -- $P escape > "$T/out" 2>&1
grep -q "open -1 errno 18" "$T/out"
tap $? "$v: escaping --root gives EXDEV"
run -- $BB cat ../../../etc/hostname > /dev/null 2> "$T/err"; st=$?
[ $st != 0 ] && grep -q "cross-device" "$T/err"
tap $? "$v: busybox cat of a path above --root fails with EXDEV"

run -- $BB mkdir ../escaped > /dev/null 2> "$T/err"; st=$?
[ $st != 0 ] && grep -q "cross-device" "$T/err" && [ ! -e "$T/escaped" ]
tap $? "$v: busybox mkdir above --root fails with EXDEV, creates nothing"

timeout 60 "$S" -q --root "$T/root" --out "$T/res.json" -- $P enosys > "$T/out" 2>&1
grep -q "socket -1 errno 38" "$T/out" &&
	grep -q '"unclassified": 1' "$T/res.json" &&
	grep -A10 '"nr41"' "$T/res.json" | grep -q '"denied": 1'
tap $? "$v: an unclassified call is denied -ENOSYS and counted"
timeout 60 "$S" -q --passthrough --out "$T/res.json" -- $P enosys > "$T/out" 2>&1
grep -q "socket fd errno 0" "$T/out" &&
	grep -A10 '"nr41"' "$T/res.json" | grep -q '"passthrough": 1'
tap $? "$v: --passthrough runs it on the host, counted"

run -- $P dupover > "$T/out" 2>&1
grep -q "refused [1-9][0-9]* moved [0-9]* bad 0 dupfd5000 -1 errno 22 read 8" "$T/out"
tap $? "$v: dup2 onto the shadow's own fds is refused (EBADF), F_DUPFD past its table EINVAL, and the shadow still serves"

run -- $P kill > "$T/out" 2>&1
grep -q "kill(0) -1 errno 1 kill(self) 0" "$T/out"
tap $? "$v: kill of the process group (the shadow's too) is refused EPERM, of itself allowed"

for m in sud-off unmap mapover; do
	run -- $P $m > "$T/out" 2> "$T/err"; st=$?
	[ $st = 125 ] && grep -q "scf-run: stopped:" "$T/err" && ! grep -q "^prctl\|^munmap\|^mmap" "$T/out"
	tap $? "$v: probe $m is stopped with a clear error (status $st)"
done
fork_check
run -- $P thread > "$T/out" 2> "$T/err"; st=$?
[ $st = 0 ] && grep -q -- "-1 errno 38" "$T/out" && grep -q "refused" "$T/err"
tap $? "$v: a thread clone (CLONE_VM) with no stack of its own is refused with a message, no hang"
cp "$P" "$T/root/probe2"
run -- $P exec /probe2 > "$T/out" 2>&1
grep -q "socket -1 errno 38" "$T/out" && ! grep -q execv "$T/out"
tap $? "$v: exec of an image beneath --root (read through the shadow) runs it"
run -- $P exec /nothere > "$T/out" 2>&1
grep -q "execv -1 errno 2" "$T/out"
tap $? "$v: a failed exec returns ENOENT to the old image"
ROOT=/
run -- /bin/sh -c '/bin/echo x; /usr/bin/sha256sum text; exit 4' > "$T/out" 2>&1; st=$?
/bin/sh -c '/bin/echo x; /usr/bin/sha256sum text; exit 4' > "$T/native.out" 2>&1
[ $st = 4 ] && cmp -s "$T/out" "$T/native.out"
tap $? "$v: dash runs dynamic programs (fork, exec) as natively, status 4"
same "dash pipeline (pipe, fork, exec)" /bin/sh -c '/bin/ls -a dir | /usr/bin/sort -r | /usr/bin/head -3'
ROOT=$T/root
if [ -x "$BB" ]; then
	run -- $BB sh -c 'echo a; (echo sub; exit 3); echo st=$?' > "$T/out" 2>&1
	[ "$(cat "$T/out")" = "$(printf 'a\nsub\nst=3')" ]
	tap $? "$v: busybox sh runs a subshell (fork) and gets its status"
fi

{ run -- $BB cat data; echo $? > "$T/st"; } | head -c 10 > /dev/null
[ "$(cat "$T/st")" = 141 ]
tap $? "$v: writing to a pipe nobody reads: SIGPIPE ends it as natively (141)"

shadow_death


# Real programs: a database with its journal, an interpreter with files.
ROOT=/
if command -v sqlite3 > /dev/null; then
	mkdir -p "$T/sq"
	{
		echo "create table t(i integer primary key, s text not null);"
		seq 0 9999 | awk '$1 % 1000 == 0 { print "begin;" }
			{ printf "insert into t(s) values(\x27row %d\x27);\n", $1 }
			$1 % 1000 == 999 { print "commit;" }'
		echo "select count(*), sum(i), total(length(s)) from t;"
	} > "$T/sq/ins.sql"
	(cd "$T/sq" && sqlite3 native.db < ins.sql > native.out 2>&1); nst=$?
	(cd "$T/sq" && timeout 120 "$S" -q --out "$T/sq/r.json" -- /usr/bin/sqlite3 run.db < ins.sql > run.out 2> run.err); rst=$?
	[ $nst = 0 ] && [ $rst = 0 ] && cmp -s "$T/sq/native.out" "$T/sq/run.out" &&
		[ "$(sqlite3 "$T/sq/native.db" .dump | sha256sum)" = "$(sqlite3 "$T/sq/run.db" .dump | sha256sum)" ] &&
		[ ! -e "$T/sq/run.db-journal" ] &&
		[ "$(jv "$T/sq/r.json" "d['syscalls']['fdatasync']['forwarded'] >= 10 and d['syscalls']['fcntl']['forwarded'] >= 20")" = True ]
	st=$?
	[ $st = 0 ] || tap_diag "sqlite3: status $nst native, $rst scf-run; $(head -c 300 "$T/sq/run.err")"
	tap $st "$v: sqlite3 inserts 10,000 rows in 10 journaled transactions (locks, fdatasync): same answer and same database as native"
else
	tap_skip "no sqlite3 (package sqlite3, make deps)" "$v: sqlite3"
fi
PY=$(readlink -f /usr/bin/python3)	# the ELF itself, not a wrapper script
if [ -x "$PY" ]; then
	mkdir -p "$T/pyn" "$T/pyr"
	(cd "$T/pyn" && "$PY" "$TOP/tests/scfrun/files.py" > "$T/py.native" 2>&1); nst=$?
	(cd "$T/pyr" && timeout 120 "$S" -q -- "$PY" "$TOP/tests/scfrun/files.py" > "$T/py.run" 2> "$T/py.err"); rst=$?
	[ $nst = 0 ] && [ $rst = 0 ] && cmp -s "$T/py.native" "$T/py.run" &&
		grep -q "^sha256 " "$T/py.run" && [ -z "$(ls -A "$T/pyr")" ]
	st=$?
	[ $st = 0 ] || tap_diag "python3: status $nst native, $rst scf-run; $(head -c 300 "$T/py.err")"
	tap $st "$v: python3 writes, lists, reads and removes files: same output as native"
else
	tap_skip "no python3" "$v: python3"
fi
ROOT=$T/root

# The suite's schema: what scf-bench's own checker accepts.
run --probe-every 1 --out "$T/o.json" --results "$T/res" --commit test -- $BB cat text > /dev/null 2>&1
n=$(grep -o '"forwarded": [0-9]*' "$T/o.json" | head -1 | grep -o '[0-9]*$')
"$TOP/$B/tests/check-result" "$T/res/$v/app-busybox.json" --count "${n:-0}" \
	--identity > "$T/cr.out" 2>&1
tap $? "$v: --results writes app-busybox.json in the suite's schema, $n requests, every stamp present and ordered"
schema_of() { sed -n 's/.*"schema": *"\([^"]*\)".*/\1/p' "$1" | head -1; }
so=$(schema_of "$T/o.json") sr=$(schema_of "$T/res/$v/app-busybox.json")
"$S" --help | grep -qF "JSON ($so)" && "$S" --help | grep -qF "schema ($sr)"
tap $? "$v: --help names the schemas of what --out and --results wrote (${so:-none}, ${sr:-none})"

run --list > /dev/null 2>&1
"$S" --list | grep -q "^0 .*read .*remote" && "$S" --list | grep -q " brk .*local" &&
	"$S" --list | grep -q " exit_group .*dual"
tap $? "$v: --list prints the classification"
"$S" --memsync map -- /bin/true > /dev/null 2> "$T/err"; st=$?
[ $st = 2 ] && [ "$(wc -l < "$T/err")" = 1 ]
tap $? "$v: bad option: one line, status 2"
"$S" -- /nonexistent/prog > /dev/null 2> "$T/err"; st=$?
[ $st = 2 ] && grep -q "no such program" "$T/err"
tap $? "$v: a missing program: one line, status 2"
tap_done
