#!/usr/bin/env bash
# Learned diffusion: rounds, forward rows and wall time per sample for every diffusion
# strategy on the ONNX digits denoiser (onnx/models/digits-denoiser.onnx, d = 64), and on the exact
# mixture denoiser through ONNX beside the built-in gmm: of the same mixture (what the runtime costs
# per query); then the cost of batch-invariant chunks (chunk=C) for sequential and auto.
# Usage: benchmarks/onnx-denoiser.sh [OUT_DIR] [PER_RUN_SECONDS]   (after mvn -q -B package -DskipTests)
#   STEPS="256 1024 4096" MS="1 64" M1_ONLY_STEPS="4096" override the grid; a run past PER_RUN_SECONDS (default 120) is
#   recorded as a timeout. Writes OUT_DIR/runs.tsv and prints Markdown tables (onnx-denoiser-tables.py).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-benchmarks/results/onnx-denoiser}
LIMIT=${2:-120}
STEPS=${STEPS:-"256 1024 4096"}
MS=${MS:-"1 64"}
M1_ONLY_STEPS=${M1_ONLY_STEPS:-""}  # steps at which only M = 1 runs (to fit a time budget)
THREADS=${THREADS:-1}
JAR=target/autospec.jar
mkdir -p "$OUT"
TSV="$OUT/runs.tsv"
echo -e "model\tsteps\tM\tstrategy\tchunk\trounds\tforwardRows\tqueries\twallSeconds\tstatus" > "$TSV"
DIGITS=onnx/models/digits-denoiser.onnx
RES=onnx/src/test/resources/io/autospec/onnx/denoiser
strategies=(
  "sequential|--strategy sequential"
  "speculative|--strategy speculative"
  "picard exact (tol 0)|--strategy picard --tolerance 0"
  "auto|--strategy auto"
  "picard APPROXIMATE (tol 1e-3)|--strategy picard --tolerance 1e-3"
)
run() { # model-label model-spec steps M strategy-label args chunk-label
  local label=$1 spec=$2 steps=$3 m=$4 name=$5 args=$6 chunk=$7
  # shellcheck disable=SC2086
  if timeout "$LIMIT" java -Xmx2g -jar "$JAR" sample --model "$spec" $args --steps "$steps" --samples "$m" --seed 1 \
      --threads "$THREADS" --backend cpu --no-progress --out /dev/null --report "$OUT/r.json" 2>/dev/null; then
    jq -r --arg l "$label" --arg s "$name" --arg c "$chunk" \
      '[$l, .steps, .samples, $s, $c, .rounds, (.forwardRows // 0), .queries, .wallSeconds, "ok"] | @tsv' "$OUT/r.json" >> "$TSV"
  else
    echo -e "$label\t$steps\t$m\t$name\t$chunk\t\t\t\t\ttimeout" >> "$TSV"
  fi
}
for steps in $STEPS; do
  for m in $MS; do
    if [ "$m" != 1 ] && [[ " $M1_ONLY_STEPS " == *" $steps "* ]]; then continue; fi
    for entry in "${strategies[@]}"; do
      run digits-denoiser "onnx-denoiser:$DIGITS" "$steps" "$m" "${entry%%|*}" "${entry#*|}" 16
    done
  done
done
# The runtime's cost per query: the exact mixture denoiser through ONNX vs built-in (256 steps).
for m in $MS; do
  for entry in "${strategies[@]}"; do
    run mixture-onnx "onnx-denoiser:$RES/mixture.onnx" 256 "$m" "${entry%%|*}" "${entry#*|}" 16
    run mixture-builtin "gmm:$RES/mixture.csv" 256 "$m" "${entry%%|*}" "${entry#*|}" -
  done
done
# Batch invariance: cost of fixed chunks (0 = variable batches, not batch-invariant), 256 steps.
for chunk in 0 1 16 64; do
  for m in $MS; do
    run digits-chunks "onnx-denoiser:$DIGITS,chunk=$chunk" 256 "$m" sequential "--strategy sequential" "$chunk"
    run digits-chunks "onnx-denoiser:$DIGITS,chunk=$chunk" 256 "$m" auto "--strategy auto" "$chunk"
  done
done
rm -f "$OUT/r.json"
python3 benchmarks/onnx-denoiser-tables.py "$TSV"
