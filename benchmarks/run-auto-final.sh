#!/usr/bin/env bash
# "auto, final": re-drafting auto side by side with every exact AR strategy and
# the previous auto (stall hand-over, auto:redraft=false); n = 256, 1024, 4096; M = 1 (10 seeds) and
# M = 64 (2 seeds). Writes benchmarks/results/auto-final/{m1,m64}-n*/ and mean-se.md (mean ± se).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-benchmarks/results/auto-final}
J="timeout 1200 java -Xmx3g -jar target/autospec.jar bench --backend cpu --threads 2 --max-run-seconds 20"
AR="--model markov:q=2,stay=0.9 --model curie-weiss:beta=1.0 --model parity:constraints=16 --model ltr-markov:q=2,stay=0.999"
S="--strategy sequential --strategy speculative --strategy token:window=64 --strategy token:window=adaptive --strategy jacobi"
S="$S --strategy auto:redraft=false --strategy auto"
for n in 256 1024 4096; do
  $J $AR $S --n-min $n --n-max $n --seeds 10 --samples 1 --out-dir $OUT/m1-n$n > /dev/null
  $J $AR $S --n-min $n --n-max $n --seeds 2 --samples 64 --out-dir $OUT/m64-n$n > /dev/null
done
python3 benchmarks/mean-se.py $OUT/*/runs.csv > $OUT/mean-se.md
cat $OUT/mean-se.md
