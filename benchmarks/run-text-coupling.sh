#!/usr/bin/env bash
# Rounds, network rows and wall time of jacobi and auto under both couplings on the shipped text
# model (n = 256, q = 37), M = 1, a few seeds: the question of whether Gumbel-max keeps values
# put when a conditional moves a little. Prints a Markdown table (and keeps the JSON reports).
#   benchmarks/run-text-coupling.sh [SEEDS] [OUTDIR]      (after mvn -q -B package -DskipTests)
set -euo pipefail
seeds=${1:-3}
out=${2:-benchmarks/results/text-coupling}
jar=${JAR:-target/autospec.jar}
mkdir -p "$out"
echo "| strategy | coupling | seed | rounds | network rows | wall s |"
echo "|---|---|---:|---:|---:|---:|"
for s in jacobi auto; do
  for c in inverse-cdf gumbel; do
    for seed in $(seq 1 "$seeds"); do
      r="$out/$s-$c-$seed.json"
      java -jar "$jar" sample --model onnx:onnx/models/text.onnx --strategy "$s:coupling=$c" --samples 1 \
        --seed "$seed" --no-progress --report "$r" --out /dev/null 2>/dev/null
      python3 -c "import json,sys; d=json.load(open('$r')); print('| $s | $c | $seed | %d | %d | %.1f |' % (d['rounds'], d.get('forwardRows', 0), d['wallSeconds']))"
    done
  done
done
