#!/bin/sh
# Cold start of `coalition serve`: time from process start to the first
# /healthz 200 on a fresh directory (the reference data seeded into a new
# SQLite database), against `coalition version` and a Go hello-world in
# the same run. Medians of N runs (default 9). Goal: serve <= 100 ms.
#   scripts/coldstart/run.sh [N]
set -eu
N=${1:-9}
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/coalition" ./cmd/coalition
go build -o "$work/hello" ./scripts/coldstart/hello
go build -o "$work/probe" ./scripts/coldstart/probe
hello=$("$work/probe" -n "$N" "$work/hello")
version=$("$work/probe" -n "$N" "$work/coalition" version)
warm=$("$work/probe" -n "$N" -mode serve -keep-db "$work/coalition" serve)
cold=$("$work/probe" -n "$N" -mode serve "$work/coalition" serve)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; medians of $N runs"
printf 'hello-world (exit)                 %8.2f ms\n' "$hello"
printf 'coalition version (exit)           %8.2f ms  %5.2fx hello-world\n' "$version" "$(echo "$version / $hello" | bc -l)"
printf 'serve, seeded database (/healthz)  %8.2f ms  %5.2fx version\n' "$warm" "$(echo "$warm / $version" | bc -l)"
printf 'serve, fresh directory (/healthz)  %8.2f ms  %5.2fx version, %5.2fx seeded\n' "$cold" "$(echo "$cold / $version" | bc -l)" "$(echo "$cold / $warm" | bc -l)"
