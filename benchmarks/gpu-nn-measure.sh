#!/usr/bin/env bash
# Learned networks on autospec's executor, measured on a GPU host in one command (at most about 8
# minutes: 465 s of limits, typically less), every part under its own time limit and written to OUTDIR
# as it goes, so a part that runs out of time loses only itself:
#   (a) gpu-tests.txt   the GPU network executor contract (GpuNetExecutorTest, JUnit);
#   (b) rows.md         network rows per second, cuda executor vs ONNX Runtime CPU (all cores), batch
#                       16, 256, 4096, text.onnx and digits-denoiser.onnx; their largest relative
#                       difference; at batch 16 whether the device gives the host executor's bits;
#   (c) gemm.md         TFLOP/s of the matmul step: 4096^3 and the text model's shapes;
#   (d) wall.md         wall per sample through the engine, sequential / jacobi / auto on text.onnx at
#                       M = 1 and 64, sequential / auto on the digits denoiser (1024 steps), evaluator
#                       cuda vs onnxruntime; a cell past its limit is stopped (sequential: estimated from
#                       the rows it did, marked so);
#   (e) peer.md         the PyTorch peer: the text model as a torch module on the GPU, sequential
#                       sampling in a Python loop along a random order, M = 1 and 64.
#
# Usage: benchmarks/gpu-nn-measure.sh BUNDLE.tar.gz OUTDIR
#   BUNDLE: the full bundle from native-build/make-gpu-bundle.sh (not SLIM=1: the measurement needs
#   ONNX Runtime, which only the full jar holds). EMULATE=1: a dry run without a GPU (the host executor
#   stands in for the device, the network tests run on the host emulator, tiny sizes; timings mean
#   nothing). Limits in seconds: TEST_LIMIT ROWS_LIMIT GEMM_LIMIT WALL_LIMIT PEER_LIMIT; CELL_LIMIT
#   (one wall cell, default 8); PYTHON (default python3).
set -uo pipefail
bundle=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=$2
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/autospec-gpu-nn-measure.XXXXXX") # our own folder: nothing the user named is removed
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$bundle"
b=$work/autospec-gpu-bundle
threads=$(nproc)
emulate=0
[ "${EMULATE:-0}" = 1 ] && emulate=1
if [ $emulate = 1 ]; then AUTOSPEC_JAVA_OPTS="-Dautospec.root=$b/src ${AUTOSPEC_JAVA_OPTS:-}"; fi
export AUTOSPEC_JAVA_OPTS="-Xmx32g ${AUTOSPEC_JAVA_OPTS:-}"
source "$b/env.sh"
python=${PYTHON:-python3}
t0=$(date +%s)
stamp() { echo "[gpu-nn-measure] $(( $(date +%s) - t0 )) s: $*" | tee -a "$out/steps.txt"; }

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "uname: $(uname -srm)"
  echo "cpus: $threads; memory: $(free -g | awk '/Mem:/ {print $2}') GiB; load: $(cut -d' ' -f1-3 /proc/loadavg)"
  nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used,compute_cap --format=csv 2>&1
  echo "--- bundle"
  cat "$b/BUILD-INFO"
  echo "--- python: $("$python" -c 'import sys, torch; print(sys.version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda)' 2>&1 | tail -1)"
} > "$out/env.txt" 2>&1
stamp "environment recorded"
unzip -l "$b/lib/autospec.jar" ai/onnxruntime/OrtSession.class > /dev/null 2>&1 \
  || { stamp "this bundle has no ONNX Runtime (built with SLIM=1?): build the full one (native-build/make-gpu-bundle.sh)"; exit 1; }

net_measure() { # LIMIT MODE ARGS...: NetMeasure under a time limit
  local limit=$1; shift
  local extra=()
  [ $emulate = 1 ] && extra=(--emulate)
  timeout "$limit" "$JAVA" "${JAVA_OPTS[@]}" -cp "$b/lib/autospec.jar:$b/lib/autospec-nn-measure.jar" io.autospec.onnx.NetMeasure \
    "$@" --threads "$threads" --models "$b/src/onnx/models" "${extra[@]}" 2>&1 | grep -v -e ' INFO autospec - ' -e '^WARNING: '
  echo "exit status: ${PIPESTATUS[0]}"
}

# (a) the network executor contract: on the GPU, or on the host emulator in a dry run
if [ $emulate = 1 ]; then tests=io.autospec.cuda.EmulatedNetExecutorTest; else tests=io.autospec.cuda.GpuNetExecutorTest; fi
stamp "(a) $tests"
timeout "${TEST_LIMIT:-90}" "$b/run-gpu-tests.sh" --select-class "$tests" --details=tree > "$out/gpu-tests.txt" 2>&1
echo "exit status: $?" >> "$out/gpu-tests.txt"
grep -E 'tests (successful|failed|skipped|aborted)' "$out/gpu-tests.txt" | tee -a "$out/steps.txt"

# (b) rows per second
if [ $emulate = 1 ]; then batches=1,16; cell=3; else batches=16,256,4096; cell=6; fi
stamp "(b) rows per second, batches $batches"
net_measure "${ROWS_LIMIT:-120}" rows --batches "$batches" --cell-limit "$cell" text digits-denoiser > "$out/rows.md"
tail -n +1 "$out/rows.md" | grep '^|' | tail -n +3 | tee -a "$out/steps.txt"

# (c) matmul TFLOP/s: a square 4096 product and the text model's matmuls at 16 and 256 rows (m = rows x 256 tokens)
if [ $emulate = 1 ]; then
  sizes=(64x64x64 256x384x128)
else
  sizes=(4096x4096x4096)
  for m in 4096 65536; do sizes+=("${m}x384x128" "${m}x512x128" "${m}x128x512" "${m}x128x128" "${m}x37x128"); done
fi
stamp "(c) matmul ${sizes[*]}"
net_measure "${GEMM_LIMIT:-45}" gemm "${sizes[@]}" > "$out/gemm.md"

# (d) wall per sample through the engine
cells=()
if [ $emulate = 1 ]; then
  cells=("text|sequential|1" "digits-denoiser|sequential|1" "digits-denoiser|auto|1")
else
  for m in 1 64; do
    for s in sequential jacobi auto; do cells+=("text|$s|$m"); done
    for s in sequential auto; do cells+=("digits-denoiser|$s|$m"); done
  done
fi
stamp "(d) wall per sample, ${#cells[@]} cells x 2 evaluators, ${CELL_LIMIT:-8} s a cell"
net_measure "${WALL_LIMIT:-150}" wall --cell-limit "${CELL_LIMIT:-8}" "${cells[@]}" > "$out/wall.md"

# (e) the PyTorch peer
stamp "(e) PyTorch peer"
peer=(--model "$b/src/onnx/models/text.onnx" --train-script "$b/python/train_text.py" --samples 1 64)
[ $emulate = 1 ] && peer+=(--device cpu --steps 4 --samples 1 4)
(cd "$work" && timeout "${PEER_LIMIT:-60}" "$python" "$b/python/torch_text_peer.py" "${peer[@]}") > "$out/peer.md" 2>&1
echo "exit status: $?" >> "$out/peer.md"
stamp "done"
