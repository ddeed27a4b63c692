#!/usr/bin/env bash
# Issue 12, section 2: the cells where `auto` was not the best of the exact strategies, measured with
# enough seeds for a standard error: curie-weiss and parity at n = 256, ltr-markov at n = 256..1024;
# M = 1 (30 seeds) and M = 64 (5 seeds). Extra strategies (e.g. a new auto variant) may be passed as
# arguments ("--strategy SPEC ..."). Summaries with mean +- standard error: benchmarks/mean-se.py.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-benchmarks/results/auto-disputed}
J="timeout 900 java -Xmx3g -jar target/autospec.jar bench --backend cpu --threads 2 --max-run-seconds 60"
S="--strategy sequential --strategy speculative --strategy token:window=64 --strategy token:window=adaptive"
S="$S --strategy jacobi --strategy auto $*"
for m in 1 64; do
  seeds=$([ $m = 1 ] && echo 30 || echo 5)
  $J --model curie-weiss:beta=1.0 --model parity:constraints=16 $S --n-min 256 --n-max 256 \
     --seeds $seeds --samples $m --out-dir $OUT/small-m$m > /dev/null
  $J --model ltr-markov:q=2,stay=0.999 $S --n-min 256 --n-max 1024 \
     --seeds $seeds --samples $m --out-dir $OUT/ltr-m$m > /dev/null
done
python3 benchmarks/mean-se.py $OUT/*/runs.csv > $OUT/mean-se.md
cat $OUT/mean-se.md
