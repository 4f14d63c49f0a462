#!/bin/sh
# Cold start of `coalition serve`: time from process start to the first
# /healthz 200 on a fresh directory (the reference data seeded into a new
# SQLite database), against `coalition version` and a Go hello-world in
# the same run. Medians of N runs (default 9) of the wall time and of the
# CPU time the process had used (user + system; 10 ms ticks for serve).
# Goal: serve <= 100 ms.
#   scripts/coldstart/run.sh [N]
set -eu
N=${1:-9}
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/coalition" ./cmd/coalition
go build -o "$work/hello" ./scripts/coldstart/hello
go build -o "$work/probe" ./scripts/coldstart/probe
set -- $("$work/probe" -n "$N" "$work/hello"); hello=$1 hello_cpu=$2
set -- $("$work/probe" -n "$N" "$work/coalition" version); version=$1 version_cpu=$2
set -- $("$work/probe" -n "$N" -mode serve -keep-db "$work/coalition" serve); warm=$1 warm_cpu=$2
set -- $("$work/probe" -n "$N" -mode serve "$work/coalition" serve); cold=$1 cold_cpu=$2
ratio() { echo "$1 / $2" | bc -l; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; medians of $N runs"
printf '%-34s %8s %8s\n' '' 'wall ms' 'CPU ms'
printf '%-34s %8.2f %8.2f\n' 'hello-world (exit)' "$hello" "$hello_cpu"
printf '%-34s %8.2f %8.2f  wall %5.2fx hello-world\n' 'coalition version (exit)' "$version" "$version_cpu" "$(ratio "$version" "$hello")"
printf '%-34s %8.2f %8.2f  wall %5.2fx version\n' 'serve, seeded database (/healthz)' "$warm" "$warm_cpu" "$(ratio "$warm" "$version")"
printf '%-34s %8.2f %8.2f  wall %5.2fx version, %5.2fx seeded\n' 'serve, fresh directory (/healthz)' "$cold" "$cold_cpu" "$(ratio "$cold" "$version")" "$(ratio "$cold" "$warm")"
