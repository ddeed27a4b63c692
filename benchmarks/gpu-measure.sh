#!/usr/bin/env bash
# The GPU measurement (RESULTS.md section 6) on a GPU host, in one command: the environment, the GPU
# test classes, then io.autospec.cuda.GpuMeasure, every part under its own time limit and written to
# OUTDIR as it goes, so a part that runs out of time loses only itself. Two sets of parts, each well
# inside one 600 s device call:
#   default (380 s of limits): tests, overhead (per-round overhead), throughput (oracle queries/s),
#     wall (CPU-vs-GPU wall time per sample);
#   PARTS="tests resident" (440 s of limits): tests, then the device-resident rounds against the
#     engine's host-built rounds on the same device and the CPU: resident-latency.md (sequential,
#     M = 1: wall per round), resident-qps.md (jacobi rounds of about 1e4 and 1e6 queries:
#     queries/s), resident-wall.md (wall time per sample, all three, "same samples").
#
# Usage: benchmarks/gpu-measure.sh BUNDLE.tar.gz OUTDIR
#   BUNDLE: from native-build/make-gpu-bundle.sh (SLIM=1 is enough). EMULATE=1 runs GpuMeasure on the
#   host emulator instead, on smaller sizes (to check this script without a GPU; timings then mean nothing).
#   PARTS="...": the parts to run, of tests overhead throughput wall resident.
#   CPU_ONLY=1 (PARTS=resident alone): the resident parts' CPU columns at the GPU sizes, with no device
#   and no emulator (for the CPU figures of a machine without a GPU).
#   WALL_LIMIT=SECONDS: the time limit of the wall part and of the resident wall part (150 and 140).
#   ONLY_CELLS="MODEL|N|STRATEGY|M ...": only the wall-time part, on these cells (a second run for
#   cells a first one left out), written to OUTDIR/wall.md.
# Log lines and stack traces go to OUTDIR/log.txt, the tables to their own files.
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
if [ "${CPU_ONLY:-0}" = 1 ]; then
  [ "${PARTS:-}" = resident ] || { echo "CPU_ONLY=1 is for PARTS=resident alone, not '${PARTS:-}'" >&2; exit 2; }
  emulate=(--cpu-only)
elif [ "${EMULATE:-0}" = 1 ]; then
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
  echo "--- GpuMeasure $*" >> "$out/log.txt"
  timeout "$limit" "$JAVA" "${JAVA_OPTS[@]}" -cp "$b/lib/autospec.jar:$b/lib/autospec-tests.jar" io.autospec.cuda.GpuMeasure \
    "$@" --threads "$threads" "${emulate[@]}" 2>> "$out/log.txt"
  echo "exit status: $?"
}
parts=" ${PARTS:-tests overhead throughput wall} "
has() { [[ "$parts" == *" $1 "* ]]; }
for p in $parts; do
  case "$p" in tests|overhead|throughput|wall|resident) ;; *) echo "unknown part '$p' in PARTS (tests overhead throughput wall resident)" >&2; exit 2 ;; esac
done

if [ -n "${ONLY_CELLS:-}" ]; then
  read -r -a cells <<< "$ONLY_CELLS"
  stamp "wall time per sample (${#cells[@]} cells)"
  measure "${WALL_LIMIT:-150}" wall --deadline "$(( ${WALL_LIMIT:-150} - 30 ))" --cpu-cap 12 "${cells[@]}" > "$out/wall.md"
  stamp "done"
  exit 0
fi
if has tests && [ "${EMULATE:-0}" != 1 ]; then
  stamp "GPU test classes"
  timeout "${TEST_LIMIT:-120}" "$b/run-gpu-tests.sh" -Dautospec.gpu.runs=2000 --details=tree > "$out/gpu-tests.txt" 2>&1
  echo "exit status: $?" >> "$out/gpu-tests.txt"
  grep -E 'tests (successful|failed|skipped|aborted)' "$out/gpu-tests.txt" | tee -a "$out/steps.txt"
fi

if has overhead; then
  stamp "overhead"
  measure 30 overhead > "$out/overhead.md"
fi
if has throughput; then
  stamp "throughput"
  measure 80 throughput --deadline 65 --cpu-cap 15 > "$out/throughput.md"
fi
if has wall; then
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
fi

if has resident; then
  # Sizes: on a GPU the tables' own (sequential n = 4096; jacobi rounds of 1e4 and 1e6 queries; the AR
  # cells of section 6 plus potts); on the emulator small ones, so that every row runs.
  if [ "${EMULATE:-0}" = 1 ]; then
    latency=(--n 256); qps=(--sizes 1e2,1e3); big=1024; cw=256; many=8
  else
    latency=(--n 4096); qps=(--sizes 1e4,1e6); big=65536; cw=4096; many=64
  fi
  stamp "resident rounds: round latency"
  measure 40 resident latency --deadline 30 "${latency[@]}" > "$out/resident-latency.md"
  stamp "resident rounds: queries per second"
  measure 140 resident qps --deadline 110 --cpu-cap 10 "${qps[@]}" > "$out/resident-qps.md"
  stamp "resident rounds: wall time per sample"
  cells=()
  for m in 1 $many; do
    for s in sequential jacobi auto token:window=64 speculative; do
      # speculative at M = 64 on markov n = 65536 alone takes about a minute on the device (section 6)
      [ "$s/$m" = speculative/64 ] || cells+=("markov:q=2,stay=0.9|$big|$s|$m")
    done
  done
  for m in 1 $many; do
    for s in sequential jacobi auto; do cells+=("potts:q=8,stay=0.7|$cw|$s|$m"); done
  done
  for m in 1 $many; do
    for s in sequential jacobi auto speculative; do cells+=("curie-weiss:beta=1.2|$cw|$s|$m"); done
  done
  measure "${WALL_LIMIT:-140}" resident wall --deadline "$(( ${WALL_LIMIT:-140} - 30 ))" --cpu-cap 12 "${cells[@]}" > "$out/resident-wall.md"
fi
stamp "done"
