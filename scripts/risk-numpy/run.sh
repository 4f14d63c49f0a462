#!/usr/bin/env bash
# Compare the Go risk engine with the NumPy implementation of the same model
# (docs/risk-model.md) at the reference size: 100,000 trials × 40 members ×
# 10 categories × 36 months, 1–3 events per member, fixed seeds.
#   scripts/risk-numpy/run.sh [trials]
# Builds the Go binary, generates the model, runs both, prints the wall time
# of each and their ratio, checks that the statistics agree within Monte Carlo
# error, and ends with "risk-numpy: N passed, M failed" (exit 1 if M > 0).
# Needs Debian's python3-numpy, run with /usr/bin/python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
py=/usr/bin/python3
trials=${1:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL $*"; }
# give up after a step that leaves nothing to compare, still printing the summary
die() { ko "$*"; echo "risk-numpy: $passed passed, $failed failed"; exit 1; }

if ! "$py" -c 'import numpy' 2>/dev/null; then
	echo "risk-numpy: $py has no numpy (apt-get install -y python3-numpy)" >&2
	echo "risk-numpy: 0 passed, 1 failed"
	exit 1
fi
# COALITION_BIN=path uses a binary built elsewhere instead of building one
if [ -n "${COALITION_BIN:-}" ]; then cp "$COALITION_BIN" "$tmp/coalition" || die "cannot copy $COALITION_BIN"
else (cd "$root" && go build -o "$tmp/coalition" ./cmd/coalition) || die "go build ./cmd/coalition failed"; fi
"$py" "$here/gen_model.py" > "$tmp/model.json" || die "gen_model.py failed"
"$py" - "$tmp/model.json" "$trials" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); m["trials"] = int(sys.argv[2]); json.dump(m, open(sys.argv[1], "w"))
PY
# the committed copy the Go benchmark reads must be what the generator writes
if cmp -s <("$py" "$here/gen_model.py") "$root/analysis/risk/testdata/reference-model.json"; then ok; else
	ko "analysis/risk/testdata/reference-model.json differs from gen_model.py's output"; fi

# wall, user and system seconds of each process (bash's time keyword)
TIMEFORMAT="%R %U %S"
{ time "$tmp/coalition" risk --input "$tmp/model.json" --json > "$tmp/go.json"; } 2> "$tmp/go.time" ||
	die "coalition risk failed: $(cat "$tmp/go.time")"
{ time "$py" "$here/risk_numpy.py" "$tmp/model.json" > "$tmp/numpy.json"; } 2> "$tmp/numpy.time" ||
	die "risk_numpy.py failed: $(cat "$tmp/numpy.time")"
# a second Go run with another worker count must give the same result
"$tmp/coalition" risk --input "$tmp/model.json" --json --workers 1 > "$tmp/go1.json" || die "coalition risk --workers 1 failed"
if diff -q <(grep -v elapsed_ms "$tmp/go.json") <(grep -v elapsed_ms "$tmp/go1.json") >/dev/null; then ok; else
	ko "Go result differs between --workers default and --workers 1"; fi

"$py" - "$tmp/go.json" "$tmp/numpy.json" "$(tail -1 "$tmp/go.time")" "$(tail -1 "$tmp/numpy.time")" "$(nproc)" <<'PY'
import json, sys
g, n = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
gw, gu, gs = map(float, sys.argv[3].split())
nw, nu, ns = map(float, sys.argv[4].split())
print("model: %d trials, %d months, %d members, %d categories; %s cores" % (g["trials"], len(g["months"]),
      len(g["members"]), len(g["by_category"]), sys.argv[5]))
print("wall (whole process):     go %.3f s, numpy %.3f s, ratio numpy/go %.1fx" % (gw, nw, nw / gw))
print("cpu (user+sys):           go %.3f s, numpy %.3f s, ratio numpy/go %.1fx" % (gu + gs, nu + ns, (nu + ns) / (gu + gs)))
print("engine only (elapsed_ms): go %.3f s, numpy %.3f s, ratio numpy/go %.1fx" % (
      g["elapsed_ms"] / 1000, n["elapsed_ms"] / 1000, n["elapsed_ms"] / g["elapsed_ms"]))
PY
out=$("$py" "$here/compare.py" "$tmp/go.json" "$tmp/numpy.json" || true)
echo "$out" | grep -v '^compare:' || true
summary=$(echo "$out" | tail -1)
p=$(echo "$summary" | sed -n 's/^compare: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(echo "$summary" | sed -n 's/^compare: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$p" ]; then ko "compare.py did not finish: $summary"; else passed=$((passed + p)); failed=$((failed + f)); fi
echo "risk-numpy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
