#!/usr/bin/env bash
# Rounds, forward-pass rows, queries and wall time per sample on the ONNX digits model (n = 64, q = 2)
# and on its randomly initialised twin, for every strategy; M = 1 (mean over SEEDS runs) and M = 64.
# Usage: benchmarks/onnx-digits.sh [SEEDS] [THREADS]   (after mvn -q -B package -DskipTests)
# Prints a Markdown table per model (benchmarks/RESULTS.md, section "Learned model").
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=${1:-8}
THREADS=${2:-1}
JAR=target/autospec.jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
strategies=(
  "sequential|--strategy sequential"
  "speculative (defaults)|--strategy speculative"
  "speculative --max-span 4|--strategy speculative --max-span 4"
  "speculative --max-span 8|--strategy speculative --max-span 8"
  "speculative --max-span 16|--strategy speculative --max-span 16"
  "speculative --rho 3|--strategy speculative --rho 3"
  "token --window 4|--strategy token --window 4"
  "token --window 8|--strategy token --window 8"
  "token --window 16|--strategy token --window 16"
  "token --window 64|--strategy token --window 64"
)
for model in digits digits-random; do
  echo
  echo "#### \`onnx:onnx/models/$model.onnx\`"
  echo
  echo "| strategy | M | rounds | forward rows / sample | queries / sample | wall ms / sample |"
  echo "|---|---|---|---|---|---|"
  for entry in "${strategies[@]}"; do
    name=${entry%%|*}; args=${entry#*|}
    for m in 1 64; do
      runs=$([ "$m" = 1 ] && echo "$SEEDS" || echo 1)
      : > "$tmp/rows"
      for seed in $(seq 1 "$runs"); do
        # shellcheck disable=SC2086
        java -jar "$JAR" sample --model "onnx:onnx/models/$model.onnx" $args --samples "$m" --seed "$seed" \
          --threads "$THREADS" --backend cpu --no-progress --report "$tmp/r.json" 2>/dev/null
        jq -r '[.rounds, .forwardRows / .samples, .queriesPerSample, 1000 * .wallSeconds / .samples] | @tsv' "$tmp/r.json" >> "$tmp/rows"
      done
      awk -v name="$name" -v m="$m" -F'\t' '{r+=$1; f+=$2; q+=$3; w+=$4; k++}
        END {printf "| %s | %d | %.1f | %.1f | %.1f | %.2f |\n", name, m, r/k, f/k, q/k, w/k}' "$tmp/rows"
    done
  done
done
