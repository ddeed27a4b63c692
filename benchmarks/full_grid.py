#!/usr/bin/env python3
"""Summarises benchmarks/run-strategy-race-full.sh (the full grid) into grid.csv and grid.md.

Reads DIR/{ar,diff}-m{M}/<model>/{runs.csv,stops.csv}; per model x M x n and strategy: mean rounds,
queries per sample and CPU wall per run over seeds; rounds(auto)/min(others); the latency model
time = rounds x L + queries x c (c = smallest wall time per query among the strategies at that
point, as in the harness's LatencyModel) and its winner for L = 10 us, 1 ms, 20 ms; the fastest
measured CPU wall; least-squares slopes of log rounds and log queries on log n (>= 3 sizes); and
where each strategy stopped (stops.csv, or the budget cut when a size is missing without a stop).

With --new-auto DIR2 (the same layout, from benchmarks/run-auto-full-grid.sh: `auto` only, measured
after the re-drafting change, RESULTS §7 "auto, final"), DIR2's auto becomes a column "auto
(re-drafting)", DIR's auto is labelled "auto (hand-over)", each table gains rounds(re-drafting
auto)/min(others) with others = every non-auto strategy (sequential, the recursion, token w = 64,
token adaptive, jacobi; picard for diffusion), and a per-cell verdict closes grid.md (fewest rounds,
ties included / within 1.05 / worse, with every losing cell). Written to DIR2/grid.md, grid.csv and
slopes-full.csv, DIR untouched.
"""
import csv, math, os, sys
from collections import defaultdict

LAT = [(10e-6, "10us"), (1e-3, "1ms"), (20e-3, "20ms")]
SHORT = {"sequential": "seq", "speculative": "rec", "token:window=64": "tok64", "token:window=adaptive": "tokA",
         "jacobi": "jac", "picard:window=256,tol=0": "picard", "auto": "auto"}
ORDER = list(SHORT)
NEW = "auto:redraft"              # internal key of the re-drafting auto read from --new-auto
HEAD = dict(SHORT)                # column headings (SHORT stays the tag in winner lists)


def is_auto(s):
    return s == "auto" or s == NEW


def tag(s, kind):
    """Short name in a cell; on diffusion `auto` is exact Picard, untouched by re-drafting: plain "auto"."""
    return "auto" if s == "auto" and kind == "diff" else SHORT[s]


def head(s, kind):
    return "auto" if s == "auto" and kind == "diff" else HEAD[s]


def qcost(c, m):
    """c: smallest measured CPU wall per query at a cell, from DIR's strategies (the re-drafting auto
    ran in another process at another time; it counts only where nothing else ran)."""
    own = [v for s, v in c.items() if s != NEW and v[1] > 0] or [v for v in c.values() if v[1] > 0]
    return min(v[2] / m / v[1] for v in own)


def rival(s, t):
    """True when T is left out of S's min(others): itself, and for an auto the other auto."""
    return t == s or (is_auto(s) and is_auto(t))
MODELS = ["markov:q=2,stay=0.9", "parity:constraints=16", "ltr-markov:q=2,stay=0.999", "curie-weiss:beta=1.0",
          "atoms:k=64,d=2", "gmm:k=4,d=2"]


def slug(model):
    return model.replace(":", "_").replace(",", "_").replace("=", "_")


def fit(xs, ys):
    if len(xs) < 3:
        return float("nan")
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else float("nan")


def fmt(v):
    if v != v:
        return "–"
    if v >= 1e5:
        return "%.2g" % v
    return ("%.1f" % v).rstrip("0").rstrip(".") if v < 100 else "%d" % round(v)


def load(root, rename, runs, stops, sizes, skipped):
    """Reads ROOT/{ar,diff}-m{M}/<model>/{runs.csv,stops.csv}; strategy `auto` becomes RENAME if given."""
    for group in sorted(os.listdir(root)):
        gdir = os.path.join(root, group)
        if not os.path.isdir(gdir) or "-m" not in group:
            continue
        kind, m = group.split("-m")
        m = int(m)
        sizes[kind] = [2 ** k for k in (range(8, 17) if kind == "ar" else range(6, 15))]
        for md in sorted(os.listdir(gdir)):
            d = os.path.join(gdir, md)
            rf = os.path.join(d, "runs.csv")
            if not os.path.exists(rf):
                continue
            for r in csv.DictReader(open(rf)):
                st = rename if rename and r["strategy"] == "auto" else r["strategy"]
                runs[(kind, m, r["model"], st, int(r["n"]))].append(
                    (int(r["rounds"]), int(r["queries"]) / int(r["samples"]), float(r["wallSeconds"])))
            bf = os.path.join(d, "budget.txt")
            if os.path.exists(bf) and not rename:
                skipped[(kind, m, md)] = open(bf).read().strip()
            kf = os.path.join(d, "skipped.txt")
            if os.path.exists(kf) and not rename:
                skipped[(kind, m, md)] = open(kf).read().strip()
            sf = os.path.join(d, "stops.csv")
            if os.path.exists(sf):
                for r in csv.DictReader(open(sf)):
                    st = rename if rename and r["strategy"] == "auto" else r["strategy"]
                    stops[(kind, m, r["model"], st)] = (int(r["n"]), r["kind"], r["note"])


def main(root, new_root=None):
    global ORDER
    if new_root:
        SHORT[NEW] = "autoR"
        SHORT["auto"] = "autoH"
        HEAD[NEW] = "auto (re-drafting)"
        HEAD["auto"] = "auto (hand-over)"
        ORDER = list(SHORT)
    runs = defaultdict(list)          # (kind, M, model, strategy, n) -> [(rounds, queries/sample, wall/run)]
    stops = {}                        # (kind, M, model, strategy) -> (n, kind, note)
    sizes = {}
    skipped = {}                      # (kind, M, model dir) -> why the run of that model x M was cut short by hand
    for base, rename in [(root, None)] + ([(new_root, NEW)] if new_root else []):
        load(base, rename, runs, stops, sizes, skipped)
    cells = defaultdict(dict)         # (kind, M, model, n) -> strategy -> (rounds, q/sample, wall/run, seeds)
    for (kind, m, model, st, n), rs in runs.items():
        k = len(rs)
        cells[(kind, m, model, n)][st] = (sum(r[0] for r in rs) / k, sum(r[1] for r in rs) / k, sum(r[2] for r in rs) / k, k)
    rank = {m: i for i, m in enumerate(MODELS)}
    groups = sorted({(k[0], k[1], k[2]) for k in cells}, key=lambda g: (g[0], g[1], rank.get(g[2], 99), g[2]))
    dest = new_root or root
    out_csv = open(os.path.join(dest, "grid.csv"), "w", newline="")
    w = csv.writer(out_csv)
    w.writerow(["kind", "M", "model", "n", "strategy", "seeds", "rounds", "queriesPerSample", "wallSecondsPerRun",
                "cSecondsPerQuery"] + ["time_L%s" % l for _, l in LAT] + ["roundsOverMinOthers"])
    md = []
    slope_rows = []
    verdict = []                      # (kind, M, model, n, new auto, best other, its strategy, ratio)
    for kind, m, model in groups:
        strategies = [s for s in ORDER if any(s in cells[(kind, m, model, n)] for n in sizes[kind] if (kind, m, model, n) in cells)]
        ns = [n for n in sizes[kind] if (kind, m, model, n) in cells]
        md.append("")
        md.append("**%s**, M = %d: rounds (queries per sample)" % (model, m))
        md.append("")
        has_new = NEW in strategies
        md.append("| n | " + " | ".join(head(s, kind) for s in strategies) + " | %s / min(others) |" % head("auto", kind)
                  + (" %s / min(others) |" % HEAD[NEW] if has_new else "")
                  + " modelled winner, L = 10 µs / 1 ms / 20 ms | fastest CPU wall |")
        md.append("|---" * (len(strategies) + 4 + has_new) + "|")
        for n in sizes[kind]:
            c = cells.get((kind, m, model, n), {})
            if not c and n > max(ns):
                # nothing ran at this size: one line only if any strategy was still growing
                pass
            if not c:
                continue
            cost = qcost(c, m)
            row = ["%d" % n]
            for s in strategies:
                row.append("%s (%s)" % (fmt(c[s][0]), fmt(c[s][1])) if s in c else "–")
            others = [v[0] for s, v in c.items() if not is_auto(s)]
            for a in ["auto"] + ([NEW] if has_new else []):
                ratio = c[a][0] / min(others) if a in c and others else float("nan")
                row.append("**%.2f**" % ratio if ratio == ratio and ratio > 1.005 else ("%.2f" % ratio if ratio == ratio else "–"))
            if NEW in c and others:
                best = min((v[0], s) for s, v in c.items() if not is_auto(s))
                verdict.append((kind, m, model, n, c[NEW][0], best[0], best[1], c[NEW][0] / best[0],
                                c["auto"][0] if "auto" in c else float("nan"), len(others)))
            winners = []
            for L, _ in LAT:
                t = {s: v[0] * L + v[1] * m * cost for s, v in c.items()}
                best = min(t.values())
                winners.append("=".join(tag(x, kind) for x in ORDER if x in t and t[x] <= best * (1 + 1e-9)))
            partial = "" if len(c) == len(strategies) else "*"
            row.append(" / ".join(winners) + partial)
            fastest = min(c, key=lambda s: c[s][2])  # measured, noisy: no ties
            row.append("%s %.3g s%s" % (tag(fastest, kind), c[fastest][2], partial))
            md.append("| " + " | ".join(row) + " |")
            for s in strategies:
                if s in c:
                    v = c[s]
                    w.writerow([kind, m, model, n, s, v[3], "%.3f" % v[0], "%.1f" % v[1], "%.6f" % v[2], "%.4g" % cost]
                               + ["%.6g" % (v[0] * L + v[1] * m * cost) for L, _ in LAT]
                               + ["%.4f" % (v[0] / min(o[0] for t2, o in c.items() if not rival(s, t2)))
                                  if any(not rival(s, t2) for t2 in c) else ""])
        # slopes and stops
        for s in strategies:
            pts = [(n, cells[(kind, m, model, n)][s]) for n in ns if s in cells[(kind, m, model, n)]]
            xs = [math.log(n) for n, _ in pts]
            rs = fit(xs, [math.log(v[0]) for _, v in pts])
            qs = fit(xs, [math.log(v[1]) for _, v in pts])
            st = stops.get((kind, m, model, s))
            last = pts[-1][0] if pts else 0
            if st and st[1] == "slow" and st[0] == sizes[kind][-1]:
                where = "completed (" + st[2].split(": ", 1)[1] + ")"
            elif st:
                where = "%s at n=%d: %s" % (st[1], st[0], st[2])
            elif last < sizes[kind][-1] and (kind, m, slug(model)) in skipped:
                where = skipped[(kind, m, slug(model))]
            elif last < sizes[kind][-1]:
                where = "budget: not run beyond n=%d" % last
            else:
                where = ""
            slope_rows.append((kind, m, model, s, pts[0][0] if pts else 0, last, rs, qs, where))
    out_csv.close()
    # Time at the largest size where every strategy of the group ran.
    md.append("")
    md.append("Modelled time per run at L = 1 ms (rounds x 1 ms + queries x c) and measured CPU wall time per run, in seconds,"
              " at the largest n where every strategy ran (`t(1 ms) / wall`; fewest modelled in bold)"
              + (": autoR's wall was measured in another process at another time; on diffusion autoH is `auto`"
                 " (exact Picard), unchanged:" if new_root else ":"))
    md.append("")
    md.append("| kind | M | model | n | " + " | ".join(SHORT[s] for s in ORDER) + " |")
    md.append("|---" * (4 + len(ORDER)) + "|")
    for kind, m, model in groups:
        present = {s for n in sizes[kind] for s in cells.get((kind, m, model, n), {})}
        full = [n for n in sizes[kind] if (kind, m, model, n) in cells and set(cells[(kind, m, model, n)]) == present]
        if not full:
            continue
        n = full[-1]
        c = cells[(kind, m, model, n)]
        cost = qcost(c, m)
        t = {s: v[0] * 1e-3 + v[1] * m * cost for s, v in c.items()}
        best = min(t.values())
        row = [kind, str(m), model, str(n)]
        for s in ORDER:
            if s not in c:
                row.append("")
                continue
            cellt = "%.3g" % t[s]
            if t[s] <= best * (1 + 1e-9):
                cellt = "**" + cellt + "**"
            row.append("%s / %.3g" % (cellt, c[s][2]))
        md.append("| " + " | ".join(row) + " |")
    losses = []
    total = 0
    for (kind, m, model, n), c in sorted(cells.items()):
        others = [v[0] for s, v in c.items() if not is_auto(s)]
        if "auto" in c and others:
            total += 1
            ratio = c["auto"][0] / min(others)
            if ratio > 1.005:
                best = min((v[0], s) for s, v in c.items() if not is_auto(s))
                losses.append("%s M=%d n=%d: %s %s vs %s %s (%.2fx)" % (model, m, n, tag("auto", kind), fmt(c["auto"][0]),
                                                                         tag(best[1], kind), fmt(best[0]), ratio))
    md.append("")
    md.append("%s has the fewest rounds (ties included) in %d of %d cells; it loses in %d:" % (HEAD["auto"], total - len(losses), total, len(losses)))
    for l in losses:
        md.append("- " + l)
    if new_root:
        md.extend(new_auto_verdict(verdict))
    md.append("")
    md.append("Fitted slopes (log rounds and log queries per sample on log n, all sizes run, >= 3 needed) and where each strategy stopped:")
    md.append("")
    md.append("| kind | M | model | strategy | n range | rounds slope | queries slope | stopped |")
    md.append("|---|---|---|---|---|---|---|---|")
    for kind, m, model, s, lo, hi, rs, qs, where in slope_rows:
        md.append("| %s | %d | %s | %s | %d..%d | %s | %s | %s |" % (kind, m, model, tag(s, kind), lo, hi,
                  "–" if rs != rs else "%.2f" % rs, "–" if qs != qs else "%.2f" % qs, where.replace("|", "/")))
    with open(os.path.join(dest, "slopes-full.csv"), "w", newline="") as f:
        sw = csv.writer(f)
        sw.writerow(["kind", "M", "model", "strategy", "nMin", "nMax", "roundsSlope", "queriesSlope", "stopped"])
        for row in slope_rows:
            sw.writerow(list(row[:6]) + ["%.4f" % row[6], "%.4f" % row[7], row[8]])
    open(os.path.join(dest, "grid.md"), "w").write("\n".join(md) + "\n")
    print("\n".join(md))


def new_auto_verdict(verdict):
    """Per-cell verdict for the re-drafting auto: rounds / min(non-auto strategies) at each cell
    where it and at least one other strategy ran."""
    md = [""]
    fewest = [v for v in verdict if v[7] <= 1 + 1e-9]
    close = [v for v in verdict if 1 + 1e-9 < v[7] <= 1.05]
    worse = [v for v in verdict if v[7] > 1.05]
    old = [v for v in verdict if v[8] == v[8]]
    full = [v for v in verdict if v[9] == 5]
    md.append("%s against the non-auto strategies (seq, rec, tok64, tokA, jac), %d cells:"
              " fewest rounds (ties included) in %d, within 1.05x in %d, worse than 1.05x in %d."
              % (HEAD[NEW], len(verdict), len(fewest), len(close), len(worse)))
    md.append("Of these, %d cells have all five others: fewest in %d, within 1.05x in %d, worse in %d; in the other %d"
              " some strategies stopped, were refused or were not run (slopes table below)." % (len(full), sum(1 for v in full if v[7] <= 1 + 1e-9),
                                       sum(1 for v in full if 1 + 1e-9 < v[7] <= 1.05), sum(1 for v in full if v[7] > 1.05),
                                       len(verdict) - len(full)))
    if old:
        better = sum(1 for v in old if v[4] < v[8])
        same = sum(1 for v in old if v[4] == v[8])
        md.append("Against %s in the %d cells both ran: fewer rounds in %d, equal in %d, more in %d."
                  % (HEAD["auto"], len(old), better, same, len(old) - better - same))
    md.append("")
    md.append("Every cell where %s has more rounds than the best other strategy (worst first):" % HEAD[NEW])
    md.append("")
    for v in sorted(close + worse, key=lambda v: -v[7]):
        kind, m, model, n, r, b, s, ratio, o, k = v
        md.append("- %s M=%d n=%d: %s %s vs %s %s (%.2fx)%s" % (model, m, n, SHORT[NEW], fmt(r), SHORT[s], fmt(b), ratio,
                  "" if o != o else "; %s %s" % (SHORT["auto"], fmt(o))))
    return md


if __name__ == "__main__":
    args = sys.argv[1:]
    new_root = None
    if "--new-auto" in args:
        i = args.index("--new-auto")
        new_root = args[i + 1]
        del args[i:i + 2]
    main(args[0] if args else "benchmarks/results/strategy-race-full", new_root)
