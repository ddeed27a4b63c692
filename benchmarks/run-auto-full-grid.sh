#!/usr/bin/env bash
# Issue 12, full grid, the re-drafting `auto` only (RESULTS §7 "auto, final"): the AR part of
# run-strategy-race-full.sh (same models, n = 2^8..2^16, same seeds, --max-run-seconds 60
# --kill-run-seconds 150), M = 1 and 64, then M = 4096 as far as the budget goes. The other
# strategies, the old auto (hand-over) and diffusion (auto = exact Picard, unchanged) come from
# benchmarks/results/strategy-race-full (branch race-scale). BUDGET_S (default 35 min) covers all
# runs; one JVM per model x M. Writes benchmarks/results/strategy-race-full-auto/.
# Compare with: python3 benchmarks/full_grid.py benchmarks/results/strategy-race-full \
#                   --new-auto benchmarks/results/strategy-race-full-auto
set -uo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-target/autospec.jar}
BUDGET_S=${BUDGET_S:-2100}
OUT=${OUT:-benchmarks/results/strategy-race-full-auto}
START=$(date +%s)
AR_MODELS=("markov:q=2,stay=0.9" "parity:constraints=16" "ltr-markov:q=2,stay=0.999" "curie-weiss:beta=1.0")
ARS="--strategy auto"
slug() { echo "$1" | tr ':,=' '_-_'; }
one() {
  local model=$1 m=$2 xmx=$3 dir=$4; shift 4
  local left=$(( BUDGET_S - ($(date +%s) - START) ))
  if (( left < 30 )); then echo "$(date -u +%T) budget spent: skipped $model M=$m" | tee -a $OUT/log.txt; return; fi
  echo "$(date -u +%T) start $model M=$m (budget left ${left} s)" | tee -a $OUT/log.txt
  mkdir -p "$dir"
  timeout "$left" java -Xmx$xmx -jar "$JAR" bench --backend cpu --threads 2 --max-run-seconds 60 --kill-run-seconds 150 \
      --model "$model" --samples "$m" --out-dir "$dir" "$@" > /dev/null 2>> "$dir/bench.log"
  echo "$(date -u +%T) done  $model M=$m rc=$?" | tee -a $OUT/log.txt
}
mkdir -p $OUT
for m in "${AR_MODELS[@]}"; do one "$m" 1 4g $OUT/ar-m1/$(slug "$m") $ARS --n-min 256 --n-max 65536 --seeds 2 --seeds-max-n 16384; done
for m in "${AR_MODELS[@]}"; do one "$m" 64 4g $OUT/ar-m64/$(slug "$m") $ARS --n-min 256 --n-max 65536 --seeds 1; done
for m in "${AR_MODELS[@]}"; do one "$m" 4096 6g $OUT/ar-m4096/$(slug "$m") $ARS --n-min 256 --n-max 65536 --seeds 1; done
echo "$(date -u +%T) all done after $(( $(date +%s) - START )) s" | tee -a $OUT/log.txt
