#!/usr/bin/env python3
"""Markdown tables from benchmarks/onnx-denoiser.sh's runs.tsv (RESULTS.md, section 12).

Latency model (as in section 7): modelled time per run = rounds x L + rows x c, where rows are forward
rows (the built-in mixture: queries) and c is the smallest measured CPU wall time per row among the
strategies of that (model, steps, M) cell."""
import csv
import sys
from collections import defaultdict

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
LS = [("L = 10 us", 1e-5), ("L = 1 ms", 1e-3), ("L = 20 ms", 2e-2)]


def num(r, k):
    return float(r[k]) if r[k] not in ("", None) else None


def work(r):
    f = num(r, "forwardRows")
    return f if f else num(r, "queries")


def table(select, title):
    cells = defaultdict(list)
    for r in rows:
        if select(r):
            cells[(r["model"], int(r["steps"]), int(r["M"]))].append(r)
    print(f"\n#### {title}\n")
    print("| model | steps | M | strategy | rounds | forward rows / sample | wall ms / sample | c (us/row) | "
          + " | ".join(name for name, _ in LS) + " |")
    print("|---|---|---|---|---|---|---|---|" + "---|" * len(LS))
    for key in sorted(cells, key=lambda k: (k[0], k[1], k[2])):
        ok = [r for r in cells[key] if r["status"] == "ok"]
        c = min((num(r, "wallSeconds") / work(r) for r in ok), default=None)
        for r in cells[key]:
            m = int(r["M"])
            if r["status"] != "ok":
                print(f"| {key[0]} | {key[1]} | {m} | {r['strategy']} | timeout | | | | " + " | ".join("" for _ in LS) + " |")
                continue
            rounds, w, wall = num(r, "rounds"), work(r), num(r, "wallSeconds")
            model = [rounds * L + w * c for _, L in LS]
            print(f"| {key[0]} | {key[1]} | {m} | {r['strategy']} | {rounds:.0f} | {w / m:.1f} | {1000 * wall / m:.2f} | "
                  f"{1e6 * c:.2f} | " + " | ".join(f"{v:.3g}" for v in model) + " |")


def chunks():
    print("\n#### Cost of batch invariance: fixed chunks (digits denoiser, 256 steps; chunk 0 = variable batches, not batch-invariant)\n")
    print("| strategy | M | chunk | rounds | forward rows / sample | wall ms / sample |")
    print("|---|---|---|---|---|---|")
    for r in sorted((r for r in rows if r["model"] == "digits-chunks"), key=lambda r: (r["strategy"], int(r["M"]), int(r["chunk"]))):
        if r["status"] != "ok":
            print(f"| {r['strategy']} | {r['M']} | {r['chunk']} | timeout | | |")
            continue
        m = int(r["M"])
        print(f"| {r['strategy']} | {m} | {r['chunk']} | {num(r, 'rounds'):.0f} | {work(r) / m:.1f} | "
              f"{1000 * num(r, 'wallSeconds') / m:.2f} |")


table(lambda r: r["model"] == "digits-denoiser", "ONNX digits denoiser (chunk 16)")
table(lambda r: r["model"].startswith("mixture"), "Exact mixture denoiser: through ONNX (chunk 16) vs built-in gmm:, 256 steps")
chunks()
