#!/usr/bin/env bash
# The race grid. Rounds of every exact strategy on every shipped model kind, M = 1
# (SEEDS1 seeds, default 10; Curie-Weiss SEEDS_CW1, default 40, for the recursion's heavy tail) and
# M = 64 (SEEDS64, default 5; without ust:grid=32x32 and aztec:order=16, whose sequential M = 64 runs
# take minutes each here); then benchmarks/race-summary.py writes the table with auto / best other per
# cell. Rounds are exact counts (deterministic per seed), so a loaded machine only stretches the wall
# time. About 45 minutes on the project's 2-vCPU VM (the text model alone 15).
# Usage: benchmarks/run-race.sh [OUT]   (PARTS="ar det learned text" selects parts, MS="1 64" the sample
# counts, STRATEGIES="--strategy auto ..." the strategies; JAR the jar)
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-benchmarks/results/race}
SEEDS1=${SEEDS1:-10}; SEEDS64=${SEEDS64:-5}; SEEDS_CW1=${SEEDS_CW1:-40}
PARTS=${PARTS:-"ar det learned text"}
mkdir -p "$OUT"
J="java -Xmx6g -jar ${JAR:-target/autospec.jar} bench --backend cpu --threads 2 --max-run-seconds 60 --kill-run-seconds 120 --force"
S=${STRATEGIES:-"--strategy sequential --strategy speculative --strategy token:window=64 --strategy token:window=adaptive --strategy jacobi --strategy auto"}
# A weighted graph: a 12x12 grid with log-normal edge weights (seeded), for ust:PATH.
if [ ! -f "$OUT/weighted-grid-12x12.csv" ]; then
  awk 'BEGIN { srand(22); w = 12; print "# 12x12 grid, weights exp(N(0,1)) (awk srand(22), Box-Muller)";
    for (y = 0; y < w; y++) for (x = 0; x < w; x++) { v = y * w + x;
      if (x + 1 < w) { u1 = rand(); u2 = rand(); printf "%d,%d,%.6g\n", v, v + 1, exp(sqrt(-2 * log(1 - u1)) * cos(6.283185307 * u2)) }
      if (y + 1 < w) { u1 = rand(); u2 = rand(); printf "%d,%d,%.6g\n", v, v + w, exp(sqrt(-2 * log(1 - u1)) * cos(6.283185307 * u2)) } } }' \
    > "$OUT/weighted-grid-12x12.csv"
fi
cell() { # cell NAME N M SEEDS MODEL [extra strategies...]
  local name=$1 n=$2 m=$3 seeds=$4 model=$5; shift 5
  $J --model "$model" $S "$@" --n-min "$n" --n-max "$n" --seeds "$seeds" --samples "$m" \
     --out-dir "$OUT/$name-m$m" > /dev/null 2> "$OUT/$name-m$m.log"
}
for m in ${MS:-1 64}; do
  seeds=$([ $m = 1 ] && echo "$SEEDS1" || echo "$SEEDS64")
  if [[ " $PARTS " == *" ar "* ]]; then
    cws=$([ $m = 1 ] && echo "$SEEDS_CW1" || echo "$seeds")
    for b in 0.5 0.8 0.9 1.0; do for n in 256 1024; do cell cw$b-n$n $n $m $cws curie-weiss:beta=$b; done; done
    for q in 2 8 64; do cell potts$q 1024 $m $seeds potts:q=$q,stay=0.9; done
  fi
  if [[ " $PARTS " == *" det "* ]]; then
    cell ust8 112 $m $seeds ust:grid=8x8
    cell ust16 480 $m $seeds ust:grid=16x16
    [ $m = 1 ] && cell ust32 1984 $m $seeds ust:grid=32x32
    cell ustw12 264 $m $seeds "ust:$OUT/weighted-grid-12x12.csv"
    cell aztec4 64 $m $seeds aztec:order=4
    cell aztec8 256 $m $seeds aztec:order=8
    [ $m = 1 ] && cell aztec16 1024 $m $seeds aztec:order=16
    cell dpp256 256 $m $seeds dpp:random,n=256,rank=64,seed=1
  fi
  if [[ " $PARTS " == *" learned "* ]]; then
    cell digits 64 $m $seeds onnx:onnx/models/digits.onnx
  fi
done
# The text model (n = 256, q = 37): M = 1 only (a network row costs 20-40 ms on 2 cores).
if [[ " $PARTS " == *" text "* ]]; then
  cell text 256 1 5 onnx:onnx/models/text.onnx
fi
python3 benchmarks/race-summary.py --cost onnx "$OUT"/*/runs.csv > "$OUT/race.md"
