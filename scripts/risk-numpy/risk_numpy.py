#!/usr/bin/python3
"""The political-risk Monte Carlo of docs/risk-model.md, vectorised with NumPy.

  /usr/bin/python3 risk_numpy.py model.json > result.json

It is an independent implementation of the same model as analysis/risk (Go),
used to check the Go engine's statistics and to measure its speed. Its random
numbers come from NumPy's PCG64 and differ from Go's, so the two agree within
Monte Carlo error, not bit for bit. Besides the fields of the Go result it
writes "check": the standard deviations and quantile brackets that
compare.py needs to judge agreement.
"""
import json
import sys
import time

import numpy as np

CHUNK = 4096  # trials per vectorised step: bounds memory at about CHUNK*M*T*8 bytes


def parse_month(s):
    y, m = s.split("-")
    return int(y) * 12 + int(m) - 1


def series(v, months):
    if isinstance(v, list):
        return np.asarray(v, dtype=np.float64)
    return np.full(months, float(v))


def nearest_rank(p, n):
    return max(1, (p * n + 99) // 100)


def inv_norm(p):
    # Φ⁻¹ with Φ⁻¹(0) = -inf and Φ⁻¹(1) = +inf; statistics.NormalDist is AS 241 too.
    from statistics import NormalDist
    if p <= 0:
        return -np.inf
    if p >= 1:
        return np.inf
    return NormalDist().inv_cdf(p)


def run(model):
    t0 = time.perf_counter()
    T = model["months"]
    cats = model["categories"]
    C = len(cats)
    members = model["members"]
    M = len(members)
    n = model.get("trials", 10000)
    seed = model.get("seed", 1)
    rho = float(model.get("correlation", 0.0))
    rhoc = np.sqrt(max(0.0, 1 - rho * rho))
    thr_s = float(model.get("shortfall_threshold", 0.0))
    start = parse_month(model["start"])

    R = np.zeros((T, C))  # R[t, c]
    for c, name in enumerate(cats):
        if name in model.get("requirements", {}):
            R[:, c] = series(model["requirements"][name], T)
    Rtot = R.sum(axis=1)
    S_sup = np.zeros((T, M, C))  # support[t, m, c]
    for m, mem in enumerate(members):
        for name, v in mem.get("support", {}).items():
            S_sup[:, m, cats.index(name)] = series(v, T)
    rel = [(i, mem["reliability"]) for i, mem in enumerate(members) if mem.get("reliability")]
    rel_idx = np.array([i for i, _ in rel], dtype=int)
    rel_a = np.array([r["alpha"] for _, r in rel], dtype=float)
    rel_b = np.array([r["beta"] for _, r in rel], dtype=float)
    ev_member, ev_tau, ev_thr, ev_factor = [], [], [], []
    for m, mem in enumerate(members):
        for e in mem.get("events", []):
            ev_member.append(m)
            ev_tau.append(min(max(parse_month(e["month"]) - start, 0), T))
            ev_thr.append(inv_norm(e["probability"]))
            ev_factor.append(float(e["factor"]))
    E = len(ev_member)
    ev_member = np.array(ev_member, dtype=int)
    ev_thr = np.array(ev_thr, dtype=float)
    ev_factor = np.array(ev_factor, dtype=float)

    events_at = [[e for e in range(E) if ev_tau[e] == t] for t in range(T)]  # tau == T: never
    rng = np.random.Generator(np.random.PCG64(seed))
    shares = np.empty((T, n))
    short = np.empty(n)
    by_cat = np.zeros(C)
    by_cat_sq = np.zeros(C)
    any_occ_all = np.empty((n, M), dtype=bool)
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        B = hi - lo
        Z = rng.standard_normal(B)
        r = np.ones((B, M))
        if len(rel_idx):
            r[:, rel_idx] = rng.beta(rel_a, rel_b, size=(B, len(rel_idx)))
        eps = rng.standard_normal((B, E))
        occ = (rho * Z[:, None] + rhoc * eps) < ev_thr[None, :]  # (B, E)
        any_occ = np.zeros((B, M), dtype=bool)
        for e in range(E):
            any_occ[:, ev_member[e]] |= occ[:, e]
        fe = np.where(occ, ev_factor[None, :], 1.0)  # (B, E): the factor each event applies
        # g[b, m] walks through the months: the events of month t multiply
        # their member's column; D[t] = g @ support[t] is one BLAS product.
        g = r
        D = np.empty((T, B, C))
        for t in range(T):
            for e in events_at[t]:
                g[:, ev_member[e]] *= fe[:, e]
            np.matmul(g, S_sup[t], out=D[t])
        gap = np.maximum(R[:, None, :] - D, 0.0)
        covered = np.minimum(D, R[:, None, :]).sum(axis=2)  # (T, B)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares[:, lo:hi] = np.where(Rtot[:, None] > 0, covered / Rtot[:, None], 1.0)
        short[lo:hi] = gap.sum(axis=(0, 2))
        cat_trial = gap.sum(axis=0)  # (B, C)
        by_cat += cat_trial.sum(axis=0)
        by_cat_sq += (cat_trial ** 2).sum(axis=0)
        any_occ_all[lo:hi] = any_occ

    ranks = [nearest_rank(p, n) - 1 for p in (5, 50, 95)]
    part = np.partition(shares, ranks, axis=1)
    months = []
    for t in range(T):
        y, mo = divmod(start + t, 12)
        months.append({"month": "%04d-%02d" % (y, mo + 1), "mean": float(shares[t].mean()),
                       "p05": float(part[t, ranks[0]]), "p50": float(part[t, ranks[1]]),
                       "p95": float(part[t, ranks[2]])})
    s_part = np.partition(short, ranks)
    out_members = []
    for m, mem in enumerate(members):
        k = int(any_occ_all[:, m].sum())
        attr = None
        if 0 < k < n:
            attr = float(short[any_occ_all[:, m]].mean() - short[~any_occ_all[:, m]].mean())
        out_members.append({"iso3": mem["iso3"], "p_event": k / n, "attribution": attr})
    out_members.sort(key=lambda x: (x["attribution"] is None, -(x["attribution"] or 0.0)))
    elapsed = (time.perf_counter() - t0) * 1000

    # Everything compare.py needs to judge agreement within Monte Carlo error.
    def sd_or_0(v):
        return float(v.std(ddof=1)) if len(v) > 1 else 0.0
    check = {
        "share_sd": [float(x) for x in shares.std(axis=1, ddof=1)],
        "short_sd": float(short.std(ddof=1)),
        "by_category_sd": {name: float(np.sqrt(max(0.0, by_cat_sq[c] / n - (by_cat[c] / n) ** 2)))
                           for c, name in enumerate(cats)},
        "attribution_se": {},
        "share_sorted_q": {},
        "short_q": {},
    }
    # standard errors of the attribution from each group's own spread
    for m, mem in enumerate(members):
        occ_m = any_occ_all[:, m]
        k = int(occ_m.sum())
        if 1 < k < n - 1:
            check["attribution_se"][mem["iso3"]] = float(np.sqrt(
                short[occ_m].var(ddof=1) / k + short[~occ_m].var(ddof=1) / (n - k)))
    # quantile brackets: order statistics at ranks p·n ± z·sqrt(n·p(1−p)·2)
    # (the factor 2 because both sides are estimates)
    z = 4.5
    sorted_short = np.sort(short)
    for p in (5, 50, 95):
        half = int(np.ceil(z * np.sqrt(2 * n * (p / 100) * (1 - p / 100))))
        k = nearest_rank(p, n) - 1
        lo_k, hi_k = max(0, k - half), min(n - 1, k + half)
        check["short_q"][str(p)] = [float(sorted_short[lo_k]), float(sorted_short[hi_k])]
        lo_v = np.partition(shares, lo_k, axis=1)[:, lo_k]
        hi_v = np.partition(shares, hi_k, axis=1)[:, hi_k]
        check["share_sorted_q"][str(p)] = [[float(a), float(b)] for a, b in zip(lo_v, hi_v)]
    return {
        "months": months,
        "shortfall": {"mean": float(short.mean()), "p50": float(s_part[ranks[1]]),
                      "p95": float(s_part[ranks[2]]), "p_positive": float((short > 0).mean()),
                      "p_over_threshold": float((short > thr_s).mean())},
        "by_category": {name: float(by_cat[c] / n) for c, name in enumerate(cats)},
        "members": out_members,
        "trials": n, "seed": seed, "elapsed_ms": elapsed,
        "check": check,
    }


def main():
    with open(sys.argv[1]) as f:
        model = json.load(f)
    json.dump(run(model), sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
