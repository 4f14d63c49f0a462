#!/usr/bin/python3
"""Check that the Go and NumPy results of the same model agree within Monte
Carlo error. Both use the same number of trials n but different random
streams, so each difference is between two independent estimates:

- means (covered share per month, S, expected shortfall per category):
  |go − np| <= Z · sd · sqrt(2/n), sd from the NumPy trials;
- probabilities (P(S>0), P(S>threshold), p_event): |go − np| <= Z · sqrt(2p(1−p)/n) + 1/n;
- attribution: |go − np| <= Z · sqrt(2) · se, se from the NumPy groups;
- percentiles (nearest rank): Go's value lies between NumPy's order
  statistics at ranks k ∓ Z · sqrt(2n·p(1−p)) (computed by risk_numpy.py).

Z = 4.5. Prints one line per failed check and a summary; exits 1 on any failure.
  compare.py go.json numpy.json
"""
import json
import math
import sys

Z = 4.5


def main():
    go = json.load(open(sys.argv[1]))
    npy = json.load(open(sys.argv[2]))
    chk = npy["check"]
    n = go["trials"]
    passed, failed = 0, 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL", what)

    def close_mean(what, a, b, sd):
        tol = Z * sd * math.sqrt(2 / n) + 1e-12 * max(1.0, abs(b))
        check(abs(a - b) <= tol, "%s: go %.6g numpy %.6g (tolerance %.3g)" % (what, a, b, tol))

    def close_prob(what, a, b):
        p = (a + b) / 2
        tol = Z * math.sqrt(2 * p * (1 - p) / n) + 1.0 / n
        check(abs(a - b) <= tol, "%s: go %.6g numpy %.6g (tolerance %.3g)" % (what, a, b, tol))

    def in_bracket(what, v, br):
        lo, hi = br
        eps = 1e-12 * max(1.0, abs(v))
        check(lo - eps <= v <= hi + eps, "%s: go %.6g not in numpy's [%.6g, %.6g]" % (what, v, lo, hi))

    check(go["trials"] == npy["trials"] and len(go["months"]) == len(npy["months"]), "same trials and months")
    for t, (g, q) in enumerate(zip(go["months"], npy["months"])):
        check(g["month"] == q["month"], "month %d label %s vs %s" % (t, g["month"], q["month"]))
        close_mean("%s mean share" % g["month"], g["mean"], q["mean"], chk["share_sd"][t])
        for p in ("05", "50", "95"):
            in_bracket("%s p%s share" % (g["month"], p), g["p" + p], chk["share_sorted_q"][str(int(p))][t])
    gs, qs = go["shortfall"], npy["shortfall"]
    close_mean("mean S", gs["mean"], qs["mean"], chk["short_sd"])
    in_bracket("p50 S", gs["p50"], chk["short_q"]["50"])
    in_bracket("p95 S", gs["p95"], chk["short_q"]["95"])
    close_prob("P(S>0)", gs["p_positive"], qs["p_positive"])
    close_prob("P(S>threshold)", gs["p_over_threshold"], qs["p_over_threshold"])
    check(sorted(go["by_category"]) == sorted(npy["by_category"]), "same categories")
    for c, v in npy["by_category"].items():
        close_mean("expected shortfall %s" % c, go["by_category"][c], v, chk["by_category_sd"][c])
    gm = {m["iso3"]: m for m in go["members"]}
    check(sorted(gm) == sorted(m["iso3"] for m in npy["members"]), "same members")
    for m in npy["members"]:
        g = gm[m["iso3"]]
        close_prob("%s p_event" % m["iso3"], g["p_event"], m["p_event"])
        se = chk["attribution_se"][m["iso3"]]
        tol = Z * math.sqrt(2) * se + 1e-9 * abs(m["attribution"])
        check(g["attribution"] is not None and abs(g["attribution"] - m["attribution"]) <= tol,
              "%s attribution: go %s numpy %.6g (tolerance %.3g)" % (m["iso3"], g["attribution"], m["attribution"], tol))
    close_mean("events effect", go["events_effect"], npy["events_effect"], chk["events_effect_sd"])
    check(abs(go["support_without_events_share"] - npy["support_without_events_share"]) <= 1e-9,
          "support without events: go %.9g numpy %.9g" % (go["support_without_events_share"], npy["support_without_events_share"]))
    # both lists are sorted by attribution, largest first
    for name, res in (("go", go), ("numpy", npy)):
        attrs = [m["attribution"] for m in res["members"]]
        check(attrs == sorted(attrs, reverse=True), "%s members sorted by attribution" % name)
    print("compare: %d passed, %d failed" % (passed, failed))
    return passed, failed


if __name__ == "__main__":
    p, f = main()
    sys.exit(1 if f else 0)
