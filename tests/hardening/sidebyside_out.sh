#!/bin/sh
# tests/hardening/sidebyside_out.sh SCF_SIDEBYSIDE - scf-sidebyside's
# output: --out FILE is written whole or not at all (no table, a bad
# result, a missing RUN_DIR: no FILE, and an old one untouched); a bad
# RUN_DIR is one line and exit 2; a run marked INCOMPLETE is named in
# one line at the top of the table (and on stderr with --out).
set -u
. "$(dirname "$0")/../lib.sh"
sbs=$1
fix=tests/fixtures/sidebyside/run
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# run WANT_RC ARGS...: exit status and one stderr line (none for 0)
run() {
	want=$1
	shift
	"$sbs" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	[ "$rc" -eq "$want" ] && { [ "$want" -eq 0 ] || [ "$lines" -eq 1 ]; }
}
desc() {
	echo "$* -> exit $rc, $lines line(s): '$(head -1 "$tmp/err")'" |
		sed "s|$tmp|TMP|g"
}

mkdir "$tmp/empty"
run 1 --out "$tmp/F" "$tmp/empty" && [ ! -e "$tmp/F" ]
tap $? "$(desc "no result, --out F"), and no F"
echo old >"$tmp/F"
run 1 --markdown --out "$tmp/F" "$tmp/empty" && [ "$(cat "$tmp/F")" = old ]
tap $? "$(desc "no result, --out over an old F"), which stays as it was"
rm -f "$tmp/F"
run 2 --out "$tmp/F" "$tmp/none" && grep -q "$tmp/none: No such file" "$tmp/err" &&
	[ ! -e "$tmp/F" ]
tap $? "$(desc "missing RUN_DIR"), and no F"
touch "$tmp/file"
run 2 "$tmp/file" && grep -q "not a directory" "$tmp/err"
tap $? "$(desc "RUN_DIR a file")"
run 2 --out "$tmp/nodir/F" "$fix" && [ ! -e "$tmp/nodir" ]
tap $? "$(desc "--out in a missing directory")"
cp -r "$fix" "$tmp/bad"
f=$(find "$tmp/bad" -name null.json | head -1)
echo '{"truncated":' >"$f"
run 2 --out "$tmp/F" "$tmp/bad" && [ ! -e "$tmp/F" ]
tap $? "$(desc "a bad result, --out F"), and no F"

run 0 "$fix" && ! grep -q INCOMPLETE "$tmp/out" && [ -s "$tmp/out" ]
tap $? "a finished run: a table and no INCOMPLETE note (exit $rc)"
cp -r "$fix" "$tmp/inc"
echo "scf-bench (pid 1): interrupted (exit 130)" >"$tmp/inc/INCOMPLETE"
note="note: $tmp/inc is INCOMPLETE (scf-bench (pid 1): interrupted (exit 130))"
run 0 "$tmp/inc" && [ "$(head -1 "$tmp/out")" = "$note" ] &&
	[ "$(grep -c INCOMPLETE "$tmp/out")" -eq 1 ] && [ "$lines" -eq 0 ]
tap $? "an INCOMPLETE run: one note line atop the table (exit $rc)" \
	"$(head -2 "$tmp/out")"
run 0 --markdown --out "$tmp/F" "$tmp/inc" && [ "$(head -1 "$tmp/F")" = "$note" ] &&
	[ "$lines" -eq 1 ] && grep -q "^scf-sidebyside: $note" "$tmp/err" &&
	[ ! -s "$tmp/out" ]
tap $? "an INCOMPLETE run, --out F: the note atop F and one line on stderr" \
	"$(head -1 "$tmp/F" 2>&1)" "$(cat "$tmp/err")"
tap_done
