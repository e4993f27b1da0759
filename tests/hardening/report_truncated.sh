#!/bin/sh
# tests/hardening/report_truncated.sh - scf-report on a full disk: gnuplot
# exits 0 although its SVG and PNG were cut short (as it does when a write
# fails); no truncated plot may be moved into plots/, and the report says
# which plot failed.  A stand-in gnuplot writes the short files.
set -u
. "$(dirname "$0")/../lib.sh"
TOOLS=${SCF_TOOLS:-build/analysis}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cp -r tests/fixtures/analysis/results/1111111/fixhost "$tmp/run"

cat >"$tmp/gnuplot" <<'GP'
#!/bin/sh
# Writes the first bytes of each plot, as a full disk leaves them; exit 0.
out=$(printf '%s\n' "$2" | sed -n "s/.*outbase='\([^']*\)'.*/\1/p")
printf '<?xml version="1.0"?>\n<svg width="600" height="400">\n<g>' >"$out.svg"
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' >"$out.png"
exit 0
GP
chmod +x "$tmp/gnuplot"

GNUPLOT=$tmp/gnuplot "$TOOLS/scf-report" "$tmp/run" >"$tmp/out" 2>"$tmp/err"
rc=$?
n=$(ls "$tmp/run/plots" 2>/dev/null | grep -c '\.\(svg\|png\)$')
tap $([ "$n" -eq 0 ]; echo $?) "no truncated plot moved into plots/ ($n there, exit $rc)" \
	"$(ls "$tmp/run/plots" 2>&1 | head -5)"
grep -q "truncated svg\|truncated png" "$tmp/run/report.md" "$tmp/err"
tap $? "the report says a plot was truncated" "$(tail -3 "$tmp/err")"
ls -A "$tmp/run/plots" 2>/dev/null | grep -q '^\.tmp-'
tap $([ $? -ne 0 ]; echo $?) "no temporary directory left in plots/"
tap_done
