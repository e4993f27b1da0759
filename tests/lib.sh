# tests/lib.sh - the one TAP producer of the shell tests; source it.
#
#   tap STATUS DESCRIPTION [DETAIL...]
#                             ok when STATUS is 0, else not ok, each
#                             DETAIL then on a comment line of its own
#   tap_skip WHY DESCRIPTION  a check that cannot run here, with the reason
#   tap_diag TEXT...          a comment line, never counted
#   tap_lines PREFIX FILE [RC]
#                             the verdicts a TAP program wrote to FILE,
#                             renumbered as ours, PREFIX before each
#                             description; its plan is dropped and every
#                             other line becomes a comment.  RC, its exit
#                             status: non-zero with no "not ok" in FILE
#                             (a crash) adds one "not ok"
#   tap_done                  the plan line; exit status 1 if any failed
#   left_behind PID ROOT      waits up to 5 s for PID, and every process
#                             whose command line names ROOT (a run's
#                             --root), to end; prints the ids of those
#                             still there, nothing when none is
#
# tests/steps.sh counts the "ok N" / "not ok N" lines these print.
tap_n=0
tap_failed=0

tap() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
		shift 2
		for tap_d; do echo "#   $tap_d"; done
	fi
	return 0
}

tap_skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $2 # SKIP $1"
}

tap_diag() {
	echo "# $*"
}

# The description of a verdict line, without "ok"/"not ok", its number
# and the dash.
tap_desc_() {
	tap_d=${1#not ok}
	tap_d=${tap_d#ok}
	tap_d=${tap_d# }
	tap_d=${tap_d#"${tap_d%%[!0-9]*}"}
	tap_d=${tap_d# }
	echo "${tap_d#- }"
}

tap_lines() {
	tap_f0=$tap_failed
	while IFS= read -r tap_l; do
		case $tap_l in
		"not ok"*)
			tap 1 "$1$(tap_desc_ "$tap_l")" ;;
		"ok"*"# SKIP"*|"ok"*"# skip"*)
			tap_d=$(tap_desc_ "$tap_l")
			tap_skip "$(echo "${tap_d#*\# [Ss][Kk][Ii][Pp]}" | sed 's/^ *//')" \
				"$1${tap_d%% \# [Ss][Kk][Ii][Pp]*}" ;;
		"ok"*)
			tap 0 "$1$(tap_desc_ "$tap_l")" ;;
		"#"*)	echo "$tap_l" ;;
		[0-9]*..[0-9]*|"TAP version"*) ;;
		*)	echo "# $tap_l" ;;
		esac
	done <"$2"
	if [ "${3:-0}" -ne 0 ] && [ "$tap_failed" -eq "$tap_f0" ]; then
		tap 1 "$1exited $3 without a failed check"
	fi
}

# Plain POSIX sh and busybox (the VM test sources this file too).
left_behind() {
	# ROOT's last component bracketed ([r]oot), so that grep's own
	# command line does not match
	lb_pat=$(printf '%s\n' "$2" | sed 's|/\([^/]\)\([^/]*\)$|/[\1]\2|')
	lb_i=0
	while :; do
		lb_left=$(grep -l "$lb_pat" /proc/[0-9]*/cmdline 2>/dev/null |
			sed 's|/proc/\([0-9]*\)/cmdline|\1|' | tr '\n' ' ')
		kill -0 "$1" 2>/dev/null && lb_left="$lb_left $1"
		lb_left=$(echo $lb_left)
		if [ -z "$lb_left" ] || [ $lb_i -ge 50 ]; then
			break
		fi
		sleep 0.1
		lb_i=$((lb_i + 1))
	done
	echo "$lb_left"
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
