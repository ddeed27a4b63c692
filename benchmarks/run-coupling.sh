#!/usr/bin/env bash
# Couplings: rounds of jacobi and auto under the two couplings (inverse-cdf, gumbel), on Potts
# chains q = 2..64 (n = 1024, random order) and on random table models with q = 8 and 16; M = 1
# (20 seeds) and M = 64 (5 seeds). A few minutes on 2 cores. Summary: benchmarks/coupling-summary.py.
set -euo pipefail
cd "$(dirname "$0")/.."
J="java -Xmx3g -jar target/autospec.jar bench --backend cpu --threads 2 --max-run-seconds 60 --force"
OUT=benchmarks/results/coupling
mkdir -p $OUT
# Random tables: A assignments of [q]^n drawn uniformly (repeats dropped), weights exp(N(0, 2^2))
# times a bonus for runs of equal neighbours (so positions are coupled).
python3 - "$OUT" <<'PY'
import random, math, sys
out = sys.argv[1]
for n, q, a in ((8, 8, 4000), (6, 16, 4000)):
    rnd = random.Random(1000 * q + n)
    seen = set()
    with open(f"{out}/table-n{n}-q{q}.csv", "w") as f:
        f.write(f"# random table over [{q}]^{n}, {a} draws\n")
        while len(seen) < a:
            x = tuple(rnd.randrange(q) for _ in range(n))
            if x in seen: continue
            seen.add(x)
            w = math.exp(rnd.gauss(0, 2) + sum(1.0 for i in range(n - 1) if x[i] == x[i + 1]))
            f.write(",".join(map(str, x)) + f",{w:.6g}\n")
PY
S="--strategy jacobi --strategy jacobi:coupling=gumbel --strategy auto --strategy auto:coupling=gumbel"
P=""
for q in 2 4 8 16 32 64; do P="$P --model potts:q=$q,stay=0.5 --model potts:q=$q,stay=0.9"; done
for m in "1 20" "64 5"; do
  set -- $m
  $J $P $S --n-min 1024 --n-max 1024 --seeds $2 --samples $1 --out-dir $OUT/potts-m$1 > /dev/null
  $J --model table:$OUT/table-n8-q8.csv $S --n-min 8 --n-max 8 --seeds $2 --samples $1 --out-dir $OUT/table8-m$1 > /dev/null
  $J --model table:$OUT/table-n6-q16.csv $S --n-min 6 --n-max 6 --seeds $2 --samples $1 --out-dir $OUT/table16-m$1 > /dev/null
done
python3 benchmarks/coupling-summary.py $OUT/{potts,table8,table16}-m1/runs.csv $OUT/{potts,table8,table16}-m64/runs.csv
