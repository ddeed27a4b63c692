#!/usr/bin/env bash
# The GPU measurement (RESULTS.md section 6) on a GPU host, in one command (about 7 minutes at most; 410 s of limits): the environment,
# the GPU test classes, then io.autospec.cuda.GpuMeasure (per-round overhead, oracle throughput,
# CPU-vs-GPU wall time per sample), every part under its own time limit and written to OUTDIR as it
# goes, so a part that runs out of time loses only itself.
#
# Usage: benchmarks/gpu-measure.sh BUNDLE.tar.gz OUTDIR
#   BUNDLE: from native-build/make-gpu-bundle.sh (SLIM=1 is enough). EMULATE=1 runs GpuMeasure on the
#   host emulator instead (to check this script without a GPU; timings then mean nothing).
#   ONLY_CELLS="MODEL|N|STRATEGY|M ...": only the wall-time part, on these cells (a second run for
#   cells a first one left out), written to OUTDIR/wall.md.
set -uo pipefail
bundle=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=$2
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/autospec-gpu-measure.XXXXXX") # our own folder: nothing the user named is removed
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$bundle"
b=$work/autospec-gpu-bundle
threads=$(nproc)
emulate=()
if [ "${EMULATE:-0}" = 1 ]; then
  emulate=(--emulate)
  AUTOSPEC_JAVA_OPTS="-Dautospec.root=$b/src ${AUTOSPEC_JAVA_OPTS:-}"
fi
export AUTOSPEC_JAVA_OPTS="-Xmx32g ${AUTOSPEC_JAVA_OPTS:-}"
source "$b/env.sh"
t0=$(date +%s)
stamp() { echo "[gpu-measure] $(( $(date +%s) - t0 )) s: $*" | tee -a "$out/steps.txt"; }

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "uname: $(uname -srm)"
  echo "cpus: $threads; memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used,compute_cap --format=csv 2>&1
  nvidia-smi 2>&1 | head -20
  echo "--- bundle"
  cat "$b/BUILD-INFO"
} > "$out/env.txt" 2>&1
stamp "environment recorded"

measure() { # LIMIT MODE ARGS...: GpuMeasure under a time limit
  local limit=$1; shift
  timeout "$limit" "$JAVA" "${JAVA_OPTS[@]}" -cp "$b/lib/autospec.jar:$b/lib/autospec-tests.jar" io.autospec.cuda.GpuMeasure \
    "$@" --threads "$threads" "${emulate[@]}" 2>&1
  echo "exit status: $?"
}

if [ -n "${ONLY_CELLS:-}" ]; then
  read -r -a cells <<< "$ONLY_CELLS"
  stamp "wall time per sample (${#cells[@]} cells)"
  measure "${WALL_LIMIT:-150}" wall --deadline "$(( ${WALL_LIMIT:-150} - 30 ))" --cpu-cap 12 "${cells[@]}" > "$out/wall.md"
  stamp "done"
  exit 0
fi
if [ "${EMULATE:-0}" != 1 ]; then
  stamp "GPU test classes"
  timeout "${TEST_LIMIT:-150}" "$b/run-gpu-tests.sh" -Dautospec.gpu.runs=2000 --details=tree > "$out/gpu-tests.txt" 2>&1
  echo "exit status: $?" >> "$out/gpu-tests.txt"
  grep -E 'tests (successful|failed|skipped|aborted)' "$out/gpu-tests.txt" | tee -a "$out/steps.txt"
fi

stamp "overhead"
measure 30 overhead > "$out/overhead.md"
stamp "throughput"
measure 80 throughput --deadline 65 --cpu-cap 15 > "$out/throughput.md"
stamp "wall time per sample"
cells=()
for m in 1 64; do
  for s in sequential auto speculative; do cells+=("atoms:k=1024,d=16|4096|$s|$m"); done
  for s in sequential auto speculative; do cells+=("gmm:k=64,d=16|4096|$s|$m"); done
done
for m in 1 64; do
  for s in sequential auto speculative; do cells+=("markov:q=2,stay=0.9|65536|$s|$m"); done
  for s in sequential auto speculative; do cells+=("curie-weiss:beta=1.2|4096|$s|$m"); done
done
for model in ust:grid=32x32 aztec:order=32; do
  for m in 1 64; do
    for s in sequential auto speculative; do cells+=("$model|0|$s|$m"); done
  done
done
measure "${WALL_LIMIT:-150}" wall --deadline "$(( ${WALL_LIMIT:-150} - 30 ))" --cpu-cap 12 "${cells[@]}" > "$out/wall.md"
stamp "done"
