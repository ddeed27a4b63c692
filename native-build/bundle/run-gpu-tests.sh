#!/usr/bin/env bash
# Runs autospec's GPU tests with the bundled Java runtime, without Maven. By default only the GPU
# test classes (the backend contract on the device, the network executor contract, the kernel-image checks); they FAIL here when no
# GPU is usable (set AUTOSPEC_REQUIRE_GPU=false to let them skip). --all runs the whole suite instead
# (CPU tests and the host-emulator tests too, a few minutes). Other arguments go to the JUnit console
# launcher, e.g. --select-method io.autospec.cuda.GpuBackendTest#buffersAreReusedAcrossRuns, or
# -Dautospec.gpu.runs=100000 (runs of the buffer-reuse/leak test, default 10^4).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
props=(-Dautospec.requireGpu="${AUTOSPEC_REQUIRE_GPU:-true}" -Dautospec.source.dir="$here/src")
gpu_classes=(io.autospec.cuda.GpuBackendTest io.autospec.cuda.GpuNetExecutorTest io.autospec.cuda.GpuResidentRoundsTest io.autospec.cuda.KernelPortabilityTest)
select=()
for c in "${gpu_classes[@]}"; do select+=(--select-class "$c"); done
launcher=()
for a in "$@"; do
  case "$a" in
    --all) select=(--scan-class-path "$here/lib/autospec-tests.jar") ;;
    -D*) props+=("$a") ;;
    --select*) select=(); launcher+=("$a") ;;
    --include*|--exclude*) launcher+=("$a") ;; # filters of the selection above
    *) launcher+=("$a") ;;
  esac
done
cd "$here"
exec "$JAVA" "${JAVA_OPTS[@]}" "${props[@]}" -jar "$here/lib/junit-platform-console-standalone.jar" execute \
  --class-path "$here/lib/autospec.jar:$here/lib/autospec-tests.jar" --disable-banner --details=tree \
  --fail-if-no-tests "${select[@]}" "${launcher[@]}"
