#!/bin/sh
# SPDX-License-Identifier: MIT
# analysis/scf-results.sh - map commits to stored results directories.
#
#   scf-results.sh dir RESULTS [COMMIT]   results/<commit>[-dirty] for COMMIT
#                                        (full or short hash, a -dirty
#                                        suffix, or a git revision); the
#                                        newest by mtime when COMMIT is empty
#   scf-results.sh hosts DIR             the host directories under DIR
#
# Prints the path(s); on a miss or an ambiguity, one line on stderr and
# exit 2.  A bare hash matching both <h> and <h>-dirty picks <h>, and says so.
set -u

die() { echo "scf-results: $*" >&2; exit 2; }

newest() {
	# ls -t: newest first; only directories (results/README.md is not)
	n=$(ls -1dt "$1"/*/ 2>/dev/null | head -n 1)
	[ -n "$n" ] || die "$1: no stored results (run make bench first)"
	echo "${n%/}"
}

# match RESULTS HASH DIRTY: result directories whose hash and the given
# one are a prefix of each other (short dir name, full hash or the reverse).
match() {
	for d in "$1"/*/; do
		[ -d "$d" ] || continue
		d=${d%/}
		b=${d##*/}
		h=${b%-dirty}
		[ "$3" = 1 ] && [ "$b" = "$h" ] && continue
		case "$2" in "$h"*) echo "$d"; continue ;; esac
		case "$h" in "$2"*) echo "$d" ;; esac
	done
}

resolve() {
	results=$1 want=$2
	[ -d "$results" ] || die "$results: no such directory"
	[ -n "$want" ] || { newest "$results"; return; }
	[ -d "$results/$want" ] && { echo "$results/$want"; return; }
	dirty=0
	case "$want" in *-dirty) dirty=1; want=${want%-dirty} ;; esac
	[ ${#want} -ge 4 ] || die "'$want': give at least 4 hex digits of the commit"
	m=$(match "$results" "$want" $dirty)
	if [ -z "$m" ] && full=$(git rev-parse -q --verify "$want^{commit}" 2>/dev/null); then
		m=$(match "$results" "$full" $dirty)
	fi
	[ -n "$m" ] || die "no results for commit '$2' in $results/ (have: $(ls -1 "$results" | grep -v README | tr '\n' ' '))"
	n=$(echo "$m" | wc -l)
	if [ "$n" -gt 1 ]; then
		clean=$(echo "$m" | grep -v -- '-dirty$')
		if [ "$(echo "$clean" | grep -c .)" = 1 ] && \
		   [ "$(echo "$m" | sed 's/-dirty$//' | sort -u | wc -l)" = 1 ]; then
			echo "scf-results: '$2' is both $clean and $clean-dirty; using $clean (say $2-dirty for the other)" >&2
			echo "$clean"
			return
		fi
		die "'$2' is ambiguous: $(echo "$m" | tr '\n' ' ')"
	fi
	echo "$m"
}

hosts() {
	found=0
	for h in "$1"/*/; do
		h=${h%/}
		# a host directory holds <variant>/<workload>.json
		if ls "$h"/*/*.json >/dev/null 2>&1; then
			echo "$h"
			found=1
		fi
	done
	[ $found = 1 ] || die "$1: no host directories with results"
}

case "${1:-}" in
dir)	[ $# -ge 2 ] || die "usage: scf-results.sh dir RESULTS [COMMIT]"
	resolve "$2" "${3:-}" ;;
hosts)	[ $# -eq 2 ] || die "usage: scf-results.sh hosts DIR"
	hosts "$2" ;;
*)	die "usage: scf-results.sh dir RESULTS [COMMIT] | hosts DIR" ;;
esac
