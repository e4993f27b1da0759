#!/bin/sh
# tests/hardening/shadow_cli.sh SHADOW - scf-shadow's command line: stray
# arguments, --call-timeout, --clients, --topology, a short --region-dev
# or --region-fd; each refusal is one line naming what was wrong, exit 2.  (A bad --ready-fd: shadow_shm.c, which has a region.)
set -u
. "$(dirname "$0")/../lib.sh"
shadow=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# expect WANT_RC WANT_TEXT CMD...: exit code, and one line containing text
expect() {
	want=$1 text=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	grep -q -- "$text" "$tmp/err" && [ "$rc" -eq "$want" ] && [ "$lines" -eq 1 ]
	tap $? "$(echo "$*" | sed "s|$shadow|scf-shadow|; s|$tmp|TMP|g") -> exit $rc, '$(head -1 "$tmp/err")'"
}

# A region that would otherwise be accepted up to the mapping.
head -c 65536 /dev/zero >"$tmp/region"
ok="--region-fd 3 --region-size 65536 --root $tmp"

expect 2 "unexpected argument 'extra'" sh -c \
	"exec 3<>'$tmp/region'; exec '$shadow' $ok extra"
expect 2 "unexpected argument 'a'" sh -c \
	"exec 3<>'$tmp/region'; exec '$shadow' $ok -- a b"
expect 2 "bad value for --call-timeout" "$shadow" $ok --call-timeout 0
expect 2 "bad value for --call-timeout" "$shadow" $ok --call-timeout 1x
expect 2 "bad value for --call-timeout" "$shadow" $ok --call-timeout -1
expect 2 "bad value for --clients" "$shadow" $ok --clients 0
expect 2 "bad value for --clients" "$shadow" $ok --clients 17
expect 2 "bad number for --clients" "$shadow" $ok --clients x
expect 2 "bad value for --topology" "$shadow" $ok --topology ring
# --region-dev names a path: the message gives it as given, no fd number.
head -c 4096 /dev/zero >"$tmp/short"
expect 2 "scf-shadow: --region-dev $tmp/short holds 4096 bytes, 65536 needed\$" \
	"$shadow" --region-dev "$tmp/short" --region-size 65536 --root "$tmp"
expect 2 "scf-shadow: open $tmp/none: No such file or directory" \
	"$shadow" --region-dev "$tmp/none" --region-size 65536 --root "$tmp"
# --region-fd names an fd: the message gives its number.
expect 2 "scf-shadow: --region-fd 3 holds 4096 bytes, 65536 needed\$" sh -c \
	"exec 3<>'$tmp/short'; exec '$shadow' --region-fd 3 --region-size 65536 --root '$tmp'"
# A good --call-timeout is accepted: what fails next is the empty region.
expect 2 "region refused" sh -c \
	"exec 3<>'$tmp/region'; exec '$shadow' $ok --call-timeout 0.5"
tap_done
