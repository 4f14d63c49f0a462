#!/bin/sh
# IATI import scale benchmark: a synthetic file with N transactions
# (default 1,000,000), imported into a fresh SQLite database with
# `coalition import iati --recipient UA`, against a bare encoding/xml pass
# (RawToken) over the same file in the same run. Reports wall time, peak
# RSS (/usr/bin/time -v) and the ratios, of wall and of CPU (user + system:
# steadier than wall on a shared machine). Goals: issue 9 <= 60 s, <= 500 MB,
# <= 3x; issue 22 <= 2x, <= 250 MB.
set -eu
N=${1:-1000000}
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/coalition" ./cmd/coalition
go build -o "$work/gen-iati" ./cmd/gen-iati
go build -o "$work/bareparse" ./scripts/iati-scale/bareparse
"$work/gen-iati" -transactions "$N" -o "$work/syn.xml"
size=$(wc -c < "$work/syn.xml")
# A database with the reference data (countries, FX rates), seeded before timing.
"$work/coalition" seed --db "sqlite:$work/c.db" > /dev/null
measure() { # label, command...: prints "label seconds maxrss_kb cpu_seconds"
	label=$1; shift
	/usr/bin/time -v "$@" > "$work/$label.out" 2> "$work/$label.time"
	secs=$(grep 'Elapsed (wall clock)' "$work/$label.time" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
	rss=$(grep 'Maximum resident set size' "$work/$label.time" | awk '{print $NF}')
	cpu=$(grep -E '(User|System) time' "$work/$label.time" | awk '{s += $NF} END {print s}')
	echo "$label $secs $rss $cpu"
}
bare=$(measure bare "$work/bareparse" "$work/syn.xml")
imp=$(measure import "$work/coalition" import iati "$work/syn.xml" --recipient UA --db "sqlite:$work/c.db" --json)
created=$(grep -o '"pledges": [0-9]*' "$work/import.out" | head -1 | awk '{print $2}')
echo "file: $N transactions, $size bytes; pledges created: $created"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "$bare" | awk '{printf "bare xml.Decoder pass: %6.1f s  CPU %6.1f s  peak RSS %6.1f MB\n", $2, $4, $3/1024}'
echo "$imp" | awk '{printf "coalition import iati:  %6.1f s  CPU %6.1f s  peak RSS %6.1f MB\n", $2, $4, $3/1024}'
echo "$bare $imp" | awk '{printf "ratio import / bare parse: wall %.2f, CPU %.2f (goal <= 2); import <= 60 s: %s; RSS <= 250 MB: %s\n", $6/$2, $8/$4, ($6<=60?"yes":"no"), ($7/1024<=250?"yes":"no")}'
