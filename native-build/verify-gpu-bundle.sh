#!/usr/bin/env bash
# Checks a GPU bundle on a machine without a GPU: it unpacks, the runtime starts, and the test
# suite runs from the bundle with the bundled runtime (GPU tests
# skipped, everything else passing).
#
# Usage: native-build/verify-gpu-bundle.sh ARCHIVE
set -euo pipefail
archive=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xzf "$archive"
b=$tmp/autospec-gpu-bundle

echo "[verify] runtime: $("$b/runtime/bin/java" -version 2>&1 | head -1)"
# The CUDA backend is the provider module autospec-cuda: the jar must bundle it (ServiceLoader entry,
# classes, kernels) and the test jar its tests and the core test classes they use.
for e in META-INF/services/io.autospec.backend.BackendProvider io/autospec/cuda/CudaBackendProvider.class \
         io/autospec/cuda/kernels/kernels.list io/autospec/Autospec.class; do
  unzip -l "$b/lib/autospec.jar" "$e" > /dev/null || { echo "[verify] lib/autospec.jar lacks $e" >&2; exit 1; }
done
for e in io/autospec/cuda/GpuBackendTest.class io/autospec/cuda/GpuNetExecutorTest.class io/autospec/cuda/KernelPortabilityTest.class \
         io/autospec/cuda/GpuMeasure.class \
         io/autospec/cuda/CudaBench.class io/autospec/testing/GoldenRuns.class golden/emulated.txt golden/cpu.txt; do
  unzip -l "$b/lib/autospec-tests.jar" "$e" > /dev/null || { echo "[verify] lib/autospec-tests.jar lacks $e" >&2; exit 1; }
done
[ -f "$b/src/cuda/src/test/native/device_emulator.cpp" ] || { echo "[verify] no emulator source in the bundle" >&2; exit 1; }
unzip -l "$b/lib/autospec-nn-measure.jar" io/autospec/onnx/NetMeasure.class > /dev/null \
  || { echo "[verify] lib/autospec-nn-measure.jar lacks NetMeasure" >&2; exit 1; }
for f in src/onnx/models/text.onnx src/onnx/models/digits-denoiser.onnx python/torch_text_peer.py python/train_text.py; do
  [ -f "$b/$f" ] || { echo "[verify] the bundle lacks $f (benchmarks/gpu-nn-measure.sh needs it)" >&2; exit 1; }
done
echo "[verify] the jar bundles the CUDA provider and its kernels; the test jar holds the CUDA tests"

echo "[verify] default selection without a GPU: the GPU tests fail, naming the reason"
if "$b/run-gpu-tests.sh" --details=summary > "$tmp/gpu.log" 2>&1; then
  cat "$tmp/gpu.log"; echo "[verify] GPU tests passed on a machine without a GPU" >&2; exit 1
fi
grep -q 'a GPU is required' "$tmp/gpu.log" || { cat "$tmp/gpu.log"; echo "[verify] GPU test failure does not say why" >&2; exit 1; }
echo "[verify] whole test suite from the bundle (no GPU here: GPU tests skip)"
# Left out: the checks of the source tree's module layout (public types per module jar, README snippets),
# which a shaded jar without the README cannot pass and which the Maven build runs.
AUTOSPEC_REQUIRE_GPU=false "$b/run-gpu-tests.sh" --all --details=summary \
  --exclude-classname '^io\.autospec\.(ApiSurfaceTest|cuda\.CudaApiSurfaceTest|DocSnippetsTest)$' > "$tmp/tests.log" 2>&1 || {
  cat "$tmp/tests.log"; echo "[verify] tests failed" >&2; exit 1; }
grep -E 'tests (successful|failed|skipped|aborted)|containers failed' "$tmp/tests.log" | sed 's/^/[verify] /'
grep -qE '\[ *0 tests failed *\]' "$tmp/tests.log" || { cat "$tmp/tests.log"; exit 1; }
[ -n "$(ls -A "$b/tmp" 2>/dev/null)" ] || { echo "[verify] nothing was unpacked into the bundle's tmp/ (java.io.tmpdir)" >&2; exit 1; }
echo "[verify] JCuda natives unpacked inside the bundle: $(ls "$b/tmp" | head -3 | tr '\n' ' ')"
echo "[verify] bundle OK"
