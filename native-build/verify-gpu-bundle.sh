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

echo "[verify] test suite from the bundle (no GPU here: GPU tests skip)"
AUTOSPEC_REQUIRE_GPU=false "$b/run-gpu-tests.sh" --details=summary > "$tmp/tests.log" 2>&1 || {
  cat "$tmp/tests.log"; echo "[verify] tests failed" >&2; exit 1; }
grep -E 'tests (successful|failed|skipped|aborted)|containers failed' "$tmp/tests.log" | sed 's/^/[verify] /'
grep -qE '\[ *0 tests failed *\]' "$tmp/tests.log" || { cat "$tmp/tests.log"; exit 1; }
echo "[verify] bundle OK"
