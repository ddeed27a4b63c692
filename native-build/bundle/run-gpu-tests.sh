#!/usr/bin/env bash
# Runs autospec's test suite with the bundled Java runtime, without Maven: the CPU tests, the
# host-emulator tests (if a C++ compiler is present) and the GPU tests, which FAIL here when no GPU
# is usable (set AUTOSPEC_REQUIRE_GPU=false to let them skip). Extra arguments go to the JUnit
# console launcher, e.g. --select-class io.autospec.cuda.GpuBackendTest, or
# -Dautospec.gpu.runs=100000 (runs of the buffer-reuse/leak test, default 10^4).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
props=(-Dautospec.requireGpu="${AUTOSPEC_REQUIRE_GPU:-true}" -Dautospec.source.dir="$here/src")
select=(--scan-class-path "$here/lib/autospec-tests.jar")
launcher=()
for a in "$@"; do
  case "$a" in
    -D*) props+=("$a") ;;
    --select*|--include*|--exclude*) select=(); launcher+=("$a") ;;
    *) launcher+=("$a") ;;
  esac
done
cd "$here"
exec "$JAVA" "${JAVA_OPTS[@]}" "${props[@]}" -jar "$here/lib/junit-platform-console-standalone.jar" execute \
  --class-path "$here/lib/autospec.jar:$here/lib/autospec-tests.jar" --disable-banner --details=tree \
  --fail-if-no-tests "${select[@]}" "${launcher[@]}"
