#!/usr/bin/env bash
# Build a static coalition binary (no cgo) with its version, commit and
# build date embedded: `coalition version` prints them.
#   scripts/build.sh [OUTPUT]      (default: ./coalition)
#   VERSION=v1.2.0 scripts/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-coalition}"
version="${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}"
commit="${COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}"
date="${BUILD_DATE:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}"
CGO_ENABLED=0 go build -trimpath \
  -ldflags "-s -w -X main.version=${version} -X main.commit=${commit} -X main.date=${date}" \
  -o "$out" ./cmd/coalition
echo "built $out: $("./$out" version 2>/dev/null || "$out" version)"
