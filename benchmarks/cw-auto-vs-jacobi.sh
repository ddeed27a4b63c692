#!/usr/bin/env bash
# Per-seed rounds and queries of auto, auto:hedge=false and jacobi on Curie-Weiss beta = 1.3,
# n = 1024, 8 samples a run, seeds 1..16 (RESULTS.md §14, "auto as guess streams").
# Usage: benchmarks/cw-auto-vs-jacobi.sh [JAR] > table.csv
set -euo pipefail
JAR=${1:-target/autospec.jar}
echo "seed,strategy,rounds,queries,md5"
for seed in $(seq 1 16); do
  for s in auto auto:hedge=false jacobi; do
    out=$(mktemp)
    rep=$(java -jar "$JAR" sample --model curie-weiss:beta=1.3 --n 1024 --strategy "$s" --samples 8 --seed "$seed" \
          --backend cpu --threads 1 --out "$out" --report - 2>/dev/null)
    r=$(echo "$rep" | sed -n 's/^  "rounds": \([0-9]*\),/\1/p')
    q=$(echo "$rep" | sed -n 's/^  "queries": \([0-9]*\),/\1/p')
    echo "$seed,$s,$r,$q,$(md5sum < "$out" | cut -c1-12)"
    rm -f "$out"
  done
done
