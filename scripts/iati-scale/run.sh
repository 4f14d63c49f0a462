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
# PAIRS pairs (default 3), each a bare pass then an import into a fresh
# copy of the seeded database: the bare pass of the same file moves by
# a third between runs on a shared machine, so each ratio is taken within
# its pair and the median of the pairs is the result.
PAIRS=${PAIRS:-3}
cp "$work/c.db" "$work/seeded.db"
echo "file: $N transactions, $size bytes; $PAIRS pairs (bare pass, then import)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
: > "$work/pairs"
p=1
while [ "$p" -le "$PAIRS" ]; do
	rm -f "$work/c.db" "$work/c.db-wal" "$work/c.db-shm"
	cp "$work/seeded.db" "$work/c.db"
	bare=$(measure bare "$work/bareparse" "$work/syn.xml")
	imp=$(measure import "$work/coalition" import iati "$work/syn.xml" --recipient UA --db "sqlite:$work/c.db" --json)
	created=$(grep -o '"pledges": [0-9]*' "$work/import.out" | head -1 | awk '{print $2}')
	echo "$bare $imp" | awk -v p="$p" -v c="$created" -v l="$(cut -d' ' -f1 /proc/loadavg)" '{printf "pair %d (load %s): bare %5.1f s wall %5.1f s CPU; import %5.1f s wall %5.1f s CPU, peak RSS %6.1f MiB (%6.1f MB), %s pledges; ratio wall %.2f, CPU %.2f\n", p, l, $2, $4, $6, $8, $7/1024, $7*1024/1e6, c, $6/$2, $8/$4}'
	echo "$bare $imp" | awk '{print $6/$2, $8/$4, $7, $6}' >> "$work/pairs"
	p=$((p + 1))
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
med() { sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
wall=$(awk '{print $1}' "$work/pairs" | med)
cpu=$(awk '{print $2}' "$work/pairs" | med)
rss=$(awk '{print $3}' "$work/pairs" | sort -g | tail -1)
secs=$(awk '{print $4}' "$work/pairs" | sort -g | tail -1)
echo "$wall $cpu $rss $secs" | awk '{printf "median ratio import / bare parse: wall %.2f, CPU %.2f (goal <= 2); slowest import %.1f s (<= 60 s: %s); largest peak RSS %.1f MB (<= 250 MB: %s)\n", $1, $2, $4, ($4<=60?"yes":"no"), $3*1024/1e6, ($3*1024/1e6<=250?"yes":"no")}'
