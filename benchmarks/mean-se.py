#!/usr/bin/env python3
"""Rounds per run, mean +- standard error (sd / sqrt(runs)), from bench runs.csv files.

Usage: benchmarks/mean-se.py RUNS.csv...  Prints one markdown table: model, M, n, then one column per
strategy ("mean ± se (runs)"), and the best strategy by mean.
"""
import csv
import math
import sys
from collections import defaultdict

cells = defaultdict(lambda: defaultdict(list))
strategies = []
for path in sys.argv[1:]:
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["error"]:
                continue
            key = (row["model"], int(row["samples"]), int(row["n"]))
            cells[key][row["strategy"]].append(float(row["rounds"]))
            if row["strategy"] not in strategies:
                strategies.append(row["strategy"])

def fmt(xs):
    if not xs:
        return "–"
    m = sum(xs) / len(xs)
    se = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1) / len(xs)) if len(xs) > 1 else float("nan")
    return f"{m:.1f} ± {se:.1f} ({len(xs)})"

print("| model | M | n | " + " | ".join(strategies) + " | fewest (mean) |")
print("|---" * (len(strategies) + 4) + "|")
for key in sorted(cells):
    runs = cells[key]
    means = {s: sum(v) / len(v) for s, v in runs.items() if v}
    best = min(means, key=means.get)
    print(f"| {key[0]} | {key[1]} | {key[2]} | " + " | ".join(fmt(runs.get(s, [])) for s in strategies) + f" | {best} |")
