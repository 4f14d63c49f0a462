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
    ev_win = []  # (event index, first month index, number of months) of windowed events
    carries = np.zeros(M, dtype=bool)  # some event can change the member's support in the horizon
    for m, mem in enumerate(members):
        for e in mem.get("events", []):
            ev_member.append(m)
            ev_tau.append(min(max(parse_month(e["month"]) - start, 0), T))
            ev_thr.append(inv_norm(e["probability"]))
            ev_factor.append(float(e["factor"]))
            first = parse_month(e["month"])
            if e.get("earliest") and e["latest"] != e["earliest"]:
                first = parse_month(e["earliest"])
                ev_win.append((len(ev_member) - 1, first - start, parse_month(e["latest"]) - first + 1))
            if e["probability"] > 0 and e["factor"] != 1 and first - start < T:
                carries[m] = True
    E = len(ev_member)
    ev_member = np.array(ev_member, dtype=int)
    ev_thr = np.array(ev_thr, dtype=float)
    ev_factor = np.array(ev_factor, dtype=float)

    windowed = {e for e, _, _ in ev_win}
    events_at = [[e for e in range(E) if ev_tau[e] == t and e not in windowed] for t in range(T)]  # tau == T: never
    # a windowed event may fall in any month of its window inside the horizon
    for e, lo_w, n_w in ev_win:
        for t in range(max(lo_w, 0), min(lo_w + n_w - 1, T - 1) + 1):
            events_at[t].append(e)
    sup_tot = S_sup.sum(axis=(0, 2))  # per member
    without_share = float(sup_tot[~carries].sum() / sup_tot.sum()) if sup_tot.sum() > 0 else 0.0
    rng = np.random.Generator(np.random.PCG64(seed))
    shares = np.empty((T, n))
    short = np.empty(n)
    by_cat = np.zeros(C)
    by_cat_sq = np.zeros(C)
    any_occ_all = np.empty((n, M), dtype=bool)
    attr_trial = np.zeros((n, M))  # S − S with the member's events off, per trial
    effect_trial = np.zeros(n)  # S − S with every event off
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
        tau = np.tile(np.array(ev_tau, dtype=int), (B, 1))  # (B, E): the month each event falls in
        for e, lo_w, n_w in ev_win:
            tau[:, e] = np.clip(lo_w + rng.integers(0, n_w, size=B), 0, T)
        # g[b, m] walks through the months: the events of month t multiply
        # their member's column; D[t] = g @ support[t] is one BLAS product.
        r0 = r.copy()
        g = r
        G = np.empty((T, B, M))
        D = np.empty((T, B, C))
        for t in range(T):
            for e in events_at[t]:
                g[:, ev_member[e]] *= np.where(tau[:, e] == t, fe[:, e], 1.0)
            G[t] = g
            np.matmul(g, S_sup[t], out=D[t])
        gap = np.maximum(R[:, None, :] - D, 0.0)
        # counterfactuals on the same draws: the member's multiplier at its
        # reliability alone, then every member's
        lost_all = np.zeros_like(D)
        gap_tot = gap.sum(axis=(0, 2))
        for m in range(M):
            if not any_occ[:, m].any():
                continue
            lost = (r0[None, :, m] - G[:, :, m])[:, :, None] * S_sup[:, m, :][:, None, :]  # (T, B, C)
            lost_all += lost
            attr_trial[lo:hi, m] = gap_tot - np.maximum(R[:, None, :] - D - lost, 0.0).sum(axis=(0, 2))
        effect_trial[lo:hi] = gap_tot - np.maximum(R[:, None, :] - D - lost_all, 0.0).sum(axis=(0, 2))
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
        out_members.append({"iso3": mem["iso3"], "p_event": k / n, "attribution": float(attr_trial[:, m].mean())})
    out_members.sort(key=lambda x: -x["attribution"])
    events_effect = float(effect_trial.mean())
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
        "events_effect_sd": float(effect_trial.std(ddof=1)),
        "share_sorted_q": {},
        "short_q": {},
    }
    # standard errors of the attribution: the spread of its per-trial values
    for m, mem in enumerate(members):
        check["attribution_se"][mem["iso3"]] = float(attr_trial[:, m].std(ddof=1) / np.sqrt(n))
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
        "events_effect": events_effect,
        "interaction": events_effect - sum(x["attribution"] for x in out_members),
        "support_without_events_share": without_share,
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
