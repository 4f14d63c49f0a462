#!/usr/bin/python3
"""Write the reference-size risk model (docs/risk-model.md) as JSON to stdout.

100,000 trials x 40 members x 10 categories x 36 months, 1-3 events per member,
all drawn from random.Random(seed) so that the file is the same on every run:
  python3 gen_model.py [seed] > model.json
Requirements vary every month; each member supports about 60% of the
categories, half of them with one amount for all months and half with a
per-month list that changes at one or two months (pledge tranches);
80% of the members have a Beta reliability.
"""
import json
import random
import sys

CATEGORIES = ["air_defence", "artillery", "armour", "aircraft", "drones", "naval",
              "training", "budget_support", "humanitarian", "energy"]
MEMBERS = ["USA", "GBR", "FRA", "DEU", "ITA", "CAN", "JPN", "AUS", "NZL", "BEL",
           "NLD", "DNK", "NOR", "SWE", "FIN", "EST", "LVA", "LTU", "POL", "CZE",
           "SVK", "ROU", "BGR", "HRV", "SVN", "PRT", "ESP", "IRL", "LUX", "AUT",
           "GRC", "ISL", "TUR", "HUN", "CYP", "MLT", "KOR", "CHE", "ALB", "MKD"]
MONTHS = 36


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 2026
    rnd = random.Random(seed)
    win = random.Random(seed + 1)
    req = {}
    for c in CATEGORIES:
        base = rnd.uniform(0.2e9, 2.0e9)
        vals = []
        for _ in range(MONTHS):
            base *= rnd.uniform(0.96, 1.05)
            vals.append(round(base, -5))
        req[c] = vals
    # member weights: a few large donors, many small ones
    weights = [rnd.paretovariate(1.2) for _ in MEMBERS]
    members = []
    supports = {m: {} for m in MEMBERS}
    for c in CATEGORIES:
        who = [i for i in range(len(MEMBERS)) if rnd.random() < 0.6] or [0]
        tot = sum(weights[i] for i in who)
        mean_req = sum(req[c]) / MONTHS
        for i in who:
            amount = 1.15 * mean_req * weights[i] / tot
            if rnd.random() < 0.5:
                supports[MEMBERS[i]][c] = round(amount, -3)
            else:
                vals, cur = [], amount
                breaks = sorted(rnd.sample(range(1, MONTHS), rnd.randint(1, 2)))
                for t in range(MONTHS):
                    if t in breaks:
                        cur = amount * rnd.uniform(0.6, 1.4)
                    vals.append(round(cur, -3))
                supports[MEMBERS[i]][c] = vals
    for iso3 in MEMBERS:
        mem = {"iso3": iso3, "support": supports[iso3], "events": []}
        if rnd.random() < 0.8:
            mem["reliability"] = {"alpha": round(rnd.uniform(5, 20), 2), "beta": round(rnd.uniform(0.5, 3), 2)}
        for _ in range(rnd.randint(1, 3)):
            t = rnd.randrange(MONTHS)
            mem["events"].append({
                "month": "%04d-%02d" % (2026 + t // 12, t % 12 + 1),
                "probability": round(rnd.uniform(0.05, 0.6), 3),
                "factor": rnd.choice([0.0, 0.25, 0.5, 0.75]),
                "label": "election %d" % (len(mem["events"]) + 1),
            })
        # a third of the members have an event whose month is drawn in a
        # window (its own generator, so the events above stay as they were)
        if win.random() < 1 / 3:
            lo = win.randrange(-3, MONTHS)
            hi = lo + win.randint(1, 8)
            month = lambda t: "%04d-%02d" % (2026 + t // 12, t % 12 + 1)
            mem["events"].append({"month": month(lo), "earliest": month(lo), "latest": month(hi),
                                  "probability": round(win.uniform(0.1, 0.6), 3),
                                  "factor": win.choice([0.0, 0.5]), "label": "window election"})
        members.append(mem)
    model = {"start": "2026-01", "months": MONTHS, "categories": CATEGORIES,
             "requirements": req, "members": members, "correlation": 0.3,
             "shortfall_threshold": 1.0e9, "trials": 100000, "seed": 1}
    json.dump(model, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
