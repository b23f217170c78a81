#!/usr/bin/env python3
"""Reference readout of the generated campaign, computed independently of
segsim with statsmodels (Newcombe's hybrid score interval, Welch's t
interval) and scipy (normal quantiles for power).

Run from this directory:  python3 reference.py > reference.json
(Debian: apt-get install python3-statsmodels python3-scipy)
"""
import csv
import json
import math

from scipy.stats import norm
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

START, END = "2025-03-01", "2025-03-14"
# Cost, margin, response and baseline of each action (the test's playbook).
PLAYBOOK = {
    "coupon_20": (8.0, 0.4, 0.20, 0.08),
    "sms": (0.5, 0.5, 0.10, 0.08),
    "edm": (0.1, 0.5, 0.09, 0.08),
}

plan = list(csv.DictReader(open("campaign_plan.csv", encoding="utf-8")))
revenue, bought = {}, set()
for o in csv.DictReader(open("campaign_orders.csv", encoding="utf-8")):
    if o["status"] == "paid" and START <= o["order_date"] <= END:
        revenue[o["customer_id"]] = revenue.get(o["customer_id"], 0) + round(float(o["amount"]) * 100)
        bought.add(o["customer_id"])


def line(contacted, held):
    n1, n0 = len(contacted), len(held)
    x1 = sum(c["customer_id"] in bought for c in contacted)
    x0 = sum(c["customer_id"] in bought for c in held)
    r1 = [revenue.get(c["customer_id"], 0) / 100 for c in contacted]
    r0 = [revenue.get(c["customer_id"], 0) / 100 for c in held]
    p1, p0 = x1 / n1, x0 / n0
    lo, hi = confint_proportions_2indep(x1, n1, x0, n0, method="newcomb", compare="diff", alpha=0.05)
    rlo, rhi = CompareMeans(DescrStatsW(r1), DescrStatsW(r0)).tconfint_diff(alpha=0.05, usevar="unequal")
    diff = sum(r1) / n1 - sum(r0) / n0
    cost = sum(PLAYBOOK[c["action"]][0] for c in contacted)
    margin = sum(PLAYBOOK[c["action"]][1] for c in contacted) / n1
    up = sum(PLAYBOOK[c["action"]][2] - PLAYBOOK[c["action"]][3] for c in contacted) / n1
    base = sum(PLAYBOOK[c["action"]][3] for c in contacted) / n1
    q1, q0 = base + up, base
    se = math.sqrt(q0 * (1 - q0) / n0 + q1 * (1 - q1) / n1)
    z = norm.ppf(0.975)
    power = norm.cdf(abs(up) / se - z) + norm.cdf(-abs(up) / se - z)
    return {
        "contacted": n1, "holdout": n0, "contacted_buyers": x1, "holdout_buyers": x0,
        "contacted_rate": p1, "holdout_rate": p0, "uplift": p1 - p0, "uplift_ci": [lo, hi],
        "incremental_buyers": (p1 - p0) * n1,
        "contacted_revenue": sum(r1), "holdout_revenue": sum(r0),
        "revenue_per_contacted": sum(r1) / n1, "revenue_per_holdout": sum(r0) / n0,
        "incremental_revenue": diff * n1, "incremental_revenue_ci": [rlo * n1, rhi * n1],
        "cost": cost, "margin": margin, "profit": diff * n1 * margin - cost,
        "roi": (diff * n1 * margin - cost) / cost, "power": power,
    }


contacted = [c for c in plan if c["action"] and c["holdout"] == "false"]
held = [c for c in plan if c["holdout"] == "true"]
out = {"actions": {}, "segments": {}}
for a in sorted({c["action"] for c in contacted}):
    segs = {c["segment"] for c in contacted if c["action"] == a}
    out["actions"][a] = line([c for c in contacted if c["action"] == a], [c for c in held if c["segment"] in segs])
for s in sorted({c["segment"] for c in plan}):
    h = [c for c in held if c["segment"] == s]
    if h:
        out["segments"][s] = line([c for c in contacted if c["segment"] == s], h)
out["total"] = line(contacted, held)
json.dump(out, open("reference.json", "w"), indent=1, sort_keys=True)
