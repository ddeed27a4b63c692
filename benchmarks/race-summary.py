#!/usr/bin/env python3
"""The race grid: rounds per run, mean +- standard error (sd / sqrt(runs)), per
model x M x n for every strategy in the bench runs.csv files given, and auto / (fewest mean rounds of
the other exact strategies), with a verdict: "fewest" (ratio <= 1), "within 1 se" (auto's mean minus
the best other's within the larger of the two standard errors, one-sided), else "LOSES".

Usage: benchmarks/race-summary.py [--cost SUBSTRING] RUNS.csv...
  --cost S: also print, for the models whose spec contains S, the mean queries per sample and the
            mean wall seconds per run of every strategy (CPU, noisy; rounds are exact).
"""
import csv
import math
import sys
from collections import defaultdict

cells = defaultdict(lambda: defaultdict(list))
costs = defaultdict(lambda: defaultdict(list))
strategies = []
args = sys.argv[1:]
cost_filter = None
if args[:1] == ["--cost"]:
    cost_filter, args = args[1], args[2:]
for path in args:
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["error"]:
                continue
            key = (row["model"], int(row["samples"]), int(row["n"]))
            cells[key][row["strategy"]].append(float(row["rounds"]))
            costs[key][row["strategy"]].append((float(row["queries"]) / int(row["samples"]), float(row["wallSeconds"])))
            if row["strategy"] not in strategies:
                strategies.append(row["strategy"])

def stats(xs):
    m = sum(xs) / len(xs)
    se = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1) / len(xs)) if len(xs) > 1 else 0.0
    return m, se

def fmt(xs):
    if not xs:
        return "–"
    m, se = stats(xs)
    return f"{m:.1f}" if se == 0 else f"{m:.1f} ± {se:.1f}"

short = {"sequential": "seq", "speculative": "recursion", "token:window=64": "token 64",
         "token:window=adaptive": "token adaptive"}
print("| model | M | n | runs | " + " | ".join(short.get(s, s) for s in strategies) + " | best other | auto / best other | verdict |")
print("|---" * (len(strategies) + 7) + "|")
summary = defaultdict(int)
for key in sorted(cells, key=lambda k: (k[1], k[0], k[2])):
    runs = cells[key]
    if "auto" not in runs:
        continue
    a_m, a_se = stats(runs["auto"])
    others = {s: stats(v) for s, v in runs.items() if v and s != "auto"}
    if not others:
        continue
    best = min(others, key=lambda s: others[s][0])
    b_m, b_se = others[best]
    ratio = a_m / b_m
    verdict = "fewest" if ratio <= 1.0 else ("within 1 se" if a_m - b_m <= max(a_se, b_se) else "LOSES")
    summary[verdict] += 1
    print(f"| {key[0]} | {key[1]} | {key[2]} | {len(runs['auto'])} | " + " | ".join(fmt(runs.get(s, [])) for s in strategies)
          + f" | {short.get(best, best)} | {ratio:.2f} | {verdict} |")
print()
print("cells: " + ", ".join(f"{v} {k}" for k, v in sorted(summary.items())))

if cost_filter:
    print()
    print("| model | M | n | strategy | rounds | queries per sample | wall s per run |")
    print("|---|---|---|---|---|---|---|")
    for key in sorted(costs, key=lambda k: (k[1], k[0], k[2])):
        if cost_filter not in key[0]:
            continue
        for st in strategies:
            v = costs[key].get(st)
            if not v:
                continue
            q = sum(x for x, _ in v) / len(v)
            w = sum(y for _, y in v) / len(v)
            print(f"| {key[0]} | {key[1]} | {key[2]} | {short.get(st, st)} | {fmt(cells[key][st])} | {q:.0f} | {w:.2f} |")
