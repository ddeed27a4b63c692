#!/usr/bin/env python3
"""auto before/after per race cell: benchmarks/race-compare.py OLD_DIR NEW_DIR (each holding <cell>/runs.csv).

Rounds (mean +- standard error over seeds), queries per sample, and per seed whether the new auto
needed more rounds than jacobi (jacobi from OLD_DIR, or from NEW_DIR where it was run there too)."""
import csv, math, os, sys


def runs(path):
    out = {}
    if not os.path.exists(path):
        return out
    for r in csv.DictReader(open(path)):
        if r.get('error'):
            continue
        out.setdefault(r['strategy'], {})[int(r['seed'])] = (int(r['rounds']), int(r['queries']) / int(r['samples']))
    return out


def mean_se(xs):
    m = sum(xs) / len(xs)
    se = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1) / len(xs)) if len(xs) > 1 else 0.0
    return m, se


old_dir, new_dir = sys.argv[1], sys.argv[2]
print('| cell | model | M | seeds | jacobi | auto before | auto after | queries/sample jacobi / before / after | seeds with auto after > jacobi |')
print('|---|---|---|---|---|---|---|---|---|')
for cell in sorted(os.listdir(new_dir)):
    new = runs(os.path.join(new_dir, cell, 'runs.csv'))
    old = runs(os.path.join(old_dir, cell, 'runs.csv'))
    if 'auto' not in new or 'auto' not in old or 'jacobi' not in old:
        continue
    jac = new.get('jacobi', old['jacobi'])
    seeds = sorted(set(new['auto']) & set(old['auto']) & set(jac))
    model = next(iter(csv.DictReader(open(os.path.join(new_dir, cell, 'runs.csv')))))
    f = lambda d: '%.1f ± %.1f' % mean_se([d[s][0] for s in seeds])
    q = lambda d: '%.0f' % (sum(d[s][1] for s in seeds) / len(seeds))
    worse = sum(1 for s in seeds if new['auto'][s][0] > jac[s][0])
    print('| %s | %s | %s | %d | %s | %s | %s | %s / %s / %s | %d |' % (cell, model['model'], model['samples'], len(seeds), f(jac),
          f(old['auto']), f(new['auto']), q(jac), q(old['auto']), q(new['auto']), worse))
