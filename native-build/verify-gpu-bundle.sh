#!/usr/bin/env bash
# Checks a GPU bundle on a machine without a GPU: it unpacks, the runtime starts, the cuBLAS
# forwarder exports the libcublas.so.12 version and carries JCublas's calls to a stub
# libcublas.so.13, and the test suite runs from the bundle with the bundled runtime (GPU tests
# skipped, everything else passing).
#
# Usage: native-build/verify-gpu-bundle.sh ARCHIVE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
archive=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xzf "$archive"
b=$tmp/autospec-gpu-bundle

echo "[verify] runtime: $("$b/runtime/bin/java" -version 2>&1 | head -1)"

shim=$b/lib/cublas-shim/libcublas.so.12
readelf -d "$shim" | grep 'SONAME.*\[libcublas.so.12\]' >/dev/null || { echo "shim soname is not libcublas.so.12" >&2; exit 1; }
readelf -V "$shim" | grep 'Name: libcublas.so.12' >/dev/null || { echo "shim has no libcublas.so.12 version node" >&2; exit 1; }
exported=$(nm -D --defined-only "$shim" | grep -c '@@libcublas.so.12')
echo "[verify] shim exports $exported symbols as @@libcublas.so.12"
mkdir -p "$tmp/stub" "$tmp/check"
gcc -shared -fPIC -o "$tmp/stub/libcublas.so.13" "$here/cublas-shim/stub-cublas13.c" \
  -Wl,-soname,libcublas.so.13 -Wl,--version-script,"$here/cublas-shim/stub-cublas13.map"
"${JAVAC:-javac}" --release 17 -cp "$b/lib/autospec.jar" -d "$tmp/check" "$here/cublas-shim/ShimCheck.java"
LD_LIBRARY_PATH="$b/lib/cublas-shim:$tmp/stub" "$b/runtime/bin/java" --enable-native-access=ALL-UNNAMED \
  -Djava.io.tmpdir="$tmp" -cp "$b/lib/autospec.jar:$tmp/check" ShimCheck 2>/dev/null

echo "[verify] test suite from the bundle (no GPU here: GPU tests skip)"
AUTOSPEC_REQUIRE_GPU=false AUTOSPEC_CUBLAS_SHIM=off "$b/run-gpu-tests.sh" --details=summary > "$tmp/tests.log" 2>&1 || {
  cat "$tmp/tests.log"; echo "[verify] tests failed" >&2; exit 1; }
grep -E 'tests (successful|failed|skipped|aborted)|containers failed' "$tmp/tests.log" | sed 's/^/[verify] /'
grep -qE '\[ *0 tests failed *\]' "$tmp/tests.log" || { cat "$tmp/tests.log"; exit 1; }
echo "[verify] bundle OK"
