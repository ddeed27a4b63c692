#!/usr/bin/env python3
"""Mean rounds (and standard error) of jacobi/auto under inverse-cdf and gumbel, per model and M,
from bench runs.csv files; prints a Markdown table."""
import csv, math, sys
from collections import defaultdict

rows = defaultdict(list)
order = []
for path in sys.argv[1:]:
    for r in csv.DictReader(open(path)):
        if r["error"]:
            continue
        model = r["model"].replace("table:benchmarks/results/coupling/", "table:")
        key = (model, int(r["samples"]))
        if key not in order:
            order.append(key)
        rows[key + (r["strategy"],)].append(int(r["rounds"]))

def cell(v):
    m = sum(v) / len(v)
    se = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1) / len(v)) if len(v) > 1 else 0
    return m, f"{m:.1f} ± {se:.1f}" if len(v) > 1 else f"{m:.1f}"

print("| model | M | jacobi inverse-cdf | jacobi gumbel | ratio | auto inverse-cdf | auto gumbel | ratio |")
print("|---|---|---|---|---|---|---|---|")
for model, m in order:
    out = [model, str(m)]
    for s in ("jacobi", "auto"):
        a, b = rows.get((model, m, s)), rows.get((model, m, s + ":coupling=gumbel"))
        if not a or not b:
            out += ["-", "-", "-"]
            continue
        ma, ta = cell(a)
        mb, tb = cell(b)
        out += [ta, tb, f"{mb / ma:.2f}"]
    print("| " + " | ".join(out) + " |")
