#!/usr/bin/env bash
# Lighthouse (mobile, default config) on the dashboard's pages, served by a
# fresh `coalition serve` on a new database and a free port (issue 21).
#
# Fails (exit 1) when the performance score of / is below 0.95, or the
# accessibility or best-practices score of any page is below 0.95.
#
# Installs the pinned npm package `lighthouse` into this folder if missing
# (offline from the npm cache when it can), builds the coalition binary and
# uses the Chromium at CHROME_PATH (default /usr/bin/chromium).
#
# Environment:
#   PAGES      paths to audit (default "/ /donors /countries/USA /coalitions/COW2025 /risk")
#   MIN_SCORE  the threshold (default 0.95)
#   LH_FLAGS   extra Lighthouse flags, e.g. "--throttling-method=devtools"
#   OUT        keep the JSON reports in this folder (default: a temporary one, removed)
#   BIN        audit this coalition binary instead of building one (to compare builds)
#
# Scores depend on the machine's load: Lighthouse's default throttling
# ("simulate") models a slow phone from a trace taken on this machine, and a
# busy machine lengthens that trace. See docs/lighthouse.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
min="${MIN_SCORE:-0.95}"
pages=(${PAGES:-/ /donors /countries/USA /coalitions/COW2025 /risk})

if [ ! -x "$here/node_modules/.bin/lighthouse" ]; then
	(cd "$here" && { npm ci --offline --no-audit --no-fund >/dev/null 2>&1 || npm ci --no-audit --no-fund; })
fi

tmp="$(mktemp -d)"
pid=""
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
out="${OUT:-$tmp/reports}"
mkdir -p "$out"

bin="${BIN:-$tmp/coalition}"
[ -n "${BIN:-}" ] || (cd "$root" && go build -o "$bin" ./cmd/coalition)
"$bin" serve --addr 127.0.0.1:0 --db "sqlite:$tmp/coalition.db" >"$tmp/serve.log" 2>&1 &
pid=$!
base=""
for _ in $(seq 1 240); do
	base="$(grep -o 'serving http://[0-9.:]*' "$tmp/serve.log" | head -n1 | sed 's/^serving //')" || true
	[ -n "$base" ] && break
	kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.log"; echo "lighthouse: coalition serve stopped"; exit 1; }
	sleep 0.5
done
[ -n "$base" ] || { cat "$tmp/serve.log"; echo "lighthouse: coalition serve did not start"; exit 1; }
# Warm the server's page cache so the first audit measures the page, not its first render.
for p in "${pages[@]}"; do curl -fsS -o /dev/null "$base$p"; done

fail=0
for p in "${pages[@]}"; do
	name="$(echo "$p" | tr '/' '_')"
	report="$out/lighthouse${name}.json"
	# shellcheck disable=SC2086
	"$here/node_modules/.bin/lighthouse" "$base$p" --quiet --output=json --output-path="$report" \
		--only-categories=performance,accessibility,best-practices \
		--chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run" \
		${LH_FLAGS:-}
	node "$here/score.js" "$report" "$p" "$min" || fail=1
done
if [ "$fail" != 0 ]; then
	echo "lighthouse: below $min (reports: ${OUT:-removed; set OUT=dir to keep them})"
	exit 1
fi
echo "lighthouse: all pages at or above $min"
