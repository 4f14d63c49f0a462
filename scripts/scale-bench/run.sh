#!/usr/bin/env bash
# Scale benchmark (issue 10): N synthetic pledges (default 1,000,000) made by
# `coalition gen` into SQLite and into PostgreSQL; the same rows exported to
# CSV and loaded into DuckDB (@duckdb/node-api, installed here with npm).
# In the same run it times the donor x type x month aggregate in DuckDB
# against Coalition's API (GET /api/v1/donors/monthly and /api/v1/donors,
# admin token: every row visible; write scope, for the changes that make
# answers uncached again) on each engine, and the overview page / (p50/p99).
# Loopback only; bounded (fixed request counts).
#
#   scripts/scale-bench/run.sh [N]
#   PG='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' (default)
#   KEEP=1 keeps the work folder; WORK=DIR reuses databases made before;
#   SCHEMA=NAME (default scale_bench) is the PostgreSQL schema.
set -euo pipefail
N=${1:-1000000}
PG=${PG:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${WORK:-$(mktemp -d)}
[ -n "${KEEP:-}${WORK:-}" ] || trap 'rm -rf "$work"' EXIT
bin="$work/coalition"
(cd "$root" && go build -o "$bin" ./cmd/coalition)
schema=${SCHEMA:-scale_bench}
case "$PG" in *\?*) pgs="$PG&search_path=$schema" ;; *) pgs="$PG?search_path=$schema" ;; esac
lite="sqlite:$work/scale.db"

if [ ! -f "$work/gen-sqlite.json" ]; then
	echo "generating $N pledges into SQLite…" >&2
	"$bin" gen --pledges "$N" --seed 1 --db "$lite" --json > "$work/gen-sqlite.json"
	echo "generating $N pledges into PostgreSQL (schema $schema)…" >&2
	psql "$PG" -q -c "DROP SCHEMA IF EXISTS $schema CASCADE" -c "CREATE SCHEMA $schema" 2>/dev/null
	"$bin" gen --pledges "$N" --seed 1 --db "$pgs" --json > "$work/gen-postgres.json"
	echo "exporting to CSV…" >&2
	"$bin" export pledges --format csv --db "$lite" -o "$work/pledges.csv"
	for db in "$lite" "$pgs"; do
		echo 'scale-bench-password-0123456789' | "$bin" user add --email bench@example.org --role admin --password-stdin --db "$db" > /dev/null
	done
fi
cat "$work/gen-sqlite.json" "$work/gen-postgres.json" >&2

if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
	(cd "$here" && npm install --no-audit --no-fund --silent > /dev/null)
fi

serve() { # db port: starts coalition serve on 127.0.0.1:port, prints its pid
	"$bin" serve --addr "127.0.0.1:$2" --db "$1" --log-level error > "$work/serve-$2.log" 2>&1 &
	echo $!
}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap 'cleanup; [ -n "${KEEP:-}${WORK:-}" ] || rm -rf "$work"' EXIT
p1=$(serve "$lite" 18431); pids+=("$p1")
p2=$(serve "$pgs" 18432); pids+=("$p2")
for port in 18431 18432; do
	for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/readyz" > /dev/null 2>&1 && break; sleep 0.2; done
done
tok1=$("$bin" token create --email bench@example.org --name "bench-$$" --scope write --db "$lite" 2>/dev/null)
tok2=$("$bin" token create --email bench@example.org --name "bench-$$" --scope write --db "$pgs" 2>/dev/null)

node "$here/bench.mjs" --csv "$work/pledges.csv" \
	--api "sqlite=http://127.0.0.1:18431=$tok1" --api "postgres=http://127.0.0.1:18432=$tok2"
