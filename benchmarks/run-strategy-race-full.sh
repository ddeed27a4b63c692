#!/usr/bin/env bash
# The full grid: every exact strategy, M = 1, 64, 4096, AR n = 2^8..2^16 and diffusion
# N = 2^6..2^14 steps, ordered so the most informative cells come first, within a wall-time budget
# (BUDGET_S, default 80 min for all runs together). A strategy x model stops growing n once a run
# takes over 60 s; a run still going at 150 s is abandoned; a run whose estimated memory exceeds the
# heap is refused; each such stop is in stops.csv with its reason. One JVM per model x M, so a
# budget cut loses at most the cell in progress (its finished runs stay in runs.csv).
# Summarise with: python3 benchmarks/full_grid.py benchmarks/results/strategy-race-full
set -uo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-target/autospec.jar}
BUDGET_S=${BUDGET_S:-4800}
OUT=${OUT:-benchmarks/results/strategy-race-full}
START=$(date +%s)
AR_MODELS=("markov:q=2,stay=0.9" "parity:constraints=16" "ltr-markov:q=2,stay=0.999" "curie-weiss:beta=1.0")
DI_MODELS=("atoms:k=64,d=2" "gmm:k=4,d=2")
ARS=${ARS:-"--strategy sequential --strategy speculative --strategy token:window=64 --strategy token:window=adaptive --strategy jacobi --strategy auto"}
AR_ONLY=${AR_ONLY:-0}  # 1: skip diffusion (run-auto-full-grid.sh)
DIS="--strategy sequential --strategy speculative --strategy picard:window=256,tol=0 --strategy auto"
slug() { echo "$1" | tr ':,=' '_-_'; }
# one MODEL M XMX DIR EXTRA...: one model at M samples per run, cut at the remaining budget.
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
# (1) AR, M = 1: 2 seeds up to n = 16384, 1 beyond.
for m in "${AR_MODELS[@]}"; do one "$m" 1 4g $OUT/ar-m1/$(slug "$m") $ARS --n-min 256 --n-max 65536 --seeds 2 --seeds-max-n 16384; done
# (2) AR, M = 64, 1 seed.
for m in "${AR_MODELS[@]}"; do one "$m" 64 4g $OUT/ar-m64/$(slug "$m") $ARS --n-min 256 --n-max 65536 --seeds 1; done
if (( ! AR_ONLY )); then
# (3) Diffusion (geometric steps, delta 1e-3), M = 1 (2 seeds) and M = 64 (1 seed), N = 64..16384.
for m in "${DI_MODELS[@]}"; do one "$m" 1 4g $OUT/diff-m1/$(slug "$m") $DIS --steps-min 64 --steps-max 16384 --seeds 2; done
for m in "${DI_MODELS[@]}"; do one "$m" 64 4g $OUT/diff-m64/$(slug "$m") $DIS --steps-min 64 --steps-max 16384 --seeds 1; done
fi
# (4) M = 4096, 1 seed, as far as time and a 6 GB heap allow.
for m in "${AR_MODELS[@]}"; do one "$m" 4096 6g $OUT/ar-m4096/$(slug "$m") $ARS --n-min 256 --n-max 65536 --seeds 1; done
(( AR_ONLY )) || for m in "${DI_MODELS[@]}"; do one "$m" 4096 6g $OUT/diff-m4096/$(slug "$m") $DIS --steps-min 64 --steps-max 16384 --seeds 1; done
echo "$(date -u +%T) all done after $(( $(date +%s) - START )) s" | tee -a $OUT/log.txt
