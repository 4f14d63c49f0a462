#!/usr/bin/env bash
# Lints http/openapi.yaml with Redocly's `recommended` rules and Spectral's
# `spectral:oas` (issue 21), with the versions pinned in package-lock.json.
# Exits non-zero on any error of either; warnings are printed.
# Installs the packages into this folder with `npm ci` (from the npm cache
# when it can, else from the registry) unless they are there already.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
doc="$(cd "$here/../.." && pwd)/http/openapi.yaml"
cd "$here"
if [ ! -x node_modules/.bin/redocly ] || [ ! -x node_modules/.bin/spectral ]; then
	npm ci --offline --no-audit --no-fund >/dev/null 2>&1 || npm ci --no-audit --no-fund
fi
# No usage reports, no update checks: CI talks to no one.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
status=0
echo "openapi-lint: redocly (recommended)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
node_modules/.bin/redocly lint "$doc" --config redocly.yaml --format=codeframe >"$log" 2>&1 || { status=1; }
grep -v -e '[║╔╚]' "$log" || true # without the box about Node.js versions
[ "$status" = 0 ] || echo "openapi-lint: redocly found errors"
echo "openapi-lint: spectral (spectral:oas)"
node_modules/.bin/spectral lint --ruleset .spectral.yaml --fail-severity error "$doc" || { echo "openapi-lint: spectral found errors"; status=1; }
[ "$status" = 0 ] && echo "openapi-lint: no errors"
exit "$status"
