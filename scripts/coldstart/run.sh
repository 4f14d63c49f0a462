#!/bin/sh
# Cold start of `coalition serve`: time from process start to the first
# /healthz 200 on a fresh directory (the reference data seeded into a new
# SQLite database), and `coalition version` against a Go hello-world. Each
# comparison runs the two commands in turn (A B A B ...) and reports the
# median of each and the median of the pair-by-pair ratios, so that a
# ratio holds while the shared machine's load drifts. CPU is user + system
# time of the process (10 ms ticks for serve).
# Goals (issue 22): version <= 5x hello-world; serve fresh <= 100 ms.
#   scripts/coldstart/run.sh [N]
#   REF_BIN=/path/to/an/older/coalition scripts/coldstart/run.sh   (before/after)
set -eu
N=${1:-9}
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scripts/build.sh "$work/coalition" >/dev/null
go build -o "$work/hello" ./scripts/coldstart/hello
go build -o "$work/probe" ./scripts/coldstart/probe
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; medians of $N pairs"
printf '%-44s %9s %8s %9s %8s %8s %8s\n' 'A vs B' 'A wall ms' 'A CPU' 'B wall ms' 'B CPU' 'A/B wall' 'A/B CPU'
row() { printf '%-44s %9.2f %8.2f %9.2f %8.2f %8.3f %8.3f\n' "$@"; }
# shellcheck disable=SC2046
row 'version vs hello-world' $("$work/probe" -n "$N" -vs "$work/hello" "$work/coalition" version)
if [ -n "${REF_BIN:-}" ]; then
	# shellcheck disable=SC2046
	row 'serve fresh vs the same of REF_BIN' $("$work/probe" -n "$N" -mode serve -vs "$REF_BIN serve" "$work/coalition" serve)
	# shellcheck disable=SC2046
	row 'version vs the same of REF_BIN' $("$work/probe" -n "$N" -vs "$REF_BIN version" "$work/coalition" version)
fi
set -- $("$work/probe" -n "$N" -mode serve "$work/coalition" serve)
printf '%-44s %9.2f %8.2f\n' 'serve, fresh directory (alone)' "$1" "$2"
set -- $("$work/probe" -n "$N" -mode serve -keep-db "$work/coalition" serve)
printf '%-44s %9.2f %8.2f\n' 'serve, seeded database (alone)' "$1" "$2"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
