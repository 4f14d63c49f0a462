#!/usr/bin/env bash
# Cross-checks `coalition burden` against the HiGHS LP solver on >= 100 random
# problems (fixed seed). Installs the npm package `highs` into this folder if
# missing, builds the coalition binary, and exits 1 on any disagreement.
# Environment: COUNT (default 120), SEED (default 20250).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ ! -d "$here/node_modules/highs" ]; then
	(cd "$here" && npm install --no-audit --no-fund)
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && go build -o "$tmp/coalition" ./cmd/coalition)
node "$here/crosscheck.js" --bin "$tmp/coalition" --count "${COUNT:-120}" --seed "${SEED:-20250}"
