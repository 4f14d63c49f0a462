#!/usr/bin/env bash
# Load test: the real binary on a fresh SQLite database with the bundled
# reference data, an admin API token made through the CLI, and cmd/loadgen
# (loopback only) with a mixed read/write/analysis workload.
#   scripts/loadtest.sh                 full: 200 clients, 60 s, 500 req/s
#   SHORT=1 scripts/loadtest.sh         CI: 20 clients, 5 s, 200 req/s
#   DB=postgres://… scripts/loadtest.sh  another database (must be empty)
#   PAGES=/ DURATION=30s RATE=0 scripts/loadtest.sh
#                                       anonymous GETs of these pages alone
#                                       (issue 22: / under 200 clients)
# At the end it prints the CPU time (user + system) of the server and of
# the load generator: on one machine they share the processors.
# The server runs with --write-rate 0 --analysis-rate 0: the test measures
# capacity, not the per-client limits (one token would hit them at once).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SHORT:-}" = 1 ]; then clients=${CLIENTS:-20} duration=${DURATION:-5s} rate=${RATE:-200}
else clients=${CLIENTS:-200} duration=${DURATION:-60s} rate=${RATE:-500}; fi
work=$(mktemp -d)
pid=''
trap '[ -n "$pid" ] && kill $pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
scripts/build.sh "$work/coalition" >/dev/null
go build -o "$work/loadgen" ./cmd/loadgen
db=${DB:-sqlite:$work/load.db}
echo 'a long and uncommon passphrase 7' | "$work/coalition" user add --email load@example.org --role admin --password-stdin --db "$db" >/dev/null 2>&1
token=$("$work/coalition" token create --email load@example.org --name loadtest --scope write --db "$db" 2>/dev/null)
"$work/coalition" serve --addr 127.0.0.1:0 --db "$db" --log-level warn --write-rate 0 --analysis-rate 0 >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 100); do grep -q 'serving http://' "$work/out" && break; sleep 0.1; done
addr=$(sed -n 's/.*serving \(http:\/\/[^ ]*\).*/\1/p' "$work/out")
[ -n "$addr" ] || { cat "$work/err"; exit 1; }
echo "loadtest: $clients clients, $duration, target $rate req/s against $addr ($("$work/coalition" version))"
cpu() { awk '{printf "%.2f", ($14 + $15) / '"$(getconf CLK_TCK)"'}' "/proc/$1/stat"; }
srv0=$(cpu $pid)
set +e
COALITION_TOKEN=$token /usr/bin/time -f '%U %S' -o "$work/lgcpu" "$work/loadgen" --url "$addr" --clients "$clients" --duration "$duration" --rate "$rate" ${PAGES:+--pages "$PAGES"} ${JSON:+--json}
status=$?
set -e
srv=$(awk -v a="$(cpu $pid)" -v b="$srv0" 'BEGIN{printf "%.2f", a - b}')
lg=$(awk '{printf "%.2f", $1 + $2}' "$work/lgcpu")
echo "CPU during the run: server ${srv} s, load generator ${lg} s ($(awk -v s="$srv" -v l="$lg" 'BEGIN{printf "%.0f", 100 * l / (s + l)}')% of the two); load average after: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
kill -TERM $pid; wait $pid || true
# Requests cut off when loadgen stops are the client's doing (context canceled).
if grep 'level=ERROR' "$work/err" | grep -vq 'context canceled'; then echo "server errors:"; grep 'level=ERROR' "$work/err" | grep -v 'context canceled' | head; exit 1; fi
exit $status
